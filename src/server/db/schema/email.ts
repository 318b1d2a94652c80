import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';
import { conversations } from './conversations.js';
import { inboxes } from './inboxes.js';
import { members } from './workspaces.js';

/**
 * Why an arrived e-mail was held back instead of joining a conversation:
 * `unparseable` — the parser failed or timed out; admins download it and re-process it.
 * `unknown_sender` — it threads into a conversation, but comes from someone who is neither
 * the customer nor a cc; an agent links it there or opens a conversation of its own.
 */
export const mailHoldReason = pgEnum('mail_hold_reason', ['unparseable', 'unknown_sender']);

/** Mail kept raw (in the file store, by its SHA-256) until someone decides. Nothing that arrived is ever dropped. */
export const mailHolds = pgTable(
  'mail_holds',
  {
    id: id(),
    workspaceId: workspaceId(),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    reason: mailHoldReason('reason').notNull(),
    /** smtp, imap or http: how it came in. */
    source: text('source').notNull(),
    rawSha256: text('raw_sha256').notNull(),
    size: integer('size').notNull(),
    fromAddress: text('from_address'),
    subject: text('subject'),
    /** What went wrong (unparseable) or why it waits (unknown sender). */
    detail: text('detail').notNull(),
    /** The conversation it would have joined (unknown sender). */
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedByMemberId: uuid('resolved_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    /** linked, new_conversation, reprocessed or discarded. */
    resolution: text('resolution'),
    createdAt: createdAt(),
  },
  (t) => [
    // The same bytes delivered twice (an IMAP re-fetch after a crash) are held once.
    uniqueIndex('mail_holds_raw_key').on(t.inboxId, t.rawSha256),
    index('mail_holds_open_idx').on(t.workspaceId, t.createdAt).where(sql`${t.resolvedAt} is null`),
  ],
);

/** Where IMAP polling of an inbox's mailbox stands: mail above lastUid in this UIDVALIDITY is new. */
export const imapStates = pgTable('imap_states', {
  inboxId: uuid('inbox_id')
    .primaryKey()
    .references(() => inboxes.id, { onDelete: 'cascade' }),
  uidValidity: bigint('uid_validity', { mode: 'number' }),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull().default(0),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  /** The last poll's failure, shown in the inbox settings; null once a poll succeeds. */
  lastError: text('last_error'),
  updatedAt: updatedAt(),
});
