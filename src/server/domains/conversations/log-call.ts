import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { conversations, inboxes, messages } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Forbidden, Invalid } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { identifyContact } from '../contacts/service.js';
import { answeredPatch } from './add-message.js';
import { nextConversationNumber } from './ingest.js';
import { conversationPolicy } from './policy.js';
import { type Conversation, presentConversation, presentMessage } from './present.js';
import type { CallConversation, CallLog } from './schema.js';
import { getConversationRow } from './service.js';

const DIRECTION = { inbound: 'in', outbound: 'out' } as const;
const OUTCOME: Record<CallLog['outcome'], string> = { answered: 'answered', no_answer: 'no answer', voicemail: 'voicemail', busy: 'busy', failed: 'failed' };

/** The call as a message on the conversation's timeline: channel phone, in or out, with its call data. */
async function insertCall(tx: Tx, actor: Actor, c: Conversation, call: CallLog) {
  const now = new Date();
  const minutes = Math.round(call.durationSeconds / 60);
  const summary = `${call.direction === 'inbound' ? 'Inbound' : 'Outbound'} call, ${OUTCOME[call.outcome]}${call.outcome === 'answered' ? `, ${minutes} min` : ''}`;
  const [m] = await tx
    .insert(messages)
    .values({
      workspaceId: actor.workspaceId,
      conversationId: c.id,
      inboxId: c.inboxId,
      direction: DIRECTION[call.direction],
      channel: 'phone',
      authorMemberId: actor.memberId,
      contactId: c.contactId,
      text: call.notes || summary,
      deliveryStatus: 'sent',
      deliveredAt: now,
      call: { number: call.number, durationSeconds: call.durationSeconds, outcome: call.outcome, ...(call.notes ? { notes: call.notes } : {}) },
    })
    .returning();
  // A call the agent made answers the customer; either way it is the latest activity.
  const patch = call.direction === 'outbound' ? answeredPatch(c, now) : { lastMessageAt: now };
  await tx
    .update(conversations)
    .set({ ...patch, updatedAt: now })
    .where(eq(conversations.id, c.id));
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'message.created',
    actorMemberId: actor.memberId,
    data: { messageId: m.id, direction: m.direction, deliveryStatus: m.deliveryStatus, call: true },
  });
  return m;
}

/** Logs a phone call with the conversation's customer: number, duration, outcome and notes, on the timeline. */
export async function logCall(tx: Tx, actor: Actor, id: string, call: CallLog) {
  const c = await getConversationRow(tx, actor, id);
  if (!conversationPolicy.reply(actor, c)) throw new Forbidden('You can log calls only on conversations assigned to you');
  return presentMessage(await insertCall(tx, actor, c, call));
}

/** Opens a conversation from a phone call in a phone inbox: the contact found or created as ingest does, the call its first message. */
export async function openConversationFromCall(tx: Tx, actor: Actor, input: CallConversation) {
  const inbox = await phoneInbox(tx, actor, input.inboxId);
  const { contact } = await identifyContact(tx, actor.workspaceId, input.contact.phone ? input.contact : { ...input.contact, phone: input.number });
  return openCall(tx, actor, inbox, contact, input);
}

/** Opens a conversation from a call with a contact already known (an outreach task's customer). */
export async function openConversationFromCallWith(tx: Tx, actor: Actor, contact: { id: string; name: string }, input: CallLog & { inboxId: string; subject?: string }) {
  if (!conversationPolicy.open(actor)) throw new Forbidden('Your role cannot open conversations');
  return openCall(tx, actor, await phoneInbox(tx, actor, input.inboxId), contact, input);
}

async function phoneInbox(tx: Tx, actor: Actor, inboxId: string) {
  const [inbox] = await tx.select().from(inboxes).where(and(eq(inboxes.id, inboxId), eq(inboxes.workspaceId, actor.workspaceId)));
  if (!inbox) throw new Invalid('inboxId', 'no such inbox');
  if (inbox.channel !== 'phone') throw new Invalid('inboxId', 'must be a phone inbox');
  if (inbox.archivedAt) throw new Invalid('inboxId', 'that inbox is archived');
  return inbox;
}

async function openCall(tx: Tx, actor: Actor, inbox: typeof inboxes.$inferSelect, contact: { id: string; name: string }, input: CallLog & { subject?: string }) {
  const now = new Date();
  const [c] = await tx
    .insert(conversations)
    .values({
      workspaceId: actor.workspaceId,
      number: await nextConversationNumber(tx, actor.workspaceId),
      inboxId: inbox.id,
      contactId: contact.id,
      subject: input.subject || `Call with ${contact.name || input.number}`,
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
  const m = await insertCall(tx, actor, c, input);
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, c.id));
  return { conversation: presentConversation(row, { contact: { id: contact.id, name: contact.name }, channel: inbox.channel }), message: presentMessage(m) };
}
