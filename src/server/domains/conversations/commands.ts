import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversationParticipants, conversations, type EmailData, messages } from '../../db/schema/index.js';
import { recordEvent } from '../../core/events/record-event.js';
import type { EventData } from '../../core/events/types.js';

import { validateCustomValues } from '../custom-fields/service.js';

/**
 * The writes other domains make to conversations and messages, as commands of this one:
 * callers never touch these tables themselves.
 */

/**
 * A contact merged into another: its conversations, messages and cc's belong to the kept
 * contact from now on, so a reply from any of its addresses still threads as a customer's.
 * A cc row that would repeat one the kept contact has (or that names the conversation's
 * own customer) is dropped rather than doubled.
 */
export async function moveContact(tx: Executor, workspaceId: string, fromContactId: string, toContactId: string) {
  await tx
    .update(conversations)
    .set({ contactId: toContactId })
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.contactId, fromContactId)));
  await tx
    .update(messages)
    .set({ contactId: toContactId })
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.contactId, fromContactId)));
  const ccOf = await tx
    .delete(conversationParticipants)
    .where(eq(conversationParticipants.contactId, fromContactId))
    .returning({ conversationId: conversationParticipants.conversationId, createdAt: conversationParticipants.createdAt });
  if (ccOf.length) {
    const customerOf = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(inArray(conversations.id, ccOf.map((p) => p.conversationId)), eq(conversations.contactId, toContactId)));
    const kept = ccOf.filter((p) => !customerOf.some((c) => c.id === p.conversationId));
    if (kept.length) {
      await tx
        .insert(conversationParticipants)
        .values(kept.map((p) => ({ conversationId: p.conversationId, contactId: toContactId, createdAt: p.createdAt })))
        .onConflictDoNothing();
    }
  }
  // The kept contact may have been cc'd on a conversation that is now its own.
  await tx
    .delete(conversationParticipants)
    .where(
      and(
        eq(conversationParticipants.contactId, toContactId),
        inArray(conversationParticipants.conversationId, sql`(select ${conversations.id} from ${conversations} where ${conversations.contactId} = ${toContactId})`),
      ),
    );
}

/** A tag renamed: every conversation of the workspace carrying it carries the new name, once where it had both. */
export async function renameTagOnConversations(tx: Executor, workspaceId: string, from: string, to: string) {
  await tx
    .update(conversations)
    .set({
      tags: sql`case when ${conversations.tags} @> array[${to}]::text[] then array_remove(${conversations.tags}, ${from}) else array_replace(${conversations.tags}, ${from}, ${to}) end`,
      updatedAt: new Date(),
    })
    .where(and(eq(conversations.workspaceId, workspaceId), sql`${conversations.tags} @> array[${from}]::text[]`));
}

/** A tag deleted: no conversation of the workspace carries it any more. */
export async function removeTagFromConversations(tx: Executor, workspaceId: string, name: string) {
  await tx
    .update(conversations)
    .set({ tags: sql`array_remove(${conversations.tags}, ${name})`, updatedAt: new Date() })
    .where(and(eq(conversations.workspaceId, workspaceId), sql`${conversations.tags} @> array[${name}]::text[]`));
}

type DeliveryStatus = NonNullable<(typeof messages.$inferSelect)['deliveryStatus']>;

/**
 * What became of a reply sent out: its status and error on the message (`whileQueued`: only
 * if still queued, so a late outcome never overwrites a newer one), and on the timeline
 * unless it is still queued for its first attempt. An attempt of the delivery job
 * (`attempted`) is counted, and a failed one that will be retried keeps `nextAt`, so the
 * team sees the retry coming. The message as updated, or undefined when no outgoing
 * message of the workspace matched.
 */
export async function recordDelivery(
  tx: Executor,
  workspaceId: string,
  messageId: string,
  outcome: { status: DeliveryStatus; error: string | null; whileQueued?: boolean; attempted?: boolean; nextAt?: Date | null },
) {
  const [m] = await tx
    .update(messages)
    .set({
      deliveryStatus: outcome.status,
      deliveryError: outcome.error,
      ...(outcome.whileQueued ? { deliveredAt: outcome.status === 'sent' ? new Date() : null } : {}),
      ...(outcome.attempted ? { deliveryAttempts: sql`${messages.deliveryAttempts} + 1`, deliveryNextAt: outcome.nextAt ?? null } : {}),
    })
    .where(
      and(
        eq(messages.id, messageId),
        eq(messages.workspaceId, workspaceId),
        eq(messages.direction, 'out'),
        outcome.whileQueued ? eq(messages.deliveryStatus, 'queued') : undefined,
      ),
    )
    .returning();
  if (m && (outcome.status !== 'queued' || m.deliveryNextAt)) {
    await recordEvent(tx, {
      workspaceId,
      conversationId: m.conversationId,
      type: 'message.delivery',
      data: {
        messageId: m.id,
        deliveryStatus: outcome.status,
        deliveryError: m.deliveryError,
        ...(outcome.attempted ? { attempts: m.deliveryAttempts } : {}),
        ...(m.deliveryNextAt ? { nextAttemptAt: m.deliveryNextAt } : {}),
      },
    });
  }
  return m;
}

