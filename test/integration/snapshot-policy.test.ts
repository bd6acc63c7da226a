/**
 * A hotfix is decided by the policy in its own catalog snapshot (a catalog change never alters an in-flight
 * hotfix), and so is who belongs to which group: membership is read for the snapshot's groups, not the live
 * catalog's.
 */
import { snapshotOf } from '../../src/domain/snapshot.js';
import { act, check } from '../../src/workflow/act.js';
import { refreshDirectory } from '../../src/workflow/refresh-directory.js';
import { plannedDrill } from '../helpers/hotfixes.js';
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
  const h = await plannedDrill(deps, 1, 'runbook-drill', snapshot);
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
