import {
  fitLines,
  mention,
  ours,
  slackDate,
  slackElapsed,
  truncate,
  typed,
} from '../../../../src/slack/blocks/mrkdwn.js';
import { decisionValue, readDecisionValue } from '../../../../src/slack/blocks/interaction-ids.js';

describe('escaping', () => {
  it('keeps the mentions, dates and links the bot writes, and shows any other angle bracket as typed', () => {
    expect(
      ours('Only <!subteam^S0APPROVERS> or <@U0ADMIN> in <#C0CHANGECTL> can; see <https://x.example/a|docs>'),
    ).toBe('Only <!subteam^S0APPROVERS> or <@U0ADMIN> in <#C0CHANGECTL> can; see <https://x.example/a|docs>');
    expect(ours('`/hotfix plan <service>@<tag> <client>` & more')).toBe(
      '`/hotfix plan &lt;service&gt;@&lt;tag&gt; &lt;client&gt;` &amp; more',
    );
  });

  it('never lets typed text broadcast or ping a group, but keeps person and channel mentions', () => {
    expect(typed('<!channel> <!here> <!everyone> <!subteam^S0ALL> ask <@U0BOB> in <#C0OPS>')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S0ALL&gt; ask <@U0BOB> in <#C0OPS>',
    );
  });

  it('does not encode what Slack already encoded', () => {
    expect(typed('a &lt;b&gt; &amp; c & d')).toBe('a &lt;b&gt; &amp; c &amp; d');
  });
});

describe('text helpers', () => {
  it('names the bot itself instead of mentioning a user called "system"', () => {
    expect(mention('system')).toBe('hotfix-bot');
    expect(mention('U0BOB')).toBe('<@U0BOB>');
  });

  it('cuts text without leaving half a mention or entity', () => {
    expect(truncate('abc <@U0BOBBY> tail', 10)).toBe('abc …');
    expect(truncate('abc &amp; tail', 7)).toBe('abc …');
    expect(truncate('short', 10)).toBe('short');
  });

  it('fits whole lines and says how many were left out', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`);
    expect(fitLines(lines, 40)).toBe('line 0\nline 1\nline 2\nline 3\n…and 6 more');
    expect(fitLines(lines, 40).length).toBeLessThanOrEqual(40);
    expect(fitLines(lines, 1000)).toBe(lines.join('\n'));
  });

  it("renders times in the reader's zone with a UTC fallback", () => {
    expect(slackDate('2026-11-17T15:00:00.000Z')).toBe(
      '<!date^1794927600^{date_short_pretty} {time}|2026-11-17 15:00 UTC>',
    );
    expect(slackDate('not a date')).toBe('not a date');
  });

  it('lets the client count elapsed time, so time passing needs no update', () => {
    expect(slackElapsed('2026-11-17T15:00:00.000Z')).toBe(
      '<!date^1794927600^{date_short_pretty} {time} ({ago})|2026-11-17 15:00 UTC>',
    );
    expect(slackElapsed('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('decision button values', () => {
  it('round-trip the ulid and plan version', () => {
    const value = decisionValue({ ulid: '01JD0000000000000000000001', planVersion: 3 });
    expect(value).toBe('{"ulid":"01JD0000000000000000000001","planVersion":3}');
    expect(readDecisionValue(value)).toEqual({ ulid: '01JD0000000000000000000001', planVersion: 3 });
  });

  it.each([
    undefined,
    '',
    'nope',
    '[]',
    'null',
    '{"ulid":"x"}',
    '{"ulid":"","planVersion":1}',
    '{"ulid":"x","planVersion":0}',
    '{"ulid":"x","planVersion":"1"}',
  ])('reads %p as no decision value', (value) => {
    expect(readDecisionValue(value)).toBeUndefined();
  });
});
