/**
 * The GitHub gate end to end through the started bot (GITHUB_TOKEN and GITHUB_API_URL pointing at the GitHub
 * emulator, reached through the real Octokit): the plan is checked before its notice is posted (green goes, red and a
 * missing tag refuse, pending holds and is re-checked by delayed jobs until green or out of time, GitHub trouble is
 * retried and then refused, never passed), checked again when the approval completes, the notice links the change
 * over the running version, and the hotfix's GitHub deployment follows it to success, failure, or inactive after a
 * rollback (that last one moved by the domain's own commands, since a rehearsal has no rollback).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject, MessageThread } from '../emulators/slack/index.js';
import { clickButton, sendSlashCommand } from '../emulators/slack/index.js';
import { startGithubEmulator, type GhRepo, type GithubEmulator } from '../emulators/github/index.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { HotfixCommand } from '../../src/domain/commands.js';
import { decideNew } from '../../src/domain/decide.js';
import { SYSTEM } from '../../src/domain/hotfix.js';
import { snapshotOf } from '../../src/domain/snapshot.js';
import { recordDeployment } from '../../src/workflow/record-deployment.js';
import { transact } from '../../src/workflow/transact.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, catalogWith, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const REPO = 'example-org/decanting-service';
const BASE = Date.parse('2026-11-17T15:05:00Z');
const started = Date.now();
/** Minutes the bot's clock is moved ahead (a held plan's wait running out). */
let ahead = 0;

let t: TestBot;
let gh: GithubEmulator;
let repo: GhRepo;

beforeAll(async () => {
  gh = await startGithubEmulator();
  repo = gh.createRepo(REPO);
  const catalog = catalogWith((doc) => {
    // The rehearsal shares decanting-service's repository; its plans wait at most a minute for CI.
    doc.setIn(['services', 'runbook-drill', 'ci'], doc.createNode({ whenPending: 'hold', waitMinutes: 1 }));
    // A rehearsal whose repository GitHub does not have.
    const drill = doc.getIn(['services', 'runbook-drill']) as { clone(): unknown };
    doc.setIn(['services', 'lost-drill'], drill.clone());
    doc.setIn(['services', 'lost-drill', 'repo'], 'example-org/no-such-repo');
  });
  t = await startTestBot(0, {
    env: { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, HOTFIX_CATALOG: catalog },
    clock: { now: () => new Date(BASE + (Date.now() - started) + ahead * 60_000) },
    timing: { sourceRecheckMs: 200 },
  });
});
afterAll(async () => {
  await t.stop();
  await gh.close();
});

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: 'C0INC4211' }, opts());
const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? JSON.stringify(body));
const kindOf = (m: { metadata?: unknown }) =>
  (m.metadata as { event_payload?: JsonObject } | undefined)?.event_payload?.['kind'];
const blocksOf = (m: { blocks?: unknown } | undefined) => JSON.stringify(m?.blocks ?? []);

let tagCount = 0;
/** A new hotfix tag on its own commit of a hotfix branch, with the CI the test gives it. */
function newTag(ci: 'green' | 'red' | 'pending' | 'none'): { tag: string; sha: string; runId?: number } {
  tagCount += 1;
  const tag = `24-02-05.619-hotfix.${100 + tagCount}`;
  const sha = repo.git.commit('hotfix/HOCS-7', `Fix ${tagCount}`);
  repo.git.tag(tag, sha, true);
  if (ci === 'none') return { tag, sha };
  repo.addStatus(sha, { state: 'success', context: 'ci/jenkins' });
  if (ci === 'green') repo.addCheckRun(sha, { name: 'unit', status: 'completed', conclusion: 'success' });
  if (ci === 'red') repo.addCheckRun(sha, { name: 'unit', status: 'completed', conclusion: 'failure' });
  if (ci !== 'pending') return { tag, sha };
  return { tag, sha, runId: repo.addCheckRun(sha, { name: 'e2e', status: 'in_progress' }).id };
}

