import { sql, type SQL } from 'drizzle-orm';
import { type AnyPgColumn, bigint, bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tsvector, updatedAt, workspaceId } from './columns.js';
import { contacts } from './contacts.js';
import { channelKind, inboxes } from './inboxes.js';
import type { ActorSystem } from '../../core/events/types.js';
import { type SlaState, slaPolicies } from './service-levels.js';
import { members, teams } from './workspaces.js';

export const conversationStatus = pgEnum('conversation_status', ['open', 'pending', 'on_hold', 'solved', 'closed']);
export const conversationPriority = pgEnum('conversation_priority', ['low', 'normal', 'high', 'urgent']);

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    workspaceId: workspaceId(),
    number: integer('number').notNull(),
    inboxId: uuid('inbox_id').notNull().references(() => inboxes.id),
    contactId: uuid('contact_id').notNull().references(() => contacts.id),
    subject: text('subject').notNull().default(''),
    status: conversationStatus('status').notNull().default('open'),
    priority: conversationPriority('priority').notNull().default('normal'),
    assigneeId: uuid('assignee_id').references(() => members.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    topic: text('topic'),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the customer started waiting for us; null while the ball is in their court. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    /** The customer's last message: newer than a member's last read means unread for them. */
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    /** Hidden from open views until then; a job or the customer's next message wakes it. */
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    /** Set on a conversation merged into another: where its messages went (its events stay, and the target's timeline reads them). */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => conversations.id, { onDelete: 'set null' }),
    /** The SLA policy that applies (docs/sla.md); its targets' state, recomputed from the timeline on every relevant event. */
    slaPolicyId: uuid('sla_policy_id').references((): AnyPgColumn => slaPolicies.id, { onDelete: 'set null' }),
    sla: jsonb('sla').$type<SlaState>(),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }),
    nextResponseDueAt: timestamp('next_response_due_at', { withTimezone: true }),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
    /** Set while the clocks stand still (pending, on hold); the time until they resume is not counted. */
    slaPausedAt: timestamp('sla_paused_at', { withTimezone: true }),
    /** The soonest due time of a running target: what the list sorts and filters "breaching soon" by. */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    search: tsvector('search').generatedAlwaysAs((): SQL => sql`to_tsvector('simple', coalesce(${conversations.subject}, ''))`),
  },
  (t) => [
    uniqueIndex('conversations_number_key').on(t.workspaceId, t.number),
    index('conversations_list_idx').on(t.workspaceId, t.lastMessageAt, t.id),
    index('conversations_status_idx').on(t.workspaceId, t.status, t.lastMessageAt),
    index('conversations_assignee_idx').on(t.workspaceId, t.assigneeId),
    index('conversations_waiting_idx').on(t.workspaceId, t.waitingSince, t.id),
    index('conversations_priority_idx').on(t.workspaceId, t.priority, t.lastMessageAt, t.id),
    index('conversations_sla_due_idx').on(t.workspaceId, t.slaDueAt, t.id).where(sql`${t.slaDueAt} is not null`),
    index('conversations_snoozed_idx').on(t.workspaceId, t.snoozedUntil).where(sql`${t.snoozedUntil} is not null`),
    index('conversations_contact_idx').on(t.contactId),
    index('conversations_merged_into_idx').on(t.mergedIntoId).where(sql`${t.mergedIntoId} is not null`),
    index('conversations_tags_idx').using('gin', t.tags),
    index('conversations_search_idx').using('gin', t.search),
  ],
);

export const messageDirection = pgEnum('message_direction', ['in', 'out', 'note']);
/** `scheduled`: a reply to send later (sendAt); `cancelled`: a scheduled reply that will not be sent. */
export const deliveryStatus = pgEnum('delivery_status', ['received', 'queued', 'sent', 'failed', 'scheduled', 'cancelled']);

/** What a logged phone call records, beside its notes in the message text. */
export interface CallData {
  number: string;
  durationSeconds: number;
  outcome: 'answered' | 'no_answer' | 'voicemail' | 'busy' | 'failed';
  notes?: string;
}

