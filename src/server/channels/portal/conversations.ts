import { and, asc, desc, eq, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../../db/client.js';
import { attachments, contacts, conversationParticipants, conversations, inboxes, members, messages, users } from '../../db/schema/index.js';
import type { Ctx } from '../../core/context.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { ingest } from '../../domains/conversations/ingest.js';
import type { HelpCenter } from '../../domains/help-center/service.js';

/** A file a customer sent from the portal, already in the file store. */
export interface PortalFile {
  sha256: string;
  size: number;
  filename: string;
  contentType: string;
}

export const PORTAL_FILE_MAX_BYTES = 10 * 1024 * 1024;
export const PORTAL_FILES_PER_MESSAGE = 5;

/** What the customer may see of the case: what they and the team said, never notes, replies waiting to be sent, or delivery internals. */
const PUBLIC = and(inArray(messages.direction, ['in', 'out']), notInArray(messages.deliveryStatus, ['scheduled', 'cancelled']));

/** The conversations a customer is in: theirs, and those they were copied on. Merged ones live on in the one they went into. */
function theirs(hc: Pick<HelpCenter, 'workspaceId'>, contactId: string) {
  return and(
    eq(conversations.workspaceId, hc.workspaceId),
    isNull(conversations.mergedIntoId),
    or(
      eq(conversations.contactId, contactId),
      inArray(conversations.id, sql`(select ${conversationParticipants.conversationId} from ${conversationParticipants} where ${conversationParticipants.contactId} = ${contactId})`),
    ),
  );
}

/** Every conversation the customer has had with the workspace, on every channel, newest activity first, with the last public words. */
export async function listPortalConversations(db: Executor, hc: Pick<HelpCenter, 'workspaceId'>, contactId: string) {
  const rows = await db
    .select({ c: conversations, channel: inboxes.channel })
    .from(conversations)
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .where(theirs(hc, contactId))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(500);
  const ids = rows.map((r) => r.c.id);
  const last = ids.length
    ? await db
        .selectDistinctOn([messages.conversationId], { conversationId: messages.conversationId, text: messages.text, direction: messages.direction, call: messages.call, createdAt: messages.createdAt })
        .from(messages)
        .where(and(inArray(messages.conversationId, ids), PUBLIC))
        .orderBy(messages.conversationId, desc(messages.createdAt))
    : [];
  return rows.map(({ c, channel }) => {
    const l = last.find((m) => m.conversationId === c.id);
    return {
      id: c.id,
      number: c.number,
      subject: c.subject,
      status: c.status,
      channel,
      lastMessageAt: c.lastMessageAt,
      createdAt: c.createdAt,
      preview: l ? (l.call ? '' : l.text.slice(0, 160)) : '',
      lastFrom: l ? (l.direction === 'in' ? ('customer' as const) : ('agent' as const)) : null,
    };
  });
}

async function ownConversation(db: Executor, hc: Pick<HelpCenter, 'workspaceId'>, contactId: string, number: number) {
  const [row] = await db
    .select({ c: conversations, channel: inboxes.channel })
    .from(conversations)
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .where(and(eq(conversations.workspaceId, hc.workspaceId), eq(conversations.number, number)));
  if (!row) throw new NotFound('Conversation');
  const c = row.c;
  const copied = c.contactId === contactId
    ? true
    : (await db.select().from(conversationParticipants).where(and(eq(conversationParticipants.conversationId, c.id), eq(conversationParticipants.contactId, contactId)))).length > 0;
  // Someone else's conversation reads exactly as one that does not exist.
  if (!copied) throw new NotFound('Conversation');
  return row;
}

/** A conversation as its customer sees it in the portal: the whole public history, oldest first, with files. */
export async function portalConversation(db: Executor, hc: Pick<HelpCenter, 'workspaceId'>, contactId: string, number: number) {
  const { c, channel } = await ownConversation(db, hc, contactId, number);
  if (c.mergedIntoId) {
    const [into] = await db.select({ number: conversations.number }).from(conversations).where(eq(conversations.id, c.mergedIntoId));
    return { conversation: c, channel, mergedInto: into?.number ?? null, messages: [] };
  }
  const rows = await db
    .select({ m: messages, authorName: users.name, contactName: contacts.name })
    .from(messages)
    .leftJoin(members, eq(members.id, messages.authorMemberId))
    .leftJoin(users, eq(users.id, members.userId))
    .leftJoin(contacts, eq(contacts.id, messages.contactId))
    .where(and(eq(messages.conversationId, c.id), PUBLIC))
    // The newest thousand of a very long case, shown oldest first.
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1000);
  rows.reverse();
  const files = rows.length
    ? await db
        .select()
        .from(attachments)
        .where(and(inArray(attachments.messageId, rows.map((r) => r.m.id)), isNull(attachments.contentId)))
    : [];
  return {
    conversation: c,
    channel,
    mergedInto: null,
    messages: rows.map(({ m, authorName, contactName }) => ({
      id: m.id,
      from: m.direction === 'in' ? ('customer' as const) : ('agent' as const),
      mine: m.direction === 'in' && m.contactId === contactId,
      // Agents by first name, as in the chat; customers as they are known.
      name: m.direction === 'out' ? (authorName?.split(' ')[0] ?? null) : contactName || null,
      // A logged call shows what happened, not the agent's notes about it.
      text: m.call ? '' : m.text,
      call: m.call ? { direction: m.direction === 'in' ? ('inbound' as const) : ('outbound' as const), durationSeconds: m.call.durationSeconds, outcome: m.call.outcome } : null,
      channel: m.channel,
      automatic: Boolean(m.email?.autoAck),
      createdAt: m.createdAt,
      files: files.filter((f) => f.messageId === m.id).map((f) => ({ id: f.id, filename: f.filename, size: f.size, contentType: f.contentType })),
    })),
  };
}

