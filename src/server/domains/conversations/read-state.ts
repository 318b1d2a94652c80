import { and, eq, sql } from 'drizzle-orm';
import { recordEvent } from '../../core/events/record-event.js';
import type { Executor } from '../../db/client.js';
import { conversationReads } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { getConversationRow } from './service.js';

/** Marks the conversation read for the calling member, now: its customer messages so far are no longer unread for them. */
export async function markConversationRead(tx: Executor, actor: Actor, id: string) {
  const c = await getConversationRow(tx, actor, id);
  const now = new Date();
  const [previous] = await tx
    .select()
    .from(conversationReads)
    .where(and(eq(conversationReads.memberId, actor.memberId), eq(conversationReads.conversationId, c.id)));
  const [row] = await tx
    .insert(conversationReads)
    .values({ memberId: actor.memberId, conversationId: c.id, lastReadAt: now })
    .onConflictDoUpdate({
      target: [conversationReads.memberId, conversationReads.conversationId],
      set: { lastReadAt: sql`greatest(${conversationReads.lastReadAt}, excluded.last_read_at)` },
    })
    .returning();
  // The customer may be watching (the chat widget shows "Seen"): the first reading of their newest message is an event.
  if (c.lastInboundAt && (!previous || previous.lastReadAt < c.lastInboundAt)) {
    await recordEvent(tx, { workspaceId: actor.workspaceId, conversationId: c.id, type: 'conversation.read', actorMemberId: actor.memberId, data: { lastReadAt: row.lastReadAt } });
  }
  return { conversationId: c.id, lastReadAt: row.lastReadAt, unread: false };
}