export const messages = pgTable(
  'messages',
  {
    id: id(),
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    inboxId: uuid('inbox_id').notNull().references(() => inboxes.id),
    direction: messageDirection('direction').notNull(),
    channel: channelKind('channel').notNull(),
    authorMemberId: uuid('author_member_id').references(() => members.id, { onDelete: 'set null' }),
    contactId: uuid('contact_id').references(() => contacts.id),
    text: text('text').notNull().default(''),
    /** Sanitised on the way in; never the raw HTML a sender wrote. */
    html: text('html'),
    /** The sender's own id for this message (API clientMessageId, e-mail Message-ID): the de-duplication key per inbox. */
    externalId: text('external_id'),
    deliveryStatus: deliveryStatus('delivery_status').notNull(),
    /** The last error in the channel's own words (the team sees it beside a plain explanation). */
    deliveryError: text('delivery_error'),
    /** Attempts made to hand the reply to its channel, failed ones included. */
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    /** While a failed attempt waits to be retried: when the next one is due. */
    deliveryNextAt: timestamp('delivery_next_at', { withTimezone: true }),
    /** A reply that failed and was sent again another way ("send by e-mail instead"): the message that took its place. */
    replacedById: uuid('replaced_by_id'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** When the customer saw this reply (the chat widget tells); null until then or where the channel cannot tell. */
    seenAt: timestamp('seen_at', { withTimezone: true }),
    /** A scheduled reply's send time. */
    sendAt: timestamp('send_at', { withTimezone: true }),
    /** A logged phone call (channel phone). */
    call: jsonb('call').$type<CallData>(),
    /** An e-mail's envelope and threading headers, and the quoted history cut off its text (channel email). */
    email: jsonb('email').$type<EmailData>(),
    createdAt: createdAt(),
    search: tsvector('search').generatedAlwaysAs((): SQL => sql`to_tsvector('simple', coalesce(${messages.text}, ''))`),
  },
  (t) => [
    uniqueIndex('messages_external_id_key').on(t.inboxId, t.externalId),
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    index('messages_search_idx').using('gin', t.search),
    // Delivery problems: failed replies not sent another way, and replies waiting to be retried.
    index('messages_delivery_problems_idx')
      .on(t.workspaceId, t.createdAt)
      .where(sql`(${t.deliveryStatus} = 'failed' and ${t.replacedById} is null) or (${t.deliveryStatus} = 'queued' and ${t.deliveryAttempts} > 0)`),
  ],
);

export interface EmailAddress {
  address: string;
  name?: string;
}

/** What the timeline and threading need of an e-mail, inbound or outbound. */
export interface EmailData {
  /** The Message-ID header, without angle brackets (a reply's is set when it is sent). */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  from?: EmailAddress;
  replyTo?: EmailAddress[];
  to?: EmailAddress[];
  cc?: EmailAddress[];
  bcc?: EmailAddress[];
  subject?: string;
  /** The quoted history and signature cut off the new text ("show quoted"). */
  quotedHtml?: string;
  quotedText?: string;
  /** An auto-reply, bounce or bulk mail: never answered automatically. */
  automated?: string;
  /** A reply: the agent chose to answer everyone in copy. */
  replyAll?: boolean;
  /** Sent by Heard itself (the acknowledgement of a new conversation), marked Auto-Submitted. */
  autoAck?: boolean;
  /** A satisfaction survey (domains/satisfaction): its links carry the customer's token, and are not shown to the team. */
  survey?: boolean;
  /** A request for consent to the feedback wall (domains/feedback): its link carries the customer's token, and is not shown to the team. */
  consent?: boolean;
  /** A hash of what the sender wrote: the same Message-ID with other content is another message. */
  contentHash?: string;
  /** The raw message in the file store. */
  rawSha256?: string;
  /**
   * Inbound over Heard's SMTP listener: whether the sending server encrypted the delivery
   * (STARTTLS). Absent for mail fetched over IMAP or posted to the MIME endpoint, whose
   * delivery to the mailbox or the provider Heard did not see.
   */
  tls?: boolean;
}

export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    workspaceId: workspaceId(),
    /** Null while the file is uploaded but not yet sent with a message (a pending attachment). */
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    uploadedByMemberId: uuid('uploaded_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** An e-mail's inline part (`cid:` in its HTML): shown in the message, not listed as a download. */
    contentId: text('content_id'),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_message_idx').on(t.messageId)],
);

/**
 * The timeline of everything that happens (DESIGN §4), and the transactional outbox:
 * rows are written in the same transaction as the change and dispatched after commit.
 */
export interface EventCause {
  ruleIds: string[];
}

export const events = pgTable(
  'events',
  {
    id: id(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id'),
    type: text('type').notNull(),
    actorMemberId: uuid('actor_member_id'),
    actorContactId: uuid('actor_contact_id'),
    /** What acted when no member did (a rule, the SLA engine, a job): core/events/types.ts ACTOR_SYSTEM. */
    actorSystem: jsonb('actor_system').$type<ActorSystem>(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The rules whose actions made this event, outermost first, when a rule made it: taken
     * from the transaction's `heard.cause` setting, so the conversation commands a rule calls
     * need not know about rules (the rules' loop guard reads it).
     */
    cause: jsonb('cause').$type<EventCause>().default(sql`nullif(current_setting('heard.cause', true), '')::jsonb`),
    createdAt: createdAt(),
    /** Set by the dispatcher that took the event; a claim older than a minute is taken over (that node died). */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('events_seq_key').on(t.seq),
    index('events_conversation_idx').on(t.conversationId, t.seq),
    index('events_undispatched_idx').on(t.seq).where(sql`${t.dispatchedAt} is null`),
  ],
);

/**
 * An event one processor could not handle, retried for that processor alone with
 * back-off (the others have had it); after the last attempt it stays here, dead, for an
 * admin to see and retry.
 */
export const eventFailures = pgTable(
  'event_failures',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    processor: text('processor').notNull(),
    workspaceId: workspaceId(),
    attempts: integer('attempts').notNull().default(1),
    lastError: text('last_error').notNull(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** Set by the dispatcher retrying it; a claim older than a minute is taken over. */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** Given up: no more automatic attempts. */
    deadAt: timestamp('dead_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.processor] }),
    index('event_failures_due_idx').on(t.nextAttemptAt).where(sql`${t.deadAt} is null`),
    index('event_failures_workspace_idx').on(t.workspaceId, t.createdAt),
  ],
);

/** Per member, when they last read each conversation: a customer message after that is unread for them. */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    lastReadAt: timestamp('last_read_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.conversationId] }), index('conversation_reads_conversation_idx').on(t.conversationId)],
);

/** Further customers on a conversation (cc), beside its contact. */
export const conversationParticipants = pgTable(
  'conversation_participants',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    role: text('role').$type<'cc'>().notNull().default('cc'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.contactId] }), index('conversation_participants_contact_idx').on(t.contactId)],
);

/** Members @mentioned in a note: the Mentions view counts those newer than the member's last read. */
export const noteMentions = pgTable(
  'note_mentions',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.memberId] }), index('note_mentions_member_idx').on(t.memberId, t.conversationId, t.createdAt)],
);

