import { STATES, TERMINAL_STATES } from '../../../../src/domain/hotfix.js';
import { ACTION_IDS, readHotfixValue, readInputValue } from '../../../../src/slack/blocks/interaction-ids.js';
import {
  FAILURE_ACTIONS,
  failureActions,
  type FailureAction,
} from '../../../../src/slack/blocks/live-status-actions.js';
import { liveStatusMessage } from '../../../../src/slack/blocks/live-status.js';
import { REQUESTER, hotfixIn } from '../../domain/builders.js';
import {
  actionIds,
  awaitingInput,
  buttonOf,
  deploying,
  failed,
  preparing,
  queued,
  steps,
} from './live-scenarios.js';
import { render } from './render.js';

const ULID = '01JD0000000000000000000001';

describe('live status buttons', () => {
  it('offers Proceed and Abort only while awaiting input, each carrying the question it answers', () => {
    const message = liveStatusMessage(awaitingInput());
    // Abort is the one way to stop at a Proceed question: no Cancel beside it, and it asks first.
    expect(actionIds(message)).toEqual([ACTION_IDS.inputProceed, ACTION_IDS.inputAbort]);
    expect(buttonOf(message, ACTION_IDS.inputAbort).confirm?.confirm?.text).toBe('Abort deploy');
    const proceed = buttonOf(message, ACTION_IDS.inputProceed);
    const abort = buttonOf(message, ACTION_IDS.inputAbort);
    expect([proceed.text.text, proceed.style, abort.text.text, abort.style]).toEqual([
      'Proceed',
      'primary',
      'Abort',
      'danger',
    ]);
    expect(readInputValue(proceed.value)).toEqual({ ulid: ULID, inputId: 'ProceedProd' });
    expect(readInputValue(abort.value)).toEqual({ ulid: ULID, inputId: 'ProceedProd' });
    for (const state of STATES.filter((s) => s !== 'awaiting_input')) {
      const input = actionIds(liveStatusMessage(hotfixIn(state))).filter((id) =>
        id.startsWith('hotfix_input_'),
      );
      expect({ state, input }).toEqual({ state, input: [] });
    }
  });

  it("asks Slack's confirm dialog before Proceed on production, and not elsewhere", () => {
    const prod = buttonOf(liveStatusMessage(awaitingInput()), ACTION_IDS.inputProceed);
    expect(prod.confirm?.title?.text).toBe('Proceed on production?');
    expect(prod.confirm?.text.text).toBe(
      'The deploy of HF-1 goes on to Acme Corp PRODUCTION (prod). It asks: "Deploy to the second host group?"',
    );
    const staging = buttonOf(liveStatusMessage(hotfixIn('awaiting_input')), ACTION_IDS.inputProceed);
    expect(staging.confirm).toBeUndefined();
  });

  it('offers Cancel only in cancellable states, with a dialog saying what it does there', () => {
    const cancellable = ['queued', 'preparing', 'deploying', 'awaiting_input'];
    for (const state of STATES) {
      const shown = actionIds(liveStatusMessage(hotfixIn(state))).includes(ACTION_IDS.cancel);
      expect({ state, shown }).toEqual({
        state,
        shown: cancellable.includes(state) && state !== 'awaiting_input',
      });
    }
    const effect = (h: Parameters<typeof liveStatusMessage>[0]): string =>
      buttonOf(liveStatusMessage(h), ACTION_IDS.cancel).confirm?.text.text ?? '';
    expect(readHotfixValue(buttonOf(liveStatusMessage(queued()), ACTION_IDS.cancel).value)).toEqual({
      ulid: ULID,
    });
    expect(effect(queued())).toBe('HF-1 leaves the queue for acme prod. Nothing has been deployed.');
    expect(effect(preparing())).toContain('stops before its deploy starts and releases acme prod');
    expect(effect(deploying())).toContain('running deploy to Acme Corp PRODUCTION (prod) is aborted');
    expect(buttonOf(liveStatusMessage(awaitingInput()), ACTION_IDS.inputAbort).confirm?.text.text).toContain(
      'The deploy stops here',
    );
  });

  it('offers neither Cancel again nor an answer once a cancel was requested, and says it is aborting', () => {
    const asked = steps(awaitingInput(), [{ type: 'cancel', reason: 'wrong tag' }, REQUESTER, 28]);
    const message = liveStatusMessage(asked);
    expect(actionIds(message)).toEqual([]);
    expect(render(message)).toContain('Cancel requested by <@U0REQUESTER>');
    expect(render(message)).toContain('wrong tag; aborting…');
    expect(render(message)).toContain('> Deploy to the second host group?'); // the question stays for context
  });

  it('offers Retry and Patch forward only when failed, and Resolved manually when failed or after a failed rollback', () => {
    for (const state of STATES) {
      const shown = actionIds(liveStatusMessage(hotfixIn(state)));
      expect({ state, retry: shown.includes(ACTION_IDS.retry) }).toEqual({
        state,
        retry: state === 'failed',
      });
      expect({ state, patch: shown.includes(ACTION_IDS.patchForward) }).toEqual({
        state,
        patch: state === 'failed',
      });
      expect({ state, resolve: shown.includes(ACTION_IDS.resolve) }).toEqual({
        state,
        resolve: state === 'failed' || state === 'rollback_failed',
      });
    }
    const message = liveStatusMessage(failed());
    expect(actionIds(message)).toEqual([
      ACTION_IDS.rollback,
      ACTION_IDS.retry,
      ACTION_IDS.patchForward,
      ACTION_IDS.resolve,
    ]);
    // The plan form it opens is the confirmation: nothing changes until that plan is approved.
    expect(buttonOf(message, ACTION_IDS.patchForward).text.text).toBe('Patch forward');
    expect(buttonOf(message, ACTION_IDS.patchForward).confirm).toBeUndefined();
    // Rollback opens a form that names what it returns to and asks why; with no earlier version to return to (a
    // rehearsal, a version Jenkins could not tell), it is not offered.
    expect(buttonOf(message, ACTION_IDS.rollback).confirm).toBeUndefined();
    const unknown = { ...failed(), versionsBefore: { 'decanting-service': 'unknown (no build)' } };
    expect(actionIds(liveStatusMessage(unknown))).not.toContain(ACTION_IDS.rollback);
    expect(buttonOf(message, ACTION_IDS.resolve).text.text).toBe('Resolved manually');
    // Resolving opens a form that explains it and asks why; a dialog before it would ask twice.
    expect(buttonOf(message, ACTION_IDS.resolve).confirm).toBeUndefined();
    for (const id of [ACTION_IDS.retry, ACTION_IDS.patchForward, ACTION_IDS.resolve])
      expect(readHotfixValue(buttonOf(message, id).value)).toEqual({ ulid: ULID });
    // A retry on production redeploys, so Slack asks first; on staging it does not.
    expect(buttonOf(message, ACTION_IDS.retry).confirm?.text.text).toContain('Attempt 3 deploys');
    expect(buttonOf(liveStatusMessage(hotfixIn('failed')), ACTION_IDS.retry).confirm).toBeUndefined();
  });

  it('takes more failure actions through the extension point, in the order given', () => {
    const extra: FailureAction = {
      actionId: 'hotfix_extra',
      label: 'Extra',
      shownIn: ['failed'],
    };
    const row = failureActions(failed(), [extra, ...FAILURE_ACTIONS]);
    expect(row?.elements.map((e) => (e.type === 'button' ? e.action_id : e.type))).toEqual([
      'hotfix_extra',
      ACTION_IDS.rollback,
      ACTION_IDS.retry,
      ACTION_IDS.patchForward,
      ACTION_IDS.resolve,
    ]);
    expect(failureActions(hotfixIn('completed'), [extra])).toBeUndefined();
  });

  it('shows no buttons once the hotfix has ended, except Rollback on a completed one', () => {
    for (const state of TERMINAL_STATES) {
      expect({ state, buttons: actionIds(liveStatusMessage(hotfixIn(state))) }).toEqual({
        state,
        buttons: state === 'completed' ? [ACTION_IDS.rollback] : [],
      });
    }
  });

  it('offers Rollback once deployed, and never where the bot cannot roll back', () => {
    expect(actionIds(liveStatusMessage(hotfixIn('verifying')))).toEqual([ACTION_IDS.rollback]);
    expect(actionIds(liveStatusMessage(hotfixIn('rollback_queued')))).toEqual([]);
    const runOnce = { ...hotfixIn('completed'), method: 'ecs-run-once' as const };
    expect(actionIds(liveStatusMessage(runOnce))).toEqual([]);
    const unknown = { ...hotfixIn('completed'), versionsBefore: {} };
    expect(actionIds(liveStatusMessage(unknown))).toEqual([]);
  });
});
