/**
 * `/hotfix branch <service> <ticket> [client]` (seed 003): which repository and which production tag the branch is
 * cut from, worked out from the catalog and the bot's records with no outside call (so the Slack handler can refuse
 * at once, in the ack), then the GitHub part after the ack: the running tag's commit, what runs elsewhere (a
 * `hotfix/` branch deployed now is never pushed to), and the branch created or found (create-hotfix-branch.ts).
 */
import {
  findClient,
  findService,
  listNames,
  unknownClient,
  unknownService,
} from '../domain/catalog-names.js';
import type { DeployedNow } from '../domain/hotfix-branch.js';
import { hotfixBranchName } from '../domain/hotfix-branch.js';
import { runningVersion } from '../domain/running-version.js';
import { SourceHostError, type SourceHost } from '../ports/source-host.js';
import { createHotfixBranch } from './create-hotfix-branch.js';
import type { WorkflowDeps } from './deps.js';

/** What the person asked for. */
export interface BranchAsk {
  service: string;
  ticket: string;
  client?: string;
}

/** A branch request ready for GitHub: the repository, the branch and the tag running in the client's production. */
export interface BranchPlan {
  service: string;
  repo: string;
  ticket: string;
  branch: string;
  client: string;
  env: string;
  runningTag: string;
  /** Where the running tag comes from, for the answer: "HF-12 completed". */
  source: string;
}

/** Works out the branch request from the catalog and the records; a refusal says what to type instead. */
export async function planBranch(
  deps: Pick<WorkflowDeps, 'catalog' | 'store' | 'sourceHost'>,
  ask: BranchAsk,
): Promise<{ ok: true; plan: BranchPlan } | { ok: false; message: string }> {
  if (!deps.sourceHost)
    return {
      ok: false,
      message:
        'GitHub is not enabled in this installation (GITHUB_TOKEN is not set), so the bot cannot create branches. Create the branch from the production tag by hand, or ask an admin to set GITHUB_TOKEN.',
    };
  const service = findService(ask.service, deps.catalog);
  if (!service) return { ok: false, message: unknownService(ask.service, deps.catalog).message };
  const named = hotfixBranchName(ask.ticket);
  if (!named.ok) return { ok: false, message: named.refusal.message };
  const client = chosenClient(deps.catalog, ask.client);
  if (!client.ok) return client;
  const env = productionEnv(deps.catalog, client.name);
  if (!env) return { ok: false, message: `\`${client.name}\` has no production env in the catalog.` };
  const running = runningVersion(await deps.store.listByTarget(client.name, env), service);
  const where = `${client.name} ${env}`;
  if (!running)
    return {
      ok: false,
      message: `The bot has no record of the ${service} version running in ${where}: no hotfix it ran deployed it there. Branch from the release tag by hand (seed 003: \`git checkout <tag>\`).`,
    };
  if (!running.known)
    return {
      ok: false,
      message: `${running.hotfixId} left ${service} in ${where} ${running.state}, so the version running there is not certain. Check it (seed 003: the running image), then branch from its tag by hand.`,
    };
  const how =
    running.how === 'completed'
      ? 'deployed by'
      : running.how === 'rolled_back'
        ? 'restored by the rollback of'
        : 'running before';
  const plan: BranchPlan = {
    service,
    repo: deps.catalog.services[service]?.repo ?? '',
    ticket: ask.ticket,
    branch: named.branch,
    client: client.name,
    env,
    runningTag: running.tag,
    source: `${how} ${running.hotfixId}`,
  };
  return { ok: true, plan };
}

function chosenClient(
  catalog: WorkflowDeps['catalog'],
  typed: string | undefined,
): { ok: true; name: string } | { ok: false; message: string } {
  if (typed !== undefined) {
    const name = findClient(typed, catalog);
    return name ? { ok: true, name } : { ok: false, message: unknownClient(typed, catalog).message };
  }
  const clients = Object.keys(catalog.clients);
  if (clients.length === 1 && clients[0]) return { ok: true, name: clients[0] };
  return {
    ok: false,
    message: `Name the client whose production the branch starts from: \`/hotfix branch <service> <ticket> <client>\`; clients are ${listNames(clients)}.`,
  };
}

function productionEnv(catalog: WorkflowDeps['catalog'], client: string): string | undefined {
  const envs = catalog.clients[client]?.envs ?? {};
  return Object.values(envs).find((env) => env.production)?.name;
}

/** Creates (or finds) the branch on GitHub; the answer is a sentence for the person, with the link. */
export async function runBranch(
  deps: Pick<WorkflowDeps, 'catalog' | 'store' | 'sourceHost'>,
  plan: BranchPlan,
): Promise<{ ok: boolean; text: string }> {
  const source = deps.sourceHost;
  if (!source) return { ok: false, text: 'GitHub is not enabled in this installation.' };
  let deployed: DeployedNow[];
  try {
    deployed = await deployedElsewhere(deps, source, plan);
  } catch (error) {
    if (!(error instanceof SourceHostError)) throw error;
    return { ok: false, text: `:no_entry: ${plan.branch} was not created: ${error.message}.` };
  }
  const answer = await createHotfixBranch(source, {
    service: plan.service,
    repo: plan.repo,
    ticket: plan.ticket,
    runningTag: plan.runningTag,
    deployed,
  });
  if (!answer.ok) return { ok: false, text: `:no_entry: ${answer.refusal.message}` };
  const from = `${plan.service} ${plan.runningTag} (${plan.client} ${plan.env}, ${plan.source})`;
  const text = answer.created
    ? `:seedling: Created <${answer.url}|${answer.branch}> from ${from}. Open your pull request against it (seed 003); merging into ${answer.branch} is what gets deployed.`
    : `:seedling: <${answer.url}|${answer.branch}> is already there, at ${from}; nothing was pushed. Open your pull request against it.`;
  return { ok: true, text };
}

/** What runs in every client's production now (its commit), so a branch deployed there is never pushed to. */
async function deployedElsewhere(
  deps: Pick<WorkflowDeps, 'catalog' | 'store'>,
  source: SourceHost,
  plan: BranchPlan,
): Promise<DeployedNow[]> {
  const deployed: DeployedNow[] = [];
  for (const client of Object.keys(deps.catalog.clients)) {
    const env = productionEnv(deps.catalog, client);
    if (!env) continue;
    const running = runningVersion(await deps.store.listByTarget(client, env), plan.service);
    if (!running?.known) continue;
    const tag = await source.findTag(plan.repo, running.tag);
    if (tag.found) deployed.push({ where: `${client} ${env}`, sha: tag.sha });
  }
  return deployed;
}
