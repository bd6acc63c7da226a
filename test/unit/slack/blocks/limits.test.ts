import type { HotfixEvent } from '../../../../src/domain/events.js';
import { momentsOf } from '../../../../src/domain/moments.js';
import { momentMessage } from '../../../../src/slack/blocks/moment-replies.js';
import { STATES } from '../../../../src/domain/hotfix.js';
import type { Hotfix } from '../../../../src/domain/hotfix.js';
import { Reason, refuse } from '../../../../src/domain/reasons.js';
import type { SlackMessage } from '../../../../src/slack/blocks/block-kit.js';
import { changeControlNotice } from '../../../../src/slack/blocks/change-control-notice.js';
import {
  helpMessage,
  notInChannelMessage,
  refusalMessage,
} from '../../../../src/slack/blocks/help-message.js';
import { planMessage } from '../../../../src/slack/blocks/plan-message.js';
import { listMessage, statusMessage } from '../../../../src/slack/blocks/status-message.js';
import { liveStatusMessage } from '../../../../src/slack/blocks/live-status.js';
import {
  approveConfirmModal,
  breakGlassModal,
  rejectModal,
} from '../../../../src/slack/blocks/decision-modals.js';
import { decisionReply } from '../../../../src/slack/blocks/decision-replies.js';
import { refusalReply } from '../../../../src/slack/blocks/refusal-reply.js';
import { reminderMessage } from '../../../../src/slack/blocks/reminders.js';
import { revisePlanModal } from '../../../../src/slack/blocks/revise-modal.js';
import { NOW, hotfixIn, planned } from '../../domain/builders.js';
import { limitViolations, modalViolations } from './render.js';
import {
  brokenGlass,
  catalogWithServices,
  failedInProd,
  lateWeekInFreeze,
  planOn,
  rehearsal,
} from './scenarios.js';

/** Everything at once, and all of it too long: 40 services, a 10,000-character reason, long triage answers. */
function oversized(): Hotfix {
  const names = Array.from({ length: 39 }, (_, i) => `service-with-a-rather-long-name-${i}`);
  const catalog = catalogWithServices(names);
  const h = planned(
    planOn(catalog, {
      env: 'prod',
      reason: 'orders stuck <!channel> & more '.repeat(400),
      services: ['decanting-service', ...names].map((service) => ({
        service,
        tag: '24-02-05.619-hotfix.627',
        method: 'jenkins-multi-deploy' as const,
      })),
      triage: Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [`note ${i}`, 'a long answer '.repeat(50)]),
      ),
    }),
  );
  return {
    ...h,
    warnings: Array.from({ length: 20 }, () => 'a long warning '.repeat(30)),
    refs: { jira: 'x'.repeat(5000) },
  };
}

