import { and, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../../db/client.js';
import { contactIdentities, conversationParticipants, conversations, type EmailData, inboxes, mailHolds, messages } from '../../db/schema/index.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { HeardError, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import type { FileStore } from '../../core/files/file-store.js';
import { recordDelivery } from '../../domains/conversations/commands.js';
import { ingest } from '../../domains/conversations/ingest.js';
import { queueAutoAcknowledgement } from './auto-ack.js';
import { topicForSubject } from '../../domains/topics/service.js';
import { answerFromReply } from '../../domains/topics/intake-round.js';
import { emailSettings } from './settings.js';
import type { ParsedEmail } from './parse.js';
import { MailParser, ParseFailed } from './parser-pool.js';
import { storable } from './storable.js';
import { baseAddress, verifyMessageId, verifyReplyToken } from './tokens.js';

export type MailSource = 'smtp' | 'imap' | 'http';

export interface ReceiveInput {
  inboxId: string;
  /** The inbox's row, when the caller has just read it (the SMTP listener, at RCPT TO). */
  inbox?: Inbox;
  raw: Buffer;
  source: MailSource;
  /** SMTP RCPT TO addresses: they may carry the reply-to token when the headers do not. */
  envelopeTo?: string[];
  /** Whether it reached the SMTP listener over TLS; unknown (undefined) for IMAP and the MIME endpoint. */
  tls?: boolean;
}

export interface ReceiveResult {
  /** ingested: in a conversation · duplicate: stored before · held: quarantined or waiting for review · bounce: marked one of our replies failed. */
  outcome: 'ingested' | 'duplicate' | 'held' | 'bounce';
  conversationId?: string;
  messageId?: string;
  holdId?: string;
  detail?: string;
}

// One parser pool per running instance (its worker threads), closed with it.
const parsers = new WeakMap<Ctx, MailParser>();

export function mailParserFor(ctx: Ctx): MailParser {
  let p = parsers.get(ctx);
  if (!p) {
    p = new MailParser(ctx.config.HEARD_MAIL_PARSE_TIMEOUT_MS);
    parsers.set(ctx, p);
  }
  return p;
}

export async function closeMailParser(ctx: Ctx) {
  await parsers.get(ctx)?.close();
  parsers.delete(ctx);
}

/**
 * The one way e-mail comes in (SMTP listener, IMAP polling, the MIME endpoint). Returns
 * only after the message, or its hold, is committed: the caller acknowledges then
 * (SMTP 250, IMAP \Seen, HTTP 201). Bad mail never throws: it is held raw. A throw means
 * storing failed, and the caller must not acknowledge, so the sender tries again.
 */
export async function receiveEmail(ctx: Ctx, files: FileStore, input: ReceiveInput): Promise<ReceiveResult> {
  const inbox =
    input.inbox?.id === input.inboxId && input.inbox.channel === 'email'
      ? input.inbox
      : (await ctx.db.select().from(inboxes).where(and(eq(inboxes.id, input.inboxId), eq(inboxes.channel, 'email'))))[0];
  if (!inbox) throw new NotFound('Email inbox');
  const raw = await files.put(input.raw);
  // What every hold of this message says of where it came from.
  const held = { workspaceId: inbox.workspaceId, inboxId: inbox.id, source: input.source, rawSha256: raw.sha256, size: raw.size };

  let mail: ParsedEmail;
  try {
    mail = await mailParserFor(ctx).parse(input.raw);
  } catch (err) {
    if (!(err instanceof ParseFailed)) throw err;
    return hold(ctx, { ...held, reason: 'unparseable', detail: err.message, ...headerGuess(input.raw) });
  }
  if (!mail.from) {
    return hold(ctx, { ...held, reason: 'unparseable', detail: 'it has no sender (From) address', subject: mail.subject });
  }

  // Our own reply coming back (a Bcc to the inbox, a Sent folder): never a customer message.
  if (mail.messageId && verifyMessageId(ctx.secret, mail.messageId)) return { outcome: 'duplicate', detail: 'one of our own messages' };

  const bounced = mail.bounce?.originalMessageId ? verifyMessageId(ctx.secret, mail.bounce.originalMessageId) : undefined;
  if (bounced) {
    const marked = await markBounced(ctx, inbox.workspaceId, bounced, mail);
    if (marked) return { outcome: 'bounce', messageId: bounced, conversationId: marked };
  }

  // The message's own id and those it replies to, looked up at once: for de-duplication and threading.
  const references = [mail.inReplyTo, ...[...mail.references].reverse()].filter((x): x is string => Boolean(x)).slice(0, 30);
  const stored = await storedMessages(ctx.db, inbox.id, mail.messageId ? [mail.messageId, ...references] : references);
  const externalId = deduplicationKey(mail, stored);
  const thread = await findThread(ctx, inbox, mail, input.envelopeTo ?? [], references, stored);
  if (thread && !thread.senderKnown) {
    return hold(ctx, {
      ...held,
      reason: 'unknown_sender',
      detail: `${mail.from.address} replied to conversation #${thread.number}, but is neither its customer nor in copy`,
      fromAddress: mail.from.address,
      subject: mail.subject,
      conversationId: thread.conversationId,
    });
  }
  try {
    return await ingestParsed(ctx, files, inbox, mail, {
      externalId,
      rawSha256: raw.sha256,
      conversationId: thread?.conversationId,
      tls: input.tls,
      duplicateChecked: Boolean(mail.messageId) && !stored.some((r) => r.externalId === externalId),
    });
  } catch (err) {
    // Mail that ingest() refuses (a 4xx of ours, or data the database will not take) would
    // be refused again on every retry and block an IMAP mailbox behind it: it is held for
    // a person instead. Anything else (the database down) is thrown, and the sender tries
    // again later.
    if (!(err instanceof HeardError && err.status < 500) && !isDataException(err)) throw err;
    return hold(ctx, { ...held, reason: 'unparseable', detail: `it could not be stored: ${(err as Error).message}`, fromAddress: mail.from.address, subject: mail.subject });
  }
}

type Inbox = typeof inboxes.$inferSelect;

/** PostgreSQL's class 22 (data exception): these values will never be stored, however often they are sent. */
function isDataException(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : e.cause?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/** Stores a parsed e-mail through ingest(): its files, the new text and quoted history, its Cc as participants. */
export async function ingestParsed(
  ctx: Ctx,
  files: FileStore,
  inbox: Inbox,
  mail: ParsedEmail,
  opts: { externalId: string; rawSha256: string; conversationId?: string; tls?: boolean; duplicateChecked?: boolean },
): Promise<ReceiveResult> {
  const from = mail.from!;
  const attachments = [];
  let html = mail.html;
  for (const a of mail.attachments) {
    const file = await files.put(Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength));
    const id = uuidv7();
    attachments.push({ id, ...file, filename: a.filename.slice(0, 255), contentType: a.contentType.slice(0, 255), contentId: a.contentId });
    // Inline images point at the stored part, served only as an image (attachments/routes.ts).
    if (a.contentId && html) html = html.split(`cid:${a.contentId}`).join(`/api/v1/attachments/${id}/inline`);
  }
  const own = new Set([baseAddress(emailSettings(inbox).address)]);
  const participants = mail.cc
    .concat(mail.to)
    .filter((a) => !own.has(baseAddress(a.address)) && a.address !== from.address)
    .slice(0, 20)
    .map((a) => ({ email: a.address, name: a.name }));
  const email: EmailData = {
    messageId: mail.messageId ?? opts.externalId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    from,
    replyTo: mail.replyTo.length ? mail.replyTo : undefined,
    to: mail.to,
    cc: mail.cc,
    subject: mail.subject,
    quotedHtml: mail.quotedHtml,
    quotedText: mail.quotedText,
    automated: mail.automated,
    rawSha256: opts.rawSha256,
    contentHash: mail.contentHash,
    tls: opts.tls,
  };
  const result = await ingest(ctx, {
    workspaceId: inbox.workspaceId,
    inboxId: inbox.id,
    inbox,
    duplicateChecked: opts.duplicateChecked,
    contact: { email: from.address, name: from.name },
    subject: mail.subject || '(no subject)',
    text: mail.text,
    html,
    htmlSanitized: true,
    allowEmpty: true,
    externalId: opts.externalId,
    conversationId: opts.conversationId,
    threadByContact: false,
    email,
    attachments,
    participants,
    // Mail has no topic picker: a new conversation is about the topic its subject names.
    topic: opts.conversationId ? undefined : (await topicForSubject(ctx.db, inbox.workspaceId, mail.subject ?? ''))?.name,
    // A reply that fills in the fields asked for ("Order number: 12345") sets them.
    alsoInTransaction: async (tx, r) => {
      if (!r.createdConversation && !mail.automated) await answerFromReply(tx, r.conversationId, mail.text ?? '');
    },
  });
  // Old mail (a mailbox's history, read in on its first IMAP poll) is not acknowledged days late.
  const fresh = !mail.date || Date.now() - new Date(mail.date).getTime() < 24 * 3_600_000;
  if (result.createdConversation && !result.duplicate && !mail.automated && fresh) await queueAutoAcknowledgement(ctx, inbox, result.conversationId);
  return { outcome: result.duplicate ? 'duplicate' : 'ingested', conversationId: result.conversationId, messageId: result.messageId };
}

interface StoredMessage {
  externalId: string | null;
  conversationId: string;
  contentHash: string | null;
}

/** The messages of the inbox stored under these ids (Message-IDs). */
async function storedMessages(db: Executor, inboxId: string, externalIds: string[]): Promise<StoredMessage[]> {
  if (!externalIds.length) return [];
  return db
    .select({ externalId: messages.externalId, conversationId: messages.conversationId, contentHash: sql<string | null>`${messages.email}->>'contentHash'` })
    .from(messages)
    .where(and(eq(messages.inboxId, inboxId), inArray(messages.externalId, externalIds)));
}

/**
 * The key that makes a re-delivered message land once: its Message-ID, or a hash of its
 * content when it has none. Two different messages that share a Message-ID (broken
 * senders do this) are both kept: the second one's key adds its content hash.
 */
function deduplicationKey(mail: ParsedEmail, stored: StoredMessage[]): string {
  if (!mail.messageId) return `sha256:${mail.contentHash}`;
  const same = stored.find((r) => r.externalId === mail.messageId);
  if (same?.contentHash && same.contentHash !== mail.contentHash) return `${mail.messageId}#${mail.contentHash}`;
  return mail.messageId;
}

interface Thread {
  conversationId: string;
  number: number;
  /** The sender is the conversation's customer or one of its participants. */
  senderKnown: boolean;
}

/**
 * DESIGN §4, in order: In-Reply-To / References against our signed Message-IDs and the
 * stored ones; the signed reply-to token; the subject's [#number] from the same customer.
 * A forged id or token verifies to nothing and threads nothing.
 */
async function findThread(ctx: Ctx, inbox: Inbox, mail: ParsedEmail, envelopeTo: string[], ids: string[], stored: StoredMessage[]): Promise<Thread | undefined> {
  const db = ctx.db;
  let conversationId: string | undefined;
  const ours = ids.map((id) => verifyMessageId(ctx.secret, id)).filter((x): x is string => Boolean(x));
  if (ours.length) {
    const rows = await db
      .select({ id: messages.id, conversationId: messages.conversationId })
      .from(messages)
      .where(and(inArray(messages.id, ours), eq(messages.workspaceId, inbox.workspaceId)));
    conversationId = ours.map((id) => rows.find((r) => r.id === id)?.conversationId).find(Boolean);
  }
  if (!conversationId) conversationId = ids.map((id) => stored.find((r) => r.externalId === id)?.conversationId).find(Boolean);
  if (!conversationId) {
    const recipients = [...envelopeTo, ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)];
    for (const r of recipients) {
      const n = verifyReplyToken(ctx.secret, r, inbox.id);
      if (n === undefined) continue;
      const [c] = await db
        .select({ id: conversations.id })
        .from(conversations)
        // The token is signed for this inbox; the conversation may be of another channel (a chat answered by e-mail).
        .where(and(eq(conversations.workspaceId, inbox.workspaceId), eq(conversations.number, n)));
      if (c) {
        conversationId = c.id;
        break;
      }
    }
  }
  let bySubject = false;
  if (!conversationId) {
    const n = /\[#(\d{1,9})\]/.exec(mail.subject)?.[1];
    if (n) {
      const [c] = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.workspaceId, inbox.workspaceId), eq(conversations.number, Number(n))));
      if (c) {
        conversationId = c.id;
        bySubject = true;
      }
    }
  }
  if (!conversationId) return undefined;

  // A merged conversation continues where its messages went.
  const sender = mail.from!.address;
  let conv = await conversationRow(db, inbox.workspaceId, conversationId, sender);
  for (let i = 0; conv?.mergedIntoId && i < 5; i++) conv = await conversationRow(db, inbox.workspaceId, conv.mergedIntoId, sender);
  // A closed case stays closed: a new message about it opens a new conversation.
  if (!conv || conv.status === 'closed') return undefined;
  const senderKnown = conv.senderKnown;
  // The subject tag is no proof of anything: only the conversation's own customers thread by it.
  if (bySubject && !senderKnown) return undefined;
  return { conversationId: conv.id, number: conv.number, senderKnown };
}

