import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';
import { channelKind, inboxes } from './inboxes.js';
import { createdAt, id, workspaceId } from './columns.js';

export const satisfactionRating = pgEnum('satisfaction_rating', ['good', 'okay', 'bad']);

/**
 * The satisfaction survey sent when a conversation was solved, and the customer's answer.
 * One per conversation (the unique key that makes sending it exactly once across nodes and
 * retries); the link's token is kept only as its hash, so the table cannot be used to answer.
 */
export const satisfactionSurveys = pgTable(
  'satisfaction_surveys',
  {
    id: id(),
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    channel: channelKind('channel').notNull(),
    /** sha256 (hex) of the random token in the survey's links. */
    tokenHash: text('token_hash').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    rating: satisfactionRating('rating'),
    comment: text('comment'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    /** Until then the customer may change their answer (sent_at + 7 days). */
    changeableUntil: timestamp('changeable_until', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('satisfaction_surveys_conversation_key').on(t.conversationId),
    uniqueIndex('satisfaction_surveys_token_key').on(t.tokenHash),
    index('satisfaction_surveys_rated_idx').on(t.workspaceId, t.ratedAt),
  ],
);
