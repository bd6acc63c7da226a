/**
 * Verifying under overlapping runs of the step (the reconciler's look beside a delayed job): each round is recorded
 * once, the hotfix completes once, and a run that loses the race to record a round does not go on from its own
 * answers. Real Redis and the real steps, the rehearsal method playing the health checks; no worker.
 */
import { RehearsalMethod } from '../../src/adapters/rehearsal/rehearsal-method.js';
import type { Catalog } from '../../src/domain/catalog.js';
import type { PlannedCheck, ProbeAnswer } from '../../src/domain/health.js';
import { healthStep } from '../../src/domain/health.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { advance } from '../../src/workflow/advance.js';
import type { WorkflowDeps } from '../../src/workflow/deps.js';
import { driveDeploy } from '../../src/workflow/drive-deploy.js';
import { verify } from '../../src/workflow/verify.js';
import { holdingDrill, reload } from '../helpers/hotfixes.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startTestBot } from '../helpers/test-bot.js';
import type { BullJobs } from '../../src/queue/step-queue.js';

/** A rehearsal whose next health round can be held open, and whose rounds are counted. */
class HeldChecks extends RehearsalMethod {
  rounds = 0;
  private gate: { enter: () => void; wait: Promise<void> } | undefined;

  holdNext(): { entered: Promise<void>; release: () => void } {
    let enter = () => undefined as void;
    let release = () => undefined as void;
    const entered = new Promise<void>((resolve) => (enter = resolve));
    this.gate = { enter, wait: new Promise<void>((resolve) => (release = resolve)) };
    return { entered, release };
  }

  override async answerHealthChecks(
    hotfix: Hotfix,
    checks: readonly PlannedCheck[],
    round: number,
  ): Promise<ProbeAnswer[]> {
    this.rounds += 1;
    const gate = this.gate;
    this.gate = undefined;
    if (gate) {
      gate.enter();
      await gate.wait;
    }
    return super.answerHealthChecks(hotfix, checks, round);
  }
}

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot(10, { env: { HOTFIX_ROLE: 'web' } });
});
afterEach(async () => t.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The test bot's catalog with runbook-drill given one health check and no Proceed question. */
function checkedCatalog(catalog: Catalog, soak?: { seconds: number; everySeconds: number }): Catalog {
  const drill = catalog.services['runbook-drill']!;
  const { input: _input, ...script } = drill.rehearsal!;
  const healthChecks = [
    { name: 'health', path: '/v1/health', versionField: 'version', status: 200, timeoutSeconds: 5 },
  ];
  return {
    ...catalog,
    services: {
      ...catalog.services,
      'runbook-drill': { ...drill, healthChecks, rehearsal: script, ...(soak ? { soak } : {}) },
    },
  };
}

async function untilVerifying(deps: WorkflowDeps, h: Hotfix): Promise<Hotfix> {
  for (let i = 0; i < 100; i++) {
    const current = await reload(deps, h);
    if (current.state === 'verifying') return current;
    await driveDeploy(deps, current);
    await sleep(50);
  }
  throw new Error(`${h.id} never reached verifying`);
}

describe('verifying under overlapping runs', () => {
  it('records the round once and completes once when a second run overtakes one still checking', async () => {
    const method = new HeldChecks(t.bot.deps.clock);
    const deps: WorkflowDeps = {
      ...t.bot.deps,
      catalog: checkedCatalog(t.bot.deps.catalog),
      methods: { rehearsal: method },
    };
    const h = await holdingDrill(deps, 1);
    await advance(deps, h.ulid);
    const verifying = await untilVerifying(deps, h);

    const gate = method.holdNext();
    const first = verify(deps, verifying);
    await gate.entered;
    // The reconciler's look arrives while the first run waits for its answers, and finishes the verify.
    await verify(deps, await reload(deps, h));
    expect((await reload(deps, h)).state).toBe('completed');
    gate.release();
    await first;

    expect(method.rounds).toBe(2);
    const events = await deps.store.events(h.ulid);
    const recorded = events.filter((e) => e.type === 'step_recorded' && e.step === healthStep(1, 0));
    expect(recorded).toHaveLength(1);
    expect(events.filter((e) => e.type === 'verified')).toHaveLength(1);
    expect((await reload(deps, h)).state).toBe('completed');
  });

  it('schedules one delayed look per round however often the step runs before the round is due', async () => {
    const method = new HeldChecks(t.bot.deps.clock);
    const deps: WorkflowDeps = {
      ...t.bot.deps,
      catalog: checkedCatalog(t.bot.deps.catalog, { seconds: 600, everySeconds: 60 }),
      methods: { rehearsal: method },
    };
    const h = await holdingDrill(deps, 2);
    await advance(deps, h.ulid);
    const verifying = await untilVerifying(deps, h);
    await verify(deps, verifying);
    expect((await reload(deps, h)).steps[healthStep(1, 0)]?.result).toBeDefined();
    // The reconciler's looks through the soak window, moments apart.
    for (let i = 0; i < 4; i++) {
      await sleep(30);
      await verify(deps, await reload(deps, h));
    }
    const queue = (deps.jobs as BullJobs).queue;
    const looks = (await queue.getDelayed()).filter(
      (j) => (j.data as { ulid: string }).ulid === h.ulid && String(j.id).includes('verify-1-1-'),
    );
    expect(looks).toHaveLength(1);
    expect(looks[0]!.opts.delay).toBeGreaterThan(55_000);
    expect(method.rounds).toBe(1);
  });
});
