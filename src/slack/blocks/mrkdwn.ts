/**
 * Text helpers for Slack mrkdwn. Slack reads `<...>` as a link or a mention and `&` as an entity, so every string
 * that reaches a message goes through one of the two escapers here.
 */
import { SYSTEM } from '../../domain/hotfix.js';

// Tokens the bot itself writes: user, channel and group mentions, dates and links.
const OUR_TOKENS =
  /<(?:[@#][A-Z0-9]+(?:\|[^<>]*)?|!subteam\^[A-Z0-9]+(?:\|[^<>]*)?|!date\^[^<>]*|https?:\/\/[^<>\s]+)>/g;
// What a person may put in free text: user and channel mentions and links, but never a broadcast or a group ping.
const PERSON_TOKENS = /<(?:[@#][A-Z0-9]+(?:\|[^<>]*)?|https?:\/\/[^<>\s]+)>/g;

function escapeExcept(text: string, keep: RegExp): string {
  const escape = (part: string): string =>
    part
      // Slack sends typed text already entity-encoded; encoding it again would show `&amp;lt;`.
      .replace(/&(?!(?:amp|lt|gt);)/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
  let out = '';
  let last = 0;
  for (const match of text.matchAll(keep)) {
    out += escape(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escape(text.slice(last));
}

/** Text the bot or the domain wrote (refusals, audiences, grammar): mentions stay live, `<client>` shows as typed. */
export function ours(text: string): string {
  return escapeExcept(text, OUR_TOKENS);
}

/** Text a person typed (reasons, answers): `<!channel>`, `<!here>` and group pings are shown, never sent. */
export function typed(text: string): string {
  return escapeExcept(text, PERSON_TOKENS);
}

/** A Slack user as a mention; the bot's own actions read as "hotfix-bot". */
export function mention(userId: string): string {
  return userId === SYSTEM ? 'hotfix-bot' : `<@${userId}>`;
}

/** People as a list of mentions: "<@A>, <@B>". */
export function mentions(userIds: readonly string[], none = 'nobody'): string {
  return userIds.length === 0 ? none : userIds.map(mention).join(', ');
}

/** A channel link that survives renames. */
export function channelLink(channelId: string): string {
  return `<#${channelId}>`;
}

/** A time as plain UTC text, for notification text where date tokens do not render: "2026-11-17 15:00 UTC". */
export function utcTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A time every reader sees in their own time zone; the fallback is UTC for clients that cannot render it. */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return typed(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${utcTime(iso)}>`;
}

/**
 * A past time with how long ago it was, both drawn by the reader's client ("today 10:00 AM (12 minutes ago)"): the
 * elapsed part keeps counting without the message being updated, so time passing alone never costs an update.
 */
export function slackElapsed(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return typed(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time} ({ago})|${utcTime(iso)}>`;
}

/** Cut to `max` characters with an ellipsis, never leaving half a `<...>` token or entity behind. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/**
 * A log excerpt as a code block: its last `max` characters (the end of a log is where it failed), every `<`, `>`
 * and `&` shown as typed (a log never mentions or links), and fences in it defused.
 */
export function codeBlock(text: string, max: number): string {
  const tail = text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
  const shown = tail
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/```/g, "'''");
  return `\`\`\`\n${shown}\n\`\`\``;
}

/** Inline code that cannot be broken out of. */
export function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** As many whole lines as fit in `max` characters, then how many were left out. */
export function fitLines(lines: readonly string[], max: number): string {
  let out = '';
  for (const [i, line] of lines.entries()) {
    const more = `\n…and ${lines.length - i} more`;
    const next = out ? `${out}\n${line}` : line;
    const room = i === lines.length - 1 ? max : max - more.length;
    if (next.length > room) return out ? `${out}${more}` : truncate(line, max);
    out = next;
  }
  return out;
}

/** Bullet lines. */
export function bullets(lines: readonly string[]): string {
  return lines.map((line) => `• ${line}`).join('\n');
}

/** "1 approval", "2 approvals". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A span of time as people say it: "less than a minute", "45 minutes", "3 hours 5 minutes". */
export function duration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return plural(minutes, 'minute');
  const rest = minutes % 60;
  return `${plural(Math.floor(minutes / 60), 'hour')}${rest > 0 ? ` ${plural(rest, 'minute')}` : ''}`;
}