async function plan(service: string, tag: string, target: string): Promise<Hotfix> {
  const answer = await slash(`plan ${service}@${tag} ${target}`);
  const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
  if (!id) throw new Error(`not planned: ${textOf(answer.body)}`);
  const found = await t.bot.deps.store.findById(id);
  if (!found) throw new Error(`${id} not stored`);
  return found;
}

const planMessage = (h: Hotfix): MessageThread | undefined =>
  t.slack.messages('C0INC4211').find((m) => m.ts === h.refs['planTs']);
const noticeMessage = (h: Hotfix): MessageThread | undefined =>
  t.slack.messages('C0CHANGECTL').find((m) => m.ts === h.refs['noticeTs']);
const ephemeralsFor = (h: Hotfix) =>
  t.slack
    .ephemerals('U0PRIYA')
    .filter((e) => String(e.text).includes(h.id))
    .map((e) => String(e.text));

async function approve(h: Hotfix): Promise<void> {
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0BOB', channel: 'C0CHANGECTL', ts: h.refs['noticeTs']!, action_id: 'hotfix_approve' },
    opts(),
  );
}

/** Approves the announced hotfix, answers the rehearsal's Proceed question and waits for the end of it. */
async function runToEnd(h: Hotfix, end: 'completed' | 'failed'): Promise<Hotfix> {
  await approve(h);
  await waitForRecord(t.bot, h.ulid, (r) => r.state === 'awaiting_input', 15_000);
  const status = await t.slack.waitFor(() => {
    const replies = planMessage(h)?.replies ?? [];
    return replies.find((r) => kindOf(r) === 'status' && blocksOf(r).includes('hotfix_input_proceed'));
  }, 8000);
  await clickButton(
    t.eventsUrl,
    SIGNING_SECRET,
    { user: 'U0PRIYA', channel: 'C0INC4211', ts: status.ts, action_id: 'hotfix_input_proceed' },
    opts(),
  );
  return waitForRecord(t.bot, h.ulid, (r) => r.state === end && r.finalizedSeq !== undefined, 15_000);
}

/** The emulator's deployments of the hotfix, found by the ULID the bot put in their payload. */
const deploymentsOf = (h: Hotfix) =>
  repo.deployments.filter((d) => JSON.stringify(d.payload).includes(h.ulid));

async function deploymentShows(h: Hotfix, state: string) {
  return t.slack.waitFor(() => {
    const [deployment] = deploymentsOf(h);
    // GitHub lists a deployment's statuses newest first.
    return deployment?.statuses[0]?.state === state ? deployment : undefined;
  }, 8000);
}

