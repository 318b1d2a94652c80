import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import { useInboxes } from './queries';

/** Mail Heard kept aside (GET /api/v1/mail-holds): a stranger's reply waiting for review, or mail it could not read (admins). */
export interface MailHold {
  id: string;
  inboxId: string;
  reason: 'unknown_sender' | 'unparseable';
  source: string;
  size: number;
  fromAddress: string | null;
  subject: string | null;
  detail: string | null;
  conversationId: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  createdAt: string;
}

export const heldMailKey = ['mail-holds'] as const;

export function useHeldMail(enabled = true, page = false) {
  return useQuery({
    // The page always asks afresh when opened; the rail's count may be a minute old.
    ...(page ? { refetchOnMount: 'always' as const } : {}),
    queryKey: heldMailKey,
    queryFn: () => api<{ items: MailHold[] }>('/mail-holds', { query: { limit: 200 } }).then((r) => r.items),
    enabled,
    staleTime: 15_000,
    refetchInterval: 60_000,
  });
}

/** How many held messages are open, for the rail; undefined when the workspace has no email inbox (the rail then shows no entry). */
export function useHeldMailCount(): number | undefined {
  const hasEmail = (useInboxes().data ?? []).some((i) => i.channel === 'email' && !i.archived);
  const held = useHeldMail(hasEmail);
  return hasEmail ? (held.data?.length ?? 0) : undefined;
}
