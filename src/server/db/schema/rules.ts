import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';

/** An automation rule: when its trigger happens and its conditions hold, its actions are applied (domains/rules). */
export const rules = pgTable(
  'rules',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    /** Rules run in this order (lowest first). */
    position: integer('position').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    trigger: text('trigger').notNull(),
    /** `{ match, conditions }`, as validated by domains/rules/schema.ts. */
    conditions: jsonb('conditions').$type<Record<string, unknown>>().notNull(),
    actions: jsonb('actions').$type<Record<string, unknown>[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('rules_workspace_idx').on(t.workspaceId, t.trigger, t.position)],
);

/**
 * Which rule fired for what: one row per rule and occasion (an event's id, or for a time
 * rule the conversation and the state it matched), so an event delivered twice, or two
 * nodes running the time job, never apply a rule twice.
 */
export const ruleFirings = pgTable(
  'rule_firings',
  {
    id: id(),
    workspaceId: workspaceId(),
    ruleId: uuid('rule_id').notNull().references(() => rules.id, { onDelete: 'cascade' }),
    occasion: text('occasion').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('rule_firings_occasion_key').on(t.ruleId, t.occasion)],
);
