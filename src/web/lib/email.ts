/** The e-mail side of messages and replies, as the agent app uses it: addresses, recipients, the reply's fields. */

export interface EmailAddress {
  address: string;
  name?: string;
}

/** What the API says of a message that came or went by e-mail (`message.email`). */
export interface MessageEmail {
  messageId?: string;
  from?: EmailAddress;
  replyTo?: EmailAddress[];
  to?: EmailAddress[];
  cc?: EmailAddress[];
  bcc?: EmailAddress[];
  subject?: string;
  quotedHtml?: string;
  quotedText?: string;
  /** Why the sender's mail counts as automatic: an auto-reply, a bounce, bulk mail. */
  automated?: string;
  replyAll?: boolean;
  /** Heard's own acknowledgement of a new conversation. */
  autoAck?: boolean;
  /** A satisfaction survey: the team sees its words and the ratings offered, not its links. */
  survey?: boolean;
  /** A request for consent to the feedback wall: the team sees it without the customer's link. */
  consent?: boolean;
  /** Received over SMTP: whether the sending server encrypted it; absent when Heard did not see (IMAP, the MIME endpoint). */
  tls?: boolean;
}

/** "Maya Johnson <maya@example.com>", or the bare address when there is no name. */
export function formatAddress(a: EmailAddress): string {
  const name = a.name?.trim();
  return name && name.toLowerCase() !== a.address.toLowerCase() ? `${name} <${a.address}>` : a.address;
}

export function formatAddresses(list: EmailAddress[] | undefined): string {
  return (list ?? []).map(formatAddress).join(', ');
}

// The same rule as the server's e-mail check in spirit: one @, a dot in the domain, no spaces or brackets.
const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

/** Whether an agent typed a usable e-mail address (the server checks again). */
export function isEmailAddress(s: string): boolean {
  return s.length <= 320 && ADDRESS.test(s.trim());
}

/**
 * Splits what was typed or pasted into a Cc/Bcc field ("a@x.com, B <b@y.org>; c@z.net")
 * into addresses, and the pieces that are not addresses.
 */
export function parseAddressInput(input: string): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  const add = (candidate: string, piece: string) => {
    const a = candidate.trim().toLowerCase();
    if (!isEmailAddress(a)) invalid.push(piece);
    else if (!valid.includes(a)) valid.push(a);
  };
  for (const raw of input.split(/[,;\n]+/)) {
    const piece = raw.trim();
    if (!piece) continue;
    const bracketed = /<([^<>]+)>\s*$/.exec(piece);
    if (bracketed) add(bracketed[1], piece);
    else for (const word of piece.split(/\s+/)) add(word, word);
  }
  return { valid, invalid };
}

/** Adds addresses to a chip list, once each, ignoring case. */
export function addAddresses(list: string[], more: string[]): string[] {
  const seen = new Set(list.map((a) => a.toLowerCase()));
  const out = [...list];
  for (const a of more) {
    if (seen.has(a.toLowerCase())) continue;
    seen.add(a.toLowerCase());
    out.push(a);
  }
  return out;
}

interface TimelineMessageLike {
  direction: string;
  channel: string;
  contactId: string | null;
  email?: MessageEmail | null;
}

/**
 * Where a reply goes: as the server sends it, to the customer's latest e-mail (its Reply-To,
 * else its From), else to the contact's first e-mail address.
 */
export function replyTarget(messages: TimelineMessageLike[], contactId: string, contactEmails: string[] = [], contactName?: string): EmailAddress | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.direction !== 'in' || m.channel !== 'email' || m.contactId !== contactId || !m.email) continue;
    const to = m.email.replyTo?.[0] ?? m.email.from;
    if (to) return to;
  }
  return contactEmails[0] ? { address: contactEmails[0], name: contactName } : null;
}

export interface ReplyRecipients {
  replyAll: boolean;
  cc: string[];
  bcc: string[];
}

export const noRecipients: ReplyRecipients = { replyAll: false, cc: [], bcc: [] };

/** The reply's e-mail fields for POST /conversations/:id/messages: only what was chosen, so other channels get none. */
export function recipientFields(r: ReplyRecipients): { replyAll?: true; cc?: string[]; bcc?: string[] } {
  return {
    ...(r.replyAll ? { replyAll: true as const } : {}),
    ...(r.cc.length ? { cc: r.cc } : {}),
    ...(r.bcc.length ? { bcc: r.bcc } : {}),
  };
}

/** 1536 → "1.5 KB": sizes as people read them. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}
