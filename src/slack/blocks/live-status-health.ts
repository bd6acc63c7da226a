/** The verify part of the live status: which round of health checks, the soak window, and what the checks saw. */
import type { KnownBlock } from '@slack/types';
import type { HealthResult } from '../../domain/health.js';
import { recordedRounds, roundDueAt, verifyPlan } from '../../domain/health.js';
import type { Hotfix } from '../../domain/hotfix.js';
import { section, SLACK_LIMITS } from './block-kit.js';
import { isRehearsal } from './hotfix-summary.js';
import { duration, fitLines, slackDate, truncate, typed } from './mrkdwn.js';

/** What verifying is doing now, after "verifying since ...". */
export function verifyingLine(hotfix: Hotfix): string {
  const plan = verifyPlan(hotfix);
  if (plan.rounds === 0) {
    return isRehearsal(hotfix)
      ? 'a rehearsal without health checks has nothing to check; it completes next.'
      : "no health checks in the catalog for these services, so the deploy's success verifies it; it completes next.";
  }
  const done = recordedRounds(hotfix).length;
  const checks = `${plan.checks.length} health check${plan.checks.length === 1 ? '' : 's'}`;
  const rehearsed = isRehearsal(hotfix) ? ' (rehearsed, no URL is called)' : '';
  if (plan.rounds === 1) return `${checks}${rehearsed} against the deployed versions.`;
  const deployedAt = Date.parse(hotfix.times.deployedAt ?? hotfix.stateSince.at);
  const ends = new Date(deployedAt + plan.soakMs).toISOString();
  const next =
    done < plan.rounds ? new Date(roundDueAt(hotfix, deployedAt, plan, done)).toISOString() : undefined;
  return `${checks}${rehearsed}, round ${Math.min(done + 1, plan.rounds)} of ${plan.rounds}: soak window of ${duration(plan.soakMs)} until ${slackDate(ends)}${next && done > 0 ? `, next check ${slackDate(next)}` : ''}.`;
}

/** The latest round's results while verifying, and the round that decided once it is over. */
export function healthBlocks(hotfix: Hotfix): KnownBlock[] {
  const shown =
    hotfix.state === 'verifying' ||
    hotfix.state === 'completed' ||
    (hotfix.state === 'failed' && hotfix.failure?.phase === 'verify');
  if (!shown) return [];
  const rounds = recordedRounds(hotfix);
  const last = rounds.at(-1);
  if (!last || last.length === 0) return [];
  const lines = last.map(resultLine);
  const head = `*Health checks* · round ${rounds.length} of ${verifyPlan(hotfix).rounds}`;
  return [section(`${head}\n${fitLines(lines, SLACK_LIMITS.sectionText - 200)}`)];
}

function resultLine(result: HealthResult): string {
  const name = `${typed(truncate(result.service, 100))} ${typed(truncate(result.check, 100))}`;
  if (result.ok) return `:white_check_mark: ${name}: ${typed(truncate(result.seen, 300))}`;
  return `:x: ${name}: expected ${typed(truncate(result.expected, 300))}, saw ${typed(truncate(result.seen, 300))}`;
}
