import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { businessEvents } from './business-events.js';
import { contacts } from './contacts.js';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';

export const outreachDelayUnit = pgEnum('outreach_delay_unit', ['hours', 'days']);
export const outreachTaskStatus = pgEnum('outreach_task_status', ['open', 'done', 'dismissed']);
export const outreachOutcome = pgEnum('outreach_outcome', ['call', 'message']);

/**
 * "N days/hours after an event of type X (for product Y), a follow-up task for team T or
 * agent A", due at the next open time of a business-hours calendar when it falls outside.
 */
export const outreachRules = pgTable(
  'outreach_rules',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    eventType: text('event_type').notNull(),
    productSku: text('product_sku'),
    delayAmount: integer('delay_amount').notNull(),
    delayUnit: outreachDelayUnit('delay_unit').notNull(),
    businessHoursId: uuid('business_hours_id'),
    teamId: uuid('team_id'),
    assigneeId: uuid('assignee_id'),
    /** What the agent is asked to do, shown on the task. */
    instructions: text('instructions').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('outreach_rules_workspace_idx').on(t.workspaceId, t.eventType),
    check('outreach_rules_target', sql`${t.teamId} is not null or ${t.assigneeId} is not null`),
  ],
);

/**
 * A follow-up an agent owes a customer: one per rule and event (the unique key that makes
 * it exactly once, whichever node's sweep gets there), kept when the rule changes or goes.
 */
export const outreachTasks = pgTable(
  'outreach_tasks',
  {
    id: id(),
    workspaceId: workspaceId(),
    ruleId: uuid('rule_id').references(() => outreachRules.id, { onDelete: 'set null' }),
    /** The rule's name when the task was made, so the task still says why after a rename or delete. */
    ruleName: text('rule_name').notNull(),
    instructions: text('instructions').notNull().default(''),
    businessEventId: uuid('business_event_id')
      .notNull()
      .references(() => businessEvents.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id'),
    assigneeId: uuid('assignee_id'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    status: outreachTaskStatus('status').notNull().default('open'),
    outcome: outreachOutcome('outcome'),
    conversationId: uuid('conversation_id'),
    closedByMemberId: uuid('closed_by_member_id'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    dismissReason: text('dismiss_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('outreach_tasks_rule_event_key').on(t.ruleId, t.businessEventId),
    index('outreach_tasks_queue_idx').on(t.workspaceId, t.status, t.dueAt),
  ],
);
