import type { Catalog } from './catalog.js';
import type { CatalogSnapshot } from './hotfix.js';

/**
 * The catalog entries a hotfix uses, copied at plan time so that a catalog change never alters an in-flight hotfix.
 * The caller has checked that the client, env and services exist (the plan grammar does).
 */
export function snapshotOf(
  catalog: Catalog,
  client: string,
  env: string,
  services: readonly string[],
): CatalogSnapshot {
  const clientSpec = catalog.clients[client];
  const envSpec = clientSpec?.envs[env];
  if (!clientSpec || !envSpec) throw new Error(`snapshotOf: ${client}/${env} is not in the catalog`);
  const { envs: _envs, ...clientFacts } = clientSpec;
  const used = Object.fromEntries(
    services.map((name) => {
      const spec = catalog.services[name];
      if (!spec) throw new Error(`snapshotOf: service ${name} is not in the catalog`);
      return [name, spec];
    }),
  );
  return structuredClone({
    services: used,
    client: clientFacts,
    env: envSpec,
    policy: catalog.policy,
    changeControl: catalog.channels.changeControl,
  });
}
