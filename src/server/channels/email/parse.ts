import crypto from 'node:crypto';
import { type AddressObject, type Attachment, simpleParser } from 'mailparser';
import type { EmailAddress } from '../../db/schema/index.js';
import { htmlToText, sanitizeHtml } from '../../core/html.js';
import { needsRepair, repairCharsets } from './charsets.js';
import { splitQuotedHtml, splitQuotedText } from './quoted.js';

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
  /** Set for an inline part the HTML shows with `cid:`. */
  contentId?: string;
}

/** A delivery status notification about one of the messages we sent. */
export interface Bounce {
  /** The Message-ID of the message that bounced, without angle brackets. */
  originalMessageId?: string;
  recipient?: string;
  status?: string;
  diagnostic?: string;
}

/** An e-mail as Heard keeps it: plain data, so it crosses from the parser's worker thread. */
export interface ParsedEmail {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from?: EmailAddress;
  replyTo: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  subject: string;
  /** The Date header, ISO (when it is a date at all). */
  date?: string;
  /** The new part of the message, sanitised; the quoted history and signature are cut off into quoted*. */
  text: string;
  html?: string;
  quotedText?: string;
  quotedHtml?: string;
  /** Why this is mail no one should answer automatically (auto-reply, bounce, bulk), or undefined. */
  automated?: string;
  bounce?: Bounce;
  attachments: ParsedAttachment[];
  /** A hash of what the sender wrote (not of the transport headers): the same Message-ID with other content is another message. */
  contentHash: string;
}

/** A sender's NUL (raw, or encoded in a header or part), which PostgreSQL's text cannot hold: dropped, as no reader needs it. */
const withoutNul = (s: string) => s.replace(/\0/g, '');
const stripAngles = (id: string) => withoutNul(id).trim().replace(/^<+/, '').replace(/>+$/, '').trim();

function addresses(obj: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const list = Array.isArray(obj) ? obj : obj ? [obj] : [];
  const out: EmailAddress[] = [];
  const walk = (values: AddressObject['value']) => {
    for (const v of values) {
      if (v.group) walk(v.group);
      else if (v.address && /^[^\s@\0]+@[^\s@\0]+$/.test(v.address)) out.push({ address: v.address.toLowerCase(), ...(v.name ? { name: withoutNul(v.name).slice(0, 200) } : {}) });
    }
  };
  for (const o of list) walk(o.value);
  return out;
}

function header(headers: Map<string, unknown>, name: string): string | undefined {
  const v = headers.get(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: unknown }).value);
  return String(v);
}

