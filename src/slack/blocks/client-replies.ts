/**
 * The posts in a client's prod-support channel (seed 001: "Post a 'deploy is complete' message in the appropriate
 * Slack channels"; when something goes wrong, "reach out to the site's TAM and post on the Prod-Support channel").
 * Client-safe: the client, the environment, the hotfix's id and what happened, with times; no service or internal
 * names, links, log lines or failure details, which stay in the incident thread and change control.
 */
import { verifyPlan } from '../../domain/health.js';
import type { Hotfix } from '../../domain/hotfix.js';
import type { Moment } from '../../domain/moments.js';
import { context, message, section, type SlackMessage } from './block-kit.js';
import { duration, mentions, slackDate, utcTime } from './mrkdwn.js';

/** The client-safe post for a moment in the client's prod-support channel. */
export function clientMomentMessage(hotfix: Hotfix, moment: Moment): SlackMessage {
  const who = moment.mentions.length > 0 ? `${mentions(moment.mentions)} ` : '';
  const where = `${hotfix.snapshot.client.displayName} ${hotfix.env}`;
  const at = moment.event.at;
  const reference = context(`Reference ${hotfix.id}. Questions: reply in this channel.`);
  switch (moment.kind) {
    case 'completed': {
      const { deployStartedAt } = hotfix.times;
      const took = deployStartedAt
        ? `, ${duration(Date.parse(at) - Date.parse(deployStartedAt))} after it started`
        : '';
      const checked =
        verifyPlan(hotfix).rounds > 0 ? 'its health checks passed' : 'the deploy reported success';
      const line = (when: (iso: string) => string, b: string) =>
        `${who}${b}Deploy is complete${b} on ${where}: the fix ${hotfix.id} finished at ${when(at)}${took}, and ${checked}.`;
      return message(line(utcTime, ''), [section(`:large_green_circle: ${line(slackDate, '*')}`), reference]);
    }
    case 'failed': {
      const line = (when: (iso: string) => string, b: string) =>
        `${who}${b}The deploy of ${hotfix.id} on ${where} did not succeed${b} (${when(at)}). The team is deciding now between rolling it back and fixing forward, and will post the outcome here.`;
      return message(line(utcTime, ''), [section(`:warning: ${line(slackDate, '*')}`), reference]);
    }
    case 'rolled_back': {
      const line = (when: (iso: string) => string, b: string) =>
        `${who}${b}${hotfix.id} was rolled back${b} on ${where} at ${when(at)}: the version that ran before it runs again.`;
      return message(line(utcTime, ''), [
        section(`:leftwards_arrow_with_hook: ${line(slackDate, '*')}`),
        reference,
      ]);
    }
    case 'input':
    case 'window_opened':
      throw new Error(`a ${moment.kind} moment is never posted to the client`);
  }
}
