import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations, inboxes, members, messages, noteMentions, users } from '../../db/schema/index.js';
import { type Actor, eventActor, isSystemActor, type SystemActor } from '../../core/actor.js';
import { Forbidden, HeardError, Invalid } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { attachToMessage } from '../attachments/service.js';
import { conversationPolicy } from './policy.js';
import { type Conversation, presentMessage } from './present.js';
import type { MessageCreate } from './schema.js';
import { getConversationRow } from './service.js';

/**
 * An agent's reply or internal note. A reply is stored as `queued` and handed to its
 * channel after commit (the outbound processor), or as `scheduled` with sendAt for the
 * send-later job; a note never leaves Heard, and records the members it @mentions.
 * A rule or job (SystemActor) may write one too: no policy limits it, and no member is its author.
 */
export async function addAgentMessage(tx: Executor, actor: Actor | SystemActor, id: string, input: MessageCreate) {
  const c = await getConversationRow(tx, actor, id);
  const person = isSystemActor(actor) ? undefined : actor;
  const allowed = !person || (input.kind === 'note' ? conversationPolicy.note(person) : conversationPolicy.reply(person, c));
  if (!allowed) throw new Forbidden(input.kind === 'note' ? 'Your token cannot write' : 'You can reply only to conversations assigned to you');
  // A status set along with the message is a change like PATCH, under the same rule.
  if (person && input.status && input.status !== c.status && !conversationPolicy.update(person, c)) {
    throw new Forbidden('You can change only conversations assigned to you');
  }
  const sendAt = input.sendAt ? new Date(input.sendAt) : null;
  if (sendAt && input.kind !== 'reply') throw new Invalid('sendAt', 'only a reply can be sent later');
  if (sendAt && sendAt.getTime() <= Date.now()) throw new Invalid('sendAt', 'must be in the future');
  if (person && input.kind === 'reply' && input.lastSeenMessageId && !input.force) await refuseCollision(tx, person, c, input.lastSeenMessageId);

  const [inbox] = await tx.select().from(inboxes).where(eq(inboxes.id, c.inboxId));
  if ((input.cc?.length || input.bcc?.length || input.replyAll) && (input.kind !== 'reply' || inbox.channel !== 'email')) {
    throw new Invalid(input.cc?.length ? 'cc' : input.bcc?.length ? 'bcc' : 'replyAll', 'only e-mail replies have copies');
  }
  const now = new Date();
  const [m] = await tx
    .insert(messages)
    .values({
      workspaceId: actor.workspaceId,
      conversationId: c.id,
      inboxId: c.inboxId,
      direction: input.kind === 'note' ? 'note' : 'out',
      channel: inbox.channel,
      authorMemberId: person?.memberId ?? null,
      contactId: c.contactId,
      text: input.text,
      deliveryStatus: input.kind === 'note' ? 'sent' : sendAt ? 'scheduled' : 'queued',
      sendAt,
      email:
        inbox.channel === 'email' && input.kind === 'reply'
          ? {
              replyAll: input.replyAll ?? false,
              cc: input.cc?.map((address) => ({ address: address.toLowerCase() })),
              bcc: input.bcc?.map((address) => ({ address: address.toLowerCase() })),
            }
          : null,
    })
    .returning();
  const patch: Partial<typeof conversations.$inferInsert> = { updatedAt: now };
  // A scheduled reply answers the customer when it is sent (send-later job), not now.
  if (input.kind === 'reply' && !sendAt) Object.assign(patch, answeredPatch(c, now));
  if (input.status && input.status !== c.status) patch.status = input.status;
  await tx.update(conversations).set(patch).where(eq(conversations.id, c.id));
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'message.created',
    ...eventActor(actor),
    data: { messageId: m.id, direction: m.direction, deliveryStatus: m.deliveryStatus, ...(sendAt ? { sendAt: sendAt.toISOString() } : {}) },
  });
  if (patch.status) {
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      conversationId: c.id,
      type: 'conversation.updated',
      ...eventActor(actor),
      data: { changes: { status: { from: c.status, to: patch.status } } },
    });
  }
  if (m.direction === 'note') await recordMentions(tx, actor, c.id, m.id, m.text);
  const files = await attachToMessage(tx, actor, m.id, input.attachmentIds ?? []);
  return presentMessage(m, files);
}

/** What sending a reply changes on its conversation: the customer is no longer waiting. */
export function answeredPatch(c: Pick<Conversation, 'firstResponseAt'>, at: Date): Partial<typeof conversations.$inferInsert> {
  return { lastMessageAt: at, waitingSince: null, ...(c.firstResponseAt ? {} : { firstResponseAt: at }) };
}

/** Someone else replied after the message the agent last saw: 409 with those replies, so the agent reads them first. */
async function refuseCollision(tx: Executor, actor: Actor, c: Conversation, lastSeenMessageId: string) {
  const [seen] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.id, lastSeenMessageId), eq(messages.conversationId, c.id)));
  if (!seen) throw new Invalid('lastSeenMessageId', 'no such message in this conversation');
  const newer = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, c.id),
        eq(messages.direction, 'out'),
        sql`${messages.authorMemberId} is distinct from ${actor.memberId}`,
        ne(messages.deliveryStatus, 'cancelled'),
        // Compared in SQL: the database keeps microseconds that a JavaScript Date would drop.
        sql`(${messages.createdAt}, ${messages.id}) > (select s.created_at, s.id from ${messages} s where s.id = ${seen.id})`,
      ),
    )
    .orderBy(asc(messages.createdAt));
  if (newer.length) {
    throw new HeardError(409, 'Conflict', 'Someone else replied since you last looked; read their reply, then send again with force: true to send anyway', {
      newerMessages: newer.map((n) => presentMessage(n)),
    });
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Records the members a note @mentions, by display name (case-insensitive) or e-mail,
 * with a member.mentioned event for each; the author mentioning themselves is ignored.
 */
export async function recordMentions(tx: Executor, actor: Actor | SystemActor, conversationId: string, messageId: string, text: string) {
  if (!text.includes('@')) return [];
  const candidates = await tx
    .select({ id: members.id, name: users.name, email: users.email })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.workspaceId, actor.workspaceId), eq(members.active, true)));
  const mentioned = candidates.filter((m) => {
    if (!isSystemActor(actor) && m.id === actor.memberId) return false;
    const names = [m.email, m.name].filter((n) => n.trim().length > 0);
    return names.some((n) => new RegExp(`(^|[^\\w@])@${escapeRegExp(n)}(?![\\w@.-]*\\w)`, 'i').test(text));
  });
  if (!mentioned.length) return [];
  await tx.insert(noteMentions).values(mentioned.map((m) => ({ messageId, memberId: m.id, conversationId })));
  for (const m of mentioned) {
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      conversationId,
      type: 'member.mentioned',
      ...eventActor(actor),
      data: { memberId: m.id, conversationId, messageId },
    });
  }
  return mentioned.map((m) => m.id);
}
