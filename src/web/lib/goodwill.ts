import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './api';
import { numberFormat } from './time';

/** Goodwill actions (docs/goodwill.md): the shapes the API answers with, and one data hook per resource. */

export type GoodwillKind = 'credit' | 'refund' | 'replacement' | 'discount';
export const GOODWILL_KINDS: GoodwillKind[] = ['credit', 'refund', 'replacement', 'discount'];
export type GoodwillState = 'awaiting_approval' | 'approved' | 'denied';
export type GoodwillRole = 'owner' | 'admin' | 'agent' | 'light';
export const GOODWILL_ROLES: GoodwillRole[] = ['owner', 'admin', 'agent', 'light'];

export interface GoodwillAction {
  id: string;
  conversationId: string;
  conversationNumber: number | null;
  contactId: string;
  kind: GoodwillKind;
  amountMinor: number;
  currency: string;
  amount: string;
  reason: string;
  orderRef: string | null;
  state: GoodwillState;
  requestedByMemberId: string | null;
  requestedByName: string | null;
  decidedByMemberId: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  delivery: { status: 'queued' | 'delivered' | 'failed' | null; error: string | null; attempts: number; deliveredAt: string | null; externalRef: string | null };
  /** The sentence for the customer, in their language: only once approved. */
  customerText: string | null;
  createdAt: string;
}

export interface GoodwillSum {
  currency: string;
  kind: GoodwillKind;
  count: number;
  amountMinor: number;
}

export interface GoodwillLedger {
  given: GoodwillSum[];
  awaiting: GoodwillSum[];
  items: GoodwillAction[];
}

export interface GoodwillLimit {
  role: GoodwillRole;
  kind: GoodwillKind;
  currency: string;
  limitMinor: number | null;
}

export interface GoodwillSettings {
  orderWebhookUrl: string | null;
  orderWebhookSecret?: string | null;
  limits: GoodwillLimit[];
  defaults: { role: GoodwillRole; limitMajor: number | null }[];
}

/** How many digits a currency has after the point (2 for EUR, 0 for JPY), as the server counts them. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount for people: "€20.00". */
export function formatMoney(amountMinor: number, currency: string): string {
  try {
    return numberFormat({ style: 'currency', currency }).format(amountMinor / 10 ** minorDigits(currency));
  } catch {
    return `${amountMinor} ${currency}`;
  }
}

/** What an agent typed ("20", "20.5", "20,50") in minor units, or null when it is no amount of that currency. */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const m = /^\s*(\d{1,12})(?:[.,](\d+))?\s*$/.exec(text);
  if (!m || (m[2] && m[2].length > digits)) return null;
  const minor = Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0);
  return minor > 0 ? minor : null;
}

/** A role's limit for a kind in a currency, in minor units (null: none), from the workspace's rows or the defaults. */
export function limitOf(settings: GoodwillSettings, role: GoodwillRole, kind: GoodwillKind, currency: string): number | null {
  const row = settings.limits.find((l) => l.role === role && l.kind === kind && l.currency === currency);
  if (row) return row.limitMinor;
  const byDefault = settings.defaults.find((d) => d.role === role);
  if (!byDefault) return 0;
  return byDefault.limitMajor === null ? null : byDefault.limitMajor * 10 ** minorDigits(currency);
}

export const goodwillKeys = {
  all: ['goodwill'] as const,
  conversation: (id: string) => ['goodwill', 'conversation', id] as const,
  ledger: (query: Record<string, string>) => ['goodwill', 'ledger', query] as const,
  settings: ['goodwill', 'settings'] as const,
};

/** A conversation's actions; while one is being delivered, asked again every few seconds so its outcome shows. */
export function useConversationGoodwill(conversationId: string) {
  return useQuery({
    queryKey: goodwillKeys.conversation(conversationId),
    queryFn: () => api<{ items: GoodwillAction[] }>(`/conversations/${conversationId}/goodwill`).then((r) => r.items),
    refetchInterval: (q) => (q.state.data?.some((g) => g.delivery.status === 'queued') ? 2000 : false),
  });
}

export function useGoodwillLedger(query: Record<string, string>) {
  return useQuery({
    queryKey: goodwillKeys.ledger(query),
    queryFn: () => api<GoodwillLedger>('/goodwill/ledger', { query }),
    refetchInterval: (q) => (q.state.data?.items.some((g) => g.delivery.status === 'queued') ? 3000 : false),
  });
}

export function useGoodwillSettings() {
  return useQuery({ queryKey: goodwillKeys.settings, queryFn: () => api<GoodwillSettings>('/goodwill/settings') });
}

/** Gives goodwill from a conversation. */
export function useGiveGoodwill(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: GoodwillKind; amountMinor: number; currency: string; reason: string; orderRef?: string }) =>
      api<GoodwillAction>(`/conversations/${conversationId}/goodwill`, { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: goodwillKeys.all });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
    },
  });
}

/** A supervisor's approval or denial (with the reason). */
export function useDecideGoodwill() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, approve, reason }: { id: string; approve: boolean; reason?: string }) =>
      api<GoodwillAction>(`/goodwill/actions/${id}/${approve ? 'approve' : 'deny'}`, { method: 'POST', body: reason ? { reason } : {} }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: goodwillKeys.all });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
    },
  });
}
