import type { Catalog } from '../../../domain/catalog.js';

/** What the plan form offers: the catalog's services and each client's envs. */
export function modalContext(catalog: Catalog, channel: string, threadTs?: string) {
  return {
    channel,
    ...(threadTs !== undefined ? { threadTs } : {}),
    services: Object.keys(catalog.services),
    clients: Object.fromEntries(
      Object.entries(catalog.clients).map(([name, c]) => [name, Object.keys(c.envs)]),
    ),
  };
}
