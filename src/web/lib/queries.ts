import { type InfiniteData, type QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './api';
import type { CannedResponse, Contact, Conversation, Inbox, Me, Member, Page, SavedView, SavedViewFilters, Team, Timeline } from './types';
import type { ListQuery } from './views';

export const qk = {
  me: ['me'] as const,
  members: ['members'] as const,
  teams: ['teams'] as const,
  inboxes: ['inboxes'] as const,
  views: ['views'] as const,
  savedViews: ['saved-views'] as const,
  lists: ['conversations'] as const,
  list: (q: ListQuery) => ['conversations', q] as const,
  timeline: (ref: string) => ['timeline', ref] as const,
  contact: (id: string) => ['contact', id] as const,
  conversation: (id: string) => ['conversation', id] as const,
  canned: ['canned'] as const,
};

export function useMe() {
  return useQuery({ queryKey: qk.me, queryFn: () => api<Me>('/me'), retry: false, staleTime: Infinity });
}

export function useMembers() {
  return useQuery({ queryKey: qk.members, queryFn: () => api<{ items: Member[] }>('/members').then((r) => r.items), staleTime: 60_000 });
}

export function useTeams() {
  return useQuery({ queryKey: qk.teams, queryFn: () => api<{ items: Team[] }>('/teams').then((r) => r.items), staleTime: 60_000 });
}

export function useInboxes() {
  return useQuery({ queryKey: qk.inboxes, queryFn: () => api<{ items: Inbox[] }>('/inboxes').then((r) => r.items), staleTime: 60_000 });
}

export type ViewCounts = Record<string, number>;

interface ViewsAnswer {
  [view: string]: number | { id: string; name?: string; count: number }[] | Record<string, number>;
}

/** Counts per rail entry from GET /views. */
export function useViewCounts() {
  return useQuery({ queryKey: qk.views, queryFn: async () => flattenCounts(await api<ViewsAnswer>('/views')), staleTime: 15_000, refetchInterval: 60_000 });
}

/** {mine: 3, teams: [{id, count}], inboxes: [...], saved: {<id>: 4}} becomes {mine: 3, "team:<id>": 2, "inbox:<id>": 5, "saved:<id>": 4}. */
export function flattenCounts(r: ViewsAnswer): ViewCounts {
  const out: ViewCounts = {};
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'number') out[k] = v;
    else if (Array.isArray(v) && (k === 'teams' || k === 'inboxes')) for (const it of v) out[`${k === 'teams' ? 'team' : 'inbox'}:${it.id}`] = it.count;
    else if (k === 'saved' && v && typeof v === 'object') for (const [id, n] of Object.entries(v)) if (typeof n === 'number') out[`saved:${id}`] = n;
  }
  return out;
}

