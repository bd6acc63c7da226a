/**
 * A Jira workflow: statuses and the transitions available from each. Jira offers only the transitions of the
 * issue's current status; any other transition id is refused with 400.
 */

export interface JiraTransition {
  id: string;
  name: string;
  /** Status name it leads to. */
  to: string;
}

export interface JiraWorkflow {
  /** Status of a new issue. */
  initial: string;
  /** Transitions by the status they leave from. */
  transitions: Record<string, JiraTransition[]>;
}

/** A change workflow like a typical change-management project: Open -> In Progress -> Done, with cancel and reopen. */
export const CHANGE_WORKFLOW: JiraWorkflow = {
  initial: 'Open',
  transitions: {
    Open: [
      { id: '11', name: 'Start Progress', to: 'In Progress' },
      { id: '41', name: 'Cancel', to: 'Cancelled' },
    ],
    'In Progress': [
      { id: '21', name: 'Done', to: 'Done' },
      { id: '31', name: 'Failed', to: 'Failed' },
      { id: '41', name: 'Cancel', to: 'Cancelled' },
    ],
    Failed: [{ id: '51', name: 'Reopen', to: 'Open' }],
    Done: [{ id: '51', name: 'Reopen', to: 'Open' }],
    Cancelled: [],
  },
};

const STATUS_IDS: Record<string, string> = {};

/** A stable id per status name, as Jira gives each status one. */
export function statusId(name: string): string {
  STATUS_IDS[name] ??= String(10000 + Object.keys(STATUS_IDS).length);
  return STATUS_IDS[name] ?? '0';
}

/** The status category Jira shows for a status. */
export function statusCategory(name: string, workflow: JiraWorkflow): { key: string; name: string } {
  if (name === workflow.initial) return { key: 'new', name: 'To Do' };
  if ((workflow.transitions[name] ?? []).some((t) => t.to !== 'Cancelled' && t.to !== 'Open'))
    return { key: 'indeterminate', name: 'In Progress' };
  return { key: 'done', name: 'Done' };
}
