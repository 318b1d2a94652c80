import { index, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { createdAt, id, workspaceId } from './columns.js';

/**
 * Something that happened to a customer outside Heard (a purchase, a delivery, a
 * cancellation), sent by the shop's system through POST /api/v1/events. The caller's own
 * event id is unique per workspace, so a retried request stores one event; the hash of
 * what was sent tells a retry from a different event that reuses an id.
 */
export const businessEvents = pgTable(
  'business_events',
  {
    id: id(),
    workspaceId: workspaceId(),
    /** The caller's id for the event: the idempotency key. */
    externalId: text('external_id').notNull(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    productSku: text('product_sku'),
    productName: text('product_name'),
    amount: numeric('amount', { precision: 18, scale: 4 }),
    currency: text('currency'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** sha256 of the request's content in a canonical form: the same id with other content is a conflict. */
    contentHash: text('content_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('business_events_external_key').on(t.workspaceId, t.externalId),
    index('business_events_contact_idx').on(t.contactId, t.occurredAt),
    index('business_events_type_idx').on(t.workspaceId, t.type, t.occurredAt),
  ],
);

/** A workspace's settings for incoming business events: with a signing secret, every event must be signed with it. */
export const businessEventSettings = pgTable('business_event_settings', {
  workspaceId: uuid('workspace_id').primaryKey(),
  signingSecret: text('signing_secret'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
