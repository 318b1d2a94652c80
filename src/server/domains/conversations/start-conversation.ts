import type { Tx } from '../../db/client.js';
import { conversations, messages } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { getContactRow, identifyContact } from '../contacts/service.js';
import { getInbox } from '../inboxes/service.js';
import { nextConversationNumber } from './ingest.js';
import { conversationPolicy } from './policy.js';
import { presentConversation, presentMessage } from './present.js';
import type { ConversationStart } from './schema.js';

/** Channels on which the team can write to a customer who has not written: e-mail, and the API channel's callback. */
export const CHANNELS_THAT_WRITE_FIRST = ['email', 'api'] as const;

/**
 * The team writes first: a new conversation with the customer whose first message is the
 * agent's, queued and sent by its channel like any reply (the outbound processor), assigned
 * to the agent who wrote it. The customer's answer threads into it as a reply does.
 */
export async function startConversation(tx: Tx, actor: Actor, input: ConversationStart) {
  if (!conversationPolicy.open(actor)) throw new Forbidden('Your role cannot open conversations');
  const inbox = await getInbox(tx, actor, input.inboxId).catch((err) => {
    if (err instanceof NotFound) throw new Invalid('inboxId', 'no such inbox');
    throw err;
  });
  if (!(CHANNELS_THAT_WRITE_FIRST as readonly string[]).includes(inbox.channel)) throw new Invalid('inboxId', 'must be an e-mail or API channel inbox: only they can write first');
  if (inbox.archivedAt) throw new Invalid('inboxId', 'that inbox is archived');
  let contact: { id: string; name: string };
  if (input.contactId) {
    const c = await getContactRow(tx, actor, input.contactId).catch((err) => {
      if (err instanceof NotFound) throw new Invalid('contactId', 'no such contact');
      throw err;
    });
    contact = { id: c.mergedIntoId ?? c.id, name: c.name };
  } else {
    contact = (await identifyContact(tx, actor.workspaceId, input.contact!)).contact;
  }
  const now = new Date();
  const [c] = await tx
    .insert(conversations)
    .values({
      workspaceId: actor.workspaceId,
      number: await nextConversationNumber(tx, actor.workspaceId),
      inboxId: inbox.id,
      contactId: contact.id,
      subject: input.subject,
      status: input.status,
      assigneeId: actor.memberId,
      teamId: inbox.teamId,
      lastMessageAt: now,
    })
    .returning();
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'conversation.created',
    actorMemberId: actor.memberId,
    data: { number: c.number, inboxId: inbox.id, channel: inbox.channel },
  });
  const [m] = await tx
    .insert(messages)
    .values({
      workspaceId: actor.workspaceId,
      conversationId: c.id,
      inboxId: inbox.id,
      direction: 'out',
      channel: inbox.channel,
      authorMemberId: actor.memberId,
      contactId: contact.id,
      text: input.text,
      deliveryStatus: 'queued',
      email: inbox.channel === 'email' ? { replyAll: false } : null,
    })
    .returning();
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'message.created',
    actorMemberId: actor.memberId,
    data: { messageId: m.id, direction: 'out', deliveryStatus: 'queued' },
  });
  return { conversation: presentConversation(c, { contact: { id: contact.id, name: contact.name }, channel: inbox.channel }), message: presentMessage(m) };
}
