import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations, messages } from '../../db/schema/index.js';

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

/**
 * What decides whether a solved conversation gets a satisfaction survey, read under a lock
 * on the conversation (held to the end of the caller's transaction, so a reopening or a
 * merge waits for the decision): its state, whether a person of the team replied, and
 * whether any of its customer messages was automated mail (an auto-reply or a bounce).
 */
export async function lockForSurvey(tx: Executor, conversationId: string) {
  const [c] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for('update');
  if (!c) return undefined;
  const [facts] = await tx
    .select({
      agentReplies: sql<number>`count(*) filter (where ${messages.direction} = 'out' and ${messages.authorMemberId} is not null and ${messages.deliveryStatus} not in ('scheduled', 'cancelled'))::int`,
      automatedInbound: sql<number>`count(*) filter (where ${messages.direction} = 'in' and ${messages.email}->>'automated' is not null)::int`,
    })
    .from(messages)
    .where(eq(messages.conversationId, c.id));
  return {
    id: c.id,
    workspaceId: c.workspaceId,
    number: c.number,
    subject: c.subject,
    status: c.status,
    merged: c.mergedIntoId !== null,
    inboxId: c.inboxId,
    contactId: c.contactId,
    answeredByPerson: facts.agentReplies > 0,
    automatedInbound: facts.automatedInbound > 0,
  };
}

/** A conversation's number and subject: how pages outside the agent app name it to its customer. */
export async function conversationBrief(db: Executor, conversationId: string) {
  const [c] = await db.select({ number: conversations.number, subject: conversations.subject }).from(conversations).where(eq(conversations.id, conversationId));
  return c;
}

/** A message the customer wrote in a conversation of the workspace, for quoting it elsewhere (the feedback wall); undefined for any other. */
export async function customerMessage(db: Executor, workspaceId: string, messageId: string) {
  const [m] = await db
    .select({ id: messages.id, conversationId: messages.conversationId, contactId: conversations.contactId, messageContactId: messages.contactId, text: messages.text, call: messages.call })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, messageId), eq(messages.workspaceId, workspaceId), eq(messages.direction, 'in')));
  if (!m || m.call) return undefined;
  // Written by the conversation's customer (not someone in copy): the one who is asked for consent.
  return { id: m.id, conversationId: m.conversationId, contactId: m.contactId, byCustomer: m.messageContactId === null || m.messageContactId === m.contactId, text: m.text };
}
