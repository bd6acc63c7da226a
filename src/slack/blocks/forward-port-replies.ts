/**
 * The thread replies about the forward-port (ports/forward-port-notes.ts): the pull request bringing the fix onto the
 * default branch, reminders to its owner while it stays open, and the end. Each reply that asks for something
 * mentions the hotfix's owner (Slack notifies nobody of an edit) and offers "Not needed on main", which asks why.
 */
import type { KnownBlock } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import type { ForwardPortLink, ForwardPortNote } from '../../ports/forward-port-notes.js';
import { actions, button, context, message, section, type SlackMessage } from './block-kit.js';
import { ACTION_BLOCK_IDS, ACTION_IDS, hotfixValue } from './interaction-ids.js';
import { mention, slackDate, truncate, typed } from './mrkdwn.js';

/** `<url|service #12>`: the pull request as a link. */
export function pullLink(pr: ForwardPortLink): string {
  return `<${pr.url}|${typed(pr.service).replace(/[<>|]/g, '')} #${pr.number}>`;
}

const WHY_IT_MATTERS = 'until then production runs a version the next release would undo (seed 003)';

/** The reply for one forward-port note. */
export function forwardPortMessage(hotfix: Hotfix, note: ForwardPortNote): SlackMessage {
  const owner = mention(hotfix.owner);
  switch (note.kind) {
    case 'opened': {
      const head = `:twisted_rightwards_arrows: ${owner} The fix of ${hotfix.id} is not on ${typed(note.base)} yet: its forward-port pull request is ${pullLink(note.pr)}, from ${typed(note.head)} into ${typed(note.base)}.`;
      const then = `Get it reviewed and merged; ${WHY_IT_MATTERS}. The bot reminds you here until it is merged. If the fix is not wanted on ${typed(note.base)}, click *Not needed on main* and say why.`;
      return asking(hotfix, `${head} ${then}`, [section(head), context(then)]);
    }
    case 'reminder': {
      const open = note.prs.map(pullLink);
      const missing = note.missing.map((s) => typed(s));
      const what = [
        ...(open.length > 0 ? [`${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} still open`] : []),
        ...(missing.length > 0 ? [`${missing.join(', ')} still not on the default branch`] : []),
      ].join('; ');
      const head = `:alarm_clock: ${owner} Reminder: the fix of ${hotfix.id} (completed ${slackDate(note.since)}) is not on the default branch yet: ${what}.`;
      const then = `Merge it, or click *Not needed on main* and say why; ${WHY_IT_MATTERS}.`;
      return asking(hotfix, `${head} ${then}`, [section(head), context(then)]);
    }
    case 'no_branch': {
      const head = `:warning: ${owner} ${truncate(typed(note.message), 1500)}`;
      const then = `The bot keeps checking and says so here once the fix is on the default branch. If it is not needed there, click *Not needed on main* and say why.`;
      return asking(hotfix, `${head} ${then}`, [section(head), context(then)]);
    }
    case 'trouble': {
      const text = `:warning: The forward-port of ${hotfix.id} (${typed(note.service)}) could not be checked: ${truncate(typed(note.message), 1500)} Fix that (an admin checks the catalog's repository and the bot's GitHub token); the bot checks again at its next reminder.`;
      return message(text, [section(text)]);
    }
    case 'done':
      return doneMessage(hotfix, note);
  }
}

function doneMessage(hotfix: Hotfix, note: Extract<ForwardPortNote, { kind: 'done' }>): SlackMessage {
  const prs = note.prs.map(pullLink).join(', ');
  let text: string;
  switch (note.why) {
    case 'on_default_branch':
      text = prs
        ? `:white_check_mark: The fix of ${hotfix.id} is on the default branch now (${prs} can be closed if it is still open). No more reminders.`
        : `:white_check_mark: The fix of ${hotfix.id} is already on the default branch: nothing to bring back.`;
      break;
    case 'merged':
      text = `:white_check_mark: ${prs ? `${prs} merged: ` : ''}the fix of ${hotfix.id} is on the default branch now. No more reminders.`;
      break;
    case 'not_needed': {
      const by = note.waiver ? ` by ${mention(note.waiver.by)}` : '';
      const why = note.waiver ? `: “${truncate(typed(note.waiver.reason), 500)}”` : '';
      text = `:heavy_minus_sign: The fix of ${hotfix.id} was marked not needed on main${by}${why}. No more reminders${prs ? `; ${prs} is left as it is` : ''}.`;
      break;
    }
  }
  return message(text, [section(text)]);
}

function asking(hotfix: Hotfix, text: string, blocks: KnownBlock[]): SlackMessage {
  return message(text.replace(/\*/g, ''), [
    ...blocks,
    actions(ACTION_BLOCK_IDS.forwardPort, [
      button(ACTION_IDS.waiveForwardPort, 'Not needed on main', hotfixValue(hotfix)),
    ]),
  ]);
}
