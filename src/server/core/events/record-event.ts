import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { events } from '../../db/schema/index.js';
import type { ActorSystem, EventData, EventType } from './types.js';

export type { EventType } from './types.js';

/** An event to record: its kind's data is typed by that kind's schema (types.ts). */
export type NewEvent = {
  [T in EventType]: {
    workspaceId: string;
    type: T;
    conversationId?: string | null;
    actorMemberId?: string | null;
    actorContactId?: string | null;
    actorSystem?: ActorSystem | null;
    data: EventData<T>;
  };
}[EventType];

/** Writes an event in the caller's transaction: it becomes visible, and is dispatched, only if that transaction commits. */
export async function recordEvent(tx: Executor, e: NewEvent) {
  const [row] = await tx.insert(events).values(eventRow(e)).returning();
  return row;
}

/** The events row of an event to record. */
function eventRow(e: NewEvent) {
  return {
    workspaceId: e.workspaceId,
    type: e.type,
    conversationId: e.conversationId ?? null,
    actorMemberId: e.actorMemberId ?? null,
    actorContactId: e.actorContactId ?? null,
    actorSystem: e.actorSystem ?? null,
    data: e.data as Record<string, unknown>,
  };
}

/**
 * The INSERT of several events, in the order given (their seq follows it): what one
 * command records at once, such as a new conversation and its first message. Awaited, it
 * runs (returning the events' ids); or it goes into a WITH of the statement that writes
 * what the events tell of. The list must not be empty.
 */
export function recordEvents(tx: Executor, list: NewEvent[]) {
  return tx.insert(events).values(list.map(eventRow)).returning({ id: events.id });
}

export type EventRow = typeof events.$inferSelect;

/** A conversation's events of these kinds, oldest first: what a replay (the SLA clocks) reads. */
export async function conversationHistory(db: Executor, conversationId: string, types: readonly EventType[]) {
  return db
    .select({ seq: events.seq, type: events.type, data: events.data, createdAt: events.createdAt })
    .from(events)
    .where(and(eq(events.conversationId, conversationId), inArray(events.type, [...types])))
    .orderBy(asc(events.seq));
}

/** The same for several conversations at once: each one's events, oldest first (none for one without any). */
export async function conversationHistories(db: Executor, conversationIds: string[], types: readonly EventType[]) {
  const byConversation = new Map<string, { seq: number; type: string; data: unknown; createdAt: Date }[]>();
  if (!conversationIds.length) return byConversation;
  const rows = await db
    .select({ conversationId: events.conversationId, seq: events.seq, type: events.type, data: events.data, createdAt: events.createdAt })
    .from(events)
    .where(and(inArray(events.conversationId, conversationIds), inArray(events.type, [...types])))
    .orderBy(asc(events.seq));
  for (const { conversationId, ...e } of rows) {
    const list = byConversation.get(conversationId!) ?? [];
    list.push(e);
    byConversation.set(conversationId!, list);
  }
  return byConversation;
}
