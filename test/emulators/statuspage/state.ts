/**
 * What a Statuspage account holds: pages, their components (with status) and incidents, of which scheduled and
 * in-progress maintenances are the kind the bot opens, and what Statuspage does to them by itself as time passes.
 * Shapes follow the v1 REST API's JSON.
 */
import { HttpError, isObject, type Json, type JsonObject } from '../http-kit/server.js';

export const COMPONENT_STATUSES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
const REALTIME_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;

export interface SpComponent {
  id: string;
  page_id: string;
  name: string;
  status: string;
  updated_at: string;
}

export interface SpIncident {
  id: string;
  page_id: string;
  name: string;
  status: string;
  impact: string;
  shortlink: string;
  created_at: string;
  updated_at: string;
  scheduled_for: string | null;
  scheduled_until: string | null;
  scheduled_auto_in_progress: boolean;
  scheduled_auto_completed: boolean;
  /** Statuspage sets the components under_maintenance when it goes in progress if this is on; on unless told. */
  auto_transition_to_maintenance_state: boolean;
  /** Statuspage sets the components operational on completion when this is on; we assume on unless told. */
  auto_transition_to_operational_state: boolean;
  resolved_at: string | null;
  metadata: JsonObject;
  components: SpComponent[];
  incident_updates: { id: string; status: string; body: string; created_at: string }[];
}

/** A page to start with: its id and components (status defaults to operational). */
export interface PageSeed {
  id: string;
  name?: string;
  components: { id: string; name?: string; status?: string }[];
}

const unprocessable = (message: string): HttpError => new HttpError(422, { error: [message] });

