/**
 * Modals: views.open / views.push exchange a trigger id the emulator issued (once, within 3 s, as Slack allows);
 * views.update replaces a view by id or external id, honouring `hash`; views.publish sets a user's App Home.
 */
import { randomBytes } from 'node:crypto';

import { blockProblems, checkedView } from './block-rules.js';
import type { MethodHandler } from './methods-chat.js';
import type { SlackState } from './state.js';
import type { InteractionOrigin, JsonObject, OpenedView } from './types.js';
import { SlackFailure, isJsonObject, optionalString, requiredString } from './wire.js';

/** How long Slack lets an app exchange a trigger id. */
export const TRIGGER_LIFETIME_MS = 3000;

const invalidTrigger = () =>
  new SlackFailure('invalid_arguments', {
    response_metadata: { messages: ['[ERROR] invalid `trigger_id`'] },
  });

/** Hands out a trigger id, as Slack attaches one to every interaction. */
export function issueTrigger(state: SlackState, origin: InteractionOrigin = {}): string {
  const id = `${state.nextId('').replace(/^0+/, '')}.${state.config.team.id.replace(/\D/g, '') || '1'}.${randomBytes(6).toString('hex')}`;
  state.triggers.set(id, {
    issuedAt: state.now(),
    used: false,
    ...(origin.user !== undefined ? { user: origin.user } : {}),
    ...(origin.channel !== undefined ? { channel: origin.channel } : {}),
  });
  return id;
}

function exchangeTrigger(state: SlackState, args: JsonObject) {
  const id = optionalString(args, 'trigger_id') ?? optionalString(args, 'interactivity_pointer');
  const trigger = id === undefined ? undefined : state.triggers.get(id);
  if (id === undefined || !trigger) throw invalidTrigger();
  if (trigger.used) throw new SlackFailure('exchanged_trigger_id');
  if (state.now() - trigger.issuedAt >= TRIGGER_LIFETIME_MS) throw new SlackFailure('expired_trigger_id');
  trigger.used = true;
  return { id, trigger };
}

function viewToWire(state: SlackState, opened: OpenedView, root: string): JsonObject {
  const { bot, team } = state.config;
  return {
    private_metadata: '',
    callback_id: '',
    external_id: '',
    clear_on_close: false,
    notify_on_close: false,
    previous_view_id: null,
    ...structuredClone(opened.view),
    id: opened.id,
    team_id: team.id,
    state: { values: {} },
    hash: opened.hash,
    root_view_id: root,
    app_id: bot.appId,
    bot_id: bot.botId,
  };
}

function newHash(state: SlackState): string {
  return `${Math.floor(state.now() / 1000)}.${randomBytes(4).toString('hex')}`;
}

function openView(method: OpenedView['method']): MethodHandler {
  return (state, args) => {
    const view = checkedView(args['view']);
    const { id: triggerId, trigger } = exchangeTrigger(state, args);
    const externalId = view['external_id'];
    if (
      typeof externalId === 'string' &&
      externalId !== '' &&
      state.views.some((v) => v.view['external_id'] === externalId)
    ) {
      throw new SlackFailure('duplicate_external_id');
    }
    const opened: OpenedView = {
      id: state.nextId('V'),
      method,
      trigger_id: triggerId,
      view: structuredClone(view),
      hash: newHash(state),
      ts: state.nextTs(),
      updates: 0,
      ...(trigger.user !== undefined ? { user: trigger.user } : {}),
      ...(trigger.channel !== undefined ? { channel: trigger.channel } : {}),
    };
    const root =
      method === 'views.push' ? state.views.filter((v) => v.user === opened.user).at(-1)?.id : undefined;
    state.views.push(opened);
    return { view: viewToWire(state, opened, root ?? opened.id) };
  };
}

const update: MethodHandler = (state, args) => {
  const viewId = optionalString(args, 'view_id');
  const externalId = optionalString(args, 'external_id');
  if (viewId === undefined && externalId === undefined) {
    throw new SlackFailure('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] view_id or external_id is required'] },
    });
  }
  const opened = state.views.find((v) =>
    viewId !== undefined ? v.id === viewId : v.view['external_id'] === externalId,
  );
  if (!opened) throw new SlackFailure('not_found');
  const hash = optionalString(args, 'hash');
  if (hash !== undefined && hash !== opened.hash) throw new SlackFailure('hash_conflict');
  opened.view = structuredClone(checkedView(args['view']));
  opened.hash = newHash(state);
  opened.updates += 1;
  return { view: viewToWire(state, opened, opened.id) };
};

const publish: MethodHandler = (state, args) => {
  const user = state.user(requiredString(args, 'user_id', 'invalid_arguments')).id;
  const view = args['view'];
  if (!isJsonObject(view) || view['type'] !== 'home') throw new SlackFailure('invalid_arguments');
  const problems = blockProblems(view['blocks'], 100);
  if (problems.length > 0) {
    throw new SlackFailure('invalid_arguments', {
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    });
  }
  state.homeViews.set(user, structuredClone(view));
  return { view: { ...structuredClone(view), id: state.nextId('V'), team_id: state.config.team.id } };
};

/** The views.* methods by name. */
export const viewMethods: Record<string, MethodHandler> = {
  'views.open': openView('views.open'),
  'views.push': openView('views.push'),
  'views.update': update,
  'views.publish': publish,
};