/**
 * A conversation, and whether `address` is one of its customers: its contact or one of its
 * participants. Drizzle leaves the columns of a one-table select unqualified, so the
 * subquery names the outer row in full.
 */
async function conversationRow(db: Executor, workspaceId: string, id: string, address: string) {
  const [c] = await db
    .select({
      id: conversations.id,
      number: conversations.number,
      status: conversations.status,
      mergedIntoId: conversations.mergedIntoId,
      senderKnown: sql<boolean>`exists (
        select 1 from ${contactIdentities} i
         where i.workspace_id = ${workspaceId} and i.kind = 'email' and i.value = ${address.toLowerCase()}
           and (i.contact_id = "conversations"."contact_id"
                or exists (select 1 from ${conversationParticipants} p where p.conversation_id = "conversations"."id" and p.contact_id = i.contact_id)))`,
    })
    .from(conversations)
    .where(eq(conversations.id, id));
  return c;
}

/** A bounce of one of our replies: that reply is marked failed with the reason, where the agent sees it. */
async function markBounced(ctx: Ctx, workspaceId: string, messageId: string, mail: ParsedEmail): Promise<string | undefined> {
  const b = mail.bounce!;
  const reason = ['bounced', b.recipient && `for ${b.recipient}`, b.status && `(status ${b.status})`, b.diagnostic && `: ${b.diagnostic}`].filter(Boolean).join(' ');
  return inTransaction(ctx, async (tx) => (await recordDelivery(tx, workspaceId, messageId, { status: 'failed', error: reason.slice(0, 1000) }))?.conversationId);
}

