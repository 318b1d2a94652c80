import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations, events, messages } from '../../db/schema/index.js';

/*
 * The demo workspace's history (src/server/demo): made through the ordinary commands, then
 * moved back in time. Nothing else may rewrite a message's time or an event.
 */

/** Spreads the demo over the last days, so waiting times and ordering look like a real inbox. */
export async function backdate(db: Executor, messageId: string, hoursAgo: number) {
  const at = new Date(Date.now() - hoursAgo * 3_600_000);
  await db.update(messages).set({ createdAt: at, deliveredAt: null }).where(eq(messages.id, messageId));
  await db
    .update(events)
    .set({ createdAt: at })
    .where(and(eq(events.type, 'message.created'), sql`${events.data}->>'messageId' = ${messageId}`));
}

/** Recomputes a conversation's times from its backdated messages. */
export async function settleBackdated(db: Executor, conversationId: string) {
  const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.createdAt);
  const visible = rows.filter((m) => m.direction !== 'note');
  const firstIn = visible.find((m) => m.direction === 'in');
  const firstOut = visible.find((m) => m.direction === 'out');
  const last = visible.at(-1)!;
  await db
    .update(conversations)
    .set({
      createdAt: firstIn?.createdAt ?? last.createdAt,
      lastMessageAt: last.createdAt,
      firstResponseAt: firstOut?.createdAt ?? null,
      waitingSince: last.direction === 'in' ? last.createdAt : null,
    })
    .where(eq(conversations.id, conversationId));
  // "Customer started the conversation" at the first message's time, not at the moment the demo was loaded.
  await db
    .update(events)
    .set({ createdAt: firstIn?.createdAt ?? last.createdAt })
    .where(and(eq(events.conversationId, conversationId), eq(events.type, 'conversation.created')));
  // Demo replies are history: they were delivered long ago, not waiting for a channel now.
  await db
    .update(messages)
    .set({ deliveryStatus: 'sent', deliveredAt: sql`${messages.createdAt}` })
    .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'out')));
}
