import type { Executor } from '../../db/client.js';
import { events } from '../../db/schema/index.js';

/** The kinds of event on the timeline; processors and clients switch on these names. */
export type EventType =
  | 'conversation.created'
  | 'conversation.updated'
  | 'message.created'
  | 'message.delivery'
  | 'contact.updated'
  | 'contact.merged'
  | 'member.updated'
  | 'member.mentioned'
  | 'conversation.merged'
  | 'conversation.split'
  | 'mail.held'
  | 'conversation.read';

export interface NewEvent {
  workspaceId: string;
  type: EventType;
  conversationId?: string | null;
  actorMemberId?: string | null;
  actorContactId?: string | null;
  data?: Record<string, unknown>;
}

/** Writes an event in the caller's transaction: it becomes visible, and is dispatched, only if that transaction commits. */
export async function recordEvent(tx: Executor, e: NewEvent) {
  const [row] = await tx
    .insert(events)
    .values({
      workspaceId: e.workspaceId,
      type: e.type,
      conversationId: e.conversationId ?? null,
      actorMemberId: e.actorMemberId ?? null,
      actorContactId: e.actorContactId ?? null,
      data: e.data ?? {},
    })
    .returning();
  return row;
}

export type EventRow = typeof events.$inferSelect;
