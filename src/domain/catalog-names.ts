/**
 * Matching names people type to the catalog's spelling, and the refusals for names it does not have. Shared by the
 * plan grammar and by the subcommands that name a client, env or service (`unlock`, `stats`, `branch`).
 */
import type { Catalog, ClientSpec } from './catalog.js';
import { didYouMean } from './closest.js';
import { Reason, refuse, type Refusal } from './reasons.js';
import { code } from './tokenize.js';

/** The key of `records` spelled like `name` ignoring case (people type `ACME` and `Prod`), if any. */
export function findName(name: string, records: Record<string, unknown>): string | undefined {
  if (Object.hasOwn(records, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(records).find((key) => key.toLowerCase() === lower);
}

/** The catalog's spelling of a service name, if it has the service. */
export function findService(name: string, catalog: Catalog): string | undefined {
  return findName(name, catalog.services);
}

/** The catalog's spelling of a client name, if it has the client. */
export function findClient(name: string, catalog: Catalog): string | undefined {
  return findName(name, catalog.clients);
}

/** The client's spelling of an env name, if the client has the env. */
export function findEnv(name: string, client: ClientSpec): string | undefined {
  return findName(name, client.envs);
}

/** Every env name any client has, each once, in catalog order. */
export function allEnvNames(catalog: Catalog): string[] {
  return [...new Set(Object.values(catalog.clients).flatMap((client) => Object.keys(client.envs)))];
}

/** The catalog's spelling of an env some client has, if any does. */
export function findAnyEnv(name: string, catalog: Catalog): string | undefined {
  return findName(name, Object.fromEntries(allEnvNames(catalog).map((env) => [env, true])));
}

/** `a`, `b` and `c` as inline code, cut after `max` names so a large catalog does not flood the message. */
export function listNames(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map((name) => `\`${name}\``);
  const more = names.length > max ? `, and ${names.length - max} more` : '';
  return `${shown.join(', ')}${more}`;
}

/** "Did you mean" when a name is close, else the list of names that would be right. */
function suggestion(name: string, known: readonly string[], what: string): string {
  return didYouMean(name, known) || ` Known ${what}: ${listNames(known)}.`;
}

/** Refuses a service the catalog does not have. */
export function unknownService(name: string, catalog: Catalog): Refusal {
  const known = Object.keys(catalog.services);
  return refuse(
    Reason.UnknownService,
    `Unknown service ${code(name)}.${suggestion(name, known, 'services')}`,
  );
}

/** Refuses a client the catalog does not have. */
export function unknownClient(name: string, catalog: Catalog): Refusal {
  const known = Object.keys(catalog.clients);
  return refuse(Reason.UnknownClient, `Unknown client ${code(name)}.${suggestion(name, known, 'clients')}`);
}

/** Refuses an env the client does not have (or, with no client known, that no client has), listing the right ones. */
export function unknownEnv(name: string, clientName: string | undefined, catalog: Catalog): Refusal {
  const client = clientName === undefined ? undefined : catalog.clients[clientName];
  const known = client ? Object.keys(client.envs) : allEnvNames(catalog);
  const where = client ? `\`${clientName}\` has no env ${code(name)}` : `No client has an env ${code(name)}`;
  const list = `${client ? 'Its envs are' : 'Envs are'} ${listNames(known)}.`;
  return refuse(Reason.UnknownEnv, `${where}.${didYouMean(name, known)} ${list}`);
}
