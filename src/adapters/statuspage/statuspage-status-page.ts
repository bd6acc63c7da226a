/**
 * The StatusPage port on Statuspage: a maintenance is an incident with status scheduled or in_progress. The hotfix
 * reference goes into its body (so the API's text search finds it) and, with each component's status from just
 * before it went under maintenance, into its metadata, so completing restores those statuses even when another
 * worker opened or started it. A scheduled one is started by the bot, never by Statuspage: the deploy may begin
 * after its window opens, and only the bot can record the statuses of that moment.
 */
import { ulidReference } from '../../domain/change-records.js';
import { RecordSystemError } from '../../ports/record-errors.js';
import {
  COMPONENT_STATUSES,
  type ComponentStatus,
  type Maintenance,
  type MaintenanceDraft,
  type StatusPage,
} from '../../ports/status-page.js';
import { statuspageCall, type StatuspageHttpOptions } from './statuspage-http.js';

interface WireComponent {
  id: string;
  status: string;
}

interface WireIncident {
  id: string;
  status: string;
  shortlink?: string;
  components?: WireComponent[];
  metadata?: Record<string, Record<string, unknown> | undefined>;
}

const NAMESPACE = 'hotfix';
const PREVIOUS = 'previous_';
const STARTED = 'The deploy has started.';
const COMPLETED = 'The maintenance is complete.';
const CALLED_OFF = 'This maintenance was called off before it started; nothing was changed.';

function isComponentStatus(value: unknown): value is ComponentStatus {
  return typeof value === 'string' && (COMPONENT_STATUSES as readonly string[]).includes(value);
}

function asMaintenance(pageId: string, incident: WireIncident): Maintenance {
  const meta = incident.metadata?.[NAMESPACE] ?? {};
  const previousStatuses: Record<string, ComponentStatus> = {};
  for (const [key, value] of Object.entries(meta))
    if (key.startsWith(PREVIOUS) && isComponentStatus(value))
      previousStatuses[key.slice(PREVIOUS.length)] = value;
  const status = ['scheduled', 'in_progress', 'verifying', 'completed'].includes(incident.status)
    ? (incident.status as Maintenance['status'])
    : 'completed';
  return {
    id: incident.id,
    pageId,
    status,
    componentIds: (incident.components ?? []).map((c) => c.id),
    previousStatuses,
    ...(incident.shortlink ? { url: incident.shortlink } : {}),
  };
}

function incidentPath(pageId: string, maintenanceId: string): string {
  return `/pages/${encodeURIComponent(pageId)}/incidents/${encodeURIComponent(maintenanceId)}`;
}

// A live maintenance takes its components under maintenance now; a scheduled one when the bot starts it.
function windowFields(draft: MaintenanceDraft): Record<string, unknown> {
  const window = draft.window;
  if (window.mode === 'in_progress')
    return {
      components: Object.fromEntries(draft.componentIds.map((id) => [id, 'under_maintenance'])),
      // The caller's now: `until` is on its clock, and Statuspage refuses an end before the start.
      scheduled_for: window.from ?? new Date().toISOString(),
      scheduled_until: window.until,
      // Never closed by Statuspage at the booked end: it stays open until the hotfix ends (seed 001).
      scheduled_auto_completed: false,
    };
  // Statuspage would start it at `from` with no record of the statuses it overwrote, even while the deploy waits.
  return {
    scheduled_for: window.from,
    scheduled_until: window.until,
    scheduled_auto_in_progress: false,
    auto_transition_to_maintenance_state: false,
    scheduled_auto_completed: false,
  };
}

/** Statuspage through fetch. */
export class StatuspageStatusPage implements StatusPage {
  constructor(private readonly options: StatuspageHttpOptions) {}

  private call<T>(what: string, method: string, path: string, body?: unknown): Promise<T> {
    return statuspageCall<T>(this.options, what, method, path, body);
  }

  /** The maintenance whose metadata carries this ULID, found through the API's text search for its reference. */
  async findByUlid(pageId: string, ulid: string): Promise<Maintenance | undefined> {
    const q = encodeURIComponent(ulidReference(ulid));
    const found = await this.call<WireIncident[]>(
      `search page ${pageId} for hotfix ${ulid}`,
      'GET',
      `/pages/${encodeURIComponent(pageId)}/incidents?q=${q}`,
    );
    const mine = found.find((i) => i.metadata?.[NAMESPACE]?.['ulid'] === ulid);
    return mine ? asMaintenance(pageId, mine) : undefined;
  }