/** The saved views I see: my own and my teams' (an admin's: every team's). */
export function useSavedViews() {
  return useQuery({
    queryKey: qk.savedViews,
    queryFn: async () => {
      try {
        return (await api<{ items: SavedView[] }>('/saved-views')).items;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export type SavedViewInput = { name: string; filters: SavedViewFilters } & ({ personal: true } | { teamId: string });
export type SavedViewPatch = Partial<{ name: string; filters: SavedViewFilters; position: number }>;

/** Saves, changes or deletes a saved view; the rail's list and counts follow. */
export function useSavedViewMutations() {
  const qc = useQueryClient();
  const settled = () => {
    void qc.invalidateQueries({ queryKey: qk.savedViews });
    void qc.invalidateQueries({ queryKey: qk.views });
  };
  return {
    create: useMutation({
      mutationFn: (body: SavedViewInput) => api<SavedView>('/saved-views', { method: 'POST', body }),
      // In the list at once, so the view opens before the list is fetched again.
      onSuccess: (v) => qc.setQueryData<SavedView[]>(qk.savedViews, (old) => (old ? [...old, v] : [v])),
      onSettled: settled,
    }),
    update: useMutation({ mutationFn: ({ id, patch }: { id: string; patch: SavedViewPatch }) => api<SavedView>(`/saved-views/${id}`, { method: 'PATCH', body: patch }), onSettled: settled }),
    remove: useMutation({ mutationFn: (id: string) => api<void>(`/saved-views/${id}`, { method: 'DELETE' }), onSettled: settled }),
  };
}

export function useConversationList(q: ListQuery, enabled = true) {
  return useInfiniteQuery({
    enabled,
    queryKey: qk.list(q),
    queryFn: ({ pageParam, signal }) => api<Page<Conversation>>('/conversations', { query: { ...q, limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 10_000,
  });
}

async function fetchTimeline(ref: string) {
  const data = await api<Timeline>(`/conversations/${ref}/timeline`);
  // With heard:conversation-rendered (ConversationView), this measures rendering alone.
  performance.mark('heard:timeline-data');
  return data;
}

/** Loads a conversation before it is opened (the row under the pointer or the keyboard cursor). */
export function prefetchTimeline(qc: QueryClient, ref: string) {
  void qc.prefetchQuery({ queryKey: qk.timeline(ref), queryFn: () => fetchTimeline(ref), staleTime: 10_000 });
}

export function useTimeline(ref: string | undefined) {
  return useQuery({
    queryKey: qk.timeline(ref ?? ''),
    queryFn: () => fetchTimeline(ref!),
    enabled: !!ref, retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2 });
}

export function useContact(id: string | undefined) {
  return useQuery({ queryKey: qk.contact(id ?? ''), queryFn: () => api<Contact>(`/contacts/${id}`), enabled: !!id });
}

/** One conversation as GET /conversations/:id has it: with its cc participants. */
export function useConversation(id: string | undefined) {
  return useQuery({ queryKey: qk.conversation(id ?? ''), queryFn: () => api<Conversation>(`/conversations/${id}`), enabled: !!id, staleTime: 10_000 });
}

export function useCanned(enabled: boolean) {
  return useQuery({
    queryKey: qk.canned,
    queryFn: async () => {
      try {
        return (await api<{ items: CannedResponse[] }>('/canned-responses')).items;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      }
    },
    enabled,
    staleTime: 60_000,
  });
}

/** Replaces a conversation wherever the lists and the timeline hold it. */
export function patchConversationInCaches(qc: QueryClient, c: Partial<Conversation> & { id: string }) {
  qc.setQueriesData<InfiniteData<Page<Conversation>>>({ queryKey: qk.lists }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((x) => (x.id === c.id ? { ...x, ...c } : x)) })) } : data,
  );
  qc.setQueriesData<Timeline>({ queryKey: ['timeline'] }, (data) => (data && data.conversation.id === c.id ? { ...data, conversation: { ...data.conversation, ...c } } : data));
}

export type ConversationPatch = Partial<{
  status: string;
  priority: string;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  addTags: string[];
  removeTags: string[];
  snoozedUntil: string | null;
}>;

export function useUpdateConversation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: ConversationPatch }) => api<Conversation>(`/conversations/${id}`, { method: 'PATCH', body: patch }),
    onMutate: ({ id, patch }) => {
      const optimistic: Partial<Conversation> & { id: string } = { id };
      for (const k of ['status', 'priority', 'assigneeId', 'teamId', 'tags', 'snoozedUntil'] as const) if (k in patch) (optimistic as Record<string, unknown>)[k] = patch[k];
      patchConversationInCaches(qc, optimistic);
    },
    onSuccess: (c) => patchConversationInCaches(qc, c),
    onSettled: (_c, _e, { id }) => {
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
      void qc.invalidateQueries({ queryKey: ['timeline'], predicate: (q) => (q.state.data as Timeline | undefined)?.conversation.id === id });
    },
  });
}

/**
 * Brings the lists up to date after a change elsewhere. A short list is simply refetched; a long
 * one (many pages scrolled in) gets only its first page again, merged in front, so an event does
 * not cost a refetch of every page.
 */
export async function refreshLists(qc: QueryClient) {
  const queries = qc.getQueryCache().findAll({ queryKey: qk.lists });
  for (const query of queries) {
    const data = query.state.data as InfiniteData<Page<Conversation>> | undefined;
    if (!query.isActive()) {
      void qc.invalidateQueries({ queryKey: query.queryKey, exact: true, refetchType: 'none' });
      continue;
    }
    if (!data || data.pages.length <= 2) {
      void qc.invalidateQueries({ queryKey: query.queryKey, exact: true });
      continue;
    }
    const q = query.queryKey[1] as ListQuery;
    try {
      const fresh = await api<Page<Conversation>>('/conversations', { query: { ...q, limit: 50 } });
      const ids = new Set(fresh.items.map((c) => c.id));
      qc.setQueryData<InfiniteData<Page<Conversation>>>(query.queryKey, (old) =>
        old ? { ...old, pages: [fresh, ...old.pages.slice(1).map((p) => ({ ...p, items: p.items.filter((c) => !ids.has(c.id)) }))], pageParams: old.pageParams } : old,
      );
    } catch {
      // The next event or a focus refetch tries again.
    }
  }
}
