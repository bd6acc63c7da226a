/**
 * Slack mrkdwn's angle-bracket tokens as a person sees them in the client: mentions by name, dates by their
 * fallback, links as "text (url)".
 */

/** Names for the ids mrkdwn tokens carry. */
export interface NameLookup {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
  userGroup(id: string): string | undefined;
}

function token(body: string, names: NameLookup): string {
  const bar = body.indexOf('|');
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? undefined : body.slice(bar + 1);
  if (target.startsWith('@'))
    return `@${names.user(target.slice(1)) ?? label?.replace(/^@/, '') ?? target.slice(1)}`;
  if (target.startsWith('#')) return `#${names.channel(target.slice(1)) ?? label ?? target.slice(1)}`;
  if (target.startsWith('!subteam^')) {
    const id = target.slice('!subteam^'.length);
    return `@${names.userGroup(id) ?? label?.replace(/^@/, '') ?? id}`;
  }
  // Slack shows the fallback to clients that cannot format a date; a transcript is such a client.
  if (target.startsWith('!date^')) return label ?? target;
  if (target.startsWith('!')) return `@${label?.replace(/^@/, '') ?? target.slice(1)}`;
  if (label === undefined || label === target || `mailto:${label}` === target) return label ?? target;
  return `${label} (${target})`;
}

/** Replaces mentions, dates and links with what Slack displays, and undoes Slack's HTML escaping. */
export function plainFromMrkdwn(text: string, names: NameLookup): string {
  return text
    .replace(/<([^<>]+)>/g, (_match, body: string) => token(body, names))
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