describe('the plan-time gate', () => {
  it('announces a plan whose tag has green CI, saying so on the plan and the notice', async () => {
    const { tag, sha } = newTag('green');
    const h = await plan('runbook-drill', tag, 'acme staging');
    const shown = await waitForRecord(t.bot, h.ulid, (r) => r.refs['noticeTs'] !== undefined);
    const green = `CI is green on ${sha.slice(0, 7)}: 2 checks passed.`;
    expect(blocksOf(noticeMessage(shown))).toContain(green);
    expect(blocksOf(planMessage(shown))).toContain(green);
    expect(shown.state).toBe('planned');
  });

  it('refuses a plan whose tag has red CI, naming the failing check with its link, and posts no notice', async () => {
    const { tag } = newTag('red');
    const h = await plan('runbook-drill', tag, 'acme staging');
    const refused = await waitForRecord(t.bot, h.ulid, (r) => r.state === 'cancelled');
    expect(refused.refs['noticeTs']).toBeUndefined();
    const run = repo.checkRuns.find((c) => c.name === 'unit' && c.conclusion === 'failure');
    const told = await t.slack.waitFor(() => ephemeralsFor(h).find((e) => e.includes('CI failed')));
    expect(told).toContain(`unit (failure): ${run!.html_url}`);
    expect(told).toContain('nothing will be deployed');
  });

  it('refuses a plan whose tag does not exist, readably', async () => {
    const h = await plan('runbook-drill', '24-02-05.619-hotfix.999', 'acme staging');
    await waitForRecord(t.bot, h.ulid, (r) => r.state === 'cancelled');
    const told = await t.slack.waitFor(() =>
      ephemeralsFor(h).find((e) => e.includes('24-02-05.619-hotfix.999')),
    );
    expect(told).toMatch(/no tag|not found|does not exist/i);
  });

  it('refuses a plan whose repository GitHub does not have, readably', async () => {
    const { tag } = newTag('green');
    const h = await plan('lost-drill', tag, 'acme staging');
    await waitForRecord(t.bot, h.ulid, (r) => r.state === 'cancelled');
    const told = await t.slack.waitFor(() => ephemeralsFor(h).find((e) => e.includes('no-such-repo')));
    expect(told).toContain('nothing will be deployed');
    expect(told).toMatch(/not found|does not exist|cannot see/i);
  });

  it('refuses a plan when GitHub cannot be reached at all, never passing it', async () => {
    // A bot whose GITHUB_API_URL answers nothing: a port that was free a moment ago.
    const closed = await new Promise<string>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(`http://127.0.0.1:${port}`));
      });
    });
    const cut = await startTestBot(1, {
      env: { GITHUB_TOKEN: gh.token, GITHUB_API_URL: closed },
      slack: t.slack,
      timing: { sourceRecheckMs: 100 },
    });
    try {
      const { tag } = newTag('green');
      const answer = await sendSlashCommand(
        cut.eventsUrl,
        SIGNING_SECRET,
        { text: `plan runbook-drill@${tag} acme staging`, user_id: 'U0PRIYA', channel_id: 'C0INC4211' },
        { emulator: t.slack },
      );
      const id = /HF-\d+/.exec(textOf(answer.body))?.[0];
      const found = id ? await cut.bot.deps.store.findById(id) : undefined;
      if (!found) throw new Error(`not planned: ${textOf(answer.body)}`);
      const refused = await waitForRecord(cut.bot, found.ulid, (r) => r.state === 'cancelled', 20_000);
      expect(refused.refs['noticeTs']).toBeUndefined();
      expect(refused.decision?.reason).toMatch(/could not be checked: .*(reach|unreachable|answer)/i);
    } finally {
      await cut.stop();
    }
  });

  it('holds a plan while CI runs, showing "waiting for CI", and announces it once CI is green', async () => {
    const { tag, runId } = newTag('pending');
    const h = await plan('runbook-drill', tag, 'acme staging');
    const held = await waitForRecord(t.bot, h.ulid, (r) => r.refs['planTs'] !== undefined);
    await t.slack.waitFor(() => (blocksOf(planMessage(held)).includes('Waiting for CI') ? true : undefined));
    expect(blocksOf(planMessage(held))).toContain('e2e (in_progress)');
    await t.slack.waitFor(() => ephemeralsFor(h).find((e) => e.includes('waits for CI')));
    // Re-checked several times while it runs: still no notice for approvers.
    const looks = () => gh.calls.filter((c) => c.path.includes('/check-runs')).length;
    const before = looks();
    await t.slack.waitFor(() => (looks() >= before + 2 ? true : undefined));
    expect((await t.bot.deps.store.load(h.ulid))?.refs['noticeTs']).toBeUndefined();

    repo.completeCheckRun(runId!, 'success');
    const announced = await waitForRecord(t.bot, h.ulid, (r) => r.refs['noticeTs'] !== undefined);
    expect(announced.state).toBe('planned');
    expect(blocksOf(noticeMessage(announced))).toContain('CI is green');
    expect(blocksOf(noticeMessage(announced))).not.toContain('Waiting for CI');
    await t.slack.waitFor(() => ephemeralsFor(h).find((e) => e.includes('went to change control')));
    // The plan shown while it waited is redrawn with the passed check.
    await t.slack.waitFor(() =>
      blocksOf(planMessage(announced)).includes('CI is green') ? true : undefined,
    );
  });

  it('refuses a held plan whose CI has not finished when its wait runs out, saying so', async () => {
    const { tag } = newTag('pending');
    const h = await plan('runbook-drill', tag, 'acme staging');
    await waitForRecord(t.bot, h.ulid, (r) => r.refs['planTs'] !== undefined);
    ahead += 2; // past the service's one-minute wait
    const refused = await waitForRecord(t.bot, h.ulid, (r) => r.state === 'cancelled');
    expect(refused.refs['noticeTs']).toBeUndefined();
    expect(refused.decision?.reason).toContain('waited 1 minutes for CI and is refused');
    const told = await t.slack.waitFor(() => ephemeralsFor(h).find((e) => e.includes('waited 1 minutes')));
    expect(told).toContain('nothing will be deployed');
    // The thread where the plan showed "waiting for CI" is told too.
    await t.slack.waitFor(() =>
      (planMessage(refused)?.replies ?? []).find((r) => String(r.text).includes('cancelled')),
    );
  });

  it('refuses a plan when GitHub keeps failing, after retrying as delayed jobs; never a pass', async () => {
    const { tag, sha } = newTag('green');
    // Only this tag's commit: the faults left over when the plan is refused touch no other test.
    gh.failNext(new RegExp(`/commits/${sha}/(status|check-runs)$`), { status: 503 }, 100);
    const h = await plan('runbook-drill', tag, 'acme staging');
    const refused = await waitForRecord(t.bot, h.ulid, (r) => r.state === 'cancelled', 15_000);
    expect(refused.refs['noticeTs']).toBeUndefined();
    expect(Object.keys(refused.steps).filter((s) => s.startsWith('check_source_trouble_'))).toHaveLength(3);
    const told = await t.slack.waitFor(() =>
      ephemeralsFor(h).find((e) => e.includes('could not be checked')),
    );
    expect(told).toContain('nothing will be deployed');
  });

  it('waits out a secondary rate limit and then announces the plan', async () => {
    const { tag } = newTag('green');
    gh.secondaryLimitNext({ status: 403, retryAfterSeconds: 2 }, 1);
    const h = await plan('runbook-drill', tag, 'acme staging');
    const announced = await waitForRecord(t.bot, h.ulid, (r) => r.refs['noticeTs'] !== undefined, 15_000);
    expect(Object.keys(announced.steps)).toContain('check_source_trouble_1');
    expect(announced.state).toBe('planned');
  });
});

