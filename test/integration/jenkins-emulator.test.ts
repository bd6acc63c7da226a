/**
 * The Jenkins emulator is as strict as Jenkins where the bot depends on it: undeclared parameters vanish, refused
 * credentials get 401, crumbs are demanded where Jenkins demands them, left queue items are purged. Driven through
 * the real `jenkins` client.
 */
import Jenkins from 'jenkins';

import { ManualClock, startJenkinsEmulator, type JenkinsEmulator } from '../emulators/jenkins/index.js';

const JOB = {
  name: 'deploys/multi_deploy_pipeline',
  parameters: { CLIENT: 'none', ENV: 'none', HOTFIX_ID: '' },
};

interface RawClient {
  job: {
    build(o: { name: string; parameters: Record<string, string> }): Promise<number>;
    get(n: string, o?: object): Promise<unknown>;
  };
  queue: { item(n: number): Promise<{ executable?: { number: number } | null; _class: string }> };
  build: {
    log(n: string, b: number, o: object): Promise<{ text: string; more: boolean; size?: string }>;
    stop(n: string, b: number): Promise<void>;
  };
  _post(req: { path: string }): Promise<unknown>;
}

/** The real client, authenticating with a header as the adapter does. */
function client(
  emulator: JenkinsEmulator,
  secret: string,
  crumbIssuer: boolean,
  user = emulator.user,
): RawClient {
  const authorization = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
  const options = { baseUrl: emulator.url, crumbIssuer, headers: { authorization } };
  return new Jenkins(options as ConstructorParameters<typeof Jenkins>[0]) as unknown as RawClient;
}

