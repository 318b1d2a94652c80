import { and, desc, eq, getTableColumns, ne, sql, type WithSubquery } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../../db/client.js';
import { attachments, contacts, conversationParticipants, conversations, type EmailData, inboxes, messages, workspaces } from '../../db/schema/index.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { type NewEvent, recordEvents } from '../../core/events/record-event.js';
import { htmlToText, sanitizeHtml } from '../../core/html.js';
import { identifyContact } from '../contacts/service.js';
import type { ContactRef } from '../contacts/schema.js';

/** What every channel adapter turns an arriving message into (DESIGN §4). */
export interface InboundMessage {
  workspaceId: string;
  inboxId: string;
  /** The inbox's row, when the channel has just read it (e-mail): it is not read again. */
  inbox?: typeof inboxes.$inferSelect;
  /**
   * The channel looked for `externalId` just before and found nothing (e-mail): the look-up
   * is not repeated. A copy stored in between is still caught when the message is inserted.
   */
  duplicateChecked?: boolean;
  contact: ContactRef;
  text?: string;
  html?: string;
  subject?: string;
  /** The sender's id for this message (API clientMessageId, e-mail Message-ID); the same id twice is stored once. */
  externalId: string;
  /** A conversation the channel already resolved (e-mail threading); otherwise Heard threads by contact. */
  conversationId?: string;
  /**
   * Without a resolved conversation, continue the contact's open one in this inbox (chat,
   * API) or open a new one (e-mail: a new message that threads nowhere is a new case).
   */
  threadByContact?: boolean;
  /** An e-mail may say everything in its subject: an empty body is still a message. */
  allowEmpty?: boolean;
  /** The channel sanitised the HTML already (off the main thread, e-mail). */
  htmlSanitized?: boolean;
  email?: EmailData;
  /** Files already in the file store; ids chosen by the channel so its HTML can point at inline parts. */
  attachments?: { id: string; sha256: string; size: number; filename: string; contentType: string; contentId?: string }[];
  /** The contact, when the channel knows it already (a widget visitor): `contact` is then not looked up. */
  contactId?: string;
  /** Further customers on the message (e-mail Cc): kept as the conversation's participants. */
  participants?: ContactRef[];
  /** Where the customer wrote it, when not in the conversation's own channel (a reply in the help center's portal to an e-mail case). */
  channel?: (typeof inboxes.$inferSelect)['channel'];
  /** The customer chose to reopen a closed conversation (the portal's Reopen): it opens again instead of refusing. */
  reopenClosed?: boolean;
  /** The topic the customer chose (the help center's contact form), for a new conversation. */
  topic?: string;
  /** Custom field values the customer gave with a new conversation (a topic's intake form), already checked. */
  customFields?: Record<string, unknown>;
  /**
   * What the channel must store with the message, in the same transaction (the contact
   * form's confirmation): a new message either comes with it or not at all. Not run for a duplicate.
   */
  alsoInTransaction?: (tx: Tx, result: IngestResult) => Promise<void>;
}

export interface IngestResult {
  conversationId: string;
  conversationNumber: number;
  messageId: string;
  contactId: string;
  duplicate: boolean;
  createdConversation: boolean;
}

/** Thrown inside the transaction when a concurrent ingest stored the same message first. */
class DuplicateRace extends Error {}

/**
 * The one path in. In a single transaction: de-duplicate, identify or create the
 * contact, thread into a conversation (or open one), store the message and its events.
 * The channel acknowledges only after this returns, so a crash at any point loses
 * nothing and duplicates nothing.
 */
export async function ingest(ctx: Ctx, msg: InboundMessage): Promise<IngestResult> {
  if (!msg.externalId) throw new Invalid('externalId', 'is required to de-duplicate');
  try {
    return await inTransaction(ctx, (tx) => ingestIn(tx, msg));
  } catch (err) {
    // Another request stored this message between our check and our insert: the
    // retry finds it in the de-duplication step and returns its ids.
    if (err instanceof DuplicateRace || isUniqueViolation(err)) return inTransaction(ctx, (tx) => ingestIn(tx, { ...msg, duplicateChecked: false }));
    throw err;
  }
}

/** The customer wrote before a scheduled reply went out: it would answer a question they no longer ask, so it is cancelled. */
async function cancelScheduledReplies(tx: Tx, conversationId: string, contactId: string): Promise<NewEvent[]> {
  const cancelled = await tx
    .update(messages)
    .set({ deliveryStatus: 'cancelled', deliveryError: 'the customer wrote before it was sent' })
    .where(and(eq(messages.conversationId, conversationId), eq(messages.deliveryStatus, 'scheduled')))
    .returning({ id: messages.id, workspaceId: messages.workspaceId, deliveryError: messages.deliveryError });
  return cancelled.map((m) => ({
    workspaceId: m.workspaceId,
    conversationId,
    type: 'message.delivery' as const,
    actorContactId: contactId,
    data: { messageId: m.id, deliveryStatus: 'cancelled' as const, deliveryError: m.deliveryError },
  }));
}