function str(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function date(value: Json | undefined, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw unprocessable(`${field} is not a valid date`);
  return value;
}

/** Pages, components and incidents, mutated by the wire handlers. */
export class StatuspageState {
  readonly pages = new Map<string, { id: string; name: string }>();
  readonly components = new Map<string, SpComponent>();
  readonly incidents = new Map<string, SpIncident>();
  /** Incidents created as maintenances: they take maintenance statuses only, and realtime ones never do. */
  private readonly maintenances = new Set<string>();
  private nextId = 1;

  constructor(
    seeds: PageSeed[],
    private readonly now: () => Date,
  ) {
    for (const page of seeds) {
      this.pages.set(page.id, { id: page.id, name: page.name ?? page.id });
      for (const c of page.components)
        this.components.set(c.id, {
          id: c.id,
          page_id: page.id,
          name: c.name ?? c.id,
          status: c.status ?? 'operational',
          updated_at: this.stamp(),
        });
    }
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** The page, or 404 as Statuspage answers for a page the key cannot see. */
  page(pageId: string): { id: string; name: string } {
    const page = this.pages.get(pageId);
    if (!page) throw new HttpError(404, { error: 'Page not found' });
    return page;
  }

  componentsOf(pageId: string): SpComponent[] {
    this.page(pageId);
    return [...this.components.values()].filter((c) => c.page_id === pageId);
  }

  component(pageId: string, id: string): SpComponent {
    const c = this.components.get(id);
    if (!c || c.page_id !== this.page(pageId).id) throw new HttpError(404, { error: 'Component not found' });
    return c;
  }

  setComponentStatus(pageId: string, id: string, status: Json | undefined): SpComponent {
    const c = this.component(pageId, id);
    if (typeof status !== 'string' || !(COMPONENT_STATUSES as readonly string[]).includes(status))
      throw unprocessable(`Status is not included in the list: ${String(status)}`);
    c.status = status;
    c.updated_at = this.stamp();
    return c;
  }

  incident(pageId: string, id: string): SpIncident {
    const incident = this.incidents.get(id);
    if (!incident || incident.page_id !== this.page(pageId).id)
      throw new HttpError(404, { error: 'Incident not found' });
    return incident;
  }

  private checkComponents(pageId: string, components: Json | undefined): void {
    if (components === undefined) return;
    if (!isObject(components)) throw unprocessable('components must be an object of component id to status');
    for (const [id, status] of Object.entries(components)) {
      this.component(pageId, id);
      if (typeof status !== 'string' || !(COMPONENT_STATUSES as readonly string[]).includes(status))
        throw unprocessable(`Status is not included in the list: ${String(status)}`);
    }
  }

  // Every status is checked before the first is set: a refused update changes nothing.
  private applyComponents(pageId: string, components: Json | undefined): void {
    this.checkComponents(pageId, components);
    if (!isObject(components)) return;
    for (const [id, status] of Object.entries(components)) this.setComponentStatus(pageId, id, status);
  }

  private validStatus(value: Json | undefined, allowed: readonly string[]): string {
    if (typeof value !== 'string' || !allowed.includes(value))
      throw unprocessable(`Status is not included in the list: ${String(value)}`);
    return value;
  }

  private statusesOf(incident: SpIncident): readonly string[] {
    return this.maintenances.has(incident.id) ? MAINTENANCE_STATUSES : REALTIME_STATUSES;
  }

  // Pessimistic order, as for completion: the automatic transition wins over statuses sent in the same update.
  private setStatus(incident: SpIncident, status: string, at: string): void {
    const from = incident.status;
    incident.status = status;
    if (status === 'completed' || status === 'resolved') incident.resolved_at = at;
    if (from === 'scheduled' && status === 'in_progress' && incident.auto_transition_to_maintenance_state)
      for (const c of incident.components)
        this.setComponentStatus(incident.page_id, c.id, 'under_maintenance');
    if (status === 'completed' && incident.auto_transition_to_operational_state)
      for (const c of incident.components) this.setComponentStatus(incident.page_id, c.id, 'operational');
  }

  private addUpdate(incident: SpIncident, body: string, at: string): void {
    const n = incident.incident_updates.length + 1;
    incident.incident_updates.push({
      id: `${incident.id}u${n}`,
      status: incident.status,
      body,
      created_at: at,
    });
    incident.updated_at = at;
  }

  /**
   * What Statuspage does by itself as time passes, by the emulator's clock: a scheduled maintenance with
   * scheduled_auto_in_progress starts at scheduled_for, one with scheduled_auto_completed completes at
   * scheduled_until. The emulator runs it before every request.
   */
  tick(): void {
    const now = this.now().getTime();
    const at = this.stamp();
    for (const incident of this.incidents.values()) {
      const due = (when: string | null): boolean => when !== null && Date.parse(when) <= now;
      if (
        incident.status === 'scheduled' &&
        incident.scheduled_auto_in_progress &&
        due(incident.scheduled_for)
      ) {
        this.setStatus(incident, 'in_progress', at);
        this.addUpdate(incident, 'Scheduled maintenance is currently in progress.', at);
      }
      const open = incident.status === 'in_progress' || incident.status === 'verifying';
      if (open && incident.scheduled_auto_completed && due(incident.scheduled_until)) {
        this.setStatus(incident, 'completed', at);
        this.addUpdate(incident, 'The scheduled maintenance has been completed.', at);
      }
    }
  }

  private validMetadata(value: Json | undefined): JsonObject {
    if (value === undefined) return {};
    // Statuspage metadata is two levels: { namespace: { key: value } }.
    if (!isObject(value) || !Object.values(value).every((v) => isObject(v)))
      throw unprocessable('metadata must be an object of objects');
    return value;
  }

  /** POST /pages/{page}/incidents. */
  create(pageId: string, input: JsonObject): SpIncident {
    this.page(pageId);
    const name = str(input['name']);
    if (!name) throw unprocessable("Name can't be blank");
    if (name.length > 255) throw unprocessable('Name is too long (maximum is 255 characters)');
    if ((str(input['body']) ?? '').length > 25_000)
      throw unprocessable('Body is too long (maximum is 25000 characters)');
    const status = this.validStatus(input['status'] ?? 'investigating', [
      ...REALTIME_STATUSES,
      ...MAINTENANCE_STATUSES,
    ]);
    const scheduledFor = date(input['scheduled_for'], 'Scheduled for');
    const scheduledUntil = date(input['scheduled_until'], 'Scheduled until');
    if (status === 'scheduled' && (!scheduledFor || !scheduledUntil))
      throw unprocessable('Scheduled maintenances need scheduled_for and scheduled_until');
    if (scheduledFor && scheduledUntil && Date.parse(scheduledUntil) <= Date.parse(scheduledFor))
      throw unprocessable('Scheduled until must be after scheduled for');
    const metadata = this.validMetadata(input['metadata']);
    const ids = Array.isArray(input['component_ids']) ? input['component_ids'] : [];
    const components = ids.map((id) => this.component(pageId, String(id)));
    this.applyComponents(pageId, input['components']);
    const at = this.stamp();
    const id = `inc${String(this.nextId++).padStart(9, '0')}`;
    const incident: SpIncident = {
      id,
      page_id: pageId,
      name,
      status,
      impact:
        str(input['impact_override']) ??
        (status === 'scheduled' || status === 'in_progress' ? 'maintenance' : 'none'),
      shortlink: `https://stspg.io/${id}`,
      created_at: at,
      updated_at: at,
      scheduled_for: scheduledFor,
      scheduled_until: scheduledUntil,
      scheduled_auto_in_progress: input['scheduled_auto_in_progress'] === true,
      scheduled_auto_completed: input['scheduled_auto_completed'] === true,
      auto_transition_to_maintenance_state: input['auto_transition_to_maintenance_state'] !== false,
      auto_transition_to_operational_state: input['auto_transition_to_operational_state'] !== false,
      resolved_at: null,
      metadata,
      components,
      incident_updates: [{ id: `${id}u1`, status, body: str(input['body']) ?? '', created_at: at }],
    };
    this.incidents.set(id, incident);
    if ((MAINTENANCE_STATUSES as readonly string[]).includes(status)) this.maintenances.add(id);
    return incident;
  }

  /**
   * PATCH /pages/{page}/incidents/{id}: status, body (a new update), components' statuses, scheduled end, metadata.
   * Everything is checked before anything changes. Metadata sent replaces the incident's whole metadata: the API
   * reference does not say Statuspage merges it, so a client that sends one namespace must expect to lose the rest.
   */
  update(pageId: string, id: string, input: JsonObject): SpIncident {
    const incident = this.incident(pageId, id);
    const status =
      input['status'] === undefined
        ? undefined
        : this.validStatus(input['status'], this.statusesOf(incident));
    const metadata = input['metadata'] === undefined ? undefined : this.validMetadata(input['metadata']);
    let until: string | undefined;
    if (input['scheduled_until'] !== undefined) {
      until = date(input['scheduled_until'], 'Scheduled until') ?? undefined;
      if (!until) throw unprocessable('Scheduled until is not a valid date');
      if (incident.scheduled_for && Date.parse(until) <= Date.parse(incident.scheduled_for))
        throw unprocessable('Scheduled until must be after scheduled for');
    }
    this.applyComponents(pageId, input['components']);
    const at = this.stamp();
    if (status !== undefined) this.setStatus(incident, status, at);
    if (metadata !== undefined) incident.metadata = metadata;
    if (until !== undefined) incident.scheduled_until = until;
    this.addUpdate(incident, str(input['body']) ?? '', at);
    return incident;
  }

  /** GET /pages/{page}/incidents?q=: the text is searched in names and update bodies, newest first. */
  list(pageId: string, q: string | null): SpIncident[] {
    this.page(pageId);
    const needle = q?.toLowerCase();
    return [...this.incidents.values()]
      .filter((i) => i.page_id === pageId)
      .filter(
        (i) =>
          !needle ||
          i.name.toLowerCase().includes(needle) ||
          i.incident_updates.some((u) => u.body.toLowerCase().includes(needle)),
      )
      .reverse();
  }

  /** An incident as the API returns it, with each component's current status. */
  view(incident: SpIncident): JsonObject {
    return JSON.parse(
      JSON.stringify({
        ...incident,
        components: incident.components.map((c) => this.components.get(c.id) ?? c),
      }),
    ) as JsonObject;
  }
}