/**
 * The customer's reply from the portal, through ingest(): it joins the conversation on
 * whatever channel it began (marked as written in the portal), reopens it when it was
 * solved, and, when the customer chose to, when it was closed. The form's own id makes a
 * second submit of the same form store nothing new.
 */
export async function portalReply(
  ctx: Ctx,
  hc: HelpCenter,
  contactId: string,
  number: number,
  input: { text: string; formId: string; files?: PortalFile[]; reopen?: boolean },
) {
  const { c } = await ownConversation(ctx.db, hc, contactId, number);
  if (c.mergedIntoId) throw new Invalid('conversation', 'was merged into another conversation; reply there');
  if (c.status === 'closed' && !input.reopen) throw new Invalid('reopen', 'this conversation is closed; choose to reopen it to write again');
  const files = (input.files ?? []).map((f) => ({ id: uuidv7(), ...f }));
  if (!input.text.trim() && !files.length) throw new Invalid('text', 'must not be empty');
  return ingest(ctx, {
    workspaceId: hc.workspaceId,
    inboxId: c.inboxId,
    contactId,
    contact: {},
    conversationId: c.id,
    text: input.text,
    externalId: `portal:${input.formId}`,
    channel: 'portal',
    attachments: files,
    allowEmpty: files.length > 0,
    reopenClosed: input.reopen === true,
  });
}

/** A file of one of the customer's conversations, when it is on a message they may see. */
export async function portalFile(db: Executor, hc: Pick<HelpCenter, 'workspaceId'>, contactId: string, id: string) {
  const [row] = await db
    .select({ a: attachments, conversationContact: conversations.contactId, conversationId: conversations.id })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(attachments.id, id), eq(attachments.workspaceId, hc.workspaceId), PUBLIC));
  if (!row) throw new NotFound('File');
  if (row.conversationContact !== contactId) {
    const [p] = await db.select().from(conversationParticipants).where(and(eq(conversationParticipants.conversationId, row.conversationId), eq(conversationParticipants.contactId, contactId)));
    if (!p) throw new NotFound('File');
  }
  return row.a;
}