/** A contact the channel holds by id (merged ones lead to where they went), row-locked like identifyContact's `lock`. */
async function knownContact(tx: Tx, workspaceId: string, id: string) {
  let [c] = await tx.select().from(contacts).where(and(eq(contacts.id, id), eq(contacts.workspaceId, workspaceId))).for('update');
  if (c?.mergedIntoId) [c] = await tx.select().from(contacts).where(eq(contacts.id, c.mergedIntoId)).for('update');
  if (!c) throw new NotFound('Contact');
  return { contact: c, created: false };
}

/**
 * Keeps the message's further customers (e-mail Cc) on the conversation, so replies from
 * them continue it and reply-all reaches them. Returns the event to record, if any.
 */
async function addParticipants(tx: Tx, msg: InboundMessage, conv: { id: string; contactId: string }, senderId: string): Promise<NewEvent | undefined> {
  const added: string[] = [];
  for (const ref of msg.participants ?? []) {
    const { contact } = await identifyContact(tx, msg.workspaceId, ref);
    if (contact.id === conv.contactId || contact.id === senderId) continue;
    const rows = await tx.insert(conversationParticipants).values({ conversationId: conv.id, contactId: contact.id }).onConflictDoNothing().returning();
    if (rows.length) added.push(contact.id);
  }
  // The sender, when not the conversation's customer, is one of its customers too (a cc'd person replying).
  if (senderId !== conv.contactId) {
    const rows = await tx.insert(conversationParticipants).values({ conversationId: conv.id, contactId: senderId }).onConflictDoNothing().returning();
    if (rows.length) added.push(senderId);
  }
  if (!added.length) return undefined;
  return { workspaceId: msg.workspaceId, conversationId: conv.id, type: 'conversation.updated', actorContactId: senderId, data: { changes: { participants: { added } } } };
}

/** The next conversation number of the workspace: the row lock hands out numbers without gaps or duplicates across nodes. */
export async function nextConversationNumber(tx: Tx, workspaceId: string): Promise<number> {
  const [ws] = await tx
    .update(workspaces)
    .set({ lastConversationNumber: sql`${workspaces.lastConversationNumber} + 1` })
    .where(eq(workspaces.id, workspaceId))
    .returning({ n: workspaces.lastConversationNumber });
  return ws.n;
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  return code === '23505';
}

