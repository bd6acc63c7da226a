import type { Actor } from '../domain/commands.js';
import { SYSTEM } from '../domain/hotfix.js';

/** The bot itself, as the actor of the steps it takes. */
export const BOT: Actor = { userId: SYSTEM, groups: [] };
