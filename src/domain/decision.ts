import type { DecisionContext } from './commands.js';
import type { EventBody, HotfixEvent } from './events.js';
import type { Refusal } from './reasons.js';

/** What deciding returns: the events to append, or why nothing happens. `warnings` are shown but change nothing. */
export type Decision =
  { ok: true; events: HotfixEvent[]; warnings: string[] } | { ok: false; refusal: Refusal };

/** Turns event bodies into an accepted decision, stamped with the context's time and actor. */
export type Emit = (...bodies: EventBody[]) => Decision;

/** Stamps one body as an event. */
export function stamp(body: EventBody, ctx: DecisionContext, planVersion: number): HotfixEvent {
  return { ...body, at: ctx.now.toISOString(), by: ctx.actor.userId, planVersion };
}

/** An emitter for a record at `planVersion`. */
export function emitter(ctx: DecisionContext, planVersion: number): Emit {
  return (...bodies) => accepted(bodies.map((body) => stamp(body, ctx, planVersion)));
}

/** An accepted decision. */
export function accepted(events: HotfixEvent[], warnings: string[] = []): Decision {
  return { ok: true, events, warnings };
}

/** A refused decision. */
export function refused(refusal: Refusal): Decision {
  return { ok: false, refusal };
}

/** Adds warnings to an accepted decision; a refusal passes through. */
export function withWarnings(decision: Decision, warnings: string[]): Decision {
  return decision.ok ? { ...decision, warnings: [...decision.warnings, ...warnings] } : decision;
}
