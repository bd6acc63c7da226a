import type { Audience, Catalog, Policy } from './catalog.js';
import type { ReasonCode } from './reasons.js';
import { Reason } from './reasons.js';

/** A Slack id the catalog names, with every place it is used (for messages that say what to fix). */
export interface SlackReference {
  id: string;
  name?: string;
  usedBy: string[];
}

/** The policy's audiences by the field name people see in the catalog. */
export function audiencesOf(policy: Policy): Record<string, Audience> {
  return {
    'policy.planners': policy.planners,
    'policy.approvers': policy.approvers,
    'policy.breakGlass.who': policy.breakGlass.who,
    'policy.operators': policy.operators,
    'policy.admins': policy.admins,
  };
}

/** Every user group the policy names: the only groups whose membership matters. */
export function groupReferences(policy: Policy): SlackReference[] {
  const byId = new Map<string, SlackReference>();
  for (const [field, audience] of Object.entries(audiencesOf(policy)))
    for (const id of audience.groups) {
      const ref = byId.get(id) ?? { id, usedBy: [] };
      ref.usedBy.push(field);
      byId.set(id, ref);
    }
  return [...byId.values()];
}

/** Every channel the catalog names: change control and each client's prod-support channel. */
export function channelReferences(catalog: Catalog): SlackReference[] {
  const byId = new Map<string, SlackReference>();
  const add = (id: string, name: string, field: string) => {
    const ref = byId.get(id) ?? { id, name, usedBy: [] };
    ref.usedBy.push(field);
    byId.set(id, ref);
  };
  add(catalog.channels.changeControl.id, catalog.channels.changeControl.name, 'channels.changeControl');
  for (const client of Object.values(catalog.clients))
    add(
      client.prodSupportChannel.id,
      client.prodSupportChannel.name,
      `clients.${client.name}.prodSupportChannel`,
    );
  return [...byId.values()];
}

/** Which audience a "you may not" refusal is about, so the person can be told when its group could not be read. */
export function audienceOfRefusal(code: ReasonCode): string | undefined {
  const fields: Partial<Record<ReasonCode, string>> = {
    [Reason.NotPlanner]: 'policy.planners',
    [Reason.NotApprover]: 'policy.approvers',
    [Reason.BreakGlassNotAllowed]: 'policy.breakGlass.who',
    [Reason.NotOperator]: 'policy.operators',
    [Reason.NotAdmin]: 'policy.admins',
  };
  return fields[code];
}
