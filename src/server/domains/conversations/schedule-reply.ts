import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { messages } from '../../db/schema/index.js';
import { type Actor, isAdmin } from '../../core/actor.js';
import { Conflict, Forbidden, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { presentMessage } from './present.js';

/** A message of the actor's workspace; another workspace's is not found. */
export async function getMessageRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [m] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.id, id), eq(messages.workspaceId, actor.workspaceId)));
  if (!m) throw new NotFound('Message');
  return m;
}

/** Cancels a scheduled reply before it is sent: its author or an admin may. */
export async function cancelScheduledReply(tx: Executor, actor: Actor, id: string) {
  const m = await getMessageRow(tx, actor, id);
  if (m.authorMemberId !== actor.memberId && !isAdmin(actor)) throw new Forbidden('Only its author or an admin can cancel a scheduled reply');
  const [row] = await tx
    .update(messages)
    .set({ deliveryStatus: 'cancelled', deliveryError: 'cancelled before it was sent' })
    .where(and(eq(messages.id, m.id), eq(messages.deliveryStatus, 'scheduled')))
    .returning();
  if (!row) throw new Conflict(`Only a scheduled reply can be cancelled; this message is ${m.deliveryStatus}`);
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: m.conversationId,
    type: 'message.delivery',
    actorMemberId: actor.memberId,
    data: { messageId: m.id, deliveryStatus: 'cancelled', deliveryError: row.deliveryError },
  });
  return presentMessage(row);
}
