/**
 * The demo's catalog: the example catalog plus `failing-drill`, a copy of its rehearsal scripted to fail at the smoke
 * test (`rehearsal.failAt`), so the scene can show what people see when a deploy fails; decanting-service's health
 * URL on globex staging points at the demo's health endpoint. Written to a temporary file;
 * the example catalog itself is left as it is.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/**
 * Writes the demo catalog and returns its path. `healthUrl` is where the demo's decanting-service answers its health
 * check on globex staging (a local health endpoint), with a short soak window so the scene shows re-checks.
 */
export function demoCatalog(healthUrl: string): string {
  const doc = parseDocument(readFileSync(join(__dirname, '..', 'manifests', 'catalog.yml'), 'utf8'));
  const drill = doc.getIn(['services', 'runbook-drill']) as { clone(): unknown };
  doc.setIn(['services', 'failing-drill'], drill.clone());
  doc.setIn(['services', 'failing-drill', 'rehearsal', 'failAt'], 'Smoke test');
  doc.setIn(['clients', 'globex', 'envs', 'staging', 'healthUrls', 'decanting-service'], healthUrl);
  doc.setIn(['services', 'decanting-service', 'soak'], doc.createNode({ seconds: 2, everySeconds: 1 }));
  const path = join(mkdtempSync(join(tmpdir(), 'hotfix-demo-')), 'catalog.yml');
  writeFileSync(path, doc.toString());
  return path;
}
