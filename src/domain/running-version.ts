/**
 * Which version of a service runs in an environment, as the bot's own records tell it: the newest hotfix there that
 * deployed the service decides. A completed hotfix runs its tag; a rolled-back one returned to the versions captured
 * before it deployed; one that failed, or was resolved or abandoned by hand, left the version uncertain, so nothing
 * is guessed. Plans that never deployed change nothing.
 */
import type { Hotfix } from './hotfix.js';

/** The version running, and the hotfix that says so; `uncertain` when that hotfix left it unknown. */
export type RunningVersion =
  | { known: true; tag: string; hotfixId: string; how: 'completed' | 'rolled_back' | 'captured' }
  | { known: false; hotfixId: string; state: string }
  | undefined;

/**
 * Whether a value recorded in `versionsBefore` is a version. Records written by older versions may hold a sentence
 * where the running version was not read (`unknown (no successful … build …)`); a version is one word.
 */
export function isVersion(value: string | undefined): value is string {
  return value !== undefined && /^\S+$/.test(value);
}

/**
 * The running versions recorded while preparing, leaving out any that was not read (as older records wrote it);
 * undefined until preparing recorded them.
 */
export function versionsRead(hotfix: Pick<Hotfix, 'versionsBefore'>): Record<string, string> | undefined {
  const before = hotfix.versionsBefore;
  return before && Object.fromEntries(Object.entries(before).filter(([, version]) => isVersion(version)));
}

const UNCERTAIN = new Set(['failed', 'rollback_failed', 'resolved', 'superseded', 'rolling_back']);

/** The version of `service` running where `hotfixes` (one environment's, any order) deployed, or undefined. */
export function runningVersion(hotfixes: readonly Hotfix[], service: string): RunningVersion {
  const deployedHere = hotfixes
    // A rehearsal changes nothing, so it never says what runs.
    .filter(
      (h) =>
        h.method !== 'rehearsal' &&
        h.times.deployStartedAt !== undefined &&
        h.services.some((s) => s.service === service),
    )
    .sort((a, b) => Date.parse(b.times.deployStartedAt ?? '') - Date.parse(a.times.deployStartedAt ?? ''));
  const newest = deployedHere[0];
  if (!newest) return undefined;
  const before = versionsRead(newest)?.[service];
  if (newest.state === 'completed') {
    const tag = newest.services.find((s) => s.service === service)?.tag;
    if (tag) return { known: true, tag, hotfixId: newest.id, how: 'completed' };
  }
  if (newest.state === 'rolled_back' && before)
    return { known: true, tag: before, hotfixId: newest.id, how: 'rolled_back' };
  // Deploying now: until it ends, what runs is what was captured before it started.
  if (!UNCERTAIN.has(newest.state) && newest.state !== 'completed' && newest.state !== 'cancelled' && before)
    return { known: true, tag: before, hotfixId: newest.id, how: 'captured' };
  return { known: false, hotfixId: newest.id, state: newest.state.replace(/_/g, ' ') };
}
