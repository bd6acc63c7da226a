/** What the bot says when asked for help, when a command is refused, and when it cannot reach the channel. */
import type { KnownBlock } from '@slack/types';
import { can } from '../../domain/capabilities.js';
import { USAGE } from '../../domain/command-grammar.js';
import { OFFERED_SUBCOMMANDS } from '../../domain/command-usage.js';
import type { Refusal } from '../../domain/reasons.js';
import { context, header, message, section, type SlackMessage } from './block-kit.js';
import { bullets, channelLink, ours } from './mrkdwn.js';

// Each step says what this version does; a capability that lands (domain/capabilities.ts) adds its words here.
const FLOW = [
  '1. *Plan* in the incident channel with `/hotfix plan`, or use the *Plan a hotfix here* message shortcut on the incident thread. Leave parts out and a form opens with what you gave.',
  '2. *Approve*: the plan goes to the incident thread and a notice to change control. Someone other than you approves it (a Sev 1 break-glass approval is allowed and audited); an approval counts only for the plan version it saw.',
  '3. *Deploy*: the bot waits its turn for the client/env lock, deploys with live status in the thread, and mentions you there when it needs a Proceed, fails or completes.',
  `4. *Finish*: on success the thread and change control are told; on failure you choose ${can('rollback') ? 'rollback, ' : ''}retry, ${can('patchForward') ? 'patch forward (a new plan that takes over the environment) ' : ''}or resolved by hand${can('rollback') ? '' : ' (a rollback is done by hand in this version, following the runbook)'}.`,
  '5. *Back to main*: where GitHub is connected, a completed fix missing from the default branch gets its forward-port pull request in the thread, and its owner is reminded until it is merged or marked not needed on main (`/hotfix not-needed`).',
];

/** `/hotfix help`: the grammar of every subcommand and a short account of the flow. */
export function helpMessage(): SlackMessage {
  const blocks: KnownBlock[] = [
    header('hotfix-bot: production hotfixes from Slack'),
    section(`*How a hotfix goes*\n${FLOW.join('\n')}`),
    section(`*Commands*\n${ours(USAGE)}`),
    context('The bot must be in the channel you plan from: `/invite @hotfix-bot`.'),
  ];
  return message(`hotfix-bot commands: /hotfix ${OFFERED_SUBCOMMANDS.join(' | ')}`, blocks);
}

/** The usage lines as plain grammar for a code block, where backticks would show literally. */
function grammarBlock(usage: string): string {
  return `\`\`\`${ours(usage.replace(/`/g, ''))}\`\`\``;
}

/** A refused command: every problem, then the grammar, so one reply is enough to get it right. */
export function refusalMessage(problems: readonly Refusal[], usage: string = USAGE): SlackMessage {
  const lines =
    problems.length > 0 ? problems.map((p) => ours(p.message)) : ['The command was not understood.'];
  const heading = problems.length > 1 ? `${problems.length} things to fix` : 'That did not go through';
  const blocks: KnownBlock[] = [
    section(`:warning: *${heading}*\n${bullets(lines)}`),
    section(`*Usage*\n${grammarBlock(usage)}`),
  ];
  const first = problems[0]?.message ?? 'the command was not understood';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return message(`Not done: ${ours(first)}${more}`, blocks);
}

/** The bot is not a member of the channel: say how to invite it, then to try again. */
export function notInChannelMessage(channelId: string): SlackMessage {
  const where = channelLink(channelId);
  const text = `I'm not in ${where}, so I can't post or follow the hotfix there. Invite me with \`/invite @hotfix-bot\` in ${where}, then run the command again (if you have just invited me, give me a few seconds).`;
  return message(text, [section(`:wave: ${text}`)]);
}
