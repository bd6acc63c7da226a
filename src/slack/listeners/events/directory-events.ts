import type { App } from '@slack/bolt';
import type { ListenerContext } from '../context.js';

/** The Slack events this file handles; slack-app.yml must subscribe to each. */
export const DIRECTORY_EVENTS = [
  'subteam_members_changed',
  'subteam_updated',
  'subteam_created',
  'member_joined_channel',
  'member_left_channel',
  'channel_rename',
  'group_rename',
  'channel_archive',
  'group_archive',
  'channel_unarchive',
  'group_unarchive',
] as const;

/** A field of an untrusted event payload, as a string, or undefined. */
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * Slack events that keep the directory fresh between scheduled reads: group membership, the bot joining or leaving a
 * channel, renames and archives. Slack acknowledges events before these run and retries up to three times, so each
 * handler is idempotent (it sets facts; it never counts).
 */
export function registerDirectoryEvents(app: App, ctx: ListenerContext): void {
  // Read when an event arrives, not at registration: listeners are registered before anything is served.
  const directory = {
    putGroup: (...a: Parameters<ListenerContext['deps']['directory']['putGroup']>) =>
      ctx.deps.directory.putGroup(...a),
    changeMembers: (...a: Parameters<ListenerContext['deps']['directory']['changeMembers']>) =>
      ctx.deps.directory.changeMembers(...a),
    channel: (id: string) => ctx.deps.directory.channel(id),
    putChannel: (...a: Parameters<ListenerContext['deps']['directory']['putChannel']>) =>
      ctx.deps.directory.putChannel(...a),
  };
  const at = () => ctx.deps.clock.now().toISOString();
  const handlers = new Map<string, (event: Record<string, unknown>, botUserId?: string) => Promise<void>>();
  const handle = (
    name: (typeof DIRECTORY_EVENTS)[number],
    run: (event: Record<string, unknown>, botUserId?: string) => Promise<void>,
  ) => handlers.set(name, run);

  handle('subteam_members_changed', async (e) => {
    const group = str(e.subteam_id);
    if (group) await directory.changeMembers(group, strings(e.added_users), strings(e.removed_users));
  });
  const subteam = async (e: Record<string, unknown>) => {
    const team = (e.subteam ?? {}) as Record<string, unknown>;
    const id = str(team.id);
    if (!id) return;
    if (typeof team.date_delete === 'number' && team.date_delete > 0)
      return directory.putGroup({ id, state: 'missing', members: [], checkedAt: at() });
    if (Array.isArray(team.users))
      await directory.putGroup({ id, state: 'known', members: strings(team.users), checkedAt: at() });
  };
  handle('subteam_updated', subteam);
  handle('subteam_created', subteam);

  const membership = (state: 'member' | 'not_member') => async (e: Record<string, unknown>, bot?: string) => {
    const channel = str(e.channel);
    if (!channel || bot === undefined || str(e.user) !== bot) return;
    await directory.putChannel({ id: channel, state, checkedAt: at() });
    // The event names no creation time (the incident start): a worker reads the channel's facts.
    if (state === 'member') await ctx.deps.directoryRequests.checkChannel(channel);
  };
  handle('member_joined_channel', membership('member'));
  handle('member_left_channel', membership('not_member'));

  const renamed = async (e: Record<string, unknown>) => {
    const channel = (e.channel ?? {}) as Record<string, unknown>;
    const id = str(channel.id);
    const name = str(channel.name);
    if (id && name && (await directory.channel(id))) await directory.putChannel({ id, name });
  };
  handle('channel_rename', renamed);
  handle('group_rename', renamed);
  const archived = (value: boolean) => async (e: Record<string, unknown>) => {
    const id = str(e.channel);
    if (id && (await directory.channel(id))) await directory.putChannel({ id, archived: value });
  };
  handle('channel_archive', archived(true));
  handle('group_archive', archived(true));
  handle('channel_unarchive', archived(false));
  handle('group_unarchive', archived(false));

  // One listener for all of them: Bolt runs every listener's matchers on every request, buttons and commands too.
  app.event(new RegExp(`^(${DIRECTORY_EVENTS.join('|')})$`), async ({ event, context }) => {
    const run = handlers.get(event.type);
    if (!run) return;
    try {
      await run(event as unknown as Record<string, unknown>, context.botUserId);
    } catch (error) {
      ctx.deps.log.error(
        { err: error, event: event.type },
        'directory event failed; the scheduled refresh will catch up',
      );
    }
  });
}