describe('Jenkins emulator strictness', () => {
  const clock = new ManualClock();
  let emulator: JenkinsEmulator;

  beforeEach(async () => {
    emulator = await startJenkinsEmulator({
      clock: clock.now,
      queueDelayMs: 1000,
      jobs: [JOB],
      users: [{ name: 'bot', apiTokens: ['bot-api-token-1234'], password: 'bot-password-1234' }],
    });
    emulator.scriptNextBuild(JOB.name, {
      stages: ['Deploy'],
      input: { before: 'Deploy', id: 'Proceed', message: 'Go?' },
    });
  });
  afterEach(() => emulator.close());

  it('drops parameters the job does not declare and fills declared ones with their defaults', async () => {
    const jenkins = client(emulator, 'bot-api-token-1234', true);
    const queued = await jenkins.job.build({
      name: JOB.name,
      parameters: { CLIENT: 'acme', UNDECLARED: 'x' },
    });
    clock.advance(1000);
    const item = await jenkins.queue.item(queued);
    expect(item.executable?.number).toBe(1);
    expect(emulator.builds(JOB.name)[0]?.parameters).toEqual({ CLIENT: 'acme', ENV: 'none', HOTFIX_ID: '' });
  });

  it('folds a request identical to a waiting item into that item, as Jenkins does', async () => {
    const jenkins = client(emulator, 'bot-api-token-1234', true);
    const first = await jenkins.job.build({ name: JOB.name, parameters: { CLIENT: 'acme' } });
    expect(await jenkins.job.build({ name: JOB.name, parameters: { CLIENT: 'acme' } })).toBe(first);
    expect(await jenkins.job.build({ name: JOB.name, parameters: { CLIENT: 'globex' } })).not.toBe(first);
  });

  it('answers 401 to a wrong API token and 403 to anonymous callers', async () => {
    await expect(client(emulator, 'wrong-token-9999', true).job.get(JOB.name)).rejects.toMatchObject({
      statusCode: 401,
    });
    const anonymous = new Jenkins({ baseUrl: emulator.url, crumbIssuer: false }) as unknown as RawClient;
    await expect(anonymous.job.get(JOB.name)).rejects.toMatchObject({ statusCode: 403 });
  });

  it('accepts API-token POSTs without a crumb but refuses password POSTs without one', async () => {
    await client(emulator, 'bot-api-token-1234', false).job.build({
      name: JOB.name,
      parameters: { CLIENT: 'a' },
    });
    const byPassword = client(emulator, 'bot-password-1234', false);
    await expect(byPassword.job.build({ name: JOB.name, parameters: { CLIENT: 'b' } })).rejects.toMatchObject(
      { statusCode: 403 },
    );
    await client(emulator, 'bot-password-1234', true).job.build({
      name: JOB.name,
      parameters: { CLIENT: 'c' },
    });
    expect(emulator.callsTo('POST', 'buildWithParameters').map((c) => [c.form['CLIENT'], c.status])).toEqual([
      ['a', 201],
      ['b', 403],
      ['c', 201],
    ]);
  });

  it('demands the crumb on input POSTs when API tokens are not exempt, and 404s an input already answered', async () => {
    await emulator.close();
    emulator = await startJenkinsEmulator({
      clock: clock.now,
      queueDelayMs: 0,
      jobs: [JOB],
      apiTokenCrumbExempt: false,
    });
    emulator.scriptNextBuild(JOB.name, {
      stages: ['Deploy'],
      input: { before: 'Deploy', id: 'Proceed', message: 'Go?' },
    });
    const withCrumb = client(emulator, emulator.apiToken, true);
    await withCrumb.job.build({ name: JOB.name, parameters: {} });
    const path = `/job/deploys/job/multi_deploy_pipeline/1/input/Proceed/proceedEmpty`;
    await expect(client(emulator, emulator.apiToken, false)._post({ path })).rejects.toMatchObject({
      statusCode: 403,
    });
    await withCrumb._post({ path });
    await expect(withCrumb._post({ path })).rejects.toMatchObject({ statusCode: 404 });
    expect(emulator.callsTo('POST', 'proceedEmpty').map((c) => [c.crumb, c.status])).toEqual([
      [false, 403],
      [true, 200],
      [true, 404],
    ]);
  });

  it('purges a left queue item five minutes after its build started', async () => {
    const jenkins = client(emulator, 'bot-api-token-1234', true);
    const queued = await jenkins.job.build({ name: JOB.name, parameters: {} });
    expect((await jenkins.queue.item(queued))._class).toBe('hudson.model.Queue$WaitingItem');
    clock.advance(1000 + 5 * 60_000 - 1);
    expect((await jenkins.queue.item(queued))._class).toBe('hudson.model.Queue$LeftItem');
    clock.advance(1);
    await expect(jenkins.queue.item(queued)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('serves the console progressively and stops a build with 302, as the client expects', async () => {
    const jenkins = client(emulator, 'bot-api-token-1234', true);
    await jenkins.job.build({ name: JOB.name, parameters: { CLIENT: 'acme' } });
    clock.advance(1000);
    const first = await jenkins.build.log(JOB.name, 1, { start: 0, meta: true });
    expect(first.more).toBe(true);
    expect(first.text).toContain('[Parameter] CLIENT=acme');
    await jenkins.build.stop(JOB.name, 1);
    const rest = await jenkins.build.log(JOB.name, 1, { start: Number(first.size), meta: true });
    expect(rest.more).toBe(false);
    expect(rest.text).toContain('Finished: ABORTED');
    expect(rest.text).not.toContain('[Parameter]');
  });

  it('lists the newest 100 builds in `builds` and every build in `allBuilds`, shown only to a tree, with ranges', async () => {
    for (let i = 1; i <= 105; i++) emulator.seedBuild(JOB.name, { CLIENT: `c${i}` });
    const jenkins = client(emulator, 'bot-api-token-1234', true);
    const numbers = (json: unknown, field: string) =>
      ((json as Record<string, { number: number }[] | undefined>)[field] ?? []).map((b) => b.number);
    const plain = await jenkins.job.get(JOB.name);
    expect(numbers(plain, 'builds')).toHaveLength(100);
    expect(plain).not.toHaveProperty('allBuilds');
    const all = await jenkins.job.get(JOB.name, { tree: 'allBuilds[number]' });
    expect(numbers(all, 'allBuilds')).toEqual(Array.from({ length: 105 }, (_, i) => 105 - i));
    // Stapler's Range: {M,N} from M up to (not including) N, {M,} from M, {N} the Nth alone.
    const older = await jenkins.job.get(JOB.name, {
      tree: 'allBuilds[number,actions[parameters[name,value]]]{100,103}',
    });
    expect(numbers(older, 'allBuilds')).toEqual([5, 4, 3]);
    expect(JSON.stringify(older)).toContain('"value":"c5"');
    expect(
      numbers(await jenkins.job.get(JOB.name, { tree: 'allBuilds[number]{103,}' }), 'allBuilds'),
    ).toEqual([2, 1]);
    expect(numbers(await jenkins.job.get(JOB.name, { tree: 'builds[number]{0}' }), 'builds')).toEqual([105]);
  });

  it('ends a build NOT_BUILT where its script says, skipping the later stages, and wfapi says NOT_EXECUTED', async () => {
    // The first build follows the script beforeEach queued; the second this one.
    emulator.scriptNextBuild(JOB.name, { stages: ['Check', 'Deploy'], stageMs: 100, notBuiltAt: 'Check' });
    const jenkins = client(emulator, 'bot-api-token-1234', true);
    await jenkins.job.build({ name: JOB.name, parameters: { CLIENT: 'first' } });
    clock.advance(1000);
    await jenkins.job.build({ name: JOB.name, parameters: { CLIENT: 'second' } });
    clock.advance(1000 + 500);
    const build = emulator.builds(JOB.name).find((b) => b.parameters['CLIENT'] === 'second')!;
    expect(build.result).toBe('NOT_BUILT');
    expect(build.stages.map((s) => s.name)).toEqual(['Check']);
    expect(build.console).toMatch(/Finished: NOT_BUILT\n$/);
    const auth = Buffer.from(`${emulator.user}:${emulator.apiToken}`).toString('base64');
    const describe = await fetch(
      `${emulator.url}/job/deploys/job/multi_deploy_pipeline/${build.number}/wfapi/describe`,
      {
        headers: { Authorization: `Basic ${auth}` },
      },
    );
    const json = (await describe.json()) as { status: string; stages: { status: string }[] };
    expect(json.status).toBe('NOT_EXECUTED');
    // As the stage view plugin does, the last stage shows the run's status.
    expect(json.stages.map((s) => s.status)).toEqual(['NOT_EXECUTED']);
  });

  it('injects a 503, a reset connection and slowness on a path', async () => {
    const jenkins = client(emulator, 'bot-api-token-1234', true);
    emulator.failOn('/api/json', { status: 503 });
    await expect(jenkins.job.get(JOB.name)).rejects.toMatchObject({ statusCode: 503 });
    emulator.failOn('/api/json', 'reset');
    await expect(jenkins.job.get(JOB.name)).rejects.toThrow(/socket hang up|ECONNRESET/);
    emulator.failOn('/api/json', { delayMs: 150 });
    const started = Date.now();
    await jenkins.job.get(JOB.name);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
