/**
 * Recorded calls as short lines, for failure messages: what the bot asked Slack and what it got back.
 */
import type { RecordedCall } from './types.js';

const KEY_ARGS = ['channel', 'ts', 'thread_ts', 'user', 'usergroup', 'trigger_id', 'view_id', 'text'];

function clip(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = (text ?? '').replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

function outcome(call: RecordedCall): string {
  if (call.status !== 200) return `HTTP ${call.status}`;
  if (call.result['ok'] === true) {
    const ts = call.result['ts'] ?? call.result['message_ts'];
    return typeof ts === 'string' ? `ok ts=${ts}` : 'ok';
  }
  return String(call.result['error']);
}

/** One line per call: time, method, the arguments that identify it, and the outcome. */
export function describeCalls(calls: readonly RecordedCall[]): string {
  if (calls.length === 0) return '  (no Slack calls)';
  return calls
    .map((call) => {
      const time = new Date(call.time).toISOString().slice(11, 23);
      const args = KEY_ARGS.filter((k) => call.args[k] !== undefined)
        .map((k) => `${k}=${clip(call.args[k])}`)
        .join(' ');
      return `  ${time} ${call.method} ${args} -> ${outcome(call)}`;
    })
    .join('\n');
}
