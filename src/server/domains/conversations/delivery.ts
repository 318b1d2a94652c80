import { and, count, desc, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { attachments, conversations, messages } from '../../db/schema/index.js';
import { type Actor, eventActor } from '../../core/actor.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { contactEmail, contactsByIds } from '../contacts/service.js';
import { listInboxes } from '../inboxes/service.js';
import { conversationPolicy } from './policy.js';
import { presentMessage } from './present.js';

/**
 * A reply the customer has not got: failed for good (and not sent another way since), or
 * waiting for its next attempt after a failed one.
 */
const problem = or(
  and(eq(messages.deliveryStatus, 'failed'), isNull(messages.replacedById)),
  and(eq(messages.deliveryStatus, 'queued'), gt(messages.deliveryAttempts, 0)),
)!;

/** An outgoing message of the caller's workspace, with its conversation, under the rule for replying to it. */
async function replyToAct(tx: Executor, actor: Actor, messageId: string) {
  const [row] = await tx
    .select({ m: messages, c: conversations })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, messageId), eq(messages.workspaceId, actor.workspaceId), eq(messages.direction, 'out')));
  if (!row) throw new NotFound('Reply');
  if (!conversationPolicy.reply(actor, row.c)) throw new Forbidden('You can act only on replies of conversations assigned to you');
  return row;
}

/** The workspace's e-mail inbox a failed reply can go out through instead: its oldest one not archived. */
async function emailInboxOf(tx: Executor, actor: Actor) {
  const all = await listInboxes(tx, actor);
  return all.filter((i) => i.channel === 'email' && !i.archivedAt).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
}

/**
 * "Retry now": a reply that failed, or waits for its next attempt, is queued for an attempt
 * at once (the outbound processor hands it to the delivery job after commit). Its retries
 * then count afresh from now; the attempt planned before, should it still come, does nothing.
 */
export async function retryDelivery(tx: Executor, actor: Actor, messageId: string) {
  const { m } = await replyToAct(tx, actor, messageId);
  const retrying = m.deliveryStatus === 'queued' && m.deliveryAttempts > 0;
  const failed = m.deliveryStatus === 'failed' && !m.replacedById;
  if (!retrying && !failed) {
    throw new Conflict(m.replacedById ? 'This reply was sent another way already' : `Only a reply that failed or waits to be retried can be retried now; this one is ${m.deliveryStatus}`);
  }
  const now = new Date();
  const [updated] = await tx
    .update(messages)
    .set({ deliveryStatus: 'queued', deliveryNextAt: now })
    .where(and(eq(messages.id, m.id), eq(messages.deliveryStatus, m.deliveryStatus)))
    .returning();
  if (!updated) throw new Conflict('The delivery changed meanwhile; look again');
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: m.conversationId,
    type: 'message.delivery',
    ...eventActor(actor),
    data: {
      messageId: m.id,
      deliveryStatus: 'queued',
      deliveryError: updated.deliveryError,
      attempts: updated.deliveryAttempts,
      nextAttemptAt: now,
      retry: { due: now.toISOString(), since: now.toISOString() },
    },
  });
  return presentMessage(updated);
}

/**
 * "Send by e-mail instead": a reply that failed for good goes out again, the same words,
 * as an e-mail from the workspace's e-mail inbox to the customer's address. The failed one
 * stays as it was, marked as replaced by the new one; its attachments go with the e-mail.
 */
