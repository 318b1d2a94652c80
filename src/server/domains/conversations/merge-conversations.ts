import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { conversationParticipants, conversations, messages, noteMentions } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Forbidden, Invalid } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { conversationPolicy } from './policy.js';
import { presentConversation } from './present.js';
import type { Merge } from './schema.js';
import { getConversationRow } from './service.js';

const later = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
const earlier = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));

/**
 * Merges the source conversation into the target: the source's messages move to the target,
 * its customer joins as a participant, and the source is closed with a pointer (mergedIntoId).
 * Its events stay where they were written (events are never rewritten); the target's timeline
 * shows them through that pointer. Both timelines record the merge.
 */
export async function mergeConversations(tx: Tx, actor: Actor, targetId: string, input: Merge) {
  const found = await getConversationRow(tx, actor, targetId);
  const source = await getConversationRow(tx, actor, input.sourceId);
  if (source.id === found.id) throw new Invalid('sourceId', 'cannot merge a conversation into itself');
  if (!conversationPolicy.update(actor, found) || !conversationPolicy.update(actor, source)) throw new Forbidden('You can change only conversations assigned to you');
  // Both rows locked in one order, so two merges of the same pair cannot deadlock or interleave.
  const locked = await tx
    .select()
    .from(conversations)
    .where(inArray(conversations.id, [found.id, source.id]))
    .orderBy(conversations.id)
    .for('update');
  const target = locked.find((c) => c.id === found.id)!;
  const src = locked.find((c) => c.id === source.id)!;
  if (src.mergedIntoId) throw new Invalid('sourceId', 'was merged into another conversation already');
  if (target.mergedIntoId) throw new Invalid('id', 'was merged into another conversation; merge into that one');

  const moved = await tx.update(messages).set({ conversationId: target.id }).where(eq(messages.conversationId, src.id)).returning({ id: messages.id });
  await tx.update(noteMentions).set({ conversationId: target.id }).where(eq(noteMentions.conversationId, src.id));
  // The source's customer and cc's become participants of the target.
  const ccs = await tx.select({ contactId: conversationParticipants.contactId }).from(conversationParticipants).where(eq(conversationParticipants.conversationId, src.id));
  const joining = [...new Set([src.contactId, ...ccs.map((p) => p.contactId)])].filter((id) => id !== target.contactId);
  if (joining.length) {
    await tx
      .insert(conversationParticipants)
      .values(joining.map((contactId) => ({ conversationId: target.id, contactId })))
      .onConflictDoNothing();
  }
  const now = new Date();
  const [row] = await tx
    .update(conversations)
    .set({
      lastMessageAt: later(target.lastMessageAt, src.lastMessageAt)!,
      lastInboundAt: later(target.lastInboundAt, src.lastInboundAt),
      waitingSince: earlier(target.waitingSince, src.waitingSince),
      tags: [...new Set([...target.tags, ...src.tags])],
      updatedAt: now,
    })
    .where(eq(conversations.id, target.id))
    .returning();
  await tx
    .update(conversations)
    .set({ status: 'closed', mergedIntoId: target.id, waitingSince: null, snoozedUntil: null, updatedAt: now })
    .where(and(eq(conversations.id, src.id), ne(conversations.id, target.id)));
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: target.id,
    type: 'conversation.merged',
    actorMemberId: actor.memberId,
    data: { sourceId: src.id, sourceNumber: src.number, targetId: target.id, targetNumber: target.number, messages: moved.length },
  });
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: src.id,
    type: 'conversation.updated',
    actorMemberId: actor.memberId,
    data: { changes: { status: { from: src.status, to: 'closed' }, mergedIntoId: { from: null, to: target.id } } },
  });
  return presentConversation(row);
}
