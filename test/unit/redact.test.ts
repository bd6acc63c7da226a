import { createRedactor, REDACTED, truncateForSlack } from '../../src/redact.js';

const redactShapes = createRedactor([]);

describe('createRedactor: well-known token shapes, without being told the value', () => {
  it.each([
    ['Slack bot token', 'token xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp used', 'token [REDACTED] used'],
    ['Slack user token', 'xoxp-1234-5678-abcdefABCDEF', REDACTED],
    ['Slack app token', 'app=xapp-1-A0123456-7890-abcdef0123', 'app=[REDACTED]'],
    ['Bearer header', 'Authorization: Bearer abc.DEF-123_456', 'Authorization: [REDACTED]'],
    ['Bearer alone', 'sent Bearer eyJhbGciOi1234 to the API', 'sent Bearer [REDACTED] to the API'],
    ['Basic alone', 'with Basic Zm9vOmJhcg== header', 'with Basic [REDACTED] header'],
    ['OAuth (Statuspage)', 'OAuth 2f6c1d9e-8b7a-4c3d', `OAuth ${REDACTED}`],
    ['header in JSON text', '{"authorization":"Basic Zm9vOmJhcg=="}', '{"authorization":"[REDACTED]"}'],
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE here', 'key [REDACTED] here'],
    ['AWS session key id', 'ASIAY34FZKBOKMUTVV7A', REDACTED],
    [
      'AWS secret key',
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key=[REDACTED]',
    ],
    ['GitHub classic token', 'ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', REDACTED],
    ['GitHub app token', 'ghs_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', REDACTED],
    ['GitHub OAuth token', 'gho_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', REDACTED],
    ['GitHub fine-grained', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', REDACTED],
    [
      'URL password',
      'redis://default:s3cr3t-pw@10.0.0.1:6379/0',
      'redis://default:[REDACTED]@10.0.0.1:6379/0',
    ],
    ['URL password, no user', 'rediss://:pw-only-123@cache:6380', 'rediss://:[REDACTED]@cache:6380'],
    ['query token', 'GET /x?token=abc123def&page=2', 'GET /x?token=[REDACTED]&page=2'],
    ['kv password', 'password=hunter2 user=bob', 'password=[REDACTED] user=bob'],
    ['JSON password', '{"db_password": "hunter2"}', '{"db_password": "[REDACTED]"}'],
    ['YAML-ish password', 'password: hunter2', 'password: [REDACTED]'],
    [
      'PEM private key',
      'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----\nafter',
      `key:\n${REDACTED}\nafter`,
    ],
    ['cut PEM block', 'x -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0', `x ${REDACTED}`],
  ])('%s', (_shape, input, expected) => {
    expect(redactShapes(input)).toBe(expected);
  });

  it.each([
    'a basic configuration change',
    'SLACK_BOT_TOKEN: missing, expected a bot token (xoxb-...)',
    'deployed api@v1.2.3 to prod-eu',
    'https://jenkins.example.com/job/deploy/42/',
    'HF-12 OAuth flow documented',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redactShapes(text)).toBe(text);
  });
});

describe('createRedactor: known secret values', () => {
  it('replaces every occurrence of every known secret, however it is spelled', () => {
    const redact = createRedactor(['plain-secret-1', 'with "quote" & slash/']);
    const text =
      'a plain-secret-1 b plain-secret-1 c with "quote" & slash/ d with \\"quote\\" & slash/ e ' +
      encodeURIComponent('with "quote" & slash/');
    expect(redact(text)).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED} d ${REDACTED} e ${REDACTED}`);
  });

  it('hides a secret that contains another one as a whole', () => {
    const redact = createRedactor(['abcdef', 'abcdef-longer']);
    expect(redact('x abcdef-longer y')).toBe(`x ${REDACTED} y`);
  });

  it('ignores values shorter than 6 characters, which would shred ordinary text', () => {
    const redact = createRedactor(['a', 'dev', 'prod1', '']);
    expect(redact('a dev deploy to prod1')).toBe('a dev deploy to prod1');
  });

  it('treats regular-expression characters in a secret literally', () => {
    const redact = createRedactor(['p4ss.*(word)']);
    expect(redact('p4ss.*(word) and p4ssXX(word)')).toBe(`${REDACTED} and p4ssXX(word)`);
  });
});

describe('truncateForSlack', () => {
  it('returns short text unchanged', () => {
    expect(truncateForSlack('short', 10)).toBe('short');
  });

  it('keeps the start and says how much was cut, within the limit', () => {
    const text = 'x'.repeat(1000);
    const cut = truncateForSlack(text, 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    const kept = cut.split('\n')[0] ?? '';
    expect(cut).toBe(`${kept}\n… ${1000 - kept.length} more characters cut`);
  });

  it('can keep the end, where a build log says why it failed', () => {
    const text = `${'line\n'.repeat(200)}ERROR: tests failed`;
    const cut = truncateForSlack(text, 80, 'end');
    expect(cut.length).toBeLessThanOrEqual(80);
    expect(cut).toMatch(/^… \d+ earlier characters cut\n/);
    expect(cut.endsWith('ERROR: tests failed')).toBe(true);
  });

  it('never splits an emoji into half a surrogate pair', () => {
    const text = `${'a'.repeat(49)}😀${'b'.repeat(100)}`;
    // A limit of 76 would cut between the emoji's two halves; the emoji goes whole instead.
    expect(truncateForSlack(text, 76)).toBe(`${'a'.repeat(49)}\n… 102 more characters cut`);
  });

  it('reports the count exactly across a change in its number of digits', () => {
    const text = 'y'.repeat(1030);
    const cut = truncateForSlack(text, 60);
    const count = Number(/… (\d+) more/.exec(cut)?.[1]);
    expect(count + (cut.split('\n')[0]?.length ?? 0)).toBe(1030);
  });
});