/** Auto-replies, bounces and bulk mail, as RFC 3834 and the common vendor headers mark them. */
function automatedReason(headers: Map<string, unknown>, from: EmailAddress | undefined, contentType: string | undefined, subject: string): string | undefined {
  const autoSubmitted = header(headers, 'auto-submitted');
  if (autoSubmitted && autoSubmitted.toLowerCase() !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  if (contentType?.toLowerCase().startsWith('multipart/report')) return 'delivery report';
  if (from && /^(mailer-daemon|postmaster)@/i.test(from.address)) return 'from the mail system';
  for (const h of ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress']) {
    const v = header(headers, h);
    if (v && (h !== 'x-auto-response-suppress' || /\b(all|oof|autoreply)\b/i.test(v))) return `${h}: ${v}`;
  }
  const precedence = header(headers, 'precedence');
  if (precedence && /^(bulk|junk|list|auto_reply)$/i.test(precedence.trim())) return `Precedence: ${precedence.trim()}`;
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return 'mailing list';
  if (/^(auto(matic)? ?reply|out of (the )?office|autosvar|abwesenheit|r[ée]ponse automatique)\b/i.test(subject)) return 'out-of-office subject';
  return undefined;
}

/** What a delivery status report says about the message it returns. */
function readBounce(attachments: Attachment[]): Bounce | undefined {
  const status = attachments.find((a) => a.contentType === 'message/delivery-status');
  const original = attachments.find((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers' || a.contentType === 'message/rfc822-headers');
  if (!status && !original) return undefined;
  const statusText = status?.content.toString('utf8') ?? '';
  const field = (name: string) => new RegExp(`^${name}:\\s*(?:[\\w-]+;\\s*)?(.+(?:\\r?\\n[ \\t].+)*)`, 'im').exec(statusText)?.[1].replace(/\s+/g, ' ').trim();
  // Only the original's header block: a Message-ID quoted in its body is not its own.
  const originalHeaders = original?.content.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
  const mid = /^message-id:\s*(<[^>]+>|\S+)/im.exec(originalHeaders)?.[1];
  return {
    originalMessageId: mid ? stripAngles(mid) : undefined,
    recipient: field('Final-Recipient') ?? field('Original-Recipient'),
    status: field('Status'),
    diagnostic: field('Diagnostic-Code')?.slice(0, 500),
  };
}

const REPORT_PARTS = new Set(['message/delivery-status', 'text/rfc822-headers', 'message/rfc822-headers']);

/**
 * Parses a raw RFC 5322 message into what the timeline shows. CPU-heavy on purpose-built
 * nasty mail, so it runs in a worker thread (parser-pool.ts), never on the main loop.
 */
export async function parseEmail(raw: Uint8Array): Promise<ParsedEmail> {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const parse = (b: Buffer) =>
    simpleParser(b, {
      // Keep `cid:` links: the server maps them to stored attachments instead of inlining data: URLs.
      skipImageLinks: true,
      skipTextToHtml: true,
      keepDeliveryStatus: true,
    });
  let mail = await parse(bytes);
  if (needsRepair(bytes, mail)) mail = await parse(await repairCharsets(bytes));
  const headers = mail.headers as Map<string, unknown>;
  const from = addresses(mail.from)[0];
  const subject = withoutNul(mail.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 998);
  const contentType = header(headers, 'content-type');

  const rawHtml = typeof mail.html === 'string' && mail.html.trim() ? withoutNul(mail.html) : undefined;
  let html: string | undefined;
  let quotedHtml: string | undefined;
  if (rawHtml) {
    const parts = splitQuotedHtml(rawHtml);
    html = sanitizeHtml(parts.fresh) || undefined;
    quotedHtml = parts.quoted ? sanitizeHtml(parts.quoted) || undefined : undefined;
  }
  let text: string;
  let quotedText: string | undefined;
  if (mail.text?.trim()) {
    const parts = splitQuotedText(withoutNul(mail.text.replace(/\r\n/g, '\n')));
    text = parts.fresh;
    quotedText = parts.quoted;
  } else {
    text = html ? htmlToText(html) : '';
    quotedText = quotedHtml ? htmlToText(quotedHtml) : undefined;
  }

  // Text is for reading, previews and search (whose index takes at most 1 MB per row);
  // a longer one is cut there, and the whole message stays in its HTML and raw form.
  text = clip(text);
  quotedText = quotedText ? clip(quotedText) : undefined;

  const attachments: ParsedAttachment[] = [];
  for (const a of mail.attachments) {
    if (REPORT_PARTS.has(a.contentType)) continue;
    // Shown inline only when the HTML refers to it; otherwise it is a file like any other.
    const inline = Boolean(a.cid && html?.includes(`cid:${a.cid}`));
    attachments.push({
      filename: a.filename ? withoutNul(a.filename) || defaultName(a) : defaultName(a),
      contentType: a.contentType || 'application/octet-stream',
      content: new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength),
      ...(inline ? { contentId: a.cid } : {}),
    });
  }

  const references = (Array.isArray(mail.references) ? mail.references : mail.references ? mail.references.split(/\s+/) : []).map(stripAngles).filter(Boolean);
  const automated = automatedReason(headers, from, contentType, subject);
  const fresh = `${from?.address}\n${subject}\n${text}\n${html ?? ''}\n${attachments.map((a) => a.filename).join(',')}`;
  return {
    messageId: mail.messageId ? stripAngles(mail.messageId).slice(0, 900) || undefined : undefined,
    inReplyTo: mail.inReplyTo ? stripAngles(mail.inReplyTo.split(/\s+/)[0]) : undefined,
    references: references.slice(-50),
    from,
    replyTo: addresses(mail.replyTo),
    to: addresses(mail.to).slice(0, 100),
    cc: addresses(mail.cc).slice(0, 100),
    subject,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined,
    text,
    html,
    quotedText: quotedText || undefined,
    quotedHtml,
    automated,
    bounce: contentType?.toLowerCase().includes('report-type=delivery-status') || (automated && from && /^(mailer-daemon|postmaster)@/i.test(from.address)) ? readBounce(mail.attachments) : undefined,
    attachments,
    contentHash: crypto.createHash('sha256').update(fresh).digest('hex').slice(0, 32),
  };
}

const MAX_TEXT = 100_000;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}\n[…]` : s);

/** A name for a part its sender left unnamed, from its type: "attachment.pdf", "calendar.ics". */
function defaultName(a: Attachment): string {
  const ext: Record<string, string> = {
    'text/calendar': 'invite.ics',
    'message/rfc822': 'forwarded-message.eml',
    'application/pdf': 'attachment.pdf',
    'application/zip': 'attachment.zip',
    'text/plain': 'attachment.txt',
    'text/html': 'attachment.html',
    'image/png': 'image.png',
    'image/jpeg': 'image.jpg',
    'image/gif': 'image.gif',
    'application/ms-tnef': 'winmail.dat',
  };
  return ext[a.contentType] ?? 'attachment.bin';
}
