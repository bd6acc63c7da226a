import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { can } from '../../../../src/domain/capabilities.js';
import { CALLBACK_IDS } from '../../../../src/slack/blocks/interaction-ids.js';
import { DIRECTORY_EVENTS } from '../../../../src/slack/listeners/events/directory-events.js';

interface Manifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string; long_description?: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; url: string; should_escape: boolean; usage_hint: string }>;
    shortcuts: Array<{ name: string; type: string; callback_id: string; description: string }>;
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions?: { request_url: string; bot_events: string[] };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(
  readFileSync(join(__dirname, '..', '..', '..', '..', 'slack-app.yml'), 'utf8'),
) as Manifest;

describe('slack-app.yml', () => {
  it('offers nothing this version does not do: no Home tab, no rollback, no Jenkins or ECS deploys as done', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(can('homeTab'));
    const said = `${manifest.display_information.description} ${manifest.display_information.long_description ?? ''} ${manifest.features.slash_commands.map((c) => (c as { description?: string }).description ?? '').join(' ')}`;
    if (!can('rollback')) expect(said).not.toMatch(/rolls back on one click|roll back production/i);
    if (!can('changeRecords')) expect(said).not.toMatch(/opens the change records/);
  });

  it('is a version 1 manifest for the hotfix-bot bot user', () => {
    expect(manifest._metadata).toEqual({ major_version: 1, minor_version: 1 });
    expect(manifest.features.bot_user).toEqual({ display_name: 'hotfix-bot', always_online: true });
    // Slack refuses a long description shorter than 174 characters.
    expect(manifest.display_information.long_description?.length).toBeGreaterThanOrEqual(174);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
  });

  it('declares /hotfix with escaping on, so mentions arrive as user ids', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({
        command: '/hotfix',
        url: 'https://hotfix-bot.example.com/slack/events',
        should_escape: true,
      }),
    ]);
  });

  it('names the message shortcut with the callback id the listener registers', () => {
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({
        type: 'message',
        name: 'Plan a hotfix here',
        callback_id: CALLBACK_IDS.planHereShortcut,
      }),
    ]);
    for (const s of manifest.features.shortcuts) expect(s.name.length).toBeLessThanOrEqual(24);
  });

  it('asks for the scopes the bot uses and not chat:write.public, because the bot must be invited', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        'commands',
        'chat:write',
        'channels:read',
        'groups:read',
        'channels:history',
        'groups:history',
        'channels:join',
        'usergroups:read',
        'users:read',
      ].sort(),
    );
  });

  it('sends interactions and events to /slack/events over HTTP unless switched to Socket Mode', () => {
    const { settings } = manifest;
    expect(settings.interactivity).toEqual({
      is_enabled: true,
      request_url: 'https://hotfix-bot.example.com/slack/events',
    });
    // Only the directory's events are handled (no Home tab yet), so only they are subscribed.
    expect([...(settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual(
      [...DIRECTORY_EVENTS].sort(),
    );
    expect(settings.event_subscriptions?.request_url).toBe('https://hotfix-bot.example.com/slack/events');
    expect(settings.socket_mode_enabled).toBe(false);
    expect(settings.org_deploy_enabled).toBe(false);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: false, messages_tab_enabled: true });
  });

  it('subscribes to every event that keeps the directory fresh, with the scopes they need', () => {
    expect(manifest.settings.event_subscriptions?.bot_events).toEqual(
      expect.arrayContaining([...DIRECTORY_EVENTS]),
    );
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['usergroups:read', 'channels:read', 'groups:read']),
    );
  });
});
