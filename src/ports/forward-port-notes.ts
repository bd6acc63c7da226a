/**
 * What the incident thread is told about bringing a completed hotfix's fix onto the default branch (seed 003): the
 * pull request the bot opened (or found), reminders while it stays open, a tag no `hotfix/` branch holds (so no pull
 * request could be opened), a repository GitHub refuses, and the end: merged, already there, or not needed on main.
 */

/** A forward-port pull request as the thread shows it. */
export interface ForwardPortLink {
  service: string;
  number: number;
  url: string;
}

/** Why the forward-port is over. */
export type ForwardPortEnd = 'on_default_branch' | 'merged' | 'not_needed';

/** One thread reply about the forward-port. */
export type ForwardPortNote =
  | { kind: 'opened'; pr: ForwardPortLink; head: string; base: string }
  | { kind: 'reminder'; prs: ForwardPortLink[]; missing: string[]; since: string }
  | { kind: 'no_branch'; service: string; message: string }
  | { kind: 'trouble'; service: string; message: string }
  | {
      kind: 'done';
      why: ForwardPortEnd;
      prs: ForwardPortLink[];
      waiver?: { by: string; reason: string };
    };
