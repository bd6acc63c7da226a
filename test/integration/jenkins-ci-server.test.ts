/**
 * Contract of the CiServer port on Jenkins: JenkinsCiServer through the real `jenkins` client against the emulator.
 */
import { inspect } from 'node:util';

import { JenkinsCiServer } from '../../src/adapters/jenkins/jenkins-ci-server.js';
import { CiServerError } from '../../src/ports/ci-server.js';
import { ManualClock, startJenkinsEmulator, type JenkinsEmulator } from '../emulators/jenkins/index.js';

const JOB = 'deploys/multi_deploy_pipeline';
const PARAMETERS = { Client: '', Env: '', Services: '', HOTFIX_ID: '' };

describe('JenkinsCiServer against the Jenkins emulator', () => {
  const clock = new ManualClock();
  let emulator: JenkinsEmulator;
  let ci: JenkinsCiServer;

  beforeEach(async () => {
    emulator = await startJenkinsEmulator({
      clock: clock.now,
      queueDelayMs: 5000,
      jobs: [
        { name: JOB, parameters: PARAMETERS, script: { stages: ['Checkout', 'Deploy'], stageMs: 1000 } },
      ],
    });
    ci = new JenkinsCiServer({
      url: emulator.url,
      user: emulator.user,
      apiToken: emulator.apiToken,
      timeoutMs: 2000,
    });
  });
  afterEach(() => emulator.close());

  describe('plan-time parameter check', () => {
    it('passes a job in a folder that declares every parameter', async () => {
      await expect(ci.checkJob(JOB, Object.keys(PARAMETERS))).resolves.toEqual({ ok: true });
    });

    it('refuses a missing job, naming it', async () => {
      const check = await ci.checkJob('deploys/no_such_job', ['HOTFIX_ID']);
      expect(check).toMatchObject({ ok: false, reason: 'job_missing' });
      expect(check.ok || check.message).toContain('"deploys/no_such_job"');
    });

    it('refuses a job that does not declare the hotfix id, naming the job and the parameter', async () => {
      emulator.addJob({ name: 'old_pipeline', parameters: { Client: '', Env: '', Services: '' } });
      const check = await ci.checkJob('old_pipeline', Object.keys(PARAMETERS));
      expect(check).toMatchObject({ ok: false, reason: 'parameter_missing', missing: ['HOTFIX_ID'] });
      expect(check.ok || check.message).toMatch(/"old_pipeline" does not declare the parameter HOTFIX_ID/);
    });

    it('throws a retryable error when Jenkins is unreachable, never a pass', async () => {
      await emulator.close();
      const error = await ci.checkJob(JOB, ['HOTFIX_ID']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CiServerError);
      expect(error).toMatchObject({ code: 'unreachable', retryable: true });
      emulator = await startJenkinsEmulator();
    });

    it('throws a non-retryable error naming the variables when the token is refused', async () => {
      const wrong = new JenkinsCiServer({
        url: emulator.url,
        user: emulator.user,
        apiToken: 'not-the-token-123',
      });
      const error = await wrong.checkJob(JOB, ['HOTFIX_ID']).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'unauthorized', retryable: false });
      expect((error as Error).message).toContain('JENKINS_API_TOKEN');
      expect((error as Error).message).not.toContain('not-the-token-123');
    });
  });

  it('never puts credentials in the URL: userinfo in JENKINS_URL is dropped and the header authenticates', async () => {
    const url = emulator.url.replace('http://', 'http://someone:leaked-password@');
    const withUserinfo = new JenkinsCiServer({ url, user: emulator.user, apiToken: emulator.apiToken });
    await expect(withUserinfo.checkJob(JOB, [])).resolves.toEqual({ ok: true });
    expect(emulator.calls.at(-1)?.user).toBe(emulator.user);
    expect(withUserinfo.buildUrl(JOB, 3)).toBe(`${emulator.url}/job/deploys/job/multi_deploy_pipeline/3/`);
  });

  it('triggers, resolves the queue item to its build, and finds the run by its key after the item is purged', async () => {
    const { queueItem } = await ci.trigger(JOB, { Client: 'acme', HOTFIX_ID: 'K1', Undeclared: 'dropped' });
    await expect(ci.findRun(JOB, 'HOTFIX_ID', 'K1')).resolves.toEqual({ state: 'queued', queueItem });
    await expect(ci.resolveQueueItem(queueItem)).resolves.toEqual({ state: 'queued', queueItem });
    clock.advance(5000);
    const url = `${emulator.url}/job/deploys/job/multi_deploy_pipeline/1/`;
    await expect(ci.resolveQueueItem(queueItem)).resolves.toEqual({
      state: 'started',
      queueItem,
      build: 1,
      url,
    });
    clock.advance(5 * 60_000);
    await expect(ci.resolveQueueItem(queueItem)).resolves.toBeUndefined();
    await expect(ci.findRun(JOB, 'HOTFIX_ID', 'K1')).resolves.toEqual({ state: 'started', build: 1, url });
    await expect(ci.findRun(JOB, 'HOTFIX_ID', 'K2')).resolves.toBeUndefined();
  });

  it('lists successful builds matching client and env, newest first, with their parameters', async () => {
    emulator.scriptNextBuild(JOB, { stages: ['Deploy'] });
    emulator.scriptNextBuild(JOB, { stages: ['Deploy'], failAt: 'Deploy' });
    emulator.scriptNextBuild(JOB, { stages: ['Deploy'] });
    emulator.scriptNextBuild(JOB, { stages: ['Deploy'] });
    for (const [client, services] of [
      ['acme', 'a 1'],
      ['acme', 'a 2'],
      ['globex', 'a 3'],
      ['acme', 'b 1'],
    ] as const) {
      await ci.trigger(JOB, { Client: client, Env: 'prod', Services: services });
      clock.advance(10_000);
    }
    const builds = await ci.successfulBuilds(JOB, { Client: 'acme', Env: 'prod' });
    expect(builds.map((b) => [b.build, b.parameters['Services']])).toEqual([
      [4, 'b 1'],
      [1, 'a 1'],
    ]);
  });

  it('reports stages, pending inputs, answers an input once and stops a build', async () => {
    emulator.scriptNextBuild(JOB, {
      stages: ['Checkout', 'Deploy'],
      input: { before: 'Deploy', id: 'Proceed', message: 'Deploy to prod?' },
    });
    await ci.trigger(JOB, {});
    clock.advance(5000 + 1000);
    await expect(ci.stages(JOB, 1)).resolves.toEqual({
      status: 'PAUSED_PENDING_INPUT',
      stages: [
        { name: 'Checkout', status: 'SUCCESS', durationMillis: 1000 },
        { name: 'Deploy', status: 'PAUSED_PENDING_INPUT', durationMillis: 0 },
      ],
    });
    await expect(ci.pendingInputs(JOB, 1)).resolves.toEqual([{ id: 'Proceed', message: 'Deploy to prod?' }]);
    await expect(ci.answerInput(JOB, 1, 'Proceed', true)).resolves.toBe('answered');
    await expect(ci.answerInput(JOB, 1, 'Proceed', true)).resolves.toBe('not_pending');
    await expect(ci.pendingInputs(JOB, 1)).resolves.toEqual([]);
    await ci.stop(JOB, 1);
    expect((await ci.stages(JOB, 1)).status).toBe('ABORTED');
    expect((await ci.consoleTail(JOB, 1, 2)).at(-1)).toBe('Finished: ABORTED');
  });

  it('gives up on a slow Jenkins after the timeout with a retryable error', async () => {
    const impatient = new JenkinsCiServer({
      url: emulator.url,
      user: emulator.user,
      apiToken: emulator.apiToken,
      timeoutMs: 100,
    });
    emulator.failOn('/queue/item/', { delayMs: 400 });
    await expect(impatient.resolveQueueItem(1)).rejects.toMatchObject({
      code: 'unreachable',
      retryable: true,
    });
  });

  it('reads a build whose pipeline has not started yet as IN_PROGRESS, though wfapi says NOT_EXECUTED', async () => {
    emulator.scriptNextBuild(JOB, { stages: ['Deploy'], startupMs: 2000 });
    await ci.trigger(JOB, {});
    clock.advance(5000);
    await expect(ci.stages(JOB, 1)).resolves.toEqual({ status: 'IN_PROGRESS', stages: [] });
    expect(emulator.callsTo('GET', '/1/api/json')).toHaveLength(1);
    clock.advance(3000);
    await expect(ci.stages(JOB, 1)).resolves.toMatchObject({ status: 'SUCCESS' });
  });

  it('reports a 503 as retryable, with nothing of the request in the error, and the retried call succeeds', async () => {
    emulator.failOn('buildWithParameters', { status: 503 });
    const error = await ci.trigger(JOB, { HOTFIX_ID: 'K9' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    // papi's error holds the request, Authorization header included; a logger must never get to serialise it.
    const printed = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`;
    expect(printed).not.toContain(emulator.apiToken);
    expect(printed).not.toContain(Buffer.from(`${emulator.user}:${emulator.apiToken}`).toString('base64'));
    await ci.trigger(JOB, { HOTFIX_ID: 'K9' });
    expect(emulator.callsTo('POST', 'buildWithParameters').map((c) => c.status)).toEqual([503, 201]);
  });
});
