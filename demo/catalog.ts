/**
 * The demo's catalog: the example catalog plus `failing-drill`, a copy of its rehearsal scripted to fail at the smoke
 * test (`rehearsal.failAt`), so the scene can show what people see when a deploy fails; a change calendar and
 * Statuspage page for globex staging; decanting-service's health URL on globex staging points at the demo's health
 * endpoint. Written to a temporary file; the example catalog itself is left as it is.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The change calendar and Statuspage page of globex staging in the demo. */
export const DEMO_CALENDAR = 'globex-staging-changes@group.calendar.google.com';
export const DEMO_PAGE = 'globexstagingpg';

/**
 * Writes the demo catalog and returns its path. `healthUrl` is where the demo's decanting-service answers its health
 * check on globex staging (a local health endpoint), with a short soak window so the scene shows re-checks.
 */
export function demoCatalog(healthUrl: string): string {
  const doc = parseDocument(readFileSync(join(__dirname, '..', 'manifests', 'catalog.yml'), 'utf8'));
  const drill = doc.getIn(['services', 'runbook-drill']) as { clone(): unknown };
  doc.setIn(['services', 'failing-drill'], drill.clone());
  doc.setIn(['services', 'failing-drill', 'rehearsal', 'failAt'], 'Smoke test');
  // globex staging gets a change calendar and a Statuspage page, so its Jenkins hotfix has all three records.
  doc.setIn(['clients', 'globex', 'envs', 'staging', 'calendarId'], DEMO_CALENDAR);
  doc.setIn(
    ['clients', 'globex', 'envs', 'staging', 'statuspage'],
    doc.createNode({ pageId: DEMO_PAGE, componentIds: ['globexstgdecant', 'globexstgagent'] }),
  );
  doc.setIn(['clients', 'globex', 'envs', 'staging', 'healthUrls', 'decanting-service'], healthUrl);
  // The scenes show people choosing to roll back (a failure, a completed hotfix): staging waits for them here.
  doc.setIn(['policy', 'autoRollback', 'staging'], false);
  doc.setIn(['services', 'decanting-service', 'soak'], doc.createNode({ seconds: 2, everySeconds: 1 }));
  // external-agent on acme staging (the ECS scene) answers at the same endpoint, with the same short soak.
  doc.setIn(['clients', 'acme', 'envs', 'staging', 'healthUrls', 'external-agent'], healthUrl);
  doc.setIn(['services', 'external-agent', 'soak'], doc.createNode({ seconds: 2, everySeconds: 1 }));
  const path = join(mkdtempSync(join(tmpdir(), 'hotfix-demo-')), 'catalog.yml');
  writeFileSync(path, doc.toString());
  return path;
}
