/**
 * The StatusPage port on Statuspage: a maintenance is an incident with status scheduled or in_progress. The hotfix
 * reference goes into its body (so the API's text search finds it) and, with each component's previous status,
 * into its metadata, so completing restores those statuses even when another worker opened it.
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

// A live maintenance takes its components under maintenance now; a scheduled one when Statuspage starts it.
function windowFields(draft: MaintenanceDraft): Record<string, unknown> {
  const window = draft.window;
  if (window.mode === 'in_progress')
    return {
      components: Object.fromEntries(draft.componentIds.map((id) => [id, 'under_maintenance'])),
      scheduled_for: new Date().toISOString(),
      scheduled_until: window.until,
      // Never closed by Statuspage at the booked end: it stays open until the hotfix ends (seed 001).
      scheduled_auto_completed: false,
    };
  return {
    scheduled_for: window.from,
    scheduled_until: window.until,
    scheduled_auto_in_progress: true,
    scheduled_auto_completed: false,
    auto_transition_to_maintenance_state: true,
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

  /** Opens the maintenance once, recording each component's status before it. */
  async ensureOpen(draft: MaintenanceDraft): Promise<Maintenance> {
    const existing = await this.findByUlid(draft.pageId, draft.ulid);
    if (existing) return existing;
    const page = encodeURIComponent(draft.pageId);
    const components = await this.call<WireComponent[]>(
      `read the components of page ${draft.pageId}`,
      'GET',
      `/pages/${page}/components`,
    );
    const meta: Record<string, string> = { ulid: draft.ulid };
    for (const id of draft.componentIds) {
      const current = components.find((c) => c.id === id);
      if (!current)
        throw new RecordSystemError(
          'Statuspage',
          false,
          `Statuspage page ${draft.pageId} has no component ${id}`,
        );
      meta[`${PREVIOUS}${id}`] = current.status;
    }
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

  /** Moves the scheduled end; a maintenance already completed keeps its own. */
  async extend(pageId: string, maintenanceId: string, until: string): Promise<void> {
    const path = `/pages/${encodeURIComponent(pageId)}/incidents/${encodeURIComponent(maintenanceId)}`;
    const current = await this.call<WireIncident>(`read maintenance ${maintenanceId}`, 'GET', path);
    if (current.status === 'completed') return;
    await this.call<WireIncident>(`extend maintenance ${maintenanceId}`, 'PATCH', path, {
      incident: { scheduled_until: until },
    });
  }

  /** Completes the maintenance and restores each component's previous status (never forcing operational). */
  async complete(maintenance: Maintenance): Promise<Maintenance> {
    const path = `/pages/${encodeURIComponent(maintenance.pageId)}/incidents/${encodeURIComponent(maintenance.id)}`;
    const current = asMaintenance(
      maintenance.pageId,
      await this.call<WireIncident>(`read maintenance ${maintenance.id}`, 'GET', path),
    );
    if (current.status === 'completed') return current;
    // The incident's own memory wins: it was written when the maintenance opened, whoever opened it.
    const previous = { ...maintenance.previousStatuses, ...current.previousStatuses };
    const components = Object.fromEntries(
      current.componentIds.map((id) => [id, previous[id] ?? 'operational']),
    );
    const done = await this.call<WireIncident>(`complete maintenance ${maintenance.id}`, 'PATCH', path, {
      incident: { status: 'completed', body: 'The maintenance is complete.', components },
    });
    return asMaintenance(maintenance.pageId, done);
  }
}
