import type { Channel, Priority, Status } from './types';

/** A view in the left rail: a saved set of list filters. Teams and inboxes are views too ("team:<id>", "inbox:<id>"). */
export type ViewId = 'mine' | 'unassigned' | 'open' | 'mentions' | 'breaching' | 'snoozed' | 'solved' | `team:${string}` | `inbox:${string}`;

export const FIXED_VIEWS = ['mine', 'unassigned', 'open', 'mentions', 'breaching', 'snoozed', 'solved'] as const;

export type Sort = 'newest' | 'waiting' | 'priority' | 'due';
export const SORTS: Sort[] = ['waiting', 'newest', 'priority', 'due'];

/** What the agent narrowed the view down to, kept in the URL's query string. */
export interface Filters {
  status?: Status;
  channel?: Channel;
  priority?: Priority;
  tag?: string;
  assignee?: string;
  sort?: Sort;
}

export type ListQuery = Record<string, string | undefined>;

export function isViewId(v: string | undefined): v is ViewId {
  if (!v) return false;
  return (FIXED_VIEWS as readonly string[]).includes(v) || /^(team|inbox):[0-9a-f-]{36}$/.test(v);
}

/** A view's order when the agent chose none: what breaches first comes first in "Breaching soon". */
export const defaultSort = (view: ViewId): Sort => (view === 'breaching' ? 'due' : 'newest');

/** The list query of a view; the agent's filters override the view's own where they overlap. */
export function viewQuery(view: ViewId, f: Filters = {}): ListQuery {
  const base: ListQuery = (() => {
    switch (view) {
      case 'mine':
        return { assignee: 'me', status: 'open,pending', snoozed: 'false' };
      case 'unassigned':
        return { assignee: 'none', status: 'open', snoozed: 'false' };
      case 'open':
        return { status: 'open', snoozed: 'false' };
      case 'mentions':
        return { view: 'mentions' };
      case 'breaching':
        return { view: 'breaching' };
      case 'snoozed':
        return { snoozed: 'true' };
      case 'solved':
        // Solved and closed, as the server's view (and its count in the rail) defines it.
        return { view: 'solved' };
      default: {
        const [kind, id] = view.split(':');
        return kind === 'team' ? { team: id, status: 'open', snoozed: 'false' } : { inbox: id, status: 'open', snoozed: 'false' };
      }
    }
  })();
  const q: ListQuery = { ...base };
  if (f.status) q.status = f.status;
  if (f.channel) q.channel = f.channel;
  if (f.priority) q.priority = f.priority;
  if (f.tag) q.tag = f.tag;
  if (f.assignee) q.assignee = f.assignee;
  q.sort = f.sort ?? defaultSort(view);
  return q;
}

export function filtersFromSearch(params: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of ['status', 'channel', 'priority', 'tag', 'assignee', 'sort'] as const) {
    const v = params.get(k);
    if (v) (f as Record<string, string>)[k] = v;
  }
  return f;
}

export function hasFilters(f: Filters) {
  return Boolean(f.status || f.channel || f.priority || f.tag || f.assignee);
}
