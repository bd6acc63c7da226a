/**
 * The workspace the Slack emulator starts with. Ids match manifests/catalog.yml and the demo, so a test can run the
 * real catalog against the emulator without seeding anything.
 */
import type { BotIdentity, TeamIdentity, WorkspaceSeed } from './types.js';

/** The bot token the emulator accepts unless told otherwise. */
export const DEFAULT_BOT_TOKEN = 'xoxb-test-token';

/** The bot the default token belongs to. */
export const DEFAULT_BOT: BotIdentity = {
  userId: 'U0HOTFIXBOT',
  botId: 'B0HOTFIXBOT',
  appId: 'A0HOTFIXBOT',
  name: 'hotfix-bot',
};

/** The workspace the emulator pretends to be. */
export const DEFAULT_TEAM: TeamIdentity = { id: 'T0EXAMPLE', domain: 'example', name: 'Example Org' };

const unix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** A fresh copy of the default workspace (callers may extend it without affecting other emulators). */
export function defaultWorkspace(): WorkspaceSeed {
  return {
    users: [
      { id: 'U0PRIYA', name: 'priya', real_name: 'Priya Raman' },
      { id: 'U0CTOALICE', name: 'alice', real_name: 'Alice Chen' },
      { id: 'U0BOB', name: 'bob', real_name: 'Bob Okafor' },
      { id: 'U0CAROL', name: 'carol', real_name: 'Carol Diaz' },
      { id: 'U0DAVE', name: 'dave', real_name: 'Dave Kim' },
      { id: 'U0RELMGR1', name: 'rita', real_name: 'Rita Novak' },
      { id: 'U0DECANT1', name: 'dana', real_name: 'Dana Ito' },
      { id: 'U0DECANT2', name: 'diego', real_name: 'Diego Alves' },
      { id: 'U0AGENT01', name: 'amir', real_name: 'Amir Haddad' },
      { id: 'U0DEPLOY01', name: 'deepa', real_name: 'Deepa Shah' },
      { id: 'U0TAMACME', name: 'tom', real_name: 'Tom Becker (Acme TAM)' },
      { id: 'U0TAMGLOBEX', name: 'gina', real_name: 'Gina Moretti (Globex TAM)' },
      { id: DEFAULT_BOT.userId, name: DEFAULT_BOT.name, real_name: 'Hotfix Bot', is_bot: true },
    ],
    userGroups: [
      {
        id: 'S0APPROVERS',
        handle: 'change-approvers',
        name: 'Change approvers',
        users: ['U0BOB', 'U0CAROL'],
      },
      { id: 'S0ONCALL', handle: 'oncall', name: 'On-call engineers', users: ['U0PRIYA'] },
      { id: 'S0RELMGRS', handle: 'release-managers', name: 'Release managers', users: ['U0RELMGR1'] },
    ],
    channels: [
      {
        id: 'C0INC4211',
        name: 'inc-4211-decanting',
        created: unix('2026-11-17T14:25:00Z'),
        is_member: true,
        is_private: false,
      },
      {
        id: 'C0CHANGECTL',
        name: 'announcements-change-control',
        created: unix('2024-03-01T09:00:00Z'),
        is_member: true,
        is_private: false,
      },
      {
        id: 'C0PSACME',
        name: 'prod-support-acme',
        created: unix('2024-03-04T09:00:00Z'),
        is_member: true,
        is_private: false,
      },
      {
        id: 'C0PSGLOBEX',
        name: 'prod-support-globex',
        created: unix('2024-05-13T09:00:00Z'),
        is_member: true,
        is_private: true,
      },
      // The bot has not joined these: one it may join, one it cannot even see.
      {
        id: 'C0GENERAL',
        name: 'general',
        created: unix('2023-01-09T09:00:00Z'),
        is_member: false,
        is_private: false,
      },
      {
        id: 'C0LEADERSHIP',
        name: 'leadership',
        created: unix('2023-01-09T09:00:00Z'),
        is_member: false,
        is_private: true,
      },
    ],
  };
}
