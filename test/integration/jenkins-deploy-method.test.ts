/**
 * Contract of the jenkins-multi-deploy method: JenkinsDeployMethod over JenkinsCiServer, through the real `jenkins`
 * client, against the emulator. Hotfixes come from real domain decisions (test/unit/domain/builders.ts).
 */
import { JenkinsCiServer } from '../../src/adapters/jenkins/jenkins-ci-server.js';
import { JenkinsDeployMethod } from '../../src/adapters/jenkins/jenkins-deploy-method.js';
import type { Hotfix } from '../../src/domain/hotfix.js';
import { createRedactor } from '../../src/redact.js';
import { hotfixIn } from '../unit/domain/builders.js';
import {
  ManualClock,
  startJenkinsEmulator,
  type BuildScript,
  type JenkinsEmulator,
} from '../emulators/jenkins/index.js';

const JOB = 'multi_deploy_pipeline';
const SECRET = 'jenkins-secret-value-42';
const STAGES = ['Checkout', 'Deploy', 'Smoke test'];

/** A deploying hotfix of acme staging (parameters Client, Env, Services, HOTFIX_ID in the test catalog). */
function deploying(overrides: Partial<Hotfix> = {}): Hotfix {
  return { ...hotfixIn('deploying'), ...overrides };
}

