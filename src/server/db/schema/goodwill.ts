import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';
import { memberRole, members } from './workspaces.js';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';

export const goodwillKind = pgEnum('goodwill_kind', ['credit', 'refund', 'replacement', 'discount']);
export const goodwillState = pgEnum('goodwill_state', ['awaiting_approval', 'approved', 'denied']);
export const goodwillDelivery = pgEnum('goodwill_delivery', ['queued', 'delivered', 'failed']);

/**
 * A goodwill action an agent took for a customer from a conversation: a credit, a refund
 * without return, a replacement sent, a discount. Amounts are integer minor units of an ISO
 * 4217 currency. Above the agent's limit it waits for a supervisor, who can never be the
 * one who asked (the check below). Once approved it is delivered to the shop's order
 * system; `delivery_status` is null when the workspace has none configured.
 */
export const goodwillActions = pgTable(
  'goodwill_actions',
  {
    id: id(),
    workspaceId: workspaceId(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    kind: goodwillKind('kind').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason').notNull(),
    orderRef: text('order_ref'),
    state: goodwillState('state').notNull(),
    requestedByMemberId: uuid('requested_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    decidedByMemberId: uuid('decided_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    deliveryStatus: goodwillDelivery('delivery_status'),
    /** The last failed attempt's reason while retrying, or why it failed for good. */
    deliveryError: text('delivery_error'),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** The order system's own reference for the action, when its answer carried one. */
    externalRef: text('external_ref'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('goodwill_actions_workspace_idx').on(t.workspaceId, t.createdAt),
    index('goodwill_actions_contact_idx').on(t.contactId, t.createdAt),
    index('goodwill_actions_conversation_idx').on(t.conversationId),
    index('goodwill_actions_awaiting_idx').on(t.workspaceId).where(sql`${t.state} = 'awaiting_approval'`),
    check('goodwill_actions_amount_check', sql`${t.amountMinor} > 0`),
    check('goodwill_actions_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('goodwill_actions_self_approval_check', sql`${t.decidedByMemberId} is null or ${t.decidedByMemberId} <> ${t.requestedByMemberId}`),
    check('goodwill_actions_denied_check', sql`${t.state} <> 'denied' or ${t.decisionReason} is not null`),
  ],
);

/**
 * How much a role may give in one action of a kind, in a currency, without approval.
 * `limit_minor` null means no limit. Roles and currencies without a row take the defaults
 * of domains/goodwill/limits.ts.
 */
export const goodwillLimits = pgTable(
  'goodwill_limits',
  {
    workspaceId: workspaceId(),
    role: memberRole('role').notNull(),
    kind: goodwillKind('kind').notNull(),
    currency: text('currency').notNull(),
    limitMinor: bigint('limit_minor', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.role, t.kind, t.currency] })],
);

/** Where approved actions are delivered: the order system's webhook URL, and the secret Heard signs with. */
export const goodwillSettings = pgTable('goodwill_settings', {
  workspaceId: uuid('workspace_id').primaryKey(),
  orderWebhookUrl: text('order_webhook_url'),
  orderWebhookSecret: text('order_webhook_secret'),
  updatedAt: updatedAt(),
});