/**
 * An automatic message to the customer (an e-mail auto-reply, a contact form's
 * confirmation, a satisfaction survey, a request to show their words on the feedback wall): an outgoing message queued for delivery that
 * answers nobody, so it is no reply for the SLA clocks. `html`, when given, is Heard's own
 * markup (escaped where it holds anything a person wrote), sent as the e-mail's HTML part.
 */
export async function systemMessage(
  tx: Executor,
  c: { workspaceId: string; conversationId: string; inboxId: string; contactId: string; channel: (typeof messages.$inferSelect)['channel']; text: string; html?: string; survey?: boolean; consent?: boolean },
) {
  const [m] = await tx
    .insert(messages)
    .values({
      workspaceId: c.workspaceId,
      conversationId: c.conversationId,
      inboxId: c.inboxId,
      direction: 'out',
      channel: c.channel,
      contactId: c.contactId,
      text: c.text,
      html: c.html ?? null,
      deliveryStatus: 'queued',
      email: { autoAck: true, ...(c.survey ? { survey: true } : {}), ...(c.consent ? { consent: true } : {}) },
    })
    .returning();
  await recordEvent(tx, {
    workspaceId: c.workspaceId,
    conversationId: c.conversationId,
    type: 'message.created',
    data: { messageId: m.id, direction: 'out', deliveryStatus: 'queued', autoAck: true },
  });
  return m;
}

/**
 * The customer has seen the team's replies up to `messageId`: each not seen before is marked
 * seen, and the agents get a `message.delivery` event with `seenUpTo`.
 */
export async function recordSeen(tx: Executor, c: { id: string; workspaceId: string; contactId: string }, messageId: string) {
  const seen = await tx
    .update(messages)
    .set({ seenAt: new Date() })
    .where(
      and(
        eq(messages.conversationId, c.id),
        eq(messages.direction, 'out'),
        sql`${messages.seenAt} is null`,
        sql`(${messages.createdAt}, ${messages.id}) <= (select m.created_at, m.id from ${messages} m where m.id = ${messageId} and m.conversation_id = ${c.id})`,
      ),
    )
    .returning({ id: messages.id, seenAt: messages.seenAt });
  if (seen.length) {
    await recordEvent(tx, {
      workspaceId: c.workspaceId,
      conversationId: c.id,
      type: 'message.delivery',
      actorContactId: c.contactId,
      data: { seenUpTo: messageId, messageIds: seen.map((m) => m.id), seenAt: seen[0].seenAt },
    });
  }
  return { seen: seen.length };
}

/** The headers and addresses a reply goes out with, kept on the message so the agent sees where it went. */
export async function recordSentEmail(db: Executor, messageId: string, email: EmailData) {
  await db.update(messages).set({ email }).where(eq(messages.id, messageId));
}

type GoodwillEventType = 'goodwill.issued' | 'goodwill.requested' | 'goodwill.approved' | 'goodwill.denied' | 'goodwill.delivery';

/**
 * A goodwill action given, asked for, decided or delivered (domains/goodwill): on the
 * timeline of the conversation it was taken from, if that conversation is the workspace's.
 */
export async function recordGoodwill<T extends GoodwillEventType>(
  tx: Executor,
  e: { workspaceId: string; conversationId: string; actorMemberId: string | null; type: T; data: EventData<T> },
) {
  const [c] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.id, e.conversationId), eq(conversations.workspaceId, e.workspaceId)));
  if (!c) throw new Error(`conversation ${e.conversationId} is not in workspace ${e.workspaceId}`);
  await recordEvent(tx, { workspaceId: e.workspaceId, conversationId: c.id, type: e.type, actorMemberId: e.actorMemberId, data: e.data } as Parameters<typeof recordEvent>[1]);
}

/**
 * Custom field values the customer gave (an intake form, a reply that answers a request): set
 * on the conversation, checked against their definitions, and recorded as a change the
 * customer made. Values already there are not overwritten: the team may have corrected them.
 * Returns the keys set.
 */
export async function setCustomerFields(tx: Executor, c: { id: string; workspaceId: string; contactId: string }, values: Record<string, unknown>) {
  const [row] = await tx.select({ customFields: conversations.customFields }).from(conversations).where(eq(conversations.id, c.id)).for('update');
  const fresh = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== null && v !== '' && (row.customFields[k] === undefined || row.customFields[k] === null || row.customFields[k] === '')));
  if (!Object.keys(fresh).length) return [];
  await validateCustomValues(tx, c, 'conversation', fresh);
  const next = { ...row.customFields, ...fresh };
  await tx.update(conversations).set({ customFields: next, updatedAt: new Date() }).where(eq(conversations.id, c.id));
  await recordEvent(tx, {
    workspaceId: c.workspaceId,
    conversationId: c.id,
    type: 'conversation.updated',
    actorContactId: c.contactId,
    data: { changes: { customFields: { from: row.customFields, to: next } } },
  });
  return Object.keys(fresh);
}

/**
 * An agent linked one of the customer's orders to the conversation (domains/catalog keeps the
 * link row itself); the conversation's timeline says so.
 */
export async function recordOrderLinked(tx: Executor, c: { id: string; workspaceId: string }, memberId: string, order: { id: string; externalId: string }) {
  await recordEvent(tx, { workspaceId: c.workspaceId, conversationId: c.id, type: 'order.linked', actorMemberId: memberId, data: { orderId: order.id, externalId: order.externalId } });
}
