/**
 * The Slack directory: user groups and channels read at start-up into Redis, kept fresh by Slack's events, and every
 * catalog reference Slack does not honour reported in the start-up log and on /readyz and explained to the person it
 * affects. Also: a listener's failure reaches the log with its message and stack.
 */
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { parseDocument } from 'yaml';
import { clickButton, sendEvent, sendSlashCommand } from '../emulators/slack/index.js';
import type { TestBot } from '../helpers/test-bot.js';
import { SIGNING_SECRET, fastCatalog, startTestBot, waitForRecord } from '../helpers/test-bot.js';

const TAG = '24-02-05.619-hotfix.627';

/** The test catalog with one approver group Slack has never heard of. */
function catalogWithMissingGroup(): string {
  const doc = parseDocument(readFileSync(fastCatalog(), 'utf8'));
  doc.setIn(['policy', 'approvers', 'groups'], ['S0APPROVERS', 'S0GONE']);
  const path = join(mkdtempSync(join(tmpdir(), 'hotfix-catalog-')), 'catalog.yml');
  writeFileSync(path, doc.toString());
  return path;
}

/** Every log line the bot writes, parsed. */
class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean))
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

const log = new LogLines();
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot(5, {
    env: { HOTFIX_CATALOG: catalogWithMissingGroup(), LOG_LEVEL: 'info' },
    logDestination: log,
  });
}, 30_000);
afterAll(async () => t.stop());

const opts = () => ({ emulator: t.slack });
const slash = (text: string, user = 'U0PRIYA', channel = 'C0INC4211') =>
  sendSlashCommand(t.eventsUrl, SIGNING_SECRET, { text, user_id: user, channel_id: channel }, opts());
const event = (payload: Record<string, unknown>) =>
  sendEvent(t.eventsUrl, SIGNING_SECRET, payload as never, opts());
/** Resolves with `read()`'s value once it is defined, polling every 20 ms for up to 5 s. */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const textOf = (body: unknown) => String((body as { text?: unknown }).text ?? '');

async function planned(text: string) {
  const response = await slash(text);
  const id = /HF-\d+/.exec(textOf(response.body))?.[0];
  if (!id) throw new Error(`not planned: ${JSON.stringify(response.body)}`);
  const found = await t.bot.deps.store.findById(id);
  return waitForRecord(t.bot, found!.ulid, (h) => h.refs['noticeTs'] !== undefined);
}

describe('catalog references Slack does not honour', () => {
  it('reports a missing user group in the start-up log and as degraded (not down) on /readyz', async () => {
    const warned = log.lines.find((l) => l.id === 'S0GONE' && l.level === 40);
    expect(String(warned?.msg)).toContain('Slack does not know this user group');
    expect(warned?.usedBy).toBe('policy.approvers');
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    const body = await ready.text();
    expect(body).toContain('degraded');
    expect(body).toContain('group S0GONE (policy.approvers)');
  });

  it('treats the missing group as empty: plans and approvals by others still work', async () => {
    const hotfix = await planned(`plan runbook-drill@${TAG} acme staging reason="missing group"`);
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0BOB', channel: 'C0CHANGECTL', ts: hotfix.refs['noticeTs']!, action_id: 'hotfix_approve' },
      opts(),
    );
    const approved = await waitForRecord(t.bot, hotfix.ulid, (h) => h.approvals.length === 1);
    expect(approved.approvals[0]?.by).toBe('U0BOB');
  });

  it('tells a person refused for want of that group which group is missing and who can fix it', async () => {
    const hotfix = await planned(`plan runbook-drill@${TAG} globex staging reason="who may approve"`);
    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      { user: 'U0DAVE', channel: 'C0CHANGECTL', ts: hotfix.refs['noticeTs']!, action_id: 'hotfix_approve' },
      opts(),
    );
    const told = await t.slack.waitFor((s) => s.ephemerals('U0DAVE').at(-1)?.text);
    expect(told).toContain('<!subteam^S0GONE>');
    expect(told).toContain('not a user group Slack knows');
    expect(told).toContain("The catalog's admins (<@U0RELMGR1>, <!subteam^S0RELMGRS>)");
    expect((await t.bot.deps.store.load(hotfix.ulid))?.approvals).toEqual([]);
  });
});