describe('after the plan', () => {
  it('deploys green CI: the GitHub deployment goes in progress, then success; the next plan links the change', async () => {
    const first = newTag('green');
    const h = await plan('runbook-drill', first.tag, 'globex staging');
    const shown = await waitForRecord(t.bot, h.ulid, (r) => r.refs['noticeTs'] !== undefined);
    const done = await runToEnd(shown, 'completed');
    const deployment = await deploymentShows(done, 'success');
    expect(deployment).toMatchObject({ environment: 'globex-staging', ref: first.tag, sha: first.sha });
    expect(deployment.statuses.map((s) => s.state)).toEqual(['success', 'in_progress']);
    // A re-run finds the deployment by the ULID: no second deployment, no repeated status.
    await recordDeployment(t.bot.deps, done.ulid);
    expect(deploymentsOf(done)).toHaveLength(1);
    expect(deploymentsOf(done)[0]!.statuses).toHaveLength(2);

    // The next plan for globex staging runs first.tag now: the notice links the compare view with its commit count.
    repo.git.commit('hotfix/HOCS-7', 'Another guard');
    const second = newTag('green');
    const next = await plan('runbook-drill', second.tag, 'globex staging');
    const announced = await waitForRecord(t.bot, next.ulid, (r) => r.refs['noticeTs'] !== undefined);
    const link = `<https://github.com/${REPO}/compare/${first.tag}...${second.tag}|2 commits>`;
    expect(blocksOf(noticeMessage(announced))).toContain(link);
    expect(blocksOf(noticeMessage(announced))).toContain(`from ${first.tag} to ${second.tag}`);
  });

  it('checks CI again when the approval completes: red by then means nothing is deployed, and the thread is told', async () => {
    const { tag, sha } = newTag('green');
    const h = await plan('runbook-drill', tag, 'globex staging');
    const shown = await waitForRecord(t.bot, h.ulid, (r) => r.refs['noticeTs'] !== undefined);
    const run = repo.addCheckRun(sha, { name: 'security-scan', status: 'completed', conclusion: 'failure' });
    await approve(shown);
    const refused = await waitForRecord(
      t.bot,
      h.ulid,
      (r) => r.state === 'cancelled' && r.finalizedSeq !== undefined,
    );
    expect(refused.times.approvedAt).toBeDefined();
    expect(refused.times.deployStartedAt).toBeUndefined();
    expect(refused.decision?.reason).toContain(`security-scan (failure): ${run.html_url}`);
    expect(deploymentsOf(refused)).toHaveLength(0);
    await t.slack.waitFor(() =>
      (planMessage(refused)?.replies ?? []).find(
        (r) => String(r.text).includes('cancelled') && blocksOf(r).includes('security-scan'),
      ),
    );
  });

  it('holds an approved hotfix while CI runs again on its tag, tells the thread, and deploys once it is green', async () => {
    const { tag, sha } = newTag('green');
    const h = await plan('runbook-drill', tag, 'globex staging');
    const shown = await waitForRecord(t.bot, h.ulid, (r) => r.refs['noticeTs'] !== undefined);
    // Someone re-runs a check on the tag's commit between the plan and the approval.
    const rerun = repo.addCheckRun(sha, { name: 'unit', status: 'queued' });
    await approve(shown);
    const held = await waitForRecord(
      t.bot,
      h.ulid,
      (r) => r.steps['recheck_source_held']?.result !== undefined,
    );
    expect(held.state).toBe('approved');
    const note = await t.slack.waitFor(() =>
      (planMessage(held)?.replies ?? []).find((r) => String(r.text).includes('CI is running again')),
    );
    expect(String(note.text)).toContain('unit (queued)');
    expect(deploymentsOf(held)).toHaveLength(0);

    repo.completeCheckRun(rerun.id, 'success');
    const running = await waitForRecord(t.bot, h.ulid, (r) => r.state === 'awaiting_input', 15_000);
    expect(running.steps['recheck_source']?.result?.detail).toContain('CI is green');
    await deploymentShows(running, 'in_progress');
  });

  it('marks the GitHub deployment failed when the deploy fails', async () => {
    const { tag } = newTag('green');
    const h = await plan('failing-drill', tag, 'acme staging');
    const shown = await waitForRecord(t.bot, h.ulid, (r) => r.refs['noticeTs'] !== undefined);
    await approve(shown);
    const failed = await waitForRecord(
      t.bot,
      h.ulid,
      (r) => r.state === 'failed' || r.state === 'awaiting_input',
      15_000,
    );
    let end = failed;
    if (failed.state === 'awaiting_input') {
      const status = await t.slack.waitFor(() =>
        (planMessage(failed)?.replies ?? []).find(
          (r) => kindOf(r) === 'status' && blocksOf(r).includes('hotfix_input_proceed'),
        ),
      );
      await clickButton(
        t.eventsUrl,
        SIGNING_SECRET,
        { user: 'U0PRIYA', channel: 'C0INC4211', ts: status.ts, action_id: 'hotfix_input_proceed' },
        opts(),
      );
      end = await waitForRecord(t.bot, h.ulid, (r) => r.state === 'failed', 15_000);
    }
    const deployment = await deploymentShows(end, 'failure');
    expect(deployment.environment).toBe('acme-staging');
    expect(deployment.statuses.map((s) => s.state)).toEqual(['failure', 'in_progress']);
  });
});

