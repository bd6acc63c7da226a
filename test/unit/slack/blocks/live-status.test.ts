import type { SectionBlock } from '@slack/types';
import { STATES } from '../../../../src/domain/hotfix.js';
import { SLACK_LIMITS, type SlackMessage } from '../../../../src/slack/blocks/block-kit.js';
import { ACTION_IDS, readInputValue } from '../../../../src/slack/blocks/interaction-ids.js';
import { liveStatusMessage } from '../../../../src/slack/blocks/live-status.js';
import { BOT, ONCALL, REQUESTER, hotfixIn } from '../../domain/builders.js';
import {
  DRILL,
  at,
  awaitingInput,
  buttonOf,
  buttons,
  deploying,
  failed,
  preparing,
  queued,
  retrying,
  rollingBack,
  steps,
  verifying,
} from './live-scenarios.js';
import { limitViolations, render } from './render.js';

const SCENARIOS: Array<[string, () => SlackMessage]> = [
  [
    'queued behind another hotfix',
    () =>
      liveStatusMessage(queued(), {
        queuedBehind: { id: 'HF-2', state: 'deploying', since: at(2).toISOString() },
        position: 2,
      }),
  ],
  [
    'queued while deploys are paused',
    () =>
      liveStatusMessage(queued(), {
        position: 1,
        paused: { by: 'U0ADMIN', reason: 'database maintenance', at: at(1).toISOString() },
      }),
  ],
  ['preparing', () => liveStatusMessage(preparing())],
  ['deploying', () => liveStatusMessage(deploying())],
  ['awaiting input on production', () => liveStatusMessage(awaitingInput())],
  [
    'deploying with a cancel requested',
    () => liveStatusMessage(steps(deploying(), [{ type: 'cancel', reason: 'wrong tag' }, REQUESTER, 26])),
  ],
  ['a second attempt deploying', () => liveStatusMessage(retrying())],
  ['verifying', () => liveStatusMessage(verifying())],
  ['completed', () => liveStatusMessage(steps(verifying(), [{ type: 'verify_succeeded' }, BOT, 45]))],
  ['failed', () => liveStatusMessage(failed())],
  ['rolling back', () => liveStatusMessage(rollingBack())],
  ['rolled back', () => liveStatusMessage(steps(rollingBack(), [{ type: 'rollback_succeeded' }, BOT, 50]))],
  [
    'rollback failed',
    () =>
      liveStatusMessage(
        steps(rollingBack(), [{ type: 'rollback_failed', message: 'old image gone from ECR' }, BOT, 50]),
      ),
  ],
  [
    'cancelled while queued',
    () => liveStatusMessage(steps(queued(), [{ type: 'cancel', reason: 'fixed by config' }, REQUESTER, 10])),
  ],
  [
    'resolved manually',
    () => liveStatusMessage(steps(failed(), [{ type: 'resolve', reason: 'restarted by hand' }, ONCALL, 55])),
  ],
  [
    'superseded',
    () => liveStatusMessage(steps(failed(), [{ type: 'supersede', supersededBy: 'HF-9' }, ONCALL, 55])),
  ],
  ['a rehearsal deploying', () => liveStatusMessage(deploying(DRILL))],
];