  /** The page's components, read once, as a function answering each wanted one's status (or refusing a missing one). */
  private async statusesOn(pageId: string): Promise<(id: string) => string> {
    const components = await this.call<WireComponent[]>(
      `read the components of page ${pageId}`,
      'GET',
      `/pages/${encodeURIComponent(pageId)}/components`,
    );
    return (id) => {
      const found = components.find((c) => c.id === id);
      if (!found)
        throw new RecordSystemError('Statuspage', false, `Statuspage page ${pageId} has no component ${id}`);
      return found.status;
    };
  }

  /** Opens the maintenance once, recording each component's status now (a scheduled one records again at start). */
  async ensureOpen(draft: MaintenanceDraft): Promise<Maintenance> {
    const existing = await this.findByUlid(draft.pageId, draft.ulid);
    if (existing) return existing;
    const page = encodeURIComponent(draft.pageId);
    const statusOf = await this.statusesOn(draft.pageId);
    const meta: Record<string, string> = { ulid: draft.ulid };
    for (const id of draft.componentIds) meta[`${PREVIOUS}${id}`] = statusOf(id);
    const incident = {
      name: draft.text.title,
      body: draft.text.paragraphs.join('\n\n'),
      status: draft.window.mode,
      component_ids: draft.componentIds,
      metadata: { [NAMESPACE]: meta },
      // Completion restores each component itself; Statuspage's reset would mark an outage operational.
      auto_transition_to_operational_state: false,
      ...windowFields(draft),
    };
    const created = await this.call<WireIncident>(
      `open a maintenance on page ${draft.pageId}`,
      'POST',
      `/pages/${page}/incidents`,
      { incident },
    );
    return asMaintenance(draft.pageId, created);
  }

  /** Starts a scheduled maintenance now, recording each component's status first; any other is left as it is. */
  async start(pageId: string, maintenanceId: string): Promise<Maintenance> {
    const path = incidentPath(pageId, maintenanceId);
    // Components before the incident: if it still reads scheduled, no start (ours or another worker's) had put them
    // under maintenance when they were read, so what is recorded is what they were before, never under_maintenance.
    const statusOf = await this.statusesOn(pageId);
    const current = await this.call<WireIncident>(`read maintenance ${maintenanceId}`, 'GET', path);
    if (current.status !== 'scheduled') return asMaintenance(pageId, current);
    const ids = (current.components ?? []).map((c) => c.id);
    const meta: Record<string, unknown> = { ...current.metadata?.[NAMESPACE] };
    for (const id of ids) meta[`${PREVIOUS}${id}`] = statusOf(id);
    const started = await this.call<WireIncident>(`start maintenance ${maintenanceId}`, 'PATCH', path, {
      incident: {
        status: 'in_progress',
        body: STARTED,
        components: Object.fromEntries(ids.map((id) => [id, 'under_maintenance'])),
        // The whole metadata goes back: other namespaces and the ulid survive whether Statuspage merges or replaces.
        metadata: { ...current.metadata, [NAMESPACE]: meta },
      },
    });
    return asMaintenance(pageId, started);
  }

  /** Moves the scheduled end; a maintenance already completed keeps its own. */
  async extend(pageId: string, maintenanceId: string, until: string): Promise<void> {
    const path = incidentPath(pageId, maintenanceId);
    const current = await this.call<WireIncident>(`read maintenance ${maintenanceId}`, 'GET', path);
    if (current.status === 'completed') return;
    await this.call<WireIncident>(`extend maintenance ${maintenanceId}`, 'PATCH', path, {
      incident: { scheduled_until: until },
    });
  }

  /** Completes the maintenance and restores each component's previous status (never forcing operational). */
  async complete(maintenance: Maintenance): Promise<Maintenance> {
    const path = incidentPath(maintenance.pageId, maintenance.id);
    const current = asMaintenance(
      maintenance.pageId,
      await this.call<WireIncident>(`read maintenance ${maintenance.id}`, 'GET', path),
    );
    if (current.status === 'completed') return current;
    // Never started: its components were never put under maintenance, and statuses recorded at creation are stale.
    if (current.status === 'scheduled') {
      const calledOff = await this.call<WireIncident>(
        `call off maintenance ${maintenance.id}`,
        'PATCH',
        path,
        {
          incident: { status: 'completed', body: CALLED_OFF },
        },
      );
      return asMaintenance(maintenance.pageId, calledOff);
    }
    // The incident's own memory wins: it was written when the components went under maintenance, whoever did it.
    const previous = { ...maintenance.previousStatuses, ...current.previousStatuses };
    const components = Object.fromEntries(
      current.componentIds.map((id) => [id, previous[id] ?? 'operational']),
    );
    const done = await this.call<WireIncident>(`complete maintenance ${maintenance.id}`, 'PATCH', path, {
      incident: { status: 'completed', body: COMPLETED, components },
    });
    return asMaintenance(maintenance.pageId, done);
  }
}
