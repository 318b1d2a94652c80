import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations } from '../../db/schema/index.js';

/** What other domains read of conversations, so that they never query these tables themselves. */

/** A contact's conversations on every channel, newest first, in brief. */
export async function conversationsOfContact(db: Executor, workspaceId: string, contactId: string) {
  return db
    .select({
      id: conversations.id,
      number: conversations.number,
      subject: conversations.subject,
      status: conversations.status,
      inboxId: conversations.inboxId,
      lastMessageAt: conversations.lastMessageAt,
    })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.contactId, contactId)))
    .orderBy(desc(conversations.lastMessageAt));
}