export async function sendByEmailInstead(tx: Executor, actor: Actor, messageId: string) {
  const { m, c } = await replyToAct(tx, actor, messageId);
  if (m.deliveryStatus !== 'failed') throw new Conflict(`Only a reply that failed can be sent by e-mail instead; this one is ${m.deliveryStatus}`);
  if (m.replacedById) throw new Conflict('This reply was sent another way already');
  if (m.channel === 'email') throw new Invalid('id', 'this reply was an e-mail already: retry it instead');
  const address = await contactEmail(tx, c.contactId);
  if (!address) throw new Invalid('id', 'the customer has no e-mail address');
  const inbox = await emailInboxOf(tx, actor);
  if (!inbox) throw new Invalid('id', 'the workspace has no e-mail inbox to send from');

  const [copy] = await tx
    .insert(messages)
    .values({
      workspaceId: actor.workspaceId,
      conversationId: c.id,
      inboxId: inbox.id,
      direction: 'out',
      channel: 'email',
      authorMemberId: actor.memberId,
      contactId: c.contactId,
      text: m.text,
      deliveryStatus: 'queued',
      email: { replyAll: false },
    })
    .returning();
  // Its files go along: stored by content, so the copy's rows point at the same bytes.
  const files = await tx.select().from(attachments).where(eq(attachments.messageId, m.id));
  if (files.length) {
    await tx.insert(attachments).values(
      files.map((f) => ({ workspaceId: f.workspaceId, messageId: copy.id, uploadedByMemberId: f.uploadedByMemberId, filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256, contentId: f.contentId })),
    );
  }
  await tx.update(messages).set({ replacedById: copy.id }).where(eq(messages.id, m.id));
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'message.created',
    ...eventActor(actor),
    data: { messageId: copy.id, direction: 'out', deliveryStatus: 'queued' },
  });
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'message.delivery',
    ...eventActor(actor),
    data: { messageId: m.id, deliveryStatus: 'failed', deliveryError: m.deliveryError, replacedById: copy.id },
  });
  return { message: presentMessage(copy, files.map((f) => ({ ...f, messageId: copy.id }))), to: address };
}

/**
 * Whether the conversation's failed replies could go by e-mail instead: the customer has an
 * address and the workspace an e-mail inbox.
 */
export async function emailFallbackPossible(db: Executor, actor: Pick<Actor, 'workspaceId'>, contactId: string) {
  if (!(await contactEmail(db, contactId))) return false;
  return !!(await emailInboxOf(db, actor as Actor));
}

/** How many of the workspace's replies failed for good and were not sent another way: the rail's badge. */
export async function countFailedDeliveries(db: Executor, workspaceId: string) {
  const [r] = await db
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.deliveryStatus, 'failed'), isNull(messages.replacedById), eq(messages.direction, 'out')));
  return r.n;
}

/**
 * Delivery problems, newest first: the workspace's replies retrying or failed, each with its
 * conversation, channel, recipient, last error, attempts and next try. Keyset-paginated by
 * (createdAt, id): pass the last item's as `before`.
 */
export async function listDeliveryProblems(db: Executor, actor: Actor, opts: { limit: number; before?: { createdAt: string; id: string } }) {
  const rows = await db
    .select({ m: messages, number: conversations.number, subject: conversations.subject, contactId: conversations.contactId, assigneeId: conversations.assigneeId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.workspaceId, actor.workspaceId),
        eq(messages.direction, 'out'),
        problem,
        opts.before ? or(lt(messages.createdAt, new Date(opts.before.createdAt)), and(eq(messages.createdAt, new Date(opts.before.createdAt)), lt(messages.id, opts.before.id))) : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const contacts = await contactsByIds(db, actor.workspaceId, page.map((r) => r.contactId));
  const fallback = await emailInboxOf(db, actor);
  const items = page.map(({ m, number, subject, contactId, assigneeId }) => {
    const contact = contacts.get(contactId);
    const email = contact?.identities.find((i) => i.kind === 'email')?.value;
    return {
      message: presentMessage(m),
      conversation: { id: m.conversationId, number, subject },
      // Whom the channel addresses: their e-mail on e-mail, else the identity the channel knows them by.
      recipient: { contactId, name: contact?.name ?? '', address: (m.channel === 'email' ? email : contact?.identities.find((i) => i.kind !== 'email')?.value ?? email) ?? null },
      channel: m.channel,
      attempts: m.deliveryAttempts,
      nextAttemptAt: m.deliveryNextAt,
      reason: m.deliveryError,
      canRetry: conversationPolicy.reply(actor, { assigneeId }),
      canEmailInstead: m.deliveryStatus === 'failed' && m.channel !== 'email' && !!email && !!fallback && conversationPolicy.reply(actor, { assigneeId }),
    };
  });
  const last = page.at(-1);
  return {
    items,
    failed: await countFailedDeliveries(db, actor.workspaceId),
    nextCursor: rows.length > opts.limit && last ? { createdAt: last.m.createdAt.toISOString(), id: last.m.id } : null,
  };
}


