import type { attachments, conversations, messages } from '../../db/schema/index.js';
import { consentForTeam } from '../feedback/consent-links.js';
import { surveyForTeam } from '../satisfaction/survey-links.js';

export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;

export interface ConversationExtras {
  contact?: { id: string; name: string };
  preview?: string;
  /** The inbox's channel. */
  channel?: string;
  /** An API inbox's network (x, instagram… or a display name). */
  network?: string | null;
  /** A customer message newer than the caller's last read. */
  unread?: boolean;
  participants?: { contactId: string; name: string; role: string }[];
  /** The name of the SLA policy that applies. */
  slaPolicyName?: string | null;
}

/**
 * Where the conversation's SLA stands: the policy, each tracked target's due time and
 * whether it was met or breached (a running target past its due time is breached), and
 * since when the clocks stand still. Null when no policy applies.
 */
export function presentSla(c: Conversation, policyName: string | null | undefined, now = new Date()) {
  if (!c.slaPolicyId || !c.sla) return null;
  const targets = Object.fromEntries(
    Object.entries(c.sla).map(([name, t]) => [
      name,
      {
        dueAt: t.dueAt,
        warnAt: t.warnAt ?? null,
        status: t.status,
        met: t.status === 'met',
        breached: t.status === 'missed' || (t.status === 'running' && t.dueAt !== null && new Date(t.dueAt) <= now) || (t.status === 'paused' && t.remainingMinutes < 0),
        remainingMinutes: t.status === 'paused' || t.status === 'running' ? t.remainingMinutes : null,
        stoppedAt: t.stoppedAt ?? null,
      },
    ]),
  );
  return { policy: { id: c.slaPolicyId, name: policyName ?? null }, dueAt: c.slaDueAt, pausedAt: c.slaPausedAt, targets };
}

export function presentConversation(c: Conversation, extra: ConversationExtras = {}) {
  return {
    id: c.id,
    number: c.number,
    inboxId: c.inboxId,
    channel: extra.channel,
    network: extra.channel === 'api' ? (extra.network ?? undefined) : undefined,
    contactId: c.contactId,
    contact: extra.contact,
    participants: extra.participants,
    subject: c.subject,
    status: c.status,
    priority: c.priority,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    tags: c.tags,
    topic: c.topic,
    customFields: c.customFields,
    preview: extra.preview,
    unread: extra.unread,
    lastMessageAt: c.lastMessageAt,
    lastInboundAt: c.lastInboundAt,
    waitingSince: c.waitingSince,
    snoozedUntil: c.snoozedUntil,
    mergedIntoId: c.mergedIntoId,
    firstResponseAt: c.firstResponseAt,
    sla: presentSla(c, extra.slaPolicyName),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** What the timeline shows of an e-mail: addresses, subject, the quoted history; not the store's hashes. */
function presentEmail(e: NonNullable<Message['email']>) {
  return {
    messageId: e.messageId,
    from: e.from,
    replyTo: e.replyTo,
    to: e.to,
    cc: e.cc,
    bcc: e.bcc,
    subject: e.subject,
    quotedHtml: e.quotedHtml,
    quotedText: e.quotedText,
    automated: e.automated,
    replyAll: e.replyAll,
    autoAck: e.autoAck,
    survey: e.survey,
    consent: e.consent,
    tls: e.tls,
  };
}

export function presentMessage(m: Message, files: (typeof attachments.$inferSelect)[] = []) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    channel: m.channel,
    authorMemberId: m.authorMemberId,
    contactId: m.contactId,
    // A survey's links are the customer's key to their answer: the team sees the words and the ratings offered.
    text: m.email?.survey ? surveyForTeam(m.text) : m.email?.consent ? consentForTeam(m.text) : m.text,
    html: m.email?.survey || m.email?.consent ? null : m.html,
    deliveryStatus: m.deliveryStatus,
    deliveryError: m.deliveryError,
    deliveryAttempts: m.deliveryAttempts,
    /** While a failed attempt waits to be retried: when the next one is due. */
    deliveryNextAt: m.deliveryNextAt,
    /** A failed reply sent again another way: the message that took its place. */
    replacedById: m.replacedById,
    deliveredAt: m.deliveredAt,
    seenAt: m.seenAt,
    sendAt: m.sendAt,
    call: m.call,
    email: m.email ? presentEmail(m.email) : null,
    // Inline parts of an e-mail are shown in its HTML, not listed as files.
    attachments: files.filter((f) => !f.contentId).map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size })),
    createdAt: m.createdAt,
  };
}
