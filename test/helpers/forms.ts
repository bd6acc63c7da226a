/**
 * Test helper: the modals a button opened for a person, and submitting one as Slack would, through the emulator.
 */
import type { Hotfix } from '../../src/domain/hotfix.js';
import type { JsonObject, SlackEmulator } from '../emulators/slack/index.js';
import { sendViewSubmission } from '../emulators/slack/index.js';
import { SIGNING_SECRET } from './test-bot.js';

/** The newest modal `callback_id` opened for `user` about this hotfix (buttons open forms just after their ack). */
export const openedFor = (slack: SlackEmulator, user: string, callbackId: string, hotfix: Hotfix) =>
  slack.waitFor((s) =>
    [...s.views]
      .reverse()
      .find(
        (v) =>
          v.user === user &&
          v.view['callback_id'] === callbackId &&
          String(v.view['private_metadata']).includes(hotfix.ulid),
      ),
  );

/** Submits that modal with the given input values to the bot at `eventsUrl`. */
export async function submitForm(
  slack: SlackEmulator,
  eventsUrl: string,
  form: { user: string; callbackId: string; hotfix: Hotfix; values?: JsonObject },
) {
  const view = await openedFor(slack, form.user, form.callbackId, form.hotfix);
  return sendViewSubmission(
    eventsUrl,
    SIGNING_SECRET,
    {
      user: form.user,
      view: {
        id: view.id,
        callback_id: form.callbackId,
        private_metadata: String(view.view['private_metadata']),
        state: { values: form.values ?? {} },
      },
    },
    { emulator: slack },
  );
}