const messages: Array<[string, () => SlackMessage]> = [
  ...STATES.map((s): [string, () => SlackMessage] => [`plan (${s})`, () => planMessage(hotfixIn(s))]),
  ...STATES.map((s): [string, () => SlackMessage] => [
    `notice (${s})`,
    () => changeControlNotice(hotfixIn(s)),
  ]),
  ...STATES.map((s): [string, () => SlackMessage] => [`status (${s})`, () => statusMessage(hotfixIn(s))]),
  ['plan, rehearsal', () => planMessage(rehearsal())],
  ['plan, late week in a freeze', () => planMessage(lateWeekInFreeze())],
  ['notice, break-glass', () => changeControlNotice(brokenGlass())],
  ...STATES.map((s): [string, () => SlackMessage] => [
    `live status (${s})`,
    () => liveStatusMessage(hotfixIn(s)),
  ]),
  ['live status, oversized', () => liveStatusMessage(oversized())],
  ['status with history', () => statusMessage(failedInProd().hotfix, failedInProd().events)],
  ['plan, oversized', () => planMessage(oversized())],
  ['notice, oversized', () => changeControlNotice(oversized(), { planLink: 'https://example.slack.com/x' })],
  ['status, oversized', () => statusMessage(oversized(), failedInProd().events)],
  ['list', () => listMessage(STATES.map((s) => hotfixIn(s)))],
  ['list, empty', () => listMessage([])],
  ['help', () => helpMessage()],
  ['refusal', () => refusalMessage([refuse(Reason.UnknownService, 'Unknown service `x`.')])],
  ['refusal, none given', () => refusalMessage([])],
  [
    'refusal, many',
    () => refusalMessage(Array.from({ length: 100 }, () => refuse(Reason.BadTag, 'bad tag '.repeat(40)))),
  ],
  ['not in channel', () => notInChannelMessage('C0INCIDENT')],
  ...STATES.map((s): [string, () => SlackMessage] => [
    `approval reminder (${s})`,
    () => reminderMessage(hotfixIn(s), 'approval', LATER),
  ]),
  ['break-glass reminder', () => reminderMessage(brokenGlass(), 'break_glass_ack', LATER)],
  ['approval reminder, oversized', () => reminderMessage(oversized(), 'approval', LATER)],
  ...failedInProd().events.flatMap((e, i): Array<[string, () => SlackMessage]> => {
    const reply = decisionReply(failedInProd().hotfix, e);
    return reply ? [[`reply to ${e.type} #${i}`, () => reply]] : [];
  }),
  [
    'reply to approved, oversized',
    () =>
      decisionReply(oversized(), {
        type: 'approved',
        at: NOW.toISOString(),
        by: 'system',
        planVersion: 1,
      }) ?? {
        text: '',
        blocks: [],
      },
  ],
  ...(['input_requested', 'failed', 'rolled_back', 'verified'] as const).flatMap(
    (type): Array<[string, () => SlackMessage]> =>
      [failedInProd().hotfix, oversized()].flatMap((h, n) =>
        momentsOf({ ...h, pendingInput: { id: 'Proceed', message: 'Go? '.repeat(n * 500) } }, {
          type,
          at: NOW.toISOString(),
          by: 'system',
          planVersion: 1,
          ...(type === 'input_requested' ? { inputId: 'Proceed', message: 'Go? '.repeat(n * 500 + 1) } : {}),
          ...(type === 'failed'
            ? { failure: { at: NOW.toISOString(), phase: 'deploy', message: 'boom '.repeat(n * 2000 + 1) } }
            : {}),
        } as HotfixEvent).map((m): [string, () => SlackMessage] => [
          `moment ${type} (${m.place}${n ? ', oversized' : ''})`,
          () =>
            momentMessage(
              {
                ...h,
                failure: { at: NOW.toISOString(), phase: 'deploy', message: 'boom '.repeat(n * 2000 + 1) },
              },
              m,
            ),
        ]),
      ),
  ),
  [
    'refusal reply',
    () => refusalReply(refuse(Reason.WrongState, 'HF-1 is completed.'), hotfixIn('completed')),
  ],
];

const LATER = new Date(NOW.getTime() + 45 * 60_000);
const NOTICE = { noticeChannel: 'C0CHANGECTL', noticeTs: '1700000100.000200' };

describe('every form', () => {
  const forms = [
    ['approve', (h: Hotfix) => approveConfirmModal(h, NOTICE)],
    ['break-glass', (h: Hotfix) => breakGlassModal(h, NOTICE)],
    ['reject', (h: Hotfix) => rejectModal(h, NOTICE)],
    ['revise', (h: Hotfix) => revisePlanModal(h)],
  ] as const;
  it.each(forms)('%s stays within Slack limits in every state and when oversized', (_name, build) => {
    for (const state of STATES)
      expect({ state, problems: modalViolations(build(hotfixIn(state))) }).toEqual({ state, problems: [] });
    expect(modalViolations(build(oversized()))).toEqual([]);
  });
});

describe('every message', () => {
  it.each(messages)('%s has notification text that reads on its own', (_name, build) => {
    const { text } = build();
    expect(text.trim().length).toBeGreaterThan(10);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).not.toMatch(/undefined|\[object Object\]/);
  });

  it.each(messages)('%s stays within Slack limits', (_name, build) => {
    const { blocks } = build();
    expect(blocks.length).toBeGreaterThan(0);
    expect(limitViolations(blocks)).toEqual([]);
  });

  it('cuts a long reason short and never lets it ping anyone', () => {
    const text = JSON.stringify(planMessage(oversized()).blocks);
    expect(text).toContain('…');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toMatch(/undefined/);
  });
});