interface HoldInput {
  workspaceId: string;
  inboxId: string;
  source: MailSource;
  rawSha256: string;
  size: number;
  reason: 'unparseable' | 'unknown_sender';
  detail: string;
  fromAddress?: string;
  subject?: string;
  conversationId?: string;
}

/** Keeps the raw message for a person to decide; the same bytes twice are held once. */
async function hold(ctx: Ctx, h: HoldInput): Promise<ReceiveResult> {
  return inTransaction(ctx, async (tx) => {
    const [created] = await tx
      .insert(mailHolds)
      .values(storable({ ...h, subject: h.subject?.slice(0, 500), fromAddress: h.fromAddress?.slice(0, 320), detail: h.detail.slice(0, 1000) }))
      .onConflictDoNothing()
      .returning();
    if (created) {
      await recordEvent(tx, { workspaceId: h.workspaceId, type: 'mail.held', data: { holdId: created.id, reason: h.reason, inboxId: h.inboxId, conversationId: h.conversationId } });
      return { outcome: 'held' as const, holdId: created.id, detail: h.detail };
    }
    const [existing] = await tx
      .select({ id: mailHolds.id })
      .from(mailHolds)
      .where(and(eq(mailHolds.inboxId, h.inboxId), eq(mailHolds.rawSha256, h.rawSha256)));
    return { outcome: 'held' as const, holdId: existing?.id, detail: h.detail };
  });
}