describe('JenkinsDeployMethod against the Jenkins emulator', () => {
  const clock = new ManualClock();
  let emulator: JenkinsEmulator;
  let ci: JenkinsCiServer;
  let method: JenkinsDeployMethod;

  const script = (s: Partial<BuildScript> = {}): void =>
    emulator.scriptNextBuild(JOB, { stages: STAGES, stageMs: 1000, ...s });
  /** Starts the hotfix and returns it with the refs the workflow would record. */
  const started = async (hotfix: Hotfix): Promise<Hotfix> => ({
    ...hotfix,
    refs: { ...hotfix.refs, ...(await method.start(hotfix)) },
  });

  beforeEach(async () => {
    emulator = await startJenkinsEmulator({
      clock: clock.now,
      queueDelayMs: 5000,
      jobs: [{ name: JOB, parameters: { Client: '', Env: '', Services: '', HOTFIX_ID: '' } }],
    });
    ci = new JenkinsCiServer({ url: emulator.url, user: emulator.user, apiToken: emulator.apiToken });
    method = new JenkinsDeployMethod(ci, createRedactor([SECRET]));
  });
  afterEach(() => emulator.close());

  it('sends every service of the plan in one build, one `service tag` line each, with the run key', async () => {
    const hotfix = deploying({
      services: [
        { service: 'decanting-service', tag: '24-02-05.619-hotfix.627', method: 'jenkins-multi-deploy' },
        { service: 'picking-service', tag: '24-02-05.611', method: 'jenkins-multi-deploy' },
      ],
    });
    const refs = await method.start(hotfix);
    const [call] = emulator.callsTo('POST', 'buildWithParameters');
    expect(call?.form).toEqual({
      Client: 'acme',
      Env: 'staging',
      Services: 'decanting-service 24-02-05.619-hotfix.627\npicking-service 24-02-05.611',
      HOTFIX_ID: `${hotfix.ulid}-1`,
    });
    // Not started yet: the build refs are cleared, so an earlier attempt's build is never followed as this one's.
    expect(refs).toEqual({
      jenkinsRunKey: `${hotfix.ulid}-1`,
      jenkinsQueueItem: '1',
      jenkinsBuild: '',
      jenkinsBuildUrl: '',
    });
    expect(method.describe(hotfix)).toEqual([
      'Jenkins job multi_deploy_pipeline: one build for 2 service(s)',
      `Parameters: Client=acme, Env=staging, HOTFIX_ID=${hotfix.ulid}-1`,
      'Services: decanting-service 24-02-05.619-hotfix.627; picking-service 24-02-05.611',
    ]);
  });

  it('triggers once per attempt: a repeated start finds the queue item, then the build after the item is purged', async () => {
    const hotfix = deploying();
    await method.start(hotfix);
    // A crashed worker re-runs start without the refs it never recorded.
    await expect(method.start(hotfix)).resolves.toMatchObject({ jenkinsQueueItem: '1' });
    clock.advance(5000 + 6 * 60_000);
    expect(emulator.queueItem(1)).toBeUndefined();
    await expect(method.start(hotfix)).resolves.toEqual({
      jenkinsRunKey: `${hotfix.ulid}-1`,
      jenkinsBuild: '1',
      jenkinsBuildUrl: `${emulator.url}/job/multi_deploy_pipeline/1/`,
    });
    expect(emulator.callsTo('POST', 'buildWithParameters')).toHaveLength(1);
    // A retry is a new attempt and gets a build of its own.
    await method.start({ ...hotfix, attempts: 2 });
    expect(emulator.callsTo('POST', 'buildWithParameters').map((c) => c.form['HOTFIX_ID'])).toEqual([
      `${hotfix.ulid}-1`,
      `${hotfix.ulid}-2`,
    ]);
  });

  it('polls a queued run as running, then follows the build its queue item became', async () => {
    script();
    const hotfix = await started(deploying());
    await expect(method.poll(hotfix)).resolves.toEqual({ status: 'running', stages: [] });
    clock.advance(5000 + 1500);
    const progress = await method.poll(hotfix);
    expect(progress).toEqual({
      status: 'running',
      stages: [
        { name: 'Checkout', status: 'succeeded', durationMs: 1000 },
        { name: 'Deploy', status: 'running' },
      ],
      // The build the queue item became, for the record (and the live status's link).
      refs: {
        jenkinsRunKey: `${hotfix.ulid}-1`,
        jenkinsQueueItem: '1',
        jenkinsBuild: '1',
        jenkinsBuildUrl: `${emulator.url}/job/${JOB}/1/`,
      },
    });
    // Once recorded, the build is read from the record and nothing new is learned.
    const recorded = { ...hotfix, refs: { ...hotfix.refs, ...progress.refs } };
    clock.advance(2000);
    const done = await method.poll(recorded);
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(done.refs).toBeUndefined();
  });

  it('reports an input step, proceeds once however often answered, and carries on', async () => {
    script({ input: { before: 'Deploy', id: 'Proceed', message: 'Deploy to staging?' } });
    const hotfix = await started(deploying());
    clock.advance(5000 + 1000);
    await expect(method.poll(hotfix)).resolves.toEqual({
      status: 'input',
      stages: [
        { name: 'Checkout', status: 'succeeded', durationMs: 1000 },
        { name: 'Deploy', status: 'waiting' },
      ],
      input: { id: 'Proceed', message: 'Deploy to staging?' },
      refs: expect.objectContaining({ jenkinsBuild: '1' }),
    });
    await method.answer(hotfix, 'Proceed', true);
    await method.answer(hotfix, 'Proceed', true);
    expect(emulator.callsTo('POST', 'input/Proceed')).toHaveLength(1);
    clock.advance(2000);
    await expect(method.poll(hotfix)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('reports an aborted input as aborted, with the console tail and who Jenkins says aborted it', async () => {
    script({ input: { before: 'Deploy', id: 'Proceed', message: 'Go?' } });
    const hotfix = await started(deploying());
    clock.advance(6000);
    await method.answer(hotfix, 'Proceed', false);
    expect(emulator.callsTo('POST', 'input/Proceed/abort')).toHaveLength(1);
    const progress = await method.poll(hotfix);
    expect(progress).toMatchObject({
      status: 'aborted',
      stages: [{ name: 'Checkout' }, { name: 'Deploy', status: 'failed' }],
      by: emulator.user,
    });
    expect(progress.status === 'aborted' && progress.message).toMatch(
      /ended ABORTED at stage Deploy[\s\S]*Finished: ABORTED$/,
    );
  });

  it('reports a queue item cancelled before it started as aborted: nothing was deployed', async () => {
    const hotfix = await started(deploying());
    await ci.cancelQueued(Number(hotfix.refs['jenkinsQueueItem']));
    await expect(method.poll(hotfix)).resolves.toMatchObject({
      status: 'aborted',
      message: expect.stringMatching(/queue item 1 .* was cancelled before it started; nothing was deployed/),
    });
  });

  it('fails with the last 30 console lines, redacted, and the smoke-test condition', async () => {
    const log = Array.from({ length: 40 }, (_, i) => `log line ${i + 1}`);
    script({
      failAt: 'Smoke test',
      failureLog: [...log, `curl -u bot:${SECRET} https://x`, 'password=hunter22'],
    });
    const hotfix = await started(deploying());
    clock.advance(5000 + 3000);
    const progress = await method.poll(hotfix);
    if (progress.status !== 'failed') throw new Error(`expected failed, got ${progress.status}`);
    expect(progress.condition).toBe('smoke_test_failed');
    expect(progress.stages.at(-1)).toEqual({ name: 'Smoke test', status: 'failed', durationMs: 1000 });
    const lines = progress.message.split('\n');
    expect(lines[0]).toBe(
      'Jenkins build #1 of multi_deploy_pipeline ended FAILED at stage Smoke test. Last 30 console lines:',
    );
    expect(lines.slice(1)).toHaveLength(30);
    expect(lines.at(-1)).toBe('Finished: FAILURE');
    expect(progress.message).toContain('log line 40');
    expect(progress.message).not.toContain('log line 12\n');
    expect(progress.message).not.toContain(SECRET);
    expect(progress.message).not.toContain('hunter22');
  });

  it('keeps the failure sentence whole when the console tail is long: only the log is cut, from its start', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `${String(i + 1).padStart(3, '0')} ${'x'.repeat(106)}`);
    script({ failAt: 'Deploy', failureLog: long });
    const hotfix = await started(deploying());
    clock.advance(5000 + 3000);
    const progress = await method.poll(hotfix);
    if (progress.status !== 'failed') throw new Error(`expected failed, got ${progress.status}`);
    const [first, second, ...rest] = progress.message.split('\n');
    expect(first).toBe(
      'Jenkins build #1 of multi_deploy_pipeline ended FAILED at stage Deploy. Last 30 console lines:',
    );
    expect(second).toMatch(/^… \d+ earlier characters cut$/);
    expect(rest.at(-1)).toBe('Finished: FAILURE');
    expect(progress.message).toContain(`040 ${'x'.repeat(106)}`);
    expect(progress.message.length).toBeLessThanOrEqual(2800);
  });

  it('fails a NOT_BUILT build, naming it as Jenkins does (wfapi says NOT_EXECUTED) and the stage it stopped after', async () => {
    script({ notBuiltAt: 'Deploy', failureLog: [] });
    const hotfix = await started(deploying());
    clock.advance(5000 + 3000);
    const progress = await method.poll(hotfix);
    if (progress.status !== 'failed') throw new Error(`expected failed, got ${progress.status}`);
    expect(progress.message.split('\n')[0]).toMatch(
      /^Jenkins build #1 of multi_deploy_pipeline ended NOT_BUILT at stage Deploy\. Last \d+ console lines:$/,
    );
    expect(progress.message).toMatch(/Finished: NOT_BUILT$/);
    expect(progress.stages.map((s) => s.name)).toEqual(['Checkout', 'Deploy']);
  });

  it('reports an UNSTABLE build as failed', async () => {
    script({ unstableAt: 'Deploy', failureLog: ['2 tests flaky'] });
    const hotfix = await started(deploying());
    clock.advance(5000 + 3000);
    await expect(method.poll(hotfix)).resolves.toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/ended UNSTABLE at stage Deploy[\s\S]*2 tests flaky/),
    });
  });

  it('aborts a running build with /stop and says which finished stages stay deployed', async () => {
    script();
    const hotfix = await started(deploying());
    clock.advance(5000 + 1500);
    const said = await method.abort(hotfix);
    expect(said).toMatch(/asked Jenkins to stop it at stage Deploy\. Stage Deploy was interrupted/);
    expect(said).toMatch(/Not undone: the finished stages \(Checkout\) stay as deployed/);
    expect(emulator.builds(JOB)[0]?.result).toBe('ABORTED');
    expect(emulator.callsTo('POST', '/stop')).toHaveLength(1);
  });

  it('aborts a build waiting at an input by aborting the input, without /stop', async () => {
    script({ input: { before: 'Deploy', id: 'Proceed', message: 'Go?' } });
    const hotfix = await started(deploying());
    clock.advance(6000);
    await expect(method.abort(hotfix)).resolves.toMatch(/aborted its pending input Proceed at stage Deploy/);
    expect(emulator.callsTo('POST', 'input/Proceed/abort')).toHaveLength(1);
    expect(emulator.callsTo('POST', '/stop')).toHaveLength(0);
    expect(emulator.builds(JOB)[0]?.result).toBe('ABORTED');
  });

  it('aborts a run still in the queue by cancelling it: nothing was deployed', async () => {
    const hotfix = await started(deploying());
    await expect(method.abort(hotfix)).resolves.toMatch(
      /Cancelled Jenkins queue item 1 .* nothing was deployed/,
    );
    clock.advance(10_000);
    expect(emulator.builds(JOB)).toHaveLength(0);
  });

  it('stops the build a queue item became just as its cancel arrived, and says so', async () => {
    script({ stages: STAGES, stageMs: 5000 });
    const hotfix = await started(deploying());
    // The quiet period ends as the cancel reaches Jenkins: the item leaves the queue first, so the cancel does nothing.
    emulator.onRequest(
      (r) => r.method === 'POST' && r.path.endsWith('/cancelQueue'),
      () => clock.advance(5000),
    );
    const said = await method.abort(hotfix);
    expect(emulator.callsTo('POST', '/cancelQueue')).toHaveLength(1);
    expect(emulator.callsTo('POST', '/1/stop')).toHaveLength(1);
    expect(emulator.builds(JOB)[0]?.result).toBe('ABORTED');
    expect(said).toMatch(
      /queue item 1 became build #1 as the cancel reached it, so the build was stopped instead/,
    );
    expect(said).toMatch(/asked Jenkins to stop it at stage Checkout/);
    expect(said).not.toContain('nothing was deployed');
  });

  it('reads current versions per service from the newest successful build for the client and env', async () => {
    const runs: [string, string, Partial<BuildScript>][] = [
      ['acme', 'decanting-service 24-01-10.500', {}],
      ['acme', 'decanting-service 24-01-20.600\npicking-service 1', {}],
      ['acme', 'decanting-service 24-01-30.700', { failAt: 'Deploy' }],
      ['globex', 'decanting-service 24-01-31.800', {}],
    ];
    for (const [client, services, s] of runs) {
      script(s);
      await ci.trigger(JOB, { Client: client, Env: 'staging', Services: services });
      clock.advance(10_000);
    }
    const hotfix = deploying({
      services: [
        { service: 'decanting-service', tag: '24-02-05.619', method: 'jenkins-multi-deploy' },
        { service: 'sorting-service', tag: '1', method: 'jenkins-multi-deploy' },
      ],
    });
    // No build deployed sorting-service there: its running version is not known, so it is left out, never guessed.
    await expect(method.currentVersions(hotfix)).resolves.toEqual({ 'decanting-service': '24-01-20.600' });
  });

  it('looks among older builds (allBuilds) for a service none of the 100 listed builds deployed', async () => {
    const acme = { Client: 'acme', Env: 'staging' };
    emulator.seedBuild(JOB, { ...acme, Services: 'sorting-service 23-12-01.100', HOTFIX_ID: '' });
    emulator.seedBuild(JOB, { ...acme, Services: 'decanting-service 24-01-01.100', HOTFIX_ID: '' });
    // 120 newer builds that deployed decanting-service only push both out of the listed 100.
    for (let i = 0; i < 120; i++)
      emulator.seedBuild(JOB, { ...acme, Services: `decanting-service 24-01-20.${i}`, HOTFIX_ID: '' });
    const hotfix = deploying({
      services: [
        { service: 'decanting-service', tag: '24-02-05.619', method: 'jenkins-multi-deploy' },
        { service: 'sorting-service', tag: '24-02-05.1', method: 'jenkins-multi-deploy' },
      ],
    });
    await expect(method.currentVersions(hotfix)).resolves.toEqual({
      'decanting-service': '24-01-20.119',
      'sorting-service': '23-12-01.100',
    });
    const looks = emulator.callsTo('GET', `/job/${JOB}/api/json`).map((c) => c.query['tree']);
    expect(looks).toHaveLength(2);
    expect(looks[1]).toMatch(/^allBuilds\[.*\]\{100,500\}$/);
    // Every service among the listed builds: the older ones are not read.
    await method.currentVersions({ ...hotfix, services: hotfix.services.slice(0, 1) });
    expect(emulator.callsTo('GET', `/job/${JOB}/api/json`)).toHaveLength(3);
  });

  it('passes a 503 up as retryable; the caller retries start and still triggers once', async () => {
    const hotfix = deploying();
    emulator.failOn('/queue/api/json', { status: 503 });
    await expect(method.start(hotfix)).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    emulator.failOn('buildWithParameters', 'reset');
    await expect(method.start(hotfix)).rejects.toMatchObject({ code: 'unreachable', retryable: true });
    await method.start(hotfix);
    await method.start(hotfix);
    expect(emulator.callsTo('POST', 'buildWithParameters').map((c) => c.status)).toEqual([0, 201]);
  });

  describe('the plan-time check of the job', () => {
    it('passes a job that declares every parameter the bot sends', async () => {
      await expect(method.checkTarget(deploying())).resolves.toBeUndefined();
    });

    it('refuses a job without the hotfix id parameter, naming the job and the parameter', async () => {
      emulator.addJob({ name: JOB, parameters: { Client: '', Env: '', Services: '' } });
      const refusal = await method.checkTarget(deploying());
      expect(refusal).toContain(`"${JOB}"`);
      expect(refusal).toMatch(/does not declare the parameter HOTFIX_ID/);
    });

    it('refuses a job Jenkins does not have', async () => {
      const other = await startJenkinsEmulator({ clock: clock.now, jobs: [] });
      try {
        const ci = new JenkinsCiServer({ url: other.url, user: other.user, apiToken: other.apiToken });
        const refusal = await new JenkinsDeployMethod(ci, createRedactor([])).checkTarget(deploying());
        expect(refusal).toContain(`Jenkins has no job "${JOB}"`);
      } finally {
        await other.close();
      }
    });

    it('never passes when Jenkins does not answer: throws it as retryable, the refusal as its message', async () => {
      emulator.failOn(`/job/${JOB}/api/json`, 'reset');
      await expect(method.checkTarget(deploying())).rejects.toMatchObject({
        retryable: true,
        message: expect.stringMatching(
          /^Jenkins did not answer when I checked job "multi_deploy_pipeline".*; nothing was planned; try again\.$/,
        ),
      });
      emulator.failOn(`/job/${JOB}/api/json`, { status: 503 });
      await expect(method.checkTarget(deploying())).rejects.toMatchObject({ code: 'unavailable' });
      await expect(method.checkTarget(deploying())).resolves.toBeUndefined();
    });

    it('refuses at once when Jenkins refuses the credentials, without printing them', async () => {
      const refused = new JenkinsCiServer({ url: emulator.url, user: emulator.user, apiToken: SECRET });
      const answer = await new JenkinsDeployMethod(refused, createRedactor([SECRET])).checkTarget(
        deploying(),
      );
      expect(answer).toMatch(/Jenkins refused the bot's credentials/);
      expect(answer).not.toContain(SECRET);
    });
  });
});

