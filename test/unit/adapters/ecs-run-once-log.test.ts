/** The run-once log tail's pure parts: the cursor, what is shown, redaction and the console link. */
import {
  consoleUrl,
  LATEST_LINES,
  LINE_CHARS,
  logGroupOf,
  tailFrom,
  tailRefs,
  takeIn,
  unread,
} from '../../../src/adapters/aws/ecs-run-once-log.js';
import { createRedactor } from '../../../src/redact.js';

const redact = createRedactor(['s3cret-value-1']);
const event = (timestamp: number, eventId: string, message: string) => ({ timestamp, eventId, message });

describe('the run-once log tail', () => {
  it('takes a line once even when several share the cursor timestamp and a read repeats them', () => {
    let tail = tailFrom({}, 1, 1000);
    const first = [event(1000, 'a', 'one'), event(2000, 'b', 'two')];
    tail = takeIn(tail, unread(tail, first), redact);
    // A later event at the same millisecond as the last one read arrives with the repeated read.
    const again = [event(2000, 'b', 'two'), event(2000, 'c', 'three'), event(3000, 'd', 'four')];
    tail = takeIn(tail, unread(tail, again), redact);
    expect(tail.latest).toEqual(['one', 'two', 'three', 'four']);
    expect(tail.cursor).toEqual({ attempt: 1, timestamp: 3000, ids: ['d'] });
  });

  it('survives the refs: a tail written and read back continues from the same place', () => {
    const tail = takeIn(tailFrom({}, 2, 0), [event(5, 'x', 'ERROR a'), event(5, 'y', 'b')], redact);
    const back = tailFrom(tailRefs(tail), 2, 0);
    expect(back).toEqual(tail);
    expect(unread(back, [event(5, 'x', 'ERROR a'), event(5, 'y', 'b'), event(6, 'z', 'c')])).toEqual([
      event(6, 'z', 'c'),
    ]);
  });

  it("starts over for a new attempt, from the new attempt's start", () => {
    const old = tailRefs(takeIn(tailFrom({}, 1, 0), [event(5, 'x', 'old line')], redact));
    expect(tailFrom(old, 2, 900)).toEqual({
      cursor: { attempt: 2, timestamp: 900, ids: [] },
      latest: [],
      errors: [],
      rollback: [],
    });
  });

  it('keeps the latest lines, every error and rollback line, redacted and cut', () => {
    const lines = Array.from({ length: 20 }, (_, i) => event(i, `e${i}`, `line ${i}`));
    lines[2] = event(2, 'e2', 'FATAL: cannot connect with password s3cret-value-1');
    lines[4] = event(4, 'e4', 'Rolling back schema to 2024.11.2');
    lines[19] = event(19, 'e19', 'x'.repeat(LINE_CHARS + 50));
    const tail = takeIn(tailFrom({}, 1, 0), lines, redact);
    expect(tail.latest).toHaveLength(LATEST_LINES);
    expect(tail.latest.at(-1)).toHaveLength(LINE_CHARS);
    expect(tail.errors).toEqual(['FATAL: cannot connect with password [REDACTED]']);
    expect(tail.rollback).toEqual(['Rolling back schema to 2024.11.2']);
  });

  it("names seed 000's log group unless the catalog names one, and links it in the console", () => {
    expect(logGroupOf('acme', 'prod', undefined)).toBe('/ecs/prod-deployment-acme');
    expect(logGroupOf('acme', 'prod', '/custom/group')).toBe('/custom/group');
    expect(consoleUrl('eu-west-1', '/ecs/prod-deployment-acme')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Fecs$252Fprod-deployment-acme',
    );
  });
});
