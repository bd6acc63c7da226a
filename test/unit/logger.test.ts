import { createLogger } from '../../src/logger.js';
import { createCapturedLogger, expectNoSecretsIn, findLeakedSecrets } from '../helpers/secret-guard.js';

const SECRETS = {
  'slack bot token': 'xoxb-1111-2222-botTOKENvalue',
  'slack signing secret': 'signing-secret-0123456789abcdef',
  'jenkins api token': 'jenkins-api-token-11aa22bb',
  'redis password': 'redis-pa55word-xyz',
  'token with quotes': 'odd"token\\with-escapes',
} as const;

describe('createLogger', () => {
  it('keeps known secrets out of the message, nested fields, headers and child bindings', () => {
    const captured = createCapturedLogger(SECRETS);
    const { logger } = captured;
    logger.info(`posting with ${SECRETS['slack bot token']} now`);
    logger.info({ deep: { deeper: { deepest: [`x ${SECRETS['jenkins api token']} y`] } } }, 'nested');
    logger.info(
      { req: { headers: { authorization: `Bearer ${SECRETS['slack bot token']}`, host: 'h' } } },
      'hdr',
    );
    logger.info({ options: { url: `redis://:${SECRETS['redis password']}@127.0.0.1:6379` } }, 'connecting');
    logger.info({ note: SECRETS['token with quotes'] }, 'escaped in JSON');
    logger.child({ signing: SECRETS['slack signing secret'] }).warn('child bindings');

    captured.assertNoSecrets();
    expect(captured.lines()).toHaveLength(6);
    expect(captured.lines()[0]).toMatchObject({ msg: 'posting with [REDACTED] now' });
    expect(captured.lines()[2]).toMatchObject({
      req: { headers: { authorization: '[REDACTED]', host: 'h' } },
    });
  });

  it('keeps secrets out of error messages, stacks and causes', () => {
    const captured = createCapturedLogger(SECRETS);
    const cause = new Error(`401 for token ${SECRETS['jenkins api token']}`);
    const error = new Error(`Jenkins refused ${SECRETS['jenkins api token']}`, { cause });
    captured.logger.error(error);
    captured.logger.error({ err: error }, 'with a message of our own');
    captured.logger.error({ error }, 'under the other usual field name');

    captured.assertNoSecrets();
    const [first] = captured.lines();
    expect(first).toMatchObject({
      msg: 'Jenkins refused [REDACTED]',
      // pino's error serializer appends the cause's message, which is scrubbed as well.
      err: { message: 'Jenkins refused [REDACTED]: 401 for token [REDACTED]' },
    });
    expect(JSON.stringify(first)).toContain('Error: Jenkins refused [REDACTED]');
    expect(captured.lines()[2]).toMatchObject({
      error: { type: 'Error', message: expect.stringContaining('[REDACTED]') },
    });
  });

  it('blanks secret-bearing fields by name, whatever their value', () => {
    const captured = createCapturedLogger({});
    captured.logger.info({
      token: 'short',
      password: 'pw',
      config: { botToken: 'b', signingSecret: 's', apiToken: 'a' },
      err: { config: { headers: { Authorization: 'whatever' } } },
      issue: { key: 'OPS-12' },
    });
    expect(captured.lines()[0]).toMatchObject({
      token: '[REDACTED]',
      password: '[REDACTED]',
      config: { botToken: '[REDACTED]', signingSecret: '[REDACTED]', apiToken: '[REDACTED]' },
      err: { config: { headers: { Authorization: '[REDACTED]' } } },
      issue: { key: 'OPS-12' },
    });
  });

  it('catches token shapes it was never told about', () => {
    const captured = createCapturedLogger({});
    const github = 'ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    captured.logger.info({ output: `git push https://x-access-token:${github}@github.com/o/r` }, github);
    expectNoSecretsIn(captured.output(), { 'unlisted github token': github });
  });

  it('respects the level', () => {
    const captured = createCapturedLogger({}, 'warn');
    captured.logger.info('dropped');
    captured.logger.warn('kept');
    expect(captured.lines().map((line) => line['msg'])).toEqual(['kept']);
  });

  it('writes to a given destination', () => {
    const chunks: string[] = [];
    const logger = createLogger({
      level: 'info',
      secrets: [],
      destination: { write: (c) => void chunks.push(c) },
    });
    logger.info('hello');
    expect(chunks).toHaveLength(1);
    expect(JSON.parse(chunks[0] ?? '')).toMatchObject({ level: 30, msg: 'hello' });
  });
});

describe('the secret guard', () => {
  it('fails when a secret does reach the output, naming it by label without its value', () => {
    const captured = createCapturedLogger(SECRETS);
    captured.logger.info('clean line');
    // A raw write bypasses the logger's scrubbing, as a stray console.log or a misconfigured transport would.
    captured.stream.write(`leak: ${SECRETS['jenkins api token']}\n`);

    expect(() => captured.assertNoSecrets()).toThrow(
      'secret(s) found in the captured output: jenkins api token',
    );
    try {
      captured.assertNoSecrets();
    } catch (error) {
      expect(String(error)).not.toContain(SECRETS['jenkins api token']);
    }
  });

  it('recognises a secret in its JSON-escaped spelling', () => {
    const escaped = JSON.stringify({ value: SECRETS['token with quotes'] });
    expect(findLeakedSecrets(escaped, SECRETS)).toEqual(['token with quotes']);
  });

  it('passes when nothing leaked', () => {
    expect(() => expectNoSecretsIn('nothing to see', SECRETS)).not.toThrow();
  });
});
