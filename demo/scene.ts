/**
 * What the demo's people do, through real signed Slack requests, and the waits between their steps: shared by every
 * scene in `demo/scenes/`. The scene's clock is set on a working morning, whatever day the demo runs.
 */
import type { Hotfix } from '../src/domain/hotfix.js';
import {
  clickButton,
  plainFromMrkdwn,
  sendSlashCommand,
  sendViewSubmission,
} from '../test/emulators/slack/index.js';
import type { JsonObject, SlackEmulator } from '../test/emulators/slack/index.js';
import { renderMessage } from '../test/emulators/slack/transcript.js';

export const SECRET = 'demo-signing-secret-0d6b1f';
// Tuesday 17 November 2026, 10:05 in New York.
const SCENE_START = Date.parse('2026-11-17T15:05:00Z');
let offset = SCENE_START - Date.now();
export const sceneNow = () => Date.now() + offset;

/** The scene's clock moves on by `ms` at once (the bot and the emulators read it): "a quarter of an hour later". */
export function laterBy(ms: number): void {
  offset += ms;
}

export interface Typed {
  at: number;
  who: string;
  typed: string;
  answer: string[];
}

/** What people do, through signed Slack requests. */
export class Scene {
  readonly typed: Typed[] = [];
  constructor(
    readonly slack: SlackEmulator,
    readonly events: string,
  ) {}

  /** Someone types `/hotfix <text>` in the incident channel. */
  async type(who: string, text: string): Promise<string[]> {
    const input = { text, user_id: who, channel_id: 'C0INC4211' };
    const response = await sendSlashCommand(this.events, SECRET, input, { emulator: this.slack });
    const body = response.body as { text?: string; blocks?: JsonObject[] };
    const answer = response.status === 200 ? renderMessage(this.slack, body) : [`(HTTP ${response.status})`];
    this.typed.push({
      at: sceneNow(),
      who: this.slack.user(who)?.name ?? who,
      typed: `/hotfix ${text}`,
      answer,
    });
    return answer;
  }

  /**
   * Someone types `/hotfix <text>` (a plan) and the answer names the new hotfix: its id. Scenes take ids from here
   * rather than counting, so a scene added before another never renumbers it.
   */
  async plan(who: string, text: string): Promise<string> {
    const answer = await this.type(who, text);
    const id = /HF-\d+/.exec(answer.join('\n'))?.[0];
    if (!id) throw new Error(`"/hotfix ${text}" was not planned: ${answer.join(' / ')}`);
    return id;
  }

  /** Someone clicks a button on a message. */
  async click(who: string, channel: string, ts: string, action_id: string): Promise<void> {
    await clickButton(this.events, SECRET, { user: who, channel, ts, action_id }, { emulator: this.slack });
  }

  /** Someone clicks Approve on a notice and confirms in the form production asks for. */
  async approve(who: string, hotfix: Hotfix): Promise<void> {
    await this.click(who, 'C0CHANGECTL', hotfix.refs['noticeTs'] ?? '', 'hotfix_approve');
    const form = await this.slack.waitFor(
      (s) =>
        [...s.views]
          .reverse()
          .find((v) => v.user === who && String(v.view['private_metadata']).includes(hotfix.ulid)),
      5000,
    );
    const view = {
      id: form.id,
      callback_id: 'hotfix_approve_confirm',
      private_metadata: String(form.view['private_metadata']),
      state: { values: {} },
    };
    await sendViewSubmission(this.events, SECRET, { user: who, view }, { emulator: this.slack });
  }
}

export type Store = {
  findById(id: string): Promise<Hotfix | undefined>;
  load(ulid: string): Promise<Hotfix | undefined>;
};

/** Waits for a button (Proceed unless said) on the hotfix's live status message, then clicks it as `user`. */
export async function proceed(
  scene: Scene,
  user: string,
  hotfix: Hotfix,
  actionId = 'hotfix_input_proceed',
): Promise<void> {
  const statusTs = hotfix.refs['statusTs'] ?? '';
  await scene.slack.waitFor(
    (s) =>
      s
        .messages('C0INC4211')
        .flatMap((m) => m.replies)
        .find((r) => r.ts === statusTs && JSON.stringify(r.blocks).includes(actionId)),
    5000,
  );
  await scene.click(user, 'C0INC4211', statusTs, actionId);
}

/** Waits up to 30 s for hotfix `id` to be `ready`; the error names where it stood instead. */
export async function until(store: Store, id: string, ready: (h: Hotfix) => boolean): Promise<Hotfix> {
  let last: Hotfix | undefined;
  for (let i = 0; i < 600; i++) {
    last = await store.findById(id);
    if (last && ready(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const where = last
    ? `${last.state}${last.failure ? ` (${last.failure.phase}: ${last.failure.message})` : ''}`
    : 'not recorded';
  throw new Error(`${id} did not get there in time; it is ${where}`);
}

/** The first line of a hotfix's change-control notice as Slack shows it now. */
export function noticeHeadline(slack: SlackEmulator, hotfix: Hotfix): string {
  const notice = slack.messages('C0CHANGECTL').find((m) => m.ts === hotfix.refs['noticeTs']);
  const first = (notice?.blocks as { text?: { text?: string } }[] | undefined)?.[0];
  return plainFromMrkdwn(first?.text?.text ?? '', {
    user: (id) => slack.user(id)?.name,
    channel: (id) => slack.channel(id)?.name,
    userGroup: (id) => slack.userGroup(id)?.handle,
  });
}

/** Priya types the plan `text` (which becomes `id`), and bob approves it on the change-control notice. */
export async function planApprovedByBob(scene: Scene, store: Store, id: string, text: string): Promise<void> {
  await scene.type('U0PRIYA', text);
  const planned = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0BOB', 'C0CHANGECTL', planned.refs['noticeTs'] ?? '', 'hotfix_approve');
}

/**
 * Priya plans `text` (a Jenkins deploy with a Proceed input), bob approves it on the notice, and Priya answers its
 * Proceed on the live status; returns the hotfix id the plan's answer named.
 */
export async function deployedWithProceed(scene: Scene, store: Store, text: string): Promise<string> {
  const id = await scene.plan('U0PRIYA', text);
  const planned = await until(store, id, (h) => h.refs['noticeTs'] !== undefined);
  await scene.click('U0BOB', 'C0CHANGECTL', planned.refs['noticeTs'] ?? '', 'hotfix_approve');
  const waiting = await until(
    store,
    id,
    (h) => h.state === 'awaiting_input' && h.refs['statusTs'] !== undefined,
  );
  await proceed(scene, 'U0PRIYA', waiting);
  return id;
}
