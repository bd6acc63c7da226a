/**
 * What a rollback returns to (seed 004: "Document current state for rollback"; "never run mixed versions"): the
 * versions recorded while preparing, for every service of the plan, each a real tag of its service. A plan with any
 * service whose earlier version is unknown cannot be rolled back as a whole, so it is not rolled back at all.
 */
import type { Failure, Hotfix, PlannedService } from './hotfix.js';
import { versionsRead } from './running-version.js';

/** The services of the plan at the versions they replaced; undefined when any of them is not known. */
export function rollbackTarget(
  hotfix: Pick<Hotfix, 'services' | 'versionsBefore' | 'snapshot'>,
): PlannedService[] | undefined {
  const before = versionsRead(hotfix) ?? {};
  const target = hotfix.services.map((s) => ({ ...s, tag: before[s.service] ?? '' }));
  const known = target.every(({ service, tag }) => {
    const pattern = hotfix.snapshot.services[service]?.tagPattern;
    return tag !== '' && pattern !== undefined && new RegExp(pattern).test(tag);
  });
  return known && target.length > 0 ? target : undefined;
}

/**
 * Whether the bot can roll this hotfix back itself, now or once its running versions are recorded: Jenkins re-runs
 * the job at the versions it replaced; ECS image returns the service to the revision it replaced (seed 002's panic
 * rollback); a rehearsal plays the return to the versions it pretended ran, so the failure path can be practised.
 * The run-once deployment service rolls back what it can by itself (seed 000); anything more is done by hand,
 * following the runbook.
 */
export function rollsBack(
  hotfix: Pick<Hotfix, 'method' | 'services' | 'versionsBefore' | 'snapshot'>,
): boolean {
  const methods = ['jenkins-multi-deploy', 'ecs-image', 'rehearsal'];
  if (!methods.includes(hotfix.method)) return false;
  return hotfix.versionsBefore === undefined || rollbackTarget(hotfix) !== undefined;
}

/**
 * The states a hotfix is offered Rollback in: once it has deployed (DESIGN.md section 2), and after a cancel that
 * stopped a deploy already under way (what it had changed may still run).
 */
export const ROLLBACK_OFFERED_IN = ['verifying', 'failed', 'completed', 'cancelled'] as const;

/** Whether a person can be offered Rollback on this hotfix now: it has deployed, and the bot can do it. */
export function rollbackOffered(hotfix: Hotfix): boolean {
  const state: string = hotfix.state;
  return (
    (ROLLBACK_OFFERED_IN as readonly string[]).includes(state) &&
    (hotfix.state !== 'cancelled' || cancelledMidDeploy(hotfix)) &&
    rollsBack(hotfix) &&
    rollbackTarget(hotfix) !== undefined
  );
}

/** A cancel that stopped a deploy under way: the deploy had started, so something may have changed. */
export function cancelledMidDeploy(hotfix: Pick<Hotfix, 'state' | 'times'>): boolean {
  return hotfix.state === 'cancelled' && hotfix.times.deployStartedAt !== undefined;
}

/**
 * Whether a failure came before any deploy of the hotfix started (preparing could not read the running versions):
 * nothing was changed, so there is nothing to roll back and nothing to tell the client. Judged by the failure's own
 * time, so a failure before a Retry that then deployed stays one.
 */
export function failedBeforeDeploy(
  hotfix: Pick<Hotfix, 'times'>,
  failure: Pick<Failure, 'at' | 'phase'>,
): boolean {
  if (failure.phase !== 'deploy') return false;
  const started = hotfix.times.deployStartedAt;
  return started === undefined || Date.parse(failure.at) < Date.parse(started);
}

/** Whether a rollback of this hotfix first queues for its (client, env) lock: its ending released it. */
export function rollbackQueues(hotfix: Pick<Hotfix, 'state'>): boolean {
  return hotfix.state === 'completed' || hotfix.state === 'cancelled';
}

/**
 * The hotfix as its rollback deploys it: the same plan at the earlier versions, as the attempt after the last one, so
 * a method that finds its deploys by the ULID and attempt (a Jenkins build's hotfix id) finds the rollback's own.
 */
export function rollbackView(hotfix: Hotfix, target: PlannedService[]): Hotfix {
  return { ...hotfix, services: target, attempts: hotfix.attempts + 1 };
}

/**
 * Hotfixes that deployed to the same client and env after this one did, newest first: rolling this one back puts its
 * services back to what ran before it, so it undoes theirs too. Rolled-back ones no longer run, and a rehearsal and
 * a real deploy never undo each other.
 */
export function deployedSince(hotfix: Hotfix, others: readonly Hotfix[]): Hotfix[] {
  const since = Date.parse(hotfix.times.deployStartedAt ?? '');
  if (Number.isNaN(since)) return [];
  const rehearsal = hotfix.method === 'rehearsal';
  return others
    .filter(
      (o) =>
        o.ulid !== hotfix.ulid &&
        o.client === hotfix.client &&
        o.env === hotfix.env &&
        o.state !== 'rolled_back' &&
        (o.method === 'rehearsal') === rehearsal &&
        Date.parse(o.times.deployStartedAt ?? '') > since,
    )
    .sort((a, b) => Date.parse(b.times.deployStartedAt ?? '') - Date.parse(a.times.deployStartedAt ?? ''));
}

/** What a service runs now, as far as the records tell: the newest later hotfix that deployed it, else this one. */
export function runningNow(
  hotfix: Hotfix,
  later: readonly Hotfix[],
  service: string,
): { tag: string; by: string } {
  for (const other of later) {
    const deployed = other.services.find((s) => s.service === service);
    if (deployed) return { tag: deployed.tag, by: other.id };
  }
  return { tag: hotfix.services.find((s) => s.service === service)?.tag ?? '?', by: hotfix.id };
}