describe('JenkinsDeployMethod against a Jenkins that demands a crumb even with an API token', () => {
  const clock = new ManualClock();
  let emulator: JenkinsEmulator;
  let method: JenkinsDeployMethod;

  beforeEach(async () => {
    // Jenkins before 2.96, or one with a strict crumb issuer: every POST needs a crumb, API token or not.
    emulator = await startJenkinsEmulator({
      clock: clock.now,
      queueDelayMs: 5000,
      apiTokenCrumbExempt: false,
      jobs: [{ name: JOB, parameters: { Client: '', Env: '', Services: '', HOTFIX_ID: '' } }],
    });
    const ci = new JenkinsCiServer({ url: emulator.url, user: emulator.user, apiToken: emulator.apiToken });
    method = new JenkinsDeployMethod(ci, createRedactor([]));
  });
  afterEach(() => emulator.close());

  it('refuses a POST that carries the API token but no crumb', async () => {
    const basic = Buffer.from(`${emulator.user}:${emulator.apiToken}`).toString('base64');
    const response = await fetch(`${emulator.url}/job/${JOB}/buildWithParameters`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/No valid crumb/);
  });

  it('names a crumb Jenkins would not take, not the credentials, when it refuses a POST for it', async () => {
    emulator.failOn(/buildWithParameters$/, {
      status: 403,
      body: 'No valid crumb was included in the request',
    });
    const error = await method.start(deploying()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(/for want of a valid crumb/);
    expect(String(error)).not.toMatch(/check JENKINS_USER and JENKINS_API_TOKEN/);
  });

  it('triggers, proceeds at the input and stops a build, each POST with a fresh crumb', async () => {
    emulator.scriptNextBuild(JOB, {
      stages: STAGES,
      stageMs: 1000,
      input: { before: 'Deploy', id: 'Proceed', message: 'Deploy to staging?' },
    });
    const first = deploying();
    const refs = await method.start(first);
    clock.advance(5000 + 1000);
    const proceeding = { ...first, refs: { ...first.refs, ...refs } };
    await expect(method.poll(proceeding)).resolves.toMatchObject({ status: 'input' });
    await method.answer(proceeding, 'Proceed', true);
    clock.advance(2000);
    await expect(method.poll(proceeding)).resolves.toMatchObject({ status: 'succeeded' });

    emulator.scriptNextBuild(JOB, { stages: STAGES, stageMs: 5000 });
    const second = { ...first, attempts: 2 };
    await method.start(second);
    clock.advance(5000 + 1000);
    await expect(method.abort(second)).resolves.toMatch(/asked Jenkins to stop it at stage Checkout/);
    expect(emulator.builds(JOB).map((b) => b.result)).toEqual(['SUCCESS', 'ABORTED']);

    const posts = emulator.calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.path.replace(/^\/job\/[^/]+/, ''))).toEqual([
      '/buildWithParameters',
      '/1/input/Proceed/proceedEmpty',
      '/buildWithParameters',
      '/2/stop',
    ]);
    expect(posts.every((c) => c.crumb && c.status !== 403)).toBe(true);
    expect(emulator.callsTo('GET', '/crumbIssuer/api/json')).toHaveLength(posts.length);
  });
});