describe('liveStatusMessage', () => {
  it.each(SCENARIOS)('renders %s', (_name, build) => {
    expect(render(build())).toMatchSnapshot();
  });

  it('shows the failure with its rollback-matrix row and the attempt', () => {
    const text = render(liveStatusMessage(failed()));
    expect(text).toContain('stage Smoke test failed: /v1/health returned 503');
    expect(text).toContain('*Runbook:* Smoke test fails · :red_circle: critical — Immediate rollback.');
    expect(text).toContain('· attempt 2');
    expect(render(liveStatusMessage(deploying()))).not.toContain('attempt');
    expect(render(liveStatusMessage(retrying()))).toContain(
      '· attempt 2 started <!date^1794929700^{date_short_pretty} {time} ({ago})|2026-11-17 15:35 UTC>',
    );
  });

  it('says a failure while preparing deployed nothing, so there is nothing to roll back, and what comes next', () => {
    const message = liveStatusMessage(
      steps(preparing(), [{ type: 'deploy_failed', message: 'Jenkins is unavailable (503)' }, BOT, 22]),
    );
    const text = render(message);
    expect(text).toContain(
      'Nothing was deployed to Acme Corp PRODUCTION (prod), so there is nothing to roll back. *Retry* prepares again',
    );
    expect(text).toContain('*Resolved manually* ends it and frees acme prod.');
    expect(text).not.toMatch(/No earlier version|Runbook|rollback is done by hand|again\. Make sure/);
    const retry = buttonOf(message, ACTION_IDS.retry);
    expect(retry.confirm?.text.text).toMatch(
      /^Nothing was deployed yet: HF-1 reads the running versions again/,
    );
  });

  it("shows how long each ended stage took, as Jenkins' stage view does, and nothing for the running one", () => {
    const timed = steps(deploying(), [
      {
        type: 'update_stages',
        stages: [
          { name: 'Checkout', status: 'succeeded', durationMs: 45_400 },
          { name: 'Deploy', status: 'succeeded', durationMs: 125_000 },
          { name: 'Smoke test', status: 'running' },
        ],
      },
      BOT,
      26,
    ]);
    const text = render(liveStatusMessage(timed));
    expect(text).toContain('Checkout — succeeded in 45s');
    expect(text).toContain('Deploy — succeeded in 2m 5s');
    expect(text).toMatch(/\*Smoke test\* — running(?! in)/);
  });

  it('shows the health rounds through the soak window, and the failing check with what was expected and seen', () => {
    const base = verifying();
    const service = base.snapshot.services['decanting-service']!;
    const soaked = {
      ...base,
      snapshot: {
        ...base.snapshot,
        services: { 'decanting-service': { ...service, soak: { seconds: 900, everySeconds: 300 } } },
      },
    };
    const result = (ok: boolean, seen: string) => ({
      service: 'decanting-service',
      check: 'health',
      ok,
      expected: 'HTTP 200, version 24-02-05.619-hotfix.627',
      seen,
    });
    const passed = steps(soaked, [
      {
        type: 'record_result',
        step: 'health_1_0',
        detail: JSON.stringify([result(true, 'HTTP 200, version 24-02-05.619-hotfix.627')]),
      },
      BOT,
      32,
    ]);
    const text = render(liveStatusMessage(passed));
    expect(text).toContain('1 health check, round 2 of 4: soak window of 15 minutes until');
    expect(text).toContain('next check <!date^1794929820');
    expect(text).toContain('*Health checks* · round 1 of 4');
    expect(text).toContain(
      ':white_check_mark: decanting-service health: HTTP 200, version 24-02-05.619-hotfix.627',
    );

    const seen = 'HTTP 200, version 24-01-20.600';
    const failing = steps(
      passed,
      [{ type: 'record_result', step: 'health_1_1', detail: JSON.stringify([result(false, seen)]) }, BOT, 37],
      [{ type: 'verify_failed', message: 'Health check failed', condition: 'smoke_test_failed' }, BOT, 37],
    );
    expect(render(liveStatusMessage(failing))).toContain(
      ':x: decanting-service health: expected HTTP 200, version 24-02-05.619-hotfix.627, saw HTTP 200, version 24-01-20.600',
    );
  });

  it("shows a deploy's log kept in the refs: error lines, then the latest, as typed, and the console link", () => {
    const hotfix = steps(deploying(), [
      {
        type: 'update_stages',
        stages: [{ name: 'staging-deployment-acme: task a1 RUNNING', status: 'running' }],
        refs: {
          ecsLogErrors: 'ERROR <@U0ALL> could not lock orders',
          ecsLogLatest: 'Applying migration 0042\nERROR <@U0ALL> could not lock orders',
          ecsLogUrl:
            'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups',
        },
      },
      BOT,
      26,
    ]);
    const text = render(liveStatusMessage(hotfix));
    expect(text).toMatch(
      /\*Log\*\s+```\s+-- error lines --\s+ERROR &lt;@U0ALL&gt; could not lock orders\s+-- latest lines --\s+Applying migration 0042\s/,
    );
    expect(text).toContain('|full log in CloudWatch>');
    expect(render(liveStatusMessage(deploying()))).not.toContain('*Log*');
  });

  it('says who ended a hotfix and why', () => {
    const resolved = render(liveStatusMessage(hotfixIn('resolved')));
    expect(resolved).toContain(':wrench: *resolved*');
    expect(resolved).toContain('by <@U0ONCALL>: fixed by hand.');
    expect(render(liveStatusMessage(hotfixIn('cancelled')))).toContain('by <@U0REQUESTER>: not needed');
  });

  it('marks a rehearsal loudly in the header, a banner and the notification text', () => {
    const message = liveStatusMessage(deploying(DRILL));
    expect(message.text).toMatch(/^REHEARSAL HF-1 drill/);
    expect(render(message)).toMatch(/^\[header\] :rocket: REHEARSAL · HF-1/m);
    expect(render(message)).toContain('*REHEARSAL: nothing outside is touched.*');
    expect(JSON.stringify(liveStatusMessage(deploying()))).not.toContain('REHEARSAL');
  });

  it('writes times as Slack date tokens the client draws, never as an elapsed time of its own', () => {
    const message = liveStatusMessage(deploying());
    expect(render(message)).toContain(
      ':stopwatch: Deploy started <!date^1794928920^{date_short_pretty} {time} ({ago})|2026-11-17 15:22 UTC>',
    );
    expect(render(message)).not.toMatch(/\d+ (minute|hour)s? ago/);
    expect(message.text).toContain('deploy started 2026-11-17 15:22 UTC');
  });

  it('shows the queue, the pause, the deploy plan, the rollback target, where it runs and the lock token', () => {
    const queue = render(
      liveStatusMessage(queued(), {
        queuedBehind: { id: 'HF-2', state: 'failed', since: at(2).toISOString() },
        position: 3,
        paused: { by: 'U0ADMIN', reason: 'maintenance', at: at(1).toISOString() },
      }),
    );
    expect(queue).toContain('Queued behind *HF-2* (failed since <!date^');
    expect(queue).toContain('3rd in line');
    expect(queue).toContain('It keeps acme prod until someone decides');
    expect(queue).toContain('*Deploys are paused* by <@U0ADMIN>');
    expect(queue).toContain('HF-1 stays queued until `/hotfix resume`');

    const deploy = render(liveStatusMessage(deploying()));
    expect(deploy).toContain(
      '| *Running before (rollback target)*: • decanting-service `24-01-20.600` → `24-02-05.619-hotfix.627`',
    );
    expect(deploy).toContain('*What the deploy does*: • multi_deploy_pipeline');
    expect(deploy).toContain('*Stages* · at 2 of 3');
    expect(deploy).toContain(':round_pushpin: Jenkins build `1042`');
    // Change-control records are not where the deploy runs: they have their own linked line.
    expect(deploy).not.toMatch(/:round_pushpin:.*CHG-88/);
    expect(deploy).toContain(':memo: Records: Jira change ticket CHG-88');
    expect(deploy).toContain(':lock: lock #12');
    expect(render(liveStatusMessage(hotfixIn('completed')))).not.toContain('lock #');
  });

  it('leaves the pause and the queue out once the hotfix has ended', () => {
    const paused = { by: 'U0ADMIN', reason: 'maintenance', at: at(1).toISOString() };
    const text = render(liveStatusMessage(hotfixIn('completed'), { paused }));
    expect(text).not.toContain('paused');
  });

  it('stays within Slack limits in every state and with oversized content', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      name: `stage ${i} `.repeat(20),
      status: 'running' as const,
    }));
    const huge = steps(
      deploying(),
      [{ type: 'update_stages', stages: many }, BOT, 26],
      [{ type: 'request_input', inputId: 'x'.repeat(400), message: 'Proceed? '.repeat(500) }, BOT, 27],
    );
    const oversized = { ...huge, deployPlan: Array.from({ length: 200 }, () => 'a long line '.repeat(40)) };
    const messages = [
      ...STATES.map((s) => liveStatusMessage(hotfixIn(s))),
      ...SCENARIOS.map(([, build]) => build()),
      liveStatusMessage(oversized),
    ];
    for (const message of messages) {
      expect(limitViolations(message.blocks)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
      for (const s of message.blocks.filter((b): b is SectionBlock => b.type === 'section'))
        expect(s.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      for (const b of buttons(message)) {
        expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
        expect(b.confirm?.text.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.confirmText);
      }
      expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
      expect(message.text).not.toMatch(/undefined|\[object Object\]|<!date/);
    }
    const proceed = buttonOf(liveStatusMessage(oversized), ACTION_IDS.inputProceed);
    expect(readInputValue(proceed.value)?.inputId).toHaveLength(400);
  });
});
