import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceId } from './columns.js';
import { customFields } from './custom-fields.js';

/**
 * A topic a conversation is about ("App update failed"), workspace-wide: the help center's
 * contact form and the chat widget offer them, and each has an intake form (topic_fields):
 * the conversation fields a person needs to act, asked of the customer in one round.
 */
export const topics = pgTable(
  'topics',
  {
    id: id(),
    workspaceId: workspaceId(),
    /** Stable id in links and forms (the contact form's topic id); the name may change. */
    key: text('key').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('topics_workspace_key_key').on(t.workspaceId, t.key), index('topics_workspace_position_idx').on(t.workspaceId, t.position)],
);

/** One field of a topic's intake form: a conversation custom field, in order, required or not for this topic. */
export const topicFields = pgTable(
  'topic_fields',
  {
    topicId: uuid('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'cascade' }),
    customFieldId: uuid('custom_field_id')
      .notNull()
      .references(() => customFields.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    required: boolean('required').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.customFieldId] })],
);
