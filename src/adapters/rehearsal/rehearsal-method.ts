import type { RecordKind, RehearsalScript } from '../../domain/catalog.js';
import type { RecordContext, RecordText } from '../../domain/change-records.js';
import { eventText, maintenanceText, ticketText } from '../../domain/change-records.js';
import { RECORD_LABELS, rehearsedRecords } from '../../domain/record-plan.js';
import type { PlannedCheck, ProbeAnswer } from '../../domain/health.js';
import type { Hotfix, Stage } from '../../domain/hotfix.js';
import type { Clock } from '../../ports/clock.js';
import { rollbackTarget } from '../../domain/rollback.js';
import type { DeployMethod, DeployProgress, MethodRollback } from '../../ports/deploy-method.js';

/** The script used when a rehearsal service's catalog entry names none. */
export const DEFAULT_REHEARSAL: RehearsalScript = {
  stages: ['Checkout', 'Build', 'Deploy', 'Smoke test'],
  stageSeconds: 5,
  input: { before: 'Deploy', message: 'Proceed with the deploy?' },
};

/** The input step's id, as Jenkins names its "Proceed" inputs. */
export const REHEARSAL_INPUT_ID = 'Proceed';

/**
 * The built-in `rehearsal` deploy method: walks the scripted stages and touches nothing outside. Where it is comes
 * from the record alone (when the attempt started, which inputs were answered when), so a crashed worker loses
 * nothing and another worker carries on at the same point.
 */
export class RehearsalMethod implements DeployMethod {
  /**
   * @param recordKinds the change-control systems the installation has enabled: a rehearsal shows the records a real
   * deploy would create there (and what would go in each) as its first stage, and creates none.
   */
  constructor(
    private readonly clock: Clock,
    private readonly recordKinds: ReadonlySet<RecordKind> = new Set(),
  ) {}

  private scriptOf(hotfix: Hotfix): RehearsalScript {
    const script = scriptOf(hotfix);
    if (rehearsedRecords(hotfix, this.recordKinds).length === 0) return script;
    return { ...script, stages: [RECORDS_STAGE, ...script.stages] };
  }

  /**
   * Nothing is read from outside: the drill pretends each service runs its catalog `tagExample`, so the rollback the
   * runbook asks for has a version to return to and can be practised.
   */
  async currentVersions(hotfix: Hotfix): Promise<Record<string, string>> {
    const running = hotfix.services.flatMap(({ service }) => {
      const example = hotfix.snapshot.services[service]?.tagExample;
      return example ? [[service, example] as const] : [];
    });
    return Object.fromEntries(running);
  }

  /**
   * The drill's rollback: it plays the script's stages again at the earlier versions, from when the rollback took the
   * environment, with no question and no scripted failure, so a failed rehearsal can be practised through to
   * `rolled_back`. Where it is comes from the record alone, as for the deploy.
   */
  readonly rollback: MethodRollback = {
    returnsTo: async (hotfix) =>
      Object.fromEntries((rollbackTarget(hotfix) ?? []).map(({ service, tag }) => [service, tag])),
    start: async () => ({}),
    poll: async (hotfix) => rollbackProgressOf(hotfix, scriptOf(hotfix), this.clock.now().getTime()),
  };

  /** The drill shows the records a real deploy would create. */
  readonly previewsRecords = true;

  /** What the rehearsal will play, and the records it would create, with people named as the records name them. */
  describe(hotfix: Hotfix, context: RecordContext = {}): string[] {
    const script = this.scriptOf(hotfix);
    const stages = script.stages.map((s) =>
      s === script.input?.before ? `[${REHEARSAL_INPUT_ID}?] ${s}` : s,
    );
    return [
      `REHEARSAL of ${hotfix.services.map((s) => `${s.service} ${s.tag}`).join(', ')} on ${hotfix.client} ${hotfix.env}: nothing outside is touched`,
      `Stages: ${stages.join(' → ')} (${script.stageSeconds} s each)${script.failAt ? `; scripted to fail at ${script.failAt}` : ''}`,
      ...rehearsedRecords(hotfix, this.recordKinds).map(
        (r) =>
          `${RECORDS_STAGE}: would create the ${RECORD_LABELS[r.kind]}${r.required ? ' (required)' : ''}: ${shown(RECORD_TEXT[r.kind](hotfix, context))}`,
      ),
    ];
  }

  /** Nothing to start: the attempt's start time in the record is the start. */
  async start(): Promise<Record<string, string>> {
    return {};
  }