describe("Slack's events keep the directory fresh without a lookup", () => {
  it('lets a user added to the approver group approve at once (subteam_members_changed)', async () => {
    const hotfix = await planned(`plan runbook-drill@${TAG} acme staging reason="new approver"`);
    const lookupsBefore = t.slack.callsTo('usergroups.users.list').length;
    const sent = await event({
      type: 'subteam_members_changed',
      subteam_id: 'S0APPROVERS',
      team_id: t.slack.team.id,
      added_users: ['U0CTOALICE'],
      added_users_count: 1,
      removed_users: ['U0BOB'],
      removed_users_count: 1,
      event_ts: String(Date.now() / 1000),
    });
    expect(sent.status).toBe(200);
    // Slack gets its ack before the handler runs: wait for the handler, not only the HTTP answer.
    const groups = await eventually(async () => {
      const read = await t.bot.deps.directory.groups(['S0APPROVERS']);
      return read.get('S0APPROVERS')?.members.includes('U0CTOALICE') ? read : undefined;
    });
    expect(groups.get('S0APPROVERS')?.members).toEqual(expect.arrayContaining(['U0CAROL', 'U0CTOALICE']));
    expect(groups.get('S0APPROVERS')?.members).not.toContain('U0BOB');

    await clickButton(
      t.eventsUrl,
      SIGNING_SECRET,
      {
        user: 'U0CTOALICE',
        channel: 'C0CHANGECTL',
        ts: hotfix.refs['noticeTs']!,
        action_id: 'hotfix_approve',
      },
      opts(),
    );
    expect((await waitForRecord(t.bot, hotfix.ulid, (h) => h.approvals.length === 1)).approvals[0]?.by).toBe(
      'U0CTOALICE',
    );
    expect(t.slack.callsTo('usergroups.users.list').length).toBe(lookupsBefore);
  });

  it('plans in a channel the bot was just invited to (member_joined_channel), and refuses one it left', async () => {
    const incident = t.slack.addChannel({ name: 'inc-5150-new', is_member: false });
    const refused = await slash(`plan runbook-drill@${TAG} acme staging`, 'U0PRIYA', incident.id);
    expect(textOf(refused.body)).toContain('/invite @hotfix-bot');

    incident.is_member = true;
    const joined = {
      type: 'member_joined_channel',
      user: t.slack.bot.userId,
      channel: incident.id,
      channel_type: 'C',
    };
    expect((await event({ ...joined, team: t.slack.team.id, event_ts: '1' })).status).toBe(200);
    await eventually(async () =>
      (await t.bot.deps.directory.channel(incident.id))?.state === 'member' ? true : undefined,
    );
    const answer = textOf(
      (await slash(`plan runbook-drill@${TAG} acme staging`, 'U0PRIYA', incident.id)).body,
    );
    expect(answer).toMatch(/HF-\d+ is planned/);
    // The join event names no creation time; a worker reads it so the incident start is the channel's.
    const facts = await eventually(async () => {
      const read = await t.bot.deps.directory.channel(incident.id);
      return read?.createdAt ? read : undefined;
    });
    expect(facts.state).toBe('member');
    expect(facts.name).toBe('inc-5150-new');

    await event({ ...joined, type: 'member_left_channel', team: t.slack.team.id, event_ts: '2' });
    await eventually(async () =>
      (await t.bot.deps.directory.channel(incident.id))?.state === 'not_member' ? true : undefined,
    );
    const left = await slash(`plan runbook-drill@${TAG} acme staging`, 'U0PRIYA', incident.id);
    expect(textOf(left.body)).toContain('/invite @hotfix-bot');
  });
});

describe('a plan that needs a channel the bot cannot use', () => {
  it('is refused, naming the change-control channel, while the bot is out of it; and works once it is back', async () => {
    const left = { type: 'member_left_channel', user: t.slack.bot.userId, channel: 'C0CHANGECTL' };
    await event({ ...left, channel_type: 'C', team: t.slack.team.id, event_ts: '3' });
    await eventually(async () =>
      (await t.bot.deps.directory.channel('C0CHANGECTL'))?.state === 'not_member' ? true : undefined,
    );
    const before = (await t.bot.deps.store.listActive()).length;
    const refused = textOf((await slash(`plan runbook-drill@${TAG} acme staging`)).body);
    expect(refused).toContain('I am not in the change-control channel <#C0CHANGECTL>');
    expect(refused).toContain('nothing was planned');
    expect((await t.bot.deps.store.listActive()).length).toBe(before);

    await event({
      ...left,
      type: 'member_joined_channel',
      channel_type: 'C',
      team: t.slack.team.id,
      event_ts: '4',
    });
    await eventually(async () =>
      (await t.bot.deps.directory.channel('C0CHANGECTL'))?.state === 'member' ? true : undefined,
    );
    expect(textOf((await slash(`plan runbook-drill@${TAG} acme staging`)).body)).toMatch(/HF-\d+ is planned/);
  });
});

describe('listener failures', () => {
  it('logs a thrown handler error with its message, stack and fields, and tells the person', async () => {
    const redis = new Redis(t.redisUrl);
    await redis.set('hotfix:id:HF-990', 'BROKENRECORD');
    await redis.set('hotfix:record:BROKENRECORD', '{this is not json');
    redis.disconnect();
    const response = await slash('status HF-990');
    expect(textOf(response.body)).toContain('Something went wrong on my side');
    const line = log.lines.find((l) => l.msg === 'slash command failed');
    const err = line?.err as { message?: string; stack?: string } | undefined;
    expect(err?.message).toMatch(/JSON|record/i);
    expect(err?.stack).toContain('at ');
    expect(line?.subcommand).toBe('status');
    expect(line?.user).toBe('U0PRIYA');
  });
});
