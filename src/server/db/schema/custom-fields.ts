import { boolean, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceId } from './columns.js';

export const customFieldEntity = pgEnum('custom_field_entity', ['conversation', 'contact']);
export const customFieldType = pgEnum('custom_field_type', ['text', 'number', 'date', 'select', 'checkbox', 'long_text', 'email', 'order_number']);

/**
 * A custom field definition: what a key in a conversation's customFields or a contact's
 * attributes holds. Values under a defined key are checked against it; other keys stay free.
 */
export const customFields = pgTable(
  'custom_fields',
  {
    id: id(),
    workspaceId: workspaceId(),
    entity: customFieldEntity('entity').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: customFieldType('type').notNull(),
    /** The choices of a `select` field; empty for other types. */
    options: text('options').array().notNull().default([]),
    /** A required field cannot be emptied once set. */
    required: boolean('required').notNull().default(false),
    /** What a customer reads under the field when a topic's intake asks for it. */
    helpText: text('help_text').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('custom_fields_workspace_entity_key_key').on(t.workspaceId, t.entity, t.key)],
);