  /** Where the script is, from the attempt's start, the stage length and the answers in the record. */
  async poll(hotfix: Hotfix): Promise<DeployProgress> {
    return progressOf(hotfix, this.scriptOf(hotfix), this.clock.now().getTime());
  }

  /** Answers live in the record; the rehearsal reads them from there. */
  async answer(): Promise<void> {}

  /**
   * Plays the health checks: each answers as a healthy service at the deployed version, except in the round the
   * script names (`healthFailsAt`, 1 = the first), where each answers 503 at no version, to practise a failed verify.
   */
  async answerHealthChecks(
    hotfix: Hotfix,
    checks: readonly PlannedCheck[],
    round: number,
  ): Promise<ProbeAnswer[]> {
    // The script fails the deploy's verify; the rollback's check finds the earlier versions healthy.
    const fails = hotfix.state !== 'rolling_back' && scriptOf(hotfix).healthFailsAt === round + 1;
    return checks.map(({ check, version }) => {
      if (fails) return { kind: 'answer', status: 503, body: JSON.stringify({ status: 'unhealthy' }) };
      const body: Record<string, string> = { status: 'healthy' };
      if (check.versionField) body[check.versionField] = version;
      return { kind: 'answer', status: check.status, body: JSON.stringify(body) };
    });
  }

  /** Stops where it is. */
  async abort(hotfix: Hotfix): Promise<string> {
    const running = hotfix.stages.find((s) => s.status === 'running' || s.status === 'waiting');
    const where = running ? ` at ${running.name}` : '';
    return `Rehearsal stopped${where}; it had changed nothing outside, so nothing needed undoing.`;
  }
}

/** The drill's stage that stands for the change records a real deploy would create. */
export const RECORDS_STAGE = 'Change records (shown, not created)';

const RECORD_TEXT: Readonly<Record<RecordKind, (hotfix: Hotfix, context: RecordContext) => RecordText>> = {
  jira: ticketText,
  calendar: eventText,
  statuspage: (h) => maintenanceText(h),
};

function shown(text: RecordText): string {
  return `"${text.title}" (${text.paragraphs.join(' ')})`;
}

function scriptOf(hotfix: Hotfix): RehearsalScript {
  const first = hotfix.services[0];
  return (first && hotfix.snapshot.services[first.service]?.rehearsal) ?? DEFAULT_REHEARSAL;
}

/** The pure progress function: exported for tests. */
export function progressOf(hotfix: Hotfix, script: RehearsalScript, now: number): DeployProgress {
  const length = script.stageSeconds * 1000;
  let clock = Date.parse(
    hotfix.times.attemptStartedAt ?? hotfix.times.deployStartedAt ?? new Date(now).toISOString(),
  );
  const stages: Stage[] = script.stages.map((name) => ({ name, status: 'pending' }));
  for (const [i, name] of script.stages.entries()) {
    const stage = stages[i]!;
    if (script.input?.before === name) {
      const answer = hotfix.answers[REHEARSAL_INPUT_ID];
      if (!answer) {
        stage.status = 'waiting';
        return { status: 'input', stages, input: { id: REHEARSAL_INPUT_ID, message: script.input.message } };
      }
      if (!answer.proceed) return { status: 'aborted', stages };
      clock = Math.max(clock, Date.parse(answer.at));
    }
    const end = clock + length;
    if (now < end) {
      stage.status = 'running';
      return { status: 'running', stages };
    }
    if (script.failAt === name) {
      stage.status = 'failed';
      const condition = /smoke|health/i.test(name) ? 'smoke_test_failed' : 'unknown';
      return {
        status: 'failed',
        stages,
        message: `Rehearsal: stage "${name}" failed, as scripted`,
        condition,
      };
    }
    stage.status = 'succeeded';
    clock = end;
  }
  return { status: 'succeeded', stages };
}

/**
 * The rollback's progress: the script's stages again, each `stageSeconds` long from when rolling back started, with
 * no input step and no scripted failure. Exported for tests.
 */
export function rollbackProgressOf(hotfix: Hotfix, script: RehearsalScript, now: number): DeployProgress {
  const length = script.stageSeconds * 1000;
  const start = Date.parse(hotfix.stateSince.at);
  const stages: Stage[] = script.stages.map((name, i) => {
    const end = start + (i + 1) * length;
    const status = now >= end ? 'succeeded' : now >= end - length ? 'running' : 'pending';
    return { name, status };
  });
  const done = stages.every((s) => s.status === 'succeeded');
  return done ? { status: 'succeeded', stages } : { status: 'running', stages };
}