/**
 * A hotfix recorded through the domain's own commands (the rehearsal has no rollback), deploying `tag` to globex
 * staging; `move` gives it the next command. GitHub is the emulator.
 */
async function deployingHotfix(deps: TestBot['bot']['deps'], tag: string) {
  const now = deps.clock.now();
  const ulid = deps.newUlid(now);
  const planned = decideNew(
    {
      type: 'plan',
      id: await deps.store.nextId(),
      ulid,
      incident: { channel: 'C0INC4211', startedAt: now.toISOString() },
      client: 'globex',
      env: 'staging',
      severity: 3,
      method: 'jenkins-multi-deploy',
      services: [{ service: 'decanting-service', tag, method: 'jenkins-multi-deploy' }],
      snapshot: snapshotOf(deps.catalog, 'globex', 'staging', ['decanting-service']),
      triage: {},
    },
    { now, actor: { userId: 'U0PRIYA', groups: [] } },
  );
  if (!planned.ok) throw new Error(planned.refusal.message);
  await deps.store.create(planned.events);
  const move = async (command: HotfixCommand, userId = SYSTEM, groups: string[] = []) => {
    const outcome = await transact(deps, { ulid }, command, { userId, groups });
    if (!outcome.ok) throw new Error(outcome.refusal.message);
    return outcome.hotfix;
  };
  await move({ type: 'approve', planVersion: 1 }, 'U0BOB', ['S0APPROVERS']);
  await move({ type: 'queue' });
  await move({ type: 'acquire_lock', lock: { token: 901 } });
  await move({ type: 'prepare', versionsBefore: { 'decanting-service': '24-02-05.619' }, deployPlan: [] });
  const deploying = await move({ type: 'start_deploy' });
  return { ulid, deploying, move };
}

