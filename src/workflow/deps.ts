import type { Catalog } from '../domain/catalog.js';
import type { Chat } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';
import type { HotfixStore } from '../ports/hotfix-store.js';
import type { Jobs } from '../ports/jobs.js';
import type { Log } from '../ports/log.js';
import type { ActorDirectory } from './actors.js';

/** What every use case and step may use. Built once in main.ts; tests build it with real adapters and emulators. */
export interface WorkflowDeps {
  catalog: Catalog;
  store: HotfixStore;
  chat: Chat;
  jobs: Jobs;
  clock: Clock;
  actors: ActorDirectory;
  log: Log;
  /** Makes the ULID of a new hotfix; injectable so the demo is repeatable. */
  newUlid: (now: Date) => string;
}
