/**
 * The catalog schema: the YAML layout of `manifests/catalog.yml`, parsed into exactly the `Catalog` of the domain.
 * Sections live in their own files; this one joins them and proves the result has the domain's type.
 */
import { z } from 'zod';
import type { Catalog } from '../domain/catalog.js';
import { clientsSchema } from './client-schema.js';
import { checkCrossReferences } from './cross-references.js';
import { policySchema } from './policy-schema.js';
import { channelRef, text } from './primitives.js';
import { servicesSchema } from './service-schema.js';

/** The whole catalog. Cross-references run even when a section is malformed, so one pass reports everything. */
export const catalogSchema = z
  .strictObject({
    services: servicesSchema,
    clients: clientsSchema,
    channels: z.strictObject({ changeControl: channelRef }),
    policy: policySchema,
    changeTickets: z
      .strictObject({
        projectKey: text,
        issueType: text,
        transitions: z.strictObject({
          start: text,
          complete: text,
          fail: text,
          cancel: text,
          reopen: text.optional(),
          rollback: text.optional(),
        }),
      })
      .optional(),
  })
  .superRefine(checkCrossReferences, { when: () => true });

/** True only when each type is assignable to the other, i.e. the parsed output is the domain type, no more, no less. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Fails to compile when the schema and src/domain/catalog.ts drift apart.
const _outputIsCatalog: Same<z.output<typeof catalogSchema>, Catalog> = true;
