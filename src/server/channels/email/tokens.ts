import crypto from 'node:crypto';

/**
 * Heard's own identifiers in mail, signed with the instance secret so that nobody can
 * thread mail into a conversation by guessing or forging them:
 *  - Message-IDs of the replies we send: `<m.{message uuid, hex}.{mac}@{mail domain}>`;
 *  - the reply-to token in the inbox address: `support+c-{conversation number}-{mac}@…`.
 * A forged or altered one verifies to nothing and threads nothing.
 */

const mac = (secret: string, what: string, length: number) => crypto.createHmac('sha256', secret).update(what).digest('hex').slice(0, length);

const safeEqual = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function outgoingMessageId(secret: string, messageId: string, domain: string): string {
  const hex = messageId.replace(/-/g, '');
  return `m.${hex}.${mac(secret, `message-id:${messageId}`, 16)}@${domain}`;
}

/** The id of our message a Message-ID names, when it is one of ours and its signature holds. */
export function verifyMessageId(secret: string, id: string): string | undefined {
  const m = /^m\.([0-9a-f]{32})\.([0-9a-f]{16})@/i.exec(id.trim());
  if (!m) return undefined;
  const hex = m[1].toLowerCase();
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return safeEqual(m[2].toLowerCase(), mac(secret, `message-id:${uuid}`, 16)) ? uuid : undefined;
}

/** The inbox address with the conversation's token: replies to it thread even when the client drops the headers. */
export function replyToAddress(secret: string, inboxAddress: string, inboxId: string, conversationNumber: number): string {
  const [local, domain] = splitAddress(inboxAddress);
  return `${local}+c-${conversationNumber}-${mac(secret, `reply-to:${inboxId}:${conversationNumber}`, 10)}@${domain}`;
}

/** The conversation number a recipient address's token names for this inbox, when its signature holds. */
export function verifyReplyToken(secret: string, address: string, inboxId: string): number | undefined {
  const [local] = splitAddress(address);
  const m = /\+c-(\d{1,9})-([0-9a-f]{10})$/i.exec(local);
  if (!m) return undefined;
  const n = Number(m[1]);
  return safeEqual(m[2].toLowerCase(), mac(secret, `reply-to:${inboxId}:${n}`, 10)) ? n : undefined;
}

export function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf('@');
  return [address.slice(0, at), address.slice(at + 1).toLowerCase()];
}

/** The address without its +tag: support+c-12-ab12@acme.test and support+billing@… reach support@acme.test. */
export function baseAddress(address: string): string {
  const [local, domain] = splitAddress(address.trim().toLowerCase());
  return `${local.split('+')[0]}@${domain}`;
}
