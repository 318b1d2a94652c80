import { and, count, eq, ne } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { conversations, inboxes, messages } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Forbidden, Invalid } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { nextConversationNumber } from './ingest.js';
import { conversationPolicy } from './policy.js';
import { presentConversation } from './present.js';
import { getMessageRow } from './schedule-reply.js';
import { getConversationRow } from './service.js';

/**
 * Splits one customer message off into a new conversation (same inbox and contact), for
 * a second question asked in the same thread. Both timelines record it.
 */
export async function splitMessage(tx: Tx, actor: Actor, messageId: string) {
  const m = await getMessageRow(tx, actor, messageId);
  if (m.direction !== 'in') throw new Invalid('id', 'only a customer message can be split off');
  const from = await getConversationRow(tx, actor, m.conversationId);
  if (!conversationPolicy.update(actor, from)) throw new Forbidden('You can change only conversations assigned to you');
  const [{ n }] = await tx
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.conversationId, from.id), ne(messages.id, m.id)));
  if (n === 0) throw new Invalid('id', 'it is the only message of its conversation');
  const [inbox] = await tx.select({ channel: inboxes.channel }).from(inboxes).where(eq(inboxes.id, from.inboxId));
  const [c] = await tx
    .insert(conversations)
    .values({
      workspaceId: actor.workspaceId,
      number: await nextConversationNumber(tx, actor.workspaceId),
      inboxId: from.inboxId,
      contactId: m.contactId ?? from.contactId,
      subject: (m.text.split('\n')[0] || from.subject).slice(0, 500),
      teamId: from.teamId,
      lastMessageAt: m.createdAt,
      lastInboundAt: m.createdAt,
      waitingSince: m.createdAt,
    })
    .returning();
  await tx.update(messages).set({ conversationId: c.id }).where(eq(messages.id, m.id));
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'conversation.created',
    actorMemberId: actor.memberId,
    data: { number: c.number, inboxId: c.inboxId, channel: inbox.channel, splitFromId: from.id, splitFromNumber: from.number, messageId: m.id },
  });
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: from.id,
    type: 'conversation.split',
    actorMemberId: actor.memberId,
    data: { messageId: m.id, newConversationId: c.id, newNumber: c.number },
  });
  return presentConversation(c, { channel: inbox.channel });
}
