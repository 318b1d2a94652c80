import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { attachments, contactIdentities, contacts, conversationParticipants, conversations, type EmailAddress, type EmailData, members, messages, users } from '../../db/schema/index.js';
import { recordSentEmail } from '../../domains/conversations/commands.js';
import type { Ctx } from '../../core/context.js';
import { LocalFileStore } from '../../core/files/file-store.js';
import { BlockedAddressError, publicAddress } from '../../core/net/outbound-guard.js';
import type { Inbox } from '../../domains/inboxes/service.js';
import type { Message } from '../../domains/conversations/service.js';
import type { DeliveryOutcome } from '../api/deliver.js';
import { pooledMailer } from './mailers.js';
import { emailSettings } from './settings.js';
import { outgoingMessageId, replyToAddress } from './tokens.js';

/**
 * How long a send may wait on the server: to connect, for its greeting, and in silence on
 * the socket (a stalled DATA). They bound one send, and so how long a delivery job may
 * run before it is taken to be dead (SEND_SECONDS).
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 };

/** The longest a stalled send can wait before it fails: a job that sends mail may run this long. */
export const SEND_SECONDS = (SMTP_TIMEOUTS.connectionTimeout + SMTP_TIMEOUTS.greetingTimeout + SMTP_TIMEOUTS.socketTimeout) / 1000;

/** Where a reply leaves: the inbox's own SMTP server, or SMTP_URL. */
export function transportOptions(ctx: Ctx, inbox: Inbox): SMTPTransport.Options | undefined {
  const smtp = emailSettings(inbox).smtp;
  if (smtp) {
    return {
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      ...SMTP_TIMEOUTS,
    };
  }
  return ctx.config.SMTP_URL ? { url: ctx.config.SMTP_URL, ...SMTP_TIMEOUTS } : undefined;
}

/**
 * A mailer for where the inbox's mail leaves, or undefined when there is nowhere. An
 * inbox's own server is a customer's setting: it is connected to at the public address
 * its name resolves to now (outbound-guard.ts), with the certificate still verified
 * against the name. A private one throws BlockedAddressError before any connection.
 * SMTP_URL is the operator's own and goes anywhere.
 */
