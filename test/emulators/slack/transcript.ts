/**
 * The emulator's conversation as a person would read it in Slack, as plain text: for the demo, and for finding out
 * what went wrong when a test fails.
 */
import { blockLines } from './block-text.js';
import { compareTs } from './messages.js';
import { plainFromMrkdwn, type NameLookup } from './mrkdwn.js';
import type { SlackEmulator } from './slack-emulator.js';
import type { EmulatedMessage, EphemeralMessage, JsonObject, OpenedView, ResponseUrlPost } from './types.js';
import { isJsonObject } from './wire.js';

/** What to render. */
export interface TranscriptOptions {
  /** IANA zone the times are shown in. @defaultValue 'UTC' */
  timeZone?: string;
  /** Only these channels (ids or names), in this order. @defaultValue every channel with something in it */
  channels?: string[];
}

interface Entry {
  ts: string;
  head: string;
  body: string[];
  thread?: string;
  children: Entry[];
}

const TIME_WIDTH = 10; // "HH:MM:SS" and two spaces
const INDENT = '    ';

function namesOf(emulator: SlackEmulator): NameLookup {
  return {
    user: (id) => (id === emulator.bot.userId ? emulator.bot.name : emulator.user(id)?.name),
    channel: (id) => emulator.channel(id)?.name,
    userGroup: (id) => emulator.userGroup(id)?.handle,
  };
}

function content(
  text: string,
  blocks: readonly JsonObject[] | undefined,
  render: (s: string) => string,
): string[] {
  return blocks !== undefined && blocks.length > 0 ? blockLines(blocks, render) : render(text).split('\n');
}

function plural(n: number): string {
  return n === 1 ? '1 time' : `${n} times`;
}

function messageEntry(emulator: SlackEmulator, m: EmulatedMessage, render: (s: string) => string): Entry {
  const author =
    m.bot_id !== undefined ? emulator.bot.name : (namesOf(emulator).user(m.user ?? '') ?? m.user ?? '?');
  const body = content(m.text, m.blocks, render);
  if (m.edits.length > 0) body[body.length - 1] = `${body.at(-1) ?? ''} (edited ${plural(m.edits.length)})`;
  if (m.reply_broadcast === true) body[0] = `${body[0] ?? ''} (also sent to the channel)`;
  return { ts: m.ts, head: `${author}: `, body, children: [] };
}

function ephemeralEntry(emulator: SlackEmulator, e: EphemeralMessage, render: (s: string) => string): Entry {
  const body = content(e.text, e.blocks, render);
  if (e.replaced > 0) body[body.length - 1] = `${body.at(-1) ?? ''} (replaced ${plural(e.replaced)})`;
  const who = namesOf(emulator).user(e.user) ?? e.user;
  return {
    ts: e.ts,
    head: `(only @${who} sees) ${emulator.bot.name}: `,
    body,
    ...(e.thread_ts !== undefined ? { thread: e.thread_ts } : {}),
    children: [],
  };
}

function viewEntry(emulator: SlackEmulator, v: OpenedView): Entry {
  const title = isJsonObject(v.view['title']) ? String(v.view['title']['text']) : '?';
  const who = v.user === undefined ? 'someone' : `@${namesOf(emulator).user(v.user) ?? v.user}`;
  const verb = v.method === 'views.push' ? 'pushed' : 'opened';
  const updated = v.updates > 0 ? ` (updated ${plural(v.updates)})` : '';
  return { ts: v.ts, head: '', body: [`(modal "${title}" ${verb} for ${who})${updated}`], children: [] };
}

/** A response_url post that changed nothing visible: refused, or with no channel to land in. */
function responseEntry(p: ResponseUrlPost, render: (s: string) => string): Entry {
  const text = typeof p.body['text'] === 'string' ? render(p.body['text']) : '';
  const kind = p.body['response_type'] === 'in_channel' ? 'in_channel' : 'ephemeral';
  const note =
    p.status === 200
      ? `(response_url, ${kind})`
      : `(response_url post refused: ${p.status} ${p.error ?? ''})`;
  return { ts: p.ts, head: '', body: [`${note} ${text}`.trimEnd()], children: [] };
}

