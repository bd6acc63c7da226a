/** A `/hotfix pause`: who, why and when. */
export interface PauseState {
  by: string;
  reason: string;
  at: string;
}

/** An entry of the installation-wide audit trail (actions on no single hotfix, or on an environment). */
export interface ControlAudit {
  type: 'pause' | 'resume' | 'unlock';
  by: string;
  at: string;
  reason: string;
  target?: string;
  /** What was done, when more than the type says (which holder was resolved, which waiters were removed). */
  detail?: string;
}

/** Installation-wide switches, shared by every process through the store. */
export interface Controls {
  /** The pause in force, if any: no new deploy starts while paused; running ones finish. */
  paused(): Promise<PauseState | undefined>;
  pause(state: PauseState): Promise<void>;
  /** Lifts the pause; returns the pause it lifted. */
  resume(): Promise<PauseState | undefined>;
  /** Appends to the installation-wide audit trail. */
  audit(entry: ControlAudit): Promise<void>;
  /** The installation-wide audit trail, oldest first. */
  auditTrail(): Promise<ControlAudit[]>;
}
