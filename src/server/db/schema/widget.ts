import { index, jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceId } from './columns.js';
import { contacts } from './contacts.js';
import { inboxes } from './inboxes.js';

/** Where a visitor is, as their browser tells: shown to the agent beside the conversation. */
export interface VisitorContext {
  url?: string;
  title?: string;
  referrer?: string;
  locale?: string;
  timezone?: string;
  userAgent?: string;
}

/**
 * A browser that opened a widget: its token (signed, kept in the visitor's localStorage)
 * names this row, which names the contact it speaks for. Identifying (Heard.identify with
 * a valid hash) moves the visitor to the site user's contact.
 */
export const widgetVisitors = pgTable(
  'widget_visitors',
  {
    id: id(),
    workspaceId: workspaceId(),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    context: jsonb('context').$type<VisitorContext>().notNull().default({}),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [index('widget_visitors_contact_idx').on(t.contactId), index('widget_visitors_seen_idx').on(t.inboxId, t.lastSeenAt)],
);
