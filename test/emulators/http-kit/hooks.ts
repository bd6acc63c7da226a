/**
 * Hooks the emulators run around a call they received, so a crash test can act (kill the caller) at an exact point:
 * while the emulator holds the call before carrying it out, or after carrying it out but before answering.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** When and how often a hook's action runs. */
export interface HookOptions {
  /** Only on the first matching call. @defaultValue true */
  once?: boolean;
  /**
   * The answer is held until the action resolves. 'before': the call is not carried out yet, and is dropped if its
   * caller hung up meanwhile; 'after': the call was carried out (a post landed) but the caller has not heard back,
   * so a caller killed there can never have recorded the result. @defaultValue 'before'
   */
  when?: 'before' | 'after';
}

interface Hook<C> {
  predicate: (call: C) => boolean;
  action: () => void | Promise<void>;
  once: boolean;
  when: 'before' | 'after';
}

/** A held call whose caller hangs up within this long after the action is treated as never received. */
export const HANG_UP_GRACE_MS = 100;

/** The hooks an emulator's `onCall` / `onRequest` registers, run in registration order. */
export class CallHooks<C extends { method: string }> {
  private hooks: Hook<C>[] = [];

  constructor(private readonly emulator: string = 'emulator') {}

  /** Registers a hook; returns its unsubscribe function. */
  add(predicate: Hook<C>['predicate'], action: Hook<C>['action'], options: HookOptions = {}): () => void {
    const hook: Hook<C> = { predicate, action, once: options.once ?? true, when: options.when ?? 'before' };
    this.hooks.push(hook);
    return () => {
      this.hooks = this.hooks.filter((h) => h !== hook);
    };
  }

  /** Runs the actions of the hooks matching `call` at `when`; a once-hook is removed before its action runs. */
  async run(call: C, when: Hook<C>['when']): Promise<number> {
    const matched = this.hooks.filter((h) => h.when === when && h.predicate(call));
    this.hooks = this.hooks.filter((h) => !(h.once && matched.includes(h)));
    for (const hook of matched) {
      // The emulator has no one to hand an action's failure to but the test's output.
      await Promise.resolve()
        .then(hook.action)
        .catch((error: unknown) =>
          console.error(`${this.emulator}: hook action for ${call.method} failed`, error),
        );
    }
    return matched.length;
  }

  /** Forgets every hook. */
  clear(): void {
    this.hooks = [];
  }
}

/** True once the caller hangs up before being answered; after a hook, waits `graceMs` for the hang-up to show. */
export function watchHangUp(res: ServerResponse): (graceMs: number) => Promise<boolean> {
  let hungUp = false;
  const closed = new Promise<void>((resolve) =>
    res.once('close', () => {
      hungUp = !res.writableFinished;
      resolve();
    }),
  );
  return async (graceMs) => {
    if (!hungUp) await Promise.race([closed, sleep(graceMs)]);
    return hungUp;
  };
}
