import { and, asc, eq } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { contacts, conversationParticipants } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { identifyContact } from '../contacts/service.js';
import { conversationPolicy } from './policy.js';
import type { ParticipantAdd } from './schema.js';
import { type Conversation, getConversationRow } from './service.js';

/** The further customers (cc) of a conversation, in the order they were added. */
export async function listParticipants(db: Executor, conversationId: string) {
  return db
    .select({ contactId: conversationParticipants.contactId, name: contacts.name, role: conversationParticipants.role })
    .from(conversationParticipants)
    .innerJoin(contacts, eq(contacts.id, conversationParticipants.contactId))
    .where(eq(conversationParticipants.conversationId, conversationId))
    .orderBy(asc(conversationParticipants.createdAt));
}

async function writable(tx: Tx, actor: Actor, id: string) {
  const c = await getConversationRow(tx, actor, id);
  if (!conversationPolicy.update(actor, c)) throw new Forbidden('You can change only conversations assigned to you');
  return c;
}

async function recordChange(tx: Tx, actor: Actor, c: Conversation, before: string[], after: string[]) {
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'conversation.updated',
    actorMemberId: actor.memberId,
    data: { changes: { participants: { from: before, to: after } } },
  });
}

/** Adds a customer to the conversation as cc: an existing contact, or one found or created by e-mail as ingest would. */
export async function addParticipant(tx: Tx, actor: Actor, id: string, input: ParticipantAdd) {
  const c = await writable(tx, actor, id);
  let contactId: string;
  if (input.contactId) {
    const [found] = await tx.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.id, input.contactId), eq(contacts.workspaceId, actor.workspaceId)));
    if (!found) throw new Invalid('contactId', 'no such contact');
    contactId = found.id;
  } else {
    contactId = (await identifyContact(tx, actor.workspaceId, { email: input.email, name: input.name })).contact.id;
  }
  if (contactId === c.contactId) throw new Invalid(input.contactId ? 'contactId' : 'email', "is the conversation's customer already");
  const before = (await listParticipants(tx, c.id)).map((p) => p.contactId);
  const added = await tx.insert(conversationParticipants).values({ conversationId: c.id, contactId }).onConflictDoNothing().returning();
  if (added.length) await recordChange(tx, actor, c, before, [...before, contactId]);
  return { participants: await listParticipants(tx, c.id) };
}

/** Takes a cc'd customer off the conversation. */
export async function removeParticipant(tx: Tx, actor: Actor, id: string, contactId: string) {
  const c = await writable(tx, actor, id);
  const before = (await listParticipants(tx, c.id)).map((p) => p.contactId);
  const removed = await tx
    .delete(conversationParticipants)
    .where(and(eq(conversationParticipants.conversationId, c.id), eq(conversationParticipants.contactId, contactId)))
    .returning();
  if (!removed.length) throw new NotFound('Participant');
  await recordChange(tx, actor, c, before, before.filter((p) => p !== contactId));
  return { participants: await listParticipants(tx, c.id) };
}
