import crypto from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { attachments, conversations, messages } from '../../db/schema/index.js';
import { Invalid, NotFound } from '../../core/errors.js';

/**
 * A visitor's files. An upload is stored in the file store and answered with a signed
 * ticket (what was stored, for which visitor, until when); sending a message with that
 * ticket attaches the file. No pending rows: a ticket never used leaves only bytes.
 * Links to files are signed for the contact whose conversation holds them, so an <img>
 * in the widget can load them without a header, and nobody else can.
 */

export const WIDGET_FILE_MAX_BYTES = 10 * 1024 * 1024;
export const WIDGET_FILES_PER_MESSAGE = 5;
const TICKET_HOURS = 24;

export interface Ticket {
  sha256: string;
  size: number;
  filename: string;
  contentType: string;
  visitorId: string;
  exp: number;
}

const sign = (secret: string, what: string) => crypto.createHmac('sha256', secret).update(what).digest('base64url');

export function issueTicket(secret: string, t: Omit<Ticket, 'exp'>): string {
  const body = Buffer.from(JSON.stringify({ ...t, exp: Date.now() + TICKET_HOURS * 3_600_000 })).toString('base64url');
  return `${body}.${sign(secret, `widget-file:${body}`)}`;
}

export function readTicket(secret: string, ticket: string, visitorId: string): Ticket {
  const [body, mac] = ticket.split('.');
  const expected = sign(secret, `widget-file:${body ?? ''}`);
  if (!body || !mac || mac.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
    throw new Invalid('attachments', 'a file ticket is not valid; upload the file again');
  }
  const t = JSON.parse(Buffer.from(body, 'base64url').toString()) as Ticket;
  if (t.visitorId !== visitorId) throw new Invalid('attachments', 'a file ticket belongs to another visitor');
  if (t.exp < Date.now()) throw new Invalid('attachments', 'a file ticket has expired; upload the file again');
  return t;
}

export const fileLinkSignature = (secret: string, attachmentId: string, contactId: string) => sign(secret, `widget-file-link:${attachmentId}:${contactId}`).slice(0, 32);

/** The files of these messages as the widget lists them, each with its signed link. */
export async function visitorFiles(db: Executor, secret: string, publicKey: string, contactId: string, messageIds: string[]) {
  if (!messageIds.length) return new Map<string, VisitorFile[]>();
  const rows = await db.select().from(attachments).where(inArray(attachments.messageId, messageIds));
  const out = new Map<string, VisitorFile[]>();
  for (const a of rows) {
    if (a.contentId) continue; // an e-mail's inline part is shown in its HTML, which the widget does not render
    const list = out.get(a.messageId!) ?? [];
    list.push({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, url: `/widget/v1/${publicKey}/files/${a.id}?s=${fileLinkSignature(secret, a.id, contactId)}` });
    out.set(a.messageId!, list);
  }
  return out;
}

export interface VisitorFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  /** Relative to the Heard server. */
  url: string;
}

/** The attachment a signed link names, when the link was made for the contact whose conversation holds it. */
export async function fileForLink(db: Executor, secret: string, workspaceId: string, id: string, signature: string) {
  const [row] = await db
    .select({ a: attachments, contactId: conversations.contactId })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(attachments.id, id), eq(attachments.workspaceId, workspaceId)));
  const expected = row ? fileLinkSignature(secret, id, row.contactId) : '';
  if (!row || signature.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) throw new NotFound('File');
  return row.a;
}
