/**
 * A message never offers what this version cannot do: every button any message draws, in any state, is one a
 * registered listener answers, and every command help lists is available (domain/capabilities.ts).
 */
import type { KnownBlock } from '@slack/types';
import { OFFERED_SUBCOMMANDS, subcommandAvailable } from '../../../src/domain/command-usage.js';
import { STATES } from '../../../src/domain/hotfix.js';
import { changeControlNotice } from '../../../src/slack/blocks/change-control-notice.js';
import { helpMessage } from '../../../src/slack/blocks/help-message.js';
import { liveStatusMessage } from '../../../src/slack/blocks/live-status.js';
import { planMessage } from '../../../src/slack/blocks/plan-message.js';
import type { ListenerContext } from '../../../src/slack/listeners/context.js';
import { ROUTED_IDS, listenerRoutes } from '../../../src/slack/listeners/index.js';
import { hotfixIn } from '../domain/builders.js';
import { brokenGlass, failedInProd, rehearsal } from './blocks/scenarios.js';

function registeredActions(): Set<string> {
  return new Set(listenerRoutes({} as ListenerContext).actions.keys());
}

function actionIds(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((b) =>
    b.type === 'actions'
      ? b.elements.flatMap((e) => ('action_id' in e && e.action_id ? [e.action_id] : []))
      : [],
  );
}

describe('what messages offer', () => {
  it('draws only buttons a listener answers, in every state of every message', () => {
    const handled = registeredActions();
    const hotfixes = [
      ...STATES.map((s) => hotfixIn(s)),
      ...STATES.map((s) => hotfixIn(s, { env: 'prod', severity: 1 })),
    ];
    const drawn = new Set(
      [...hotfixes, failedInProd().hotfix, brokenGlass(), rehearsal()].flatMap((h) => [
        ...actionIds(planMessage(h).blocks),
        ...actionIds(changeControlNotice(h).blocks),
        ...actionIds(liveStatusMessage(h).blocks),
      ]),
    );
    expect(drawn.size).toBeGreaterThan(5);
    for (const id of drawn) expect({ id, handled: handled.has(id) }).toEqual({ id, handled: true });
  });

  it('routes every button and form it answers through the one listener per kind', () => {
    const { actions, views } = listenerRoutes({} as ListenerContext);
    for (const id of [...actions.keys(), ...views.keys()]) expect(id).toMatch(ROUTED_IDS);
  });

  it('lists in help only the commands that work', () => {
    const help = JSON.stringify(helpMessage());
    for (const sub of OFFERED_SUBCOMMANDS) expect(subcommandAvailable(sub)).toBe(true);
    for (const sub of ['rollback', 'branch', 'stats'] as const)
      if (!subcommandAvailable(sub)) expect(help).not.toContain(`/hotfix ${sub}`);
  });
});
