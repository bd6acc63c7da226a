/**
 * The `<service>@<tag>[,<service>@<tag>...]` part of a plan: each entry checked against the catalog, duplicates and
 * mixed deploy methods refused, and every problem reported together.
 */
import type { Catalog, DeployMethod, ServiceSpec } from './catalog.js';
import { findService, unknownService } from './catalog-names.js';
import { Reason, refuse, type Refusal } from './reasons.js';
import { code } from './tokenize.js';

/** A service and the tag to deploy, names in the catalog's spelling. */
export interface ServiceTag {
  service: string;
  tag: string;
}

/** What the service list said: the entries that are right, the list as text for a form, and what was wrong. */
export interface ServiceList {
  services: ServiceTag[];
  /** Every entry as given (names in catalog spelling where known), comma-separated: prefill for the plan form. */
  text: string;
  /** The one deploy method the services share; absent when none is known or they differ. */
  method?: DeployMethod;
  problems: Refusal[];
}

interface Entry {
  name: string;
  tag: string;
  spec?: ServiceSpec;
  problems: Refusal[];
}

/** Parses service-list words (`a@1,`, `b@2` or `a@1,b@2`; spaces after commas are fine). */
export function parseServiceList(words: readonly string[], catalog: Catalog): ServiceList {
  const entries = words
    .join(',')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => parseEntry(entry, catalog));
  const problems = [...entries.flatMap((e) => e.problems), ...duplicates(entries), ...mixedMethods(entries)];
  const methods = new Set(entries.flatMap((e) => (e.spec ? [e.spec.method] : [])));
  const [method] = methods;
  return {
    services: entries.flatMap((e) =>
      e.spec && e.problems.length === 0 ? [{ service: e.name, tag: e.tag }] : [],
    ),
    text: entries.map((e) => (e.tag ? `${e.name}@${e.tag}` : e.name)).join(','),
    ...(method !== undefined && methods.size === 1 ? { method } : {}),
    problems,
  };
}

function parseEntry(entry: string, catalog: Catalog): Entry {
  const at = entry.indexOf('@');
  const given = at < 0 ? entry : entry.slice(0, at);
  const found = findService(given, catalog);
  const spec = found === undefined ? undefined : catalog.services[found];
  if (found === undefined || !spec) return withoutSpec(entry, given, at, catalog);
  const tag = at < 0 ? '' : entry.slice(at + 1);
  return { name: found, tag, spec, problems: tagProblems(found, spec, tag) };
}

function withoutSpec(entry: string, given: string, at: number, catalog: Catalog): Entry {
  const tag = at < 0 ? '' : entry.slice(at + 1);
  if (given === '') {
    const problem = refuse(Reason.UnknownService, `${code(entry)} has no service name before the @.`);
    return { name: '', tag, problems: [problem] };
  }
  // Docker habit: `service:tag`. Say so rather than call the whole thing an unknown service.
  const colon = at < 0 ? given.indexOf(':') : -1;
  const name = colon < 0 ? undefined : findService(given.slice(0, colon), catalog);
  if (name !== undefined) {
    const wanted = `${name}@${given.slice(colon + 1)}`;
    const problem = refuse(
      Reason.BadTag,
      `Join a service and its tag with @, not a colon: write ${code(wanted)}.`,
    );
    return { name, tag: given.slice(colon + 1), problems: [problem] };
  }
  return { name: given, tag, problems: [unknownService(given, catalog)] };
}

function tagProblems(name: string, spec: ServiceSpec, tag: string): Refusal[] {
  const example = `${name}@${spec.tagExample}`;
  if (tag === '') return [refuse(Reason.BadTag, `${code(name)} needs a tag: write it like \`${example}\`.`)];
  const matches = tagMatcher(spec.tagPattern);
  if (!matches) {
    return [
      refuse(Reason.BadTag, `The catalog's tagPattern for ${code(name)} is not a valid regular expression.`),
    ];
  }
  if (matches(tag)) return [];
  // The commonest slip: a `v` too many or too few.
  const fixed = [`v${tag}`, tag.replace(/^v/i, '')].find(
    (candidate) => candidate !== tag && matches(candidate),
  );
  const hint = fixed === undefined ? '' : ` Did you mean ${code(`${name}@${fixed}`)}?`;
  return [
    refuse(
      Reason.BadTag,
      `${code(tag)} is not a tag of ${code(name)}: its tags look like \`${spec.tagExample}\`.${hint}`,
    ),
  ];
}

/** A tester for a catalog tag pattern; undefined when the pattern does not compile, so a bad catalog never throws. */
function tagMatcher(pattern: string): ((tag: string) => boolean) | undefined {
  try {
    const regex = new RegExp(pattern);
    return (tag) => regex.test(tag);
  } catch {
    return undefined;
  }
}

function duplicates(entries: readonly Entry[]): Refusal[] {
  const byName = new Map<string, Entry[]>();
  for (const entry of entries.filter((e) => e.name !== '')) {
    const key = entry.name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), entry]);
  }
  return [...byName.values()]
    .filter((same) => same.length > 1)
    .map((same) => {
      const listed = same.map((e) => code(e.tag ? `${e.name}@${e.tag}` : e.name)).join(', ');
      const times = same.length === 2 ? 'twice' : `${same.length} times`;
      return refuse(
        Reason.DuplicateService,
        `${code(same[0]?.name ?? '')} is listed ${times} (${listed}): a plan deploys each service once.`,
      );
    });
}

const COUNT_WORDS = ['', 'one', 'two', 'three', 'four'];

function mixedMethods(entries: readonly Entry[]): Refusal[] {
  const byMethod = new Map<DeployMethod, string[]>();
  for (const { spec, name } of entries) {
    if (spec && !byMethod.get(spec.method)?.includes(name)) {
      byMethod.set(spec.method, [...(byMethod.get(spec.method) ?? []), name]);
    }
  }
  if (byMethod.size < 2) return [];
  const uses = [...byMethod].map(
    ([method, names]) =>
      `${names.map((n) => `\`${n}\``).join(', ')} ${names.length > 1 ? 'use' : 'uses'} ${method}`,
  );
  const plans = COUNT_WORDS[byMethod.size] ?? String(byMethod.size);
  return [
    refuse(
      Reason.MixedMethods,
      `A plan has one deploy method: split it into ${plans} plans. ${uses.join('; ')}.`,
    ),
  ];
}