/**
 * The agent app's view counts, kept as the number of conversations per combination of what
 * the rail and saved views filter on, and once more per tag. Triggers on `conversations` write every change as a
 * delta row (`conversation_count_deltas`, insert-only, so writers never wait on each other
 * or deadlock), and a sweep folds the deltas into these totals; readers add both in one
 * statement. No assignee or team is the nil uuid, so the key needs no nullable column.
 * docs/decisions.md: "View counts are kept by the database".
 */
const countKey = () => ({
  workspaceId: workspaceId(),
  status: conversationStatus('status').notNull(),
  priority: conversationPriority('priority').notNull(),
  assigneeId: uuid('assignee_id').notNull(),
  teamId: uuid('team_id').notNull(),
  inboxId: uuid('inbox_id').notNull(),
  /** snoozed_until is set: whether that time has passed is the reader's to check. */
  snoozed: boolean('snoozed').notNull(),
  /** '' counts every conversation; a tag counts those with it again (for saved views by tag). */
  tag: text('tag').notNull(),
});

export const conversationCounts = pgTable('conversation_counts', { ...countKey(), n: bigint('n', { mode: 'number' }).notNull() }, (t) => [
  primaryKey({ name: 'conversation_counts_pkey', columns: [t.workspaceId, t.tag, t.status, t.priority, t.assigneeId, t.teamId, t.inboxId, t.snoozed] }),
]);

export const conversationCountDeltas = pgTable('conversation_count_deltas', { ...countKey(), n: bigint('n', { mode: 'number' }).notNull() }, (t) => [
  index('conversation_count_deltas_workspace_idx').on(t.workspaceId),
]);

/**
 * The conversations with a running SLA target that are not done, per hour their soonest
 * target is due (UTC): "breaching soon" adds the hours before the current one and counts
 * the rest of that hour from the due-time index. Kept like conversationCounts.
 */
const dueKey = () => ({ workspaceId: workspaceId(), dueHour: timestamp('due_hour', { mode: 'date' }).notNull(), n: bigint('n', { mode: 'number' }).notNull() });

export const conversationDueCounts = pgTable('conversation_due_counts', dueKey(), (t) => [primaryKey({ name: 'conversation_due_counts_pkey', columns: [t.workspaceId, t.dueHour] })]);

export const conversationDueDeltas = pgTable('conversation_due_deltas', dueKey(), (t) => [index('conversation_due_deltas_workspace_idx').on(t.workspaceId)]);
