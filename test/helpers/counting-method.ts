/**
 * Test helper: a DeployMethod (a port) that counts the outside effects of another method and can hold the next call
 * of one of them open, so a test can run a second step while the first is inside the effect.
 */
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { DeployMethod, DeployProgress } from '../../src/ports/deploy-method.js';

type Effect = 'start' | 'answer' | 'abort';

/** A held call: `entered` resolves once the call is inside the effect; `release` lets it finish. */
export interface Gate {
  entered: Promise<void>;
  release(): void;
}

/** Counts `start`, `answer` and `abort` calls of `inner`; `holdNext` holds the next call of one open. */
export class CountingMethod implements DeployMethod {
  readonly calls: Record<Effect, number> = { start: 0, answer: 0, abort: 0 };
  private held: Partial<Record<Effect, { enter: () => void; wait: Promise<void> }>> = {};

  constructor(private readonly inner: DeployMethod) {}

  /** Holds the next call of `effect` open until the gate is released. */
  holdNext(effect: Effect): Gate {
    let enter = () => undefined as void;
    let release = () => undefined as void;
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const wait = new Promise<void>((resolve) => (release = resolve));
    this.held[effect] = { enter, wait };
    return { entered, release };
  }

  async currentVersions(hotfix: Hotfix): Promise<Record<string, string>> {
    return this.inner.currentVersions(hotfix);
  }

  describe(hotfix: Hotfix): string[] {
    return this.inner.describe(hotfix);
  }

  async start(hotfix: Hotfix): Promise<Record<string, string>> {
    this.calls.start++;
    await this.pass('start');
    return this.inner.start(hotfix);
  }

  async poll(hotfix: Hotfix): Promise<DeployProgress> {
    return this.inner.poll(hotfix);
  }

  async answer(hotfix: Hotfix, inputId: string, proceed: boolean): Promise<void> {
    this.calls.answer++;
    await this.pass('answer');
    return this.inner.answer(hotfix, inputId, proceed);
  }

  async abort(hotfix: Hotfix): Promise<string> {
    this.calls.abort++;
    await this.pass('abort');
    return this.inner.abort(hotfix);
  }

  private async pass(effect: Effect): Promise<void> {
    const held = this.held[effect];
    if (!held) return;
    delete this.held[effect];
    held.enter();
    await held.wait;
  }
}
