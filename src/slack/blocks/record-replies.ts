/**
 * The thread replies about change records (ports/record-notes.ts): a record that now exists, one that could not be
 * created (with what to fix, and Retry when the hotfix is held by it), and at the end what was closed and left open.
 */
import type { KnownBlock } from '@slack/types';
import type { Hotfix } from '../../domain/hotfix.js';
import type { RecordLink } from '../../domain/record-plan.js';
import { RECORD_LABELS, RECORD_SYSTEMS, recordLinks } from '../../domain/record-plan.js';
import type { RecordFailure } from '../../ports/record-errors.js';
import type { RecordNote } from '../../ports/record-notes.js';
import { actions, button, context, message, section, type SlackMessage } from './block-kit.js';
import { targetName } from './hotfix-summary.js';
import { ACTION_BLOCK_IDS, ACTION_IDS, hotfixValue } from './interaction-ids.js';
import { truncate, typed } from './mrkdwn.js';

/** `<url|CHG-12>` when the system gave a link, else the id as typed text. */
export function recordLink(link: RecordLink): string {
  const id = typed(link.id).replace(/[<>|]/g, '');
  return link.url ? `<${link.url}|${id}>` : id;
}

/** "Records: Jira change ticket CHG-1 · change-calendar event ..." for the plan, the notice and the status. */
export function recordsLine(hotfix: Hotfix): string | undefined {
  const links = recordLinks(hotfix);
  if (links.length === 0) return undefined;
  return `Records: ${links.map((l) => `${l.label} ${recordLink(l)}`).join(' · ')}`;
}

/** What to do about a failure, by its reason code. */
const NEXT: Readonly<Record<RecordFailure, string>> = {
  credentials: 'An admin checks the credentials the bot uses for it (see the README, Configuration).',
  not_found: 'Check the project, calendar or page the catalog names for this env.',
  refused: 'Fix what it says above.',
  rate_limited: 'It asked the bot to slow down; it will accept again shortly.',
  unavailable: 'It did not answer properly; it is usually back within minutes.',
};

/** What a failure message says once someone retried. */
function retriedLine(retried: { link: RecordLink } | 'again'): string {
  if (retried === 'again') return 'Retried: it failed again, see the newer message below.';
  return `:white_check_mark: Retried: the ${retried.link.label} exists now: ${recordLink(retried.link)}`;
}

/** The reply for one note. */
export function recordNoteMessage(hotfix: Hotfix, note: RecordNote): SlackMessage {
  switch (note.kind) {
    case 'created': {
      const text = `:memo: The ${note.link.label} of ${hotfix.id} exists now: ${recordLink(note.link)}`;
      return message(text, [section(text)]);
    }
    case 'failed': {
      const system = RECORD_SYSTEMS[note.record];
      // The system's own message starts with its name ("Jira could not create the ticket ...: Jira answered 503").
      const named = note.message.startsWith(system) ? note.message : `${system}: ${note.message}`;
      const what = `The ${RECORD_LABELS[note.record]} of ${hotfix.id} was not created. ${truncate(named, 500)}`;
      const then = note.retried
        ? retriedLine(note.retried)
        : note.held
          ? `${hotfix.id} is held before it queues for ${targetName(hotfix)}: this record is required there. ${NEXT[note.failure]} Then click *Retry* (or \`/hotfix retry ${hotfix.id}\`).`
          : `${hotfix.id} goes on without it. ${NEXT[note.failure]}`;
      const blocks: KnownBlock[] = [section(`:warning: ${typed(what)}`), context(then)];
      if (note.held && !note.retried)
        blocks.push(
          actions(ACTION_BLOCK_IDS.records, [
            button(ACTION_IDS.retry, 'Retry', hotfixValue(hotfix), 'primary'),
          ]),
        );
      return message(`${what}. ${then.replace(/\*/g, '')}`, blocks);
    }
    case 'not_updated': {
      const system = RECORD_SYSTEMS[note.record];
      const named = note.message.startsWith(system) ? note.message : `${system}: ${note.message}`;
      const what = `The bot could not ${note.what}. ${truncate(named, 500)}`;
      const then = `${hotfix.id} goes on; do it by hand in ${system}. ${NEXT[note.failure]}`;
      return message(`${what} ${then}`, [section(`:warning: ${typed(what)}`), context(then)]);
    }
    case 'extended': {
      const at = Math.floor(Date.parse(note.until) / 1000);
      const when = `<!date^${at}^{time} on {date_short}|${note.until.slice(0, 16).replace('T', ' ')} UTC>`;
      const what = note.extended.map((l) => `${l.label} ${recordLink(l)}`).join(' and ');
      const text = `:hourglass_flowing_sand: The maintenance window of ${hotfix.id} now ends ${when}: ${what}. It stays open until ${hotfix.id} ends; extend it again if needed.`;
      return message(text.replace(/<!date\^[^|]*\|([^>]*)>/, '$1'), [section(text)]);
    }
    case 'closed': {
      const lines = [
        ...note.closed.map(
          (c) => `:white_check_mark: ${c.link.label} ${recordLink(c.link)}: ${typed(c.what)}`,
        ),
        ...note.leftOpen.map(
          (o) =>
            `:warning: ${o.link.label} ${recordLink(o.link)} was left open: ${typed(truncate(o.why, 300))}. Close it by hand.`,
        ),
      ];
      const head = `Change records of ${hotfix.id} ${note.leftOpen.length > 0 ? 'closed, except where it says left open' : 'closed'}:`;
      return message(`${head} ${note.closed.length} closed, ${note.leftOpen.length} left open`, [
        section([head, ...lines].join('\n')),
      ]);
    }
  }
}
