import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './api';
import { qk, refreshLists } from './queries';

/** A business event as the API presents it (GET /contacts/:id/events). */
export interface BusinessEvent {
  id: string;
  externalId: string;
  contactId: string;
  type: string;
  occurredAt: string;
  product: { sku: string | null; name: string | null } | null;
  amount: { value: number; currency: string } | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** A follow-up task of the outreach queue (GET /outreach/tasks). */
export interface OutreachTask {
  id: string;
  ruleId: string | null;
  ruleName: string;
  instructions: string;
  status: 'open' | 'done' | 'dismissed';
  dueAt: string;
  snoozedUntil: string | null;
  teamId: string | null;
  assigneeId: string | null;
  contact: { id: string; name: string; identities: { id: string; kind: string; value: string }[] };
  event: BusinessEvent | null;
  outcome: 'call' | 'message' | null;
  conversationId: string | null;
  closedByMemberId: string | null;
  closedAt: string | null;
  dismissReason: string | null;
}

export interface OutreachTaskDetail extends OutreachTask {
  history: { events: BusinessEvent[]; conversations: { id: string; number: number; subject: string; status: string; lastMessageAt: string | null }[] };
}

export type TaskState = 'due' | 'upcoming' | 'done';

export const outreachKey = ['outreach'] as const;

/** How many tasks of my queue are due: the rail's count, checked every half minute (tasks come due by the clock, not by an event). */
export function useOutreachCount() {
  return useQuery({ queryKey: [...outreachKey, 'count'], queryFn: () => api<{ due: number }>('/outreach/tasks/count').then((r) => r.due), refetchInterval: 30_000 });
}

export function useOutreachTasks(state: TaskState) {
  return useQuery({ queryKey: [...outreachKey, 'list', state], queryFn: () => api<{ items: OutreachTask[] }>('/outreach/tasks', { query: { state } }).then((r) => r.items), refetchInterval: 30_000 });
}

export function useOutreachTask(id: string | undefined) {
  return useQuery({ queryKey: [...outreachKey, 'task', id], queryFn: () => api<OutreachTaskDetail>(`/outreach/tasks/${id}`), enabled: !!id });
}

export function useContactEvents(contactId: string | undefined) {
  return useQuery({ queryKey: ['contact', contactId, 'events'], queryFn: () => api<{ items: BusinessEvent[] }>(`/contacts/${contactId}/events`).then((r) => r.items), enabled: !!contactId });
}

export interface TaskMessageInput {
  inboxId?: string;
  conversationId?: string;
  subject?: string;
  text: string;
}
export interface TaskCallInput {
  inboxId?: string;
  conversationId?: string;
  direction: 'outbound' | 'inbound';
  number: string;
  durationSeconds: number;
  outcome: 'answered' | 'no_answer' | 'voicemail' | 'busy' | 'failed';
  notes?: string;
}

/** What an agent does with a task: write, log a call, snooze or dismiss it. Each refreshes the queue and the lists. */
export function useTaskAction<I>(path: (id: string) => string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: I }) => api<unknown>(path(id), { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: outreachKey });
      void qc.invalidateQueries({ queryKey: qk.views });
      void refreshLists(qc);
    },
  });
}