/**
 * A message too large to take in (HEARD_MAIL_MAX_BYTES) that sits in a mailbox: its
 * headers are held in the quarantine, so an admin sees who wrote what and how large it
 * is, while the message itself stays in the mailbox.
 */
export async function holdOversized(ctx: Ctx, files: FileStore, input: { inboxId: string; headers: Buffer; size: number; source: MailSource }): Promise<ReceiveResult> {
  const [inbox] = await ctx.db.select().from(inboxes).where(and(eq(inboxes.id, input.inboxId), eq(inboxes.channel, 'email')));
  if (!inbox) throw new NotFound('Email inbox');
  const stored = await files.put(input.headers);
  return hold(ctx, {
    workspaceId: inbox.workspaceId,
    inboxId: inbox.id,
    source: input.source,
    rawSha256: stored.sha256,
    size: input.size,
    reason: 'unparseable',
    detail: `it is ${input.size} bytes, more than the ${ctx.config.HEARD_MAIL_MAX_BYTES} accepted (HEARD_MAIL_MAX_BYTES); only its headers are kept here, and the message is still in the mailbox`,
    ...headerGuess(input.headers),
  });
}

/** What little can be read off a message the parser gave up on, for the quarantine list. */
function headerGuess(raw: Buffer): { fromAddress?: string; subject?: string } {
  const head = raw.subarray(0, 64 * 1024).toString('latin1').split(/\r?\n\r?\n/)[0];
  const from = /^from:.*?([^\s<>"]+@[^\s<>"]+)/im.exec(head)?.[1];
  const subject = /^subject:\s*(.*)$/im.exec(head)?.[1];
  return { fromAddress: from?.toLowerCase(), subject: subject?.slice(0, 200) };
}
