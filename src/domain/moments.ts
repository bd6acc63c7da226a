/**
 * The moments of a hotfix that need a person: a question to answer, a deploy window that opened, a failure, a
 * rollback, the end. Slack notifies
 * nobody of an edited message, so each is a new reply that mentions who must act (DESIGN.md section 1). Who is
 * mentioned comes from the record: the owner, the approvers, the catalog's service owners and the client's TAM
 * where the runbook asks for them (seed 001: "immediately reach out to the site's TAM" when a deploy goes wrong).
 */
import type { HotfixEvent } from './events.js';
import type { Hotfix } from './hotfix.js';
import { SYSTEM } from './hotfix.js';
import { countedApprovals } from './policy.js';
import { failedBeforeDeploy } from './rollback.js';

/** The kinds of moment that get their own reply. */
export type MomentKind = 'input' | 'window_opened' | 'failed' | 'rolled_back' | 'completed';

/**
 * Where a moment is told: the incident thread always (a question and an opened window only there); change control for failures, rollbacks and the end; and the
 * client's prod-support channel, in client-safe words, for the failures, rollbacks and ends of real deploys (not for
 * a failure before any deploy started: nothing changed for the client).
 */
export type MomentPlace = 'thread' | 'change_control' | 'prod_support';

/** One reply to post for a moment: where, who it mentions, and the event it is about. */
export interface Moment {
  kind: MomentKind;
  place: MomentPlace;
  /** Slack user ids to mention, each at most once across the places of one moment. */
  mentions: string[];
  event: HotfixEvent;
}

/** The moment an event starts, if it is one that needs a person. */
export function momentKindOf(event: HotfixEvent): MomentKind | undefined {
  switch (event.type) {
    case 'input_requested':
      return 'input';
    case 'queued':
      return 'window_opened';
    case 'failed':
    case 'rollback_failed':
      return 'failed';
    case 'rolled_back':
      return 'rolled_back';
    case 'verified':
      return 'completed';
    default:
      return undefined;
  }
}

/**
 * The replies an event calls for, with their mentions; none when the moment has passed (a question already
 * answered is not asked again). The incident thread names who acts there (owner, service owners, TAM); change
 * control names the approvers who let the change through; nobody is mentioned twice for one moment.
 */
export function momentsOf(hotfix: Hotfix, event: HotfixEvent): Moment[] {
  const kind = momentKindOf(event);
  if (!kind) return [];
  if (kind === 'input' && (event.type !== 'input_requested' || hotfix.pendingInput?.id !== event.inputId))
    return [];
  // Only a plan with a deploy window queues at a moment worth a mention: the window it waited for has opened.
  if (kind === 'window_opened' && hotfix.deployAt === undefined) return [];
  const onlyThread = kind === 'input' || kind === 'window_opened';
  // A rehearsal changes nothing for the client, nor does a failure before any deploy started, so the client's channel
  // never hears of them. For a real deploy the TAM is mentioned where the client is (seed 001: "reach out to the
  // site's TAM" and post in prod-support).
  const unchanged = event.type === 'failed' && failedBeforeDeploy(hotfix, event.failure);
  const client = !onlyThread && hotfix.method !== 'rehearsal' && !unchanged;
  const tam = client && hotfix.snapshot.client.tam ? [hotfix.snapshot.client.tam] : [];
  const thread = unique(threadAudience(hotfix, kind)).filter((u) => !tam.includes(u));
  const moments: Moment[] = [{ kind, place: 'thread', mentions: thread, event }];
  if (!onlyThread) {
    const approvers = kind === 'completed' ? [] : approversOf(hotfix);
    const cc = unique(approvers).filter((u) => !thread.includes(u) && !tam.includes(u));
    moments.push({ kind, place: 'change_control', mentions: cc, event });
  }
  if (client) moments.push({ kind, place: 'prod_support', mentions: unique(tam), event });
  return moments;
}

function threadAudience(hotfix: Hotfix, kind: MomentKind): string[] {
  const tam = hotfix.snapshot.client.tam;
  const owners = hotfix.services.flatMap((s) => hotfix.snapshot.services[s.service]?.owners ?? []);
  switch (kind) {
    case 'input':
      return [hotfix.owner];
    case 'window_opened':
      return [hotfix.owner, ...owners];
    case 'failed':
      return [hotfix.owner, ...owners, ...(tam ? [tam] : [])];
    case 'rolled_back':
      return [hotfix.owner, ...(tam ? [tam] : [])];
    case 'completed':
      return [hotfix.owner, hotfix.requester, ...(tam ? [tam] : [])];
  }
}

function approversOf(hotfix: Hotfix): string[] {
  return hotfix.breakGlass ? [hotfix.breakGlass.by] : countedApprovals(hotfix);
}

function unique(users: readonly string[]): string[] {
  return [...new Set(users)].filter((u) => u !== SYSTEM && u !== '');
}