function format(entry: Entry, indent: string, time: (ts: string) => string): string[] {
  const pad = ' '.repeat(TIME_WIDTH + entry.head.length);
  const [first = '', ...rest] = entry.body;
  return [
    `${indent}${time(entry.ts)}  ${entry.head}${first}`.trimEnd(),
    ...rest.map((line) => `${indent}${pad}${line}`.trimEnd()),
    ...entry.children.flatMap((child) => format(child, indent + INDENT, time)),
  ];
}

function channelEntries(emulator: SlackEmulator, channel: string, render: (s: string) => string): Entry[] {
  const roots = emulator.messages(channel).map((root) => {
    const entry = messageEntry(emulator, root, render);
    entry.children = root.replies.map((reply) => messageEntry(emulator, reply, render));
    return entry;
  });
  const top: Entry[] = [...roots];
  const loose = [
    ...emulator
      .ephemerals()
      .filter((e) => e.channel === channel)
      .map((e) => ephemeralEntry(emulator, e, render)),
    ...emulator.views.filter((v) => v.channel === channel).map((v) => viewEntry(emulator, v)),
    ...emulator
      .responses()
      .filter((p) => p.status !== 200 && p.origin.channel === channel)
      .map((p) => responseEntry(p, render)),
  ];
  for (const entry of loose) {
    const root = entry.thread === undefined ? undefined : roots.find((r) => r.ts === entry.thread);
    if (root) root.children.push(entry);
    else top.push(entry);
  }
  for (const entry of top) entry.children.sort((a, b) => compareTs(a.ts, b.ts));
  return top.sort((a, b) => compareTs(a.ts, b.ts));
}

/** Renders the conversation: channels in order of first activity, threads indented under their roots. */
export function renderTranscript(emulator: SlackEmulator, options: TranscriptOptions = {}): string {
  const names = namesOf(emulator);
  const render = (text: string): string => plainFromMrkdwn(text, names);
  const clock = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: options.timeZone ?? 'UTC',
  });
  const time = (ts: string): string => clock.format(new Date(Number(ts.split('.')[0]) * 1000));
  const wanted =
    options.channels?.map((c) => emulator.channel(c)?.id ?? c) ?? emulator.channels().map((c) => c.id);
  const sections = wanted
    .map((id) => ({ id, entries: channelEntries(emulator, id, render) }))
    .filter((s) => options.channels !== undefined || s.entries.length > 0);
  if (options.channels === undefined)
    sections.sort((a, b) => compareTs(a.entries[0]?.ts ?? '0', b.entries[0]?.ts ?? '0'));
  const outside: Entry[] = [
    ...emulator.views.filter((v) => v.channel === undefined).map((v) => viewEntry(emulator, v)),
    ...emulator
      .responses()
      .filter((p) => p.origin.channel === undefined)
      .map((p) => responseEntry(p, render)),
  ].sort((a, b) => compareTs(a.ts, b.ts));
  const blocks = sections.map(({ id, entries }) =>
    [`#${emulator.channel(id)?.name ?? id}`, ...entries.flatMap((e) => format(e, '', time))].join('\n'),
  );
  if (outside.length > 0 && options.channels === undefined) {
    blocks.push(['(outside any channel)', ...outside.flatMap((e) => format(e, '', time))].join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

/** A message that never reached a channel (a slash command's ack) as a person reads it: its blocks, else its text. */
export function renderMessage(
  emulator: SlackEmulator,
  message: { text?: string; blocks?: readonly JsonObject[] },
): string[] {
  const names = namesOf(emulator);
  return content(message.text ?? '', message.blocks, (text) => plainFromMrkdwn(text, names));
}
