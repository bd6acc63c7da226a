/**
 * The shape of the catalog (`manifests/catalog.yml`) as the domain sees it. The loader in src/catalog/ validates the
 * YAML into exactly these types; the domain never parses anything itself.
 */
import type { CiPolicy } from './ci-gate.js';

/** How a service reaches an environment. A plan uses exactly one. */
export const DEPLOY_METHODS = ['jenkins-multi-deploy', 'ecs-image', 'ecs-run-once', 'rehearsal'] as const;
export type DeployMethod = (typeof DEPLOY_METHODS)[number];

/** Change-control records a policy can require. */
export const RECORD_KINDS = ['jira', 'calendar', 'statuspage'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A Slack channel: the id is what the bot uses (it survives renames), the name is for people. */
export interface ChannelRef {
  id: string;
  name: string;
}

/** A set of people: Slack user ids and Slack user group ids. Empty means nobody unless a rule says otherwise. */
export interface Audience {
  users: string[];
  groups: string[];
}

/** A health check run after a deploy against each environment's base URL for the service. */
export interface HealthCheck {
  name: string;
  path: string;
  /** Field of the JSON body that must equal the deployed tag (seed 004: `/v1/health` returns the version). */
  versionField?: string;
  /** The HTTP status a healthy service answers. @defaultValue 200 */
  status: number;
  /** How long the check waits for an answer before it counts as failed. @defaultValue 5 */
  timeoutSeconds: number;
}

/** After the first passing check, the checks run again every `everySeconds` until `seconds` have passed. */
export interface SoakWindow {
  seconds: number;
  everySeconds: number;
}

export interface ServiceSpec {
  name: string;
  /** `owner/repo` on the source host. */
  repo: string;
  method: DeployMethod;
  /** Regular expression (source text) every target tag must match. */
  tagPattern: string;
  /** A tag that matches the pattern, shown to people who got it wrong. */
  tagExample: string;
  /** Slack user ids of the owning team, named on the plan. */
  owners: string[];
  healthChecks: HealthCheck[];
  /** How long the health checks keep watching after the deploy (seed 004 watches for 15 minutes); none: one round. */
  soak?: SoakWindow;
  /** How a `rehearsal` deploy of this service plays out; defaults apply when absent. */
  rehearsal?: RehearsalScript;
  /** What plans do while CI runs on the target tag; DEFAULT_CI_POLICY when absent. */
  ci?: CiPolicy;
}

/**
 * A rehearsal walks these stages, each `stageSeconds` long, touching nothing outside: to practise the runbook and
 * to exercise the bot. `input` pauses before a stage for a person's Proceed; `failAt` makes that stage fail.
 */
export interface RehearsalScript {
  stages: string[];
  stageSeconds: number;
  input?: { before: string; message: string };
  failAt?: string;
  /** The round of health checks (1 = the first, after the deploy) whose checks fail, to practise a failed verify. */
  healthFailsAt?: number;
}

/** Jenkins `multi_deploy_pipeline`: the job and the names of its parameters (seed 001). */
export interface JenkinsTarget {
  job: string;
  parameters: {
    client: string;
    env: string;
    /** Parameter holding `service tag` lines. */
    services: string;
    /** Parameter carrying the hotfix ULID, so a retry can find an earlier build. */
    hotfixId: string;
  };
  /** Values passed for client and env when Jenkins spells them differently from the catalog. */
  clientValue?: string;
  envValue?: string;
}

/** An ECS service whose task definition gets a new image (`ecs-image`). */
export interface EcsImageTarget {
  cluster: string;
  service: string;
  container: string;
  /** The task-definition family; defaults to the family of the revision the service runs. */
  family?: string;
  /** How long a rollout may take before the hotfix fails. @defaultValue 30 */
  timeoutMinutes?: number;
}

/** The one-shot ECS deployment service scaled 0 -> 1 (`ecs-run-once`, seed 000). */
export interface EcsRunOnceTarget {
  cluster: string;
  service: string;
  container: string;
  /** CloudWatch log group followed while it runs. @defaultValue `/ecs/<env>-deployment-<client>` */
  logGroup?: string;
  /** How long the run may take before the hotfix fails and the service is set back to 0. @defaultValue 60 */
  timeoutMinutes?: number;
}

/** The Postgres guard of seed 000: the deploy must not start while rows exist in the process table. */
export interface ProcessGuardSpec {
  /** Name of the environment variable holding the connection string (secrets stay out of the catalog). */
  connectionEnv: string;
  /** `schema.table` whose rows are running processes. @defaultValue 'meta.process' */
  table?: string;
  /** A SELECT whose rows are running processes, instead of a table. */
  query?: string;
  /** How long a deploy waits for running processes to finish before it fails. @defaultValue 30 */
  waitMinutes?: number;
}

export interface StatuspageTarget {
  pageId: string;
  componentIds: string[];
}

export interface EnvSpec {
  name: string;
  production: boolean;
  jenkins?: JenkinsTarget;
  ecsImage?: Record<string, EcsImageTarget>;
  ecsRunOnce?: EcsRunOnceTarget;
  processGuard?: ProcessGuardSpec;
  statuspage?: StatuspageTarget;
  calendarId?: string;
  /** Base URL per service for health checks. */
  healthUrls: Record<string, string>;
}

export interface ClientSpec {
  name: string;
  displayName: string;
  /** IANA time zone used for freeze windows and late-week warnings. */
  timezone: string;
  prodSupportChannel: ChannelRef;
  /** Slack user id of the technical account manager. */
  tam?: string;
  envs: Record<string, EnvSpec>;
}

/** First matching rule decides how many distinct approvals a plan needs. */
export interface ApprovalRule {
  envs?: string[];
  severities?: number[];
  required: number;
}

interface FreezeWindowBase {
  name: string;
  /** Clients the window applies to; absent means every client. */
  clients?: string[];
  envs?: string[];
  /** `with-reason`: a planner may proceed by giving a reason, which is audited. */
  override: 'forbidden' | 'with-reason';
}

/**
 * A fixed period, local to the client's time zone: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`. A date-only `to` includes
 * that whole day (people say "freeze until 2 January" meaning through it); a `to` with a time is exclusive.
 */
export interface DatedFreezeWindow extends FreezeWindowBase {
  kind: 'dates';
  from: string;
  to: string;
}

/** A period that repeats every week in the client's time zone; `to` before `from` runs past midnight. */
export interface WeeklyFreezeWindow extends FreezeWindowBase {
  kind: 'weekly';
  days: Weekday[];
  from: string;
  to: string;
}

export type FreezeWindow = DatedFreezeWindow | WeeklyFreezeWindow;

/** Seed 001: hotfixes near the end of the work week or day are staffed thinly; warn, do not refuse. */
export interface LateWeekPolicy {
  days: Weekday[];
  /** Local time after which a plan on one of `days` warns. */
  after: string;
  /** Local time after which any working day warns (end of day). */
  endOfDay: string;
}

/**
 * The records one env requires by severity: `sev1`..`sev4` for those severities, `default` for any severity not
 * named (none when absent).
 */
export interface SeverityRecords {
  default?: RecordKind[] | undefined;
  sev1?: RecordKind[] | undefined;
  sev2?: RecordKind[] | undefined;
  sev3?: RecordKind[] | undefined;
  sev4?: RecordKind[] | undefined;
}

/** The records one env requires: the same for every severity, or by severity. */
export type EnvRecords = RecordKind[] | SeverityRecords;

/** The records `policy.records` requires for a hotfix in `envName` at `severity`. */
export function requiredRecords(
  policy: Pick<Policy, 'records'>,
  envName: string,
  severity: number,
): RecordKind[] {
  const rule = policy.records[envName];
  if (rule === undefined) return [];
  if (Array.isArray(rule)) return rule;
  const bySeverity = (rule as Record<string, RecordKind[] | undefined>)[`sev${severity}`];
  return bySeverity ?? rule.default ?? [];
}

export interface Policy {
  /** Who may plan. Empty users and groups means anyone in the workspace. */
  planners: Audience;
  approvers: Audience;
  approvals: ApprovalRule[];
  breakGlass: { severities: number[]; who: Audience };
  /** Who may proceed, retry, roll back and resolve a hotfix they do not own. */
  operators: Audience;
  /** Who may unlock an environment and pause or resume deploys. */
  admins: Audience;
  planExpiryMinutes: number;
  approvalReminderMinutes: number;
  /**
   * Slack user groups and channels are re-read this often (events keep them fresher between reads): the longest a
   * membership change can go unnoticed when Slack's events are lost.
   */
  directoryRefreshMinutes: number;
  freezeWindows: FreezeWindow[];
  lateWeek: LateWeekPolicy;
  /**
   * Change-control records required per env name, for every severity (a list) or by severity; envs not listed
   * require none. Read it through `requiredRecords`.
   */
  records: Record<string, EnvRecords>;
  /** Roll back by itself when verification fails, per env name. */
  autoRollback: Record<string, boolean>;
  /**
   * How long an ecs-run-once deploy waits for the processes its guard finds (seed 000), per env name; an env not
   * listed falls back to its own `processGuard.waitMinutes`, then 30.
   */
  processGuardWaitMinutes?: Record<string, number> | undefined;
  /** Env names in which every triage item must be ticked before a plan may be approved; absent means none. */
  triageBeforeApproval?: string[] | undefined;
}

/**
 * Where change tickets go in Jira and the workflow transitions the bot moves them through, by name: every Jira
 * workflow numbers its transitions differently, so the names are looked up among those offered each time.
 */
export interface ChangeTicketSettings {
  /** Project key, e.g. `CHG`. */
  projectKey: string;
  /** Issue type name, e.g. `Change`. */
  issueType: string;
  transitions: {
    /** When the deploy starts, e.g. `Start Progress`. */
    start: string;
    /** When the hotfix completes. */
    complete: string;
    /** When the deploy fails. */
    fail: string;
    /** When the hotfix is cancelled, rejected or expires after the ticket exists. */
    cancel: string;
    /** Back from the failed status before a retry starts again; absent when the workflow needs none. */
    reopen?: string | undefined;
    /** When the hotfix is rolled back; absent means the fail transition. */
    rollback?: string | undefined;
  };
}

export interface Channels {
  changeControl: ChannelRef;
}

export interface Catalog {
  services: Record<string, ServiceSpec>;
  clients: Record<string, ClientSpec>;
  channels: Channels;
  policy: Policy;
  /** Jira project, issue type and transition names of change tickets; needed where policy.records asks for jira. */
  changeTickets?: ChangeTicketSettings | undefined;
}