export async function mailerFor(ctx: Ctx, inbox: Inbox) {
  const transport = transportOptions(ctx, inbox);
  if (!transport) return undefined;
  if (transport.url !== undefined || ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS) return nodemailer.createTransport(transport);
  const target = await publicAddress(transport.host!);
  return nodemailer.createTransport({ ...transport, host: target.address, servername: target.servername });
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const toHtml = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
const bracket = (id: string) => `<${id}>`;

/** The subject of a reply: "Re: " once, and the conversation's [#number] so the customer's mail client and we both recognise it. */
export function replySubject(subject: string, number: number): string {
  const base = subject.replace(/\s*\[#\d+\]\s*/g, ' ').trim() || '(no subject)';
  return `${/^(re|aw|sv|antw):/i.test(base) ? base : `Re: ${base}`} [#${number}]`;
}

/** The subject of the first e-mail of a conversation the team began: its subject and [#number]. */
export function firstSubject(subject: string, number: number): string {
  return `${subject.replace(/\s*\[#\d+\]\s*/g, ' ').trim() || '(no subject)'} [#${number}]`;
}

/**
 * Sends an agent's reply as a normal e-mail from the inbox's address, with the agent's
 * name and signature, threaded into the customer's mail client (Message-ID, In-Reply-To,
 * References), a reply-to that carries the conversation's signed token, and [#number]
 * in the subject. Its Message-ID is derived from the message id, so a retry sends the
 * same message again and the customer's mail client shows it once.
 */
export async function deliverEmail(ctx: Ctx, inbox: Inbox, message: Message, opts: { footer?: string } = {}): Promise<DeliveryOutcome> {
  const settings = emailSettings(inbox);
  const transport = transportOptions(ctx, inbox);
  if (!transport) return { ok: false, reason: 'no outgoing mail server: set SMTP_URL, or SMTP settings on the inbox', permanent: true };

  const [conv] = await ctx.db.select().from(conversations).where(eq(conversations.id, message.conversationId));
  const [contact] = await ctx.db.select().from(contacts).where(eq(contacts.id, conv.contactId));
  // Answer the customer's latest e-mail: its Reply-To or From, and its place in the thread.
  const [parent] = await ctx.db
    .select({ email: messages.email })
    .from(messages)
    .where(and(eq(messages.conversationId, conv.id), eq(messages.direction, 'in'), eq(messages.channel, 'email')))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  const parentMail = parent?.email ?? undefined;
  const contactEmail = (
    await ctx.db
      .select({ value: contactIdentities.value })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.contactId, contact.id), eq(contactIdentities.kind, 'email')))
      .orderBy(asc(contactIdentities.createdAt))
      .limit(1)
  )[0]?.value;
  // To the conversation's customer, where they last wrote from (a Cc'd person may have written last).
  const [fromCustomer] = await ctx.db
    .select({ email: messages.email })
    .from(messages)
    .where(and(eq(messages.conversationId, conv.id), eq(messages.direction, 'in'), eq(messages.channel, 'email'), eq(messages.contactId, contact.id)))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  const customerMail = fromCustomer?.email ?? undefined;
  const to: EmailAddress | undefined = customerMail?.replyTo?.[0] ?? customerMail?.from ?? (contactEmail ? { address: contactEmail, name: contact.name || undefined } : undefined);
  if (!to) return { ok: false, reason: 'the customer has no e-mail address', permanent: true };

  const own = message.email ?? {};
  const cc: EmailAddress[] = [...(own.cc ?? [])];
  if (own.replyAll) cc.push(...(await participantAddresses(ctx, conv.id)));
  const ccUnique = dedupe(cc, [to.address, settings.address]);
  const bcc = dedupe(own.bcc ?? [], [to.address, settings.address, ...ccUnique.map((a) => a.address)]);

  const [author] = message.authorMemberId
    ? await ctx.db
        .select({ name: users.name, signature: members.signature })
        .from(members)
        .innerJoin(users, eq(users.id, members.userId))
        .where(eq(members.id, message.authorMemberId))
    : [];
  const inboxName = settings.displayName || inbox.name;
  const fromName = author?.name ? `${author.name} (${inboxName})` : inboxName;
  const signatures = [author?.signature, settings.signature].filter((s) => s?.trim()).join('\n\n');
  const body = opts.footer ? `${message.text}\n\n${opts.footer}` : message.text;
  const text = signatures ? `${body}\n\n-- \n${signatures}` : body;
  const messageId = outgoingMessageId(ctx.secret, message.id, ctx.config.mailDomain);
  const references = [...(parentMail?.references ?? []), ...(parentMail?.messageId ? [parentMail.messageId] : [])].slice(-20);
  // A conversation the team began, where the customer has not written yet: its own subject, not "Re:".
  const [customerWrote] = parentMail
    ? [parent]
    : await ctx.db.select({ id: messages.id }).from(messages).where(and(eq(messages.conversationId, conv.id), eq(messages.direction, 'in'))).limit(1);
  const subject = customerWrote ? replySubject(conv.subject, conv.number) : firstSubject(conv.subject, conv.number);

  const files = await ctx.db.select().from(attachments).where(eq(attachments.messageId, message.id));
  const store = new LocalFileStore(`${ctx.config.dataDir}/files`);
  const mailAttachments = await Promise.all(files.map(async (f) => ({ filename: f.filename, contentType: f.contentType, content: await store.get(f.sha256) })));

  const sent: EmailData = {
    ...own,
    messageId,
    inReplyTo: parentMail?.messageId,
    references,
    from: { address: settings.address, name: fromName },
    to: [to],
    cc: ccUnique,
    bcc,
    subject,
  };
  // Recorded before sending: the agent sees where it went even when sending fails.
  await recordSentEmail(ctx.db, message.id, sent);

  try {
    // A customer's own server is connected to at the public address its name resolves to
    // now (outbound-guard.ts); SMTP_URL is the operator's own and goes anywhere.
    const direct = transport.url !== undefined || ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS;
    const target = direct ? undefined : await publicAddress(transport.host!);
    const mailer = pooledMailer(ctx, inbox.id, target ? { ...transport, host: target.address, servername: target.servername } : transport);
    await mailer.sendMail({
      messageId: bracket(messageId),
      from: { name: fromName, address: settings.address },
      replyTo: replyToAddress(ctx.secret, settings.address, inbox.id, conv.number),
      to: [{ name: to.name ?? '', address: to.address }],
      cc: ccUnique.map((a) => ({ name: a.name ?? '', address: a.address })),
      bcc: bcc.map((a) => a.address),
      subject,
      inReplyTo: parentMail?.messageId ? bracket(parentMail.messageId) : undefined,
      references: references.map(bracket),
      text,
      // Heard's own messages (a survey's links) bring their HTML; a person's reply is its text, as paragraphs.
      html: message.html ? `${message.html}${signatures ? `\n${toHtml(`-- \n${signatures}`)}` : ''}` : toHtml(text),
      attachments: mailAttachments,
      headers: {
        ...(own.autoAck ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {}),
        'X-Heard-Conversation': String(conv.number),
      },
    });
    return { ok: true };
  } catch (err) {
    if (err instanceof BlockedAddressError) return { ok: false, reason: `the inbox's outgoing mail server is refused: ${err.message}`, permanent: true };
    const e = err as Error & { responseCode?: number; code?: string };
    const reason = `${e.responseCode ? `${e.responseCode} ` : ''}${e.message}`.slice(0, 500);
    // A 5xx answer is the server's final word (unknown recipient, refused); anything else may pass later.
    return { ok: false, reason, permanent: e.responseCode !== undefined && e.responseCode >= 500 };
  }
}

async function participantAddresses(ctx: Ctx, conversationId: string): Promise<EmailAddress[]> {
  const rows = await ctx.db
    .select({ contactId: conversationParticipants.contactId, name: contacts.name })
    .from(conversationParticipants)
    .innerJoin(contacts, eq(contacts.id, conversationParticipants.contactId))
    .where(eq(conversationParticipants.conversationId, conversationId));
  if (!rows.length) return [];
  const ids = await ctx.db
    .select({ contactId: contactIdentities.contactId, value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(inArray(contactIdentities.contactId, rows.map((r) => r.contactId)), eq(contactIdentities.kind, 'email')))
    .orderBy(asc(contactIdentities.createdAt));
  return rows.flatMap((r) => {
    const id = ids.find((i) => i.contactId === r.contactId);
    return id ? [{ address: id.value, name: r.name || undefined }] : [];
  });
}

function dedupe(list: EmailAddress[], exclude: string[]): EmailAddress[] {
  const seen = new Set(exclude.map((a) => a.toLowerCase()));
  return list.filter((a) => {
    const key = a.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
