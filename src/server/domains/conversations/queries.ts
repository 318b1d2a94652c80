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

/** How many of the workspace's conversations carry each tag they carry. */
export async function tagUsage(db: Executor, workspaceId: string) {
  const used = db
    .select({ name: sql<string>`unnest(${conversations.tags})`.as('name') })
    .from(conversations)
    .where(eq(conversations.workspaceId, workspaceId))
    .as('used');
  const rows = await db.select({ name: used.name, n: sql<number>`count(*)::int` }).from(used).groupBy(used.name);
  return new Map(rows.map((r) => [r.name, r.n]));
}

/** How many of the workspace's conversations carry the tag. */
export async function countTagged(db: Executor, workspaceId: string, name: string) {
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), sql`${conversations.tags} @> array[${name}]::text[]`));
  return n;
}
