/**
 * A hotfix is decided by the policy in its own catalog snapshot (a catalog change never alters an in-flight
 * hotfix), and so is who belongs to which group: membership is read for the snapshot's groups, not the live
 * catalog's.
 */
import { decideNew } from '../../src/domain/decide.js';
import { snapshotOf } from '../../src/domain/snapshot.js';
import { act, check } from '../../src/workflow/act.js';
import { refreshDirectory } from '../../src/workflow/refresh-directory.js';
import { REQUESTER } from '../helpers/hotfixes.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startTestBot } from '../helpers/test-bot.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot(5, { env: { HOTFIX_ROLE: 'web' } });
});
afterEach(async () => t.stop());

it("lets a member of the snapshot's approver group approve, though the live catalog names another group", async () => {
  const { deps } = t.bot;
  // When this hotfix was planned, its environment's approvers were the platform leads; the catalog changed since.
  t.slack.addUserGroup({
    id: 'S0PLATLEADS',
    handle: 'platform-leads',
    name: 'Platform leads',
    users: ['U0DAVE'],
  });
  const snapshot = snapshotOf(deps.catalog, 'acme', 'staging', ['runbook-drill']);
  snapshot.policy = { ...snapshot.policy, approvers: { users: [], groups: ['S0PLATLEADS'] } };
  expect(deps.catalog.policy.approvers.groups).not.toContain('S0PLATLEADS');
  const now = deps.clock.now();
  const decision = decideNew(
    {
      type: 'plan',
      id: await deps.store.nextId(),
      ulid: deps.newUlid(now),
      incident: { channel: 'C0INC4211', startedAt: now.toISOString() },
      client: 'acme',
      env: 'staging',
      severity: 3,
      method: 'rehearsal',
      services: [{ service: 'runbook-drill', tag: '24-02-05.619-hotfix.1', method: 'rehearsal' }],
      snapshot,
      triage: {},
    },
    { now, actor: { userId: REQUESTER, groups: [] } },
  );
  if (!decision.ok) throw new Error(decision.refusal.message);
  const h = await deps.store.create(decision.events);
  // The scheduled directory read (here run at once) covers the groups of unfinished hotfixes' own snapshots.
  await refreshDirectory(deps);
  const approve = {
    userId: 'U0DAVE',
    ref: { ulid: h.ulid },
    command: { type: 'approve' as const, planVersion: 1 },
  };
  expect(await check(deps, approve)).toBeUndefined();
  expect(await act(deps, approve)).toMatchObject({ ok: true, hotfix: { state: 'approved' } });
});
