import type { ChatMessage, OutboxItem } from './types';

/**
 * The pure rules of exactly-once chat on the visitor's side: what stays in the outbox,
 * and how messages from three sources (HTTP history, the socket, `sync` after a
 * reconnect) and the outbox's pending ones merge into one list without doubles.
 */

/** Adds messages to a conversation's list: the same id, or the same clientMessageId as a pending one, is one message. Oldest first. */
export function mergeMessages(list: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byKey = new Map<string, ChatMessage>();
  const keyOf = (m: ChatMessage) => (m.clientMessageId ? `c:${m.clientMessageId}` : `i:${m.id}`);
  for (const m of list) byKey.set(keyOf(m), m);
  for (const m of incoming) {
    const key = keyOf(m);
    const prev = byKey.get(key);
    // A stored message replaces its pending copy, never the other way round.
    if (prev && !prev.pending && m.pending) continue;
    byKey.set(key, m);
  }
  return [...byKey.values()].sort(byTime);
}

function byTime(a: ChatMessage, b: ChatMessage) {
  // Pending messages stay last, in the order they were written.
  if (!!a.pending !== !!b.pending) return a.pending ? 1 : -1;
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The last message Heard has stored (what `sync` asks to continue after). */
export function lastStoredId(list: ChatMessage[]): string | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (!list[i].pending) return list[i].id;
  return undefined;
}

/**
 * Removes an acknowledged message from the outbox. Messages written after it into the
 * same not-yet-existing conversation now go to the one Heard opened for it, so a quick
 * second message never opens a second conversation.
 */
export function acknowledge(outbox: OutboxItem[], clientMessageId: string, conversationId: string): OutboxItem[] {
  const acked = outbox.find((o) => o.clientMessageId === clientMessageId);
  return outbox
    .filter((o) => o.clientMessageId !== clientMessageId)
    .map((o) => (acked && o.conversationId === acked.conversationId && !o.conversationId ? { ...o, conversationId, newConversation: false } : o));
}

/** The outbox's messages shown in a conversation, marked pending. */
export function pendingIn(outbox: OutboxItem[], conversationId: string | null): ChatMessage[] {
  return outbox
    .filter((o) => o.conversationId === conversationId)
    .map((o) => ({
      id: `pending:${o.clientMessageId}`,
      conversationId,
      clientMessageId: o.clientMessageId,
      from: 'visitor',
      authorName: null,
      text: o.text,
      createdAt: o.createdAt,
      attachments: o.attachments?.map((a, i) => ({ id: `pending:${i}`, filename: a.filename, contentType: a.contentType, size: a.size })),
      pending: true,
    }));
}

/** An outbox read back from storage: anything malformed is dropped rather than trusted. */
export function parseOutbox(raw: string | null): OutboxItem[] {
  try {
    const v: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(v)
      ? v
          .filter((o): o is OutboxItem => !!o && typeof o.clientMessageId === 'string' && typeof o.text === 'string' && typeof o.createdAt === 'string')
          .map((o) => ({ ...o, conversationId: o.conversationId ?? null, attachments: Array.isArray(o.attachments) ? o.attachments.filter((a) => typeof a?.ticket === 'string') : undefined }))
      : [];
  } catch {
    return [];
  }
}
