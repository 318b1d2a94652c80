import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversationReads } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { getConversationRow } from './service.js';

/** Marks the conversation read for the calling member, now: its customer messages so far are no longer unread for them. */
export async function markConversationRead(tx: Executor, actor: Actor, id: string) {
  const c = await getConversationRow(tx, actor, id);
  const now = new Date();
  const [row] = await tx
    .insert(conversationReads)
    .values({ memberId: actor.memberId, conversationId: c.id, lastReadAt: now })
    .onConflictDoUpdate({
      target: [conversationReads.memberId, conversationReads.conversationId],
      set: { lastReadAt: sql`greatest(${conversationReads.lastReadAt}, excluded.last_read_at)` },
    })
    .returning();
  return { conversationId: c.id, lastReadAt: row.lastReadAt, unread: false };
}