async function ingestIn(tx: Tx, msg: InboundMessage): Promise<IngestResult> {
  const inbox =
    msg.inbox?.id === msg.inboxId && msg.inbox.workspaceId === msg.workspaceId
      ? msg.inbox
      : (await tx.select().from(inboxes).where(and(eq(inboxes.id, msg.inboxId), eq(inboxes.workspaceId, msg.workspaceId))))[0];
  if (!inbox) throw new NotFound('Inbox');

  if (!msg.duplicateChecked) {
    const [dupe] = await tx
      .select({ id: messages.id, conversationId: messages.conversationId, contactId: messages.contactId, number: conversations.number })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(eq(messages.inboxId, inbox.id), eq(messages.externalId, msg.externalId)));
    if (dupe) {
      return {
        conversationId: dupe.conversationId,
        conversationNumber: dupe.number,
        messageId: dupe.id,
        contactId: dupe.contactId!,
        duplicate: true,
        createdConversation: false,
      };
    }
  }

  const html = msg.html ? (msg.htmlSanitized ? msg.html : sanitizeHtml(msg.html)) : null;
  const text = (msg.text ?? (html ? htmlToText(html) : '')).trim();
  if (!text && !html && !msg.attachments?.length && !msg.allowEmpty) throw new Invalid('text', 'must not be empty');

  // One contact's messages thread one at a time: two arriving together must not each
  // open a conversation of their own. The contact found is locked as it is read; one
  // created by this transaction is invisible to the others until it commits, so it needs
  // no lock and has no conversation.
  const { contact, created: newContact } = msg.contactId
    ? await knownContact(tx, msg.workspaceId, msg.contactId)
    : await identifyContact(tx, msg.workspaceId, msg.contact, { lock: true });
  const now = new Date();

  // With the conversation, whether it has replies scheduled (to cancel): most have none.
  // Drizzle leaves the columns of a one-table select unqualified: the outer row is named in full.
  const withScheduled = {
    ...getTableColumns(conversations),
    hasScheduled: sql<boolean>`exists (select 1 from ${messages} s where s.conversation_id = "conversations"."id" and s.delivery_status = 'scheduled')`,
  };
  let conv = msg.conversationId
    ? (await tx.select(withScheduled).from(conversations).where(and(eq(conversations.id, msg.conversationId), eq(conversations.workspaceId, msg.workspaceId))))[0]
    : newContact || msg.threadByContact === false
      ? undefined
      : (
          await tx
            .select(withScheduled)
            .from(conversations)
            .where(and(eq(conversations.inboxId, inbox.id), eq(conversations.contactId, contact.id), ne(conversations.status, 'closed')))
            .orderBy(desc(conversations.lastMessageAt))
            .limit(1)
        )[0];

  // What the message records, written together at the end in this order.
  const recorded: NewEvent[] = [];
  let createdConversation = false;
  if (!conv) {
    // The workspace's next number (its row lock hands them out without gaps) and the conversation, in one statement.
    const n = tx.$with('n').as(
      tx
        .update(workspaces)
        .set({ lastConversationNumber: sql`${workspaces.lastConversationNumber} + 1` })
        .where(eq(workspaces.id, msg.workspaceId))
        .returning({ n: workspaces.lastConversationNumber }),
    );
    const [opened] = await tx
      .with(n)
      .insert(conversations)
      .values({
        workspaceId: msg.workspaceId,
        number: sql`(select ${n.n} from ${n})`,
        inboxId: inbox.id,
        contactId: contact.id,
        subject: (msg.subject ?? text.split('\n')[0]).slice(0, 500),
        teamId: inbox.teamId,
        topic: msg.topic ?? null,
        customFields: msg.customFields ?? {},
        lastMessageAt: now,
        lastInboundAt: now,
        waitingSince: now,
      })
      .returning();
    conv = { ...opened, hasScheduled: false };
    createdConversation = true;
    recorded.push({
      workspaceId: msg.workspaceId,
      conversationId: conv.id,
      type: 'conversation.created',
      actorContactId: contact.id,
      data: { number: conv.number, inboxId: inbox.id, channel: inbox.channel },
    });
  }

  const participantsChanged = await addParticipants(tx, msg, conv, contact.id);
  if (participantsChanged) recorded.push(participantsChanged);

  const reopen = !createdConversation && (conv.status === 'pending' || conv.status === 'solved' || (conv.status === 'closed' && msg.reopenClosed === true));
  // The customer's message wakes a snoozed conversation at once.
  const wake = !createdConversation && conv.snoozedUntil !== null;
  const messageId = uuidv7();
  recorded.push({
    workspaceId: msg.workspaceId,
    conversationId: conv.id,
    type: 'message.created',
    actorContactId: contact.id,
    data: { messageId, direction: 'in', channel: msg.channel ?? inbox.channel },
  });
  if (reopen || wake) {
    recorded.push({
      workspaceId: msg.workspaceId,
      conversationId: conv.id,
      type: 'conversation.updated',
      actorContactId: contact.id,
      data: {
        changes: {
          ...(reopen ? { status: { from: conv.status, to: 'open' as const } } : {}),
          ...(wake ? { snoozedUntil: { from: conv.snoozedUntil, to: null } } : {}),
        },
      },
    });
  }
  if (conv.hasScheduled) recorded.push(...(await cancelScheduledReplies(tx, conv.id, contact.id)));

  // The message, its files, the conversation's times and the events, in one statement. A
  // copy stored meanwhile makes the message insert do nothing: the whole transaction is
  // then rolled back (DuplicateRace), so what the other parts wrote goes with it.
  const m = tx.$with('m').as(
    tx
      .insert(messages)
      .values({
        id: messageId,
        workspaceId: msg.workspaceId,
        conversationId: conv.id,
        inboxId: inbox.id,
        direction: 'in',
        channel: msg.channel ?? inbox.channel,
        contactId: contact.id,
        text,
        html,
        externalId: msg.externalId,
        deliveryStatus: 'received',
        email: msg.email ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: messages.id }),
  );
  const parts: WithSubquery[] = [m, tx.$with('e').as(recordEvents(tx, recorded))];
  if (msg.attachments?.length) {
    const files = msg.attachments.map((a) => ({ id: a.id, workspaceId: msg.workspaceId, messageId, filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256, contentId: a.contentId ?? null }));
    parts.push(tx.$with('a').as(tx.insert(attachments).values(files).returning({ id: attachments.id })));
  }
  // A conversation opened just now already carries these times.
  if (!createdConversation) {
    const times = tx
      .update(conversations)
      .set({
        lastMessageAt: now,
        lastInboundAt: now,
        updatedAt: now,
        waitingSince: conv.waitingSince ?? now,
        ...(reopen ? { status: 'open' as const } : {}),
        ...(wake ? { snoozedUntil: null } : {}),
      })
      .where(eq(conversations.id, conv.id))
      .returning({ id: conversations.id });
    parts.push(tx.$with('u').as(times));
  }
  const inserted = await tx
    .with(...parts)
    .select({ id: m.id })
    .from(m);
  if (!inserted.length) throw new DuplicateRace();
  const result: IngestResult = {
    conversationId: conv.id,
    conversationNumber: conv.number,
    messageId,
    contactId: contact.id,
    duplicate: false,
    createdConversation,
  };
  if (msg.alsoInTransaction) await msg.alsoInTransaction(tx, result);
  return result;
}
