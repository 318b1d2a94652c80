import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { members } from './workspaces.js';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';

/**
 * A workspace's outbound webhook: where Heard POSTs the events it records, signed with the
 * endpoint's secret. `eventTypes` lists the kinds it receives ("all" for every kind).
 * `failingSince` is the first failed attempt since the last success: an endpoint failing for
 * HEARD_WEBHOOK_DISABLE_AFTER_DAYS is switched off, and `disabledReason` says why.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    workspaceId: workspaceId(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** The signing secret: needed in the clear to sign, shown to the admin only when made or rotated. */
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    eventTypes: text('event_types').array().notNull(),
    failingSince: timestamp('failing_since', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    disabledReason: text('disabled_reason'),
    createdByMemberId: uuid('created_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_workspace_idx').on(t.workspaceId)],
);

export const webhookDeliveryStatus = pgEnum('webhook_delivery_status', ['pending', 'delivered', 'failed']);

/**
 * One event for one endpoint: the exact body sent (the same on every attempt, so the
 * signature and the receiver's de-duplication by Heard-Event-Id hold), and where it stands.
 * One per endpoint and event, so a re-dispatched event queues nothing twice.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    workspaceId: workspaceId(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event delivered (Heard-Event-Id); a test ping has an id of its own. */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    status: webhookDeliveryStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('webhook_deliveries_event_key').on(t.endpointId, t.eventId), index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt)],
);

/** Each POST of a delivery, as the delivery log shows it: when, the answer (or the error), how long it took. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    workspaceId: workspaceId(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    /** An admin's redelivery or test, rather than the queue's. */
    manual: boolean('manual').notNull().default(false),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    /** The answer's body, cut at 4 KB. */
    responseBody: text('response_body'),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.createdAt)],
);
