import type { Channel, Conversation, Priority, SavedViewFilters, Status } from './types';

/**
 * A view in the left rail: a set of list filters. Teams and inboxes are views too ("team:<id>",
 * "inbox:<id>"), and so are the views members save ("saved:<id>").
 */
export type ViewId = 'mine' | 'unassigned' | 'open' | 'mentions' | 'breaching' | 'snoozed' | 'solved' | `team:${string}` | `inbox:${string}` | `saved:${string}`;

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
  return (FIXED_VIEWS as readonly string[]).includes(v) || /^(team|inbox|saved):[0-9a-f-]{36}$/.test(v);
}

export const savedViewId = (view: ViewId) => (view.startsWith('saved:') ? view.slice('saved:'.length) : undefined);

/** A view's order when the agent chose none: what breaches first comes first in "Breaching soon"; a saved view's own. */
export const defaultSort = (view: ViewId, saved?: SavedViewFilters): Sort => saved?.sort ?? (view === 'breaching' ? 'due' : 'newest');

/** A saved view's filters as a list query. */
function savedQuery(f: SavedViewFilters): ListQuery {
  const q: ListQuery = {};
  if (f.status?.length) q.status = f.status.join(',');
  for (const k of ['channel', 'priority', 'tag', 'assignee', 'team', 'inbox'] as const) if (f[k]) q[k] = f[k];
  if (f.snoozed !== undefined) q.snoozed = String(f.snoozed);
  return q;
}

/**
 * The list query of a view; the agent's filters override the view's own where they overlap.
 * A saved view's query comes from its filters (`saved`), which the caller looks up.
 */
export function viewQuery(view: ViewId, f: Filters = {}, saved?: SavedViewFilters): ListQuery {
  const base: ListQuery = (() => {
    if (view.startsWith('saved:')) return savedQuery(saved ?? {});
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
  q.sort = f.sort ?? defaultSort(view, saved);
  return q;
}

/** The views whose lists a saved view cannot hold: they are more than filters. */
const UNSAVABLE = new Set(['mentions', 'breaching']);

/**
 * What "Save view" keeps of a list query: its filters and sort. The parts that are no filter
 * (Mentions, Breaching soon) are left out, and `dropped` names them so the dialog can say so.
 */
export function savedFiltersOf(q: ListQuery): { filters: SavedViewFilters; dropped?: 'mentions' | 'breaching' } {
  const f: SavedViewFilters = {};
  const status = q.view === 'solved' ? 'solved,closed' : q.status;
  if (status) f.status = status.split(',') as Status[];
  if (q.channel) f.channel = q.channel as Channel;
  if (q.priority) f.priority = q.priority as Priority;
  for (const k of ['tag', 'assignee', 'team', 'inbox'] as const) if (q[k]) f[k] = q[k];
  if (q.snoozed) f.snoozed = q.snoozed === 'true';
  if (q.sort && q.sort !== 'newest') f.sort = q.sort as Sort;
  return { filters: f, dropped: q.view && UNSAVABLE.has(q.view) ? (q.view as 'mentions' | 'breaching') : undefined };
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

/** The view a conversation is found in when it is opened by its own address: where its state puts it. */
export function viewOf(c: Pick<Conversation, 'status' | 'assigneeId' | 'snoozedUntil'>, memberId: string, now = new Date()): ViewId {
  if (c.snoozedUntil && new Date(c.snoozedUntil) > now) return 'snoozed';
  if (c.status === 'solved' || c.status === 'closed') return 'solved';
  if (c.assigneeId === memberId) return 'mine';
  if (!c.assigneeId && c.status === 'open') return 'unassigned';
  return 'open';
}
