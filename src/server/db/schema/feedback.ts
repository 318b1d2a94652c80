import { sql } from 'drizzle-orm';
import { boolean, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { conversations, messages } from './conversations.js';
import { satisfactionSurveys } from './satisfaction.js';
import { members } from './workspaces.js';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';

export const feedbackKind = pgEnum('feedback_kind', ['compliment', 'complaint']);
export const feedbackState = pgEnum('feedback_state', ['draft', 'consent_requested', 'consented', 'declined', 'published', 'withdrawn', 'unpublished']);

/**
 * A customer's words (a message, or a survey comment) an agent proposed for the public
 * feedback wall, the customer's consent to show them, and the company's response. Only the
 * hash of the consent link's token is kept. Published implies consent recorded and not
 * withdrawn: the check below holds even against a careless update.
 */
export const feedbackItems = pgTable(
  'feedback_items',
  {
    id: id(),
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** The customer's message quoted, or null for a survey comment. */
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    /** The satisfaction survey whose comment is quoted, or null for a message. */
    surveyId: uuid('survey_id').references(() => satisfactionSurveys.id, { onDelete: 'cascade' }),
    kind: feedbackKind('kind').notNull(),
    state: feedbackState('state').notNull().default('draft'),
    /** What the customer wrote, as it was when the item was made: the quote may only shorten it. */
    sourceText: text('source_text').notNull(),
    /** The words to publish, exactly as the customer is shown them when asked. */
    quote: text('quote').notNull(),
    displayName: text('display_name').notNull(),
    /** The customer chose to appear without a name. */
    anonymous: boolean('anonymous').notNull().default(false),
    response: text('response'),
    /** sha256 (hex) of the random token in the consent link. */
    consentTokenHash: text('consent_token_hash'),
    consentRequestedAt: timestamp('consent_requested_at', { withTimezone: true }),
    consentedAt: timestamp('consented_at', { withTimezone: true }),
    /** How consent was given: 'link' (the customer pressed "Yes" on the consent page). */
    consentVia: text('consent_via'),
    declinedAt: timestamp('declined_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdByMemberId: uuid('created_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('feedback_items_token_key').on(t.consentTokenHash),
    index('feedback_items_workspace_idx').on(t.workspaceId, t.createdAt),
    index('feedback_items_wall_idx').on(t.workspaceId, t.publishedAt).where(sql`${t.state} = 'published'`),
    check('feedback_items_source_check', sql`(${t.messageId} is null) <> (${t.surveyId} is null)`),
    check('feedback_items_published_check', sql`${t.state} <> 'published' or (${t.consentedAt} is not null and ${t.withdrawnAt} is null and ${t.publishedAt} is not null)`),
  ],
);