describe('the GitHub deployment of a rolled-back hotfix', () => {
  it('goes in progress, failure, then inactive once the rollback is done, marked once each', async () => {
    const deps = t.bot.deps;
    const { ulid, deploying, move } = await deployingHotfix(deps, newTag('green').tag);
    await recordDeployment(deps, ulid);
    await deploymentShows(deploying, 'in_progress');
    await move({ type: 'deploy_failed', message: 'stage Deploy failed' });
    await recordDeployment(deps, ulid);
    await move({ type: 'rollback', reason: 'orders still stuck' }, 'U0PRIYA');
    await recordDeployment(deps, ulid); // rolling back: the deployment is left as it is
    const rolledBack = await move({ type: 'rollback_succeeded' });
    await recordDeployment(deps, ulid);
    await recordDeployment(deps, ulid); // a re-run adds nothing
    const deployment = await deploymentShows(rolledBack, 'inactive');
    expect(deploymentsOf(rolledBack)).toHaveLength(1);
    expect(deployment.environment).toBe('globex-staging');
    expect(deployment.statuses.map((s) => s.state)).toEqual(['inactive', 'failure', 'in_progress']);
  });
});

describe('two runs marking the same deployment at once', () => {
  it('keep one runner marking while GitHub is slower than the lease, so each status is given once', async () => {
    const source = t.bot.deps.sourceHost;
    if (!source) throw new Error('GitHub is not configured in this test bot');
    // A short lease, and a GitHub that takes three leases to answer the first time it is asked.
    let slowOnce = true;
    const slow = Object.create(source) as typeof source;
    slow.ensureDeployment = async (draft) => {
      if (slowOnce) {
        slowOnce = false;
        await new Promise((resolve) => setTimeout(resolve, 900));
      }
      return source.ensureDeployment(draft);
    };
    const deps = { ...t.bot.deps, sourceHost: slow, timing: { ...t.bot.deps.timing, claimMs: 300 } };
    const { ulid, deploying } = await deployingHotfix(deps, newTag('green').tag);
    const first = recordDeployment(deps, ulid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await recordDeployment(deps, ulid).then(
      () => 'ran',
      (error: unknown) => (error instanceof Error ? error.constructor.name : String(error)),
    );
    await first;
    expect(second).toBe('RetryLater');
    const deployment = await deploymentShows(deploying, 'in_progress');
    expect(deploymentsOf(deploying)).toHaveLength(1);
    expect(deployment.statuses.map((s) => s.state)).toEqual(['in_progress']);
  });
});
