/*
 * Reading back what the store wrote. The values are our own JSON, so the checks are light: enough to turn a
 * corrupted or foreign key into an error that names the key, instead of a record with holes in it.
 */
import type { HotfixEvent } from '../../domain/events.js';
import type { Hotfix } from '../../domain/hotfix.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(json: string, where: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new Error(`${where} does not hold JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** A stored record snapshot; throws naming the key when it is not one. */
export function parseRecord(json: string, key: string): Hotfix {
  const value = parseJson(json, key);
  if (
    !isObject(value) ||
    typeof value.seq !== 'number' ||
    typeof value.ulid !== 'string' ||
    typeof value.state !== 'string'
  ) {
    throw new Error(`${key} does not hold a hotfix record (no seq, ulid or state)`);
  }
  return value as unknown as Hotfix;
}

/** One audit stream entry's event; `fields` is the flat field/value list XRANGE returns. */
export function parseEvent(fields: readonly string[], where: string): HotfixEvent {
  const at = fields.indexOf('event');
  const json = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (json === undefined) throw new Error(`${where} has no "event" field`);
  const value = parseJson(json, where);
  if (
    !isObject(value) ||
    typeof value.type !== 'string' ||
    typeof value.at !== 'string' ||
    typeof value.by !== 'string' ||
    typeof value.planVersion !== 'number'
  ) {
    throw new Error(`${where} does not hold a hotfix event (type, at, by, planVersion)`);
  }
  return value as unknown as HotfixEvent;
}
