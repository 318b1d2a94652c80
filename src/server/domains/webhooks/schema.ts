import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../../core/events/types.js';

/**
 * The kinds an endpoint may subscribe to: every typed event kind (core/events/types.ts), so
 * a new kind is offered as soon as it exists, or "all" for every kind, present and future.
 */
export const WEBHOOK_EVENT_TYPES = ['all', ...EVENT_TYPES] as ['all', ...EventType[]];
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

const url = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2000)
  .describe('Where Heard POSTs the events (signed, retried).');

export const WebhookCreateSchema = z.object({
  url,
  description: z.string().trim().max(500).default(''),
  eventTypes: z.array(WebhookEventTypeSchema).min(1, 'choose at least one kind of event, or "all"').max(200).describe('The kinds of event sent; "all" for every kind.'),
  enabled: z.boolean().default(true),
});
export type WebhookCreate = z.infer<typeof WebhookCreateSchema>;

/** Switching an endpoint back on clears what switched it off. */
export const WebhookUpdateSchema = z.object({
  url: url.optional(),
  description: z.string().trim().max(500).optional(),
  eventTypes: WebhookCreateSchema.shape.eventTypes.optional(),
  enabled: z.boolean().optional(),
});
export type WebhookUpdate = z.infer<typeof WebhookUpdateSchema>;

export const WebhookEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  /** The first failed attempt since the last success; null while deliveries succeed. */
  failingSince: z.iso.datetime().nullable(),
  /** Set when Heard switched the endpoint off after failing for days, with why. */
  disabledAt: z.iso.datetime().nullable(),
  disabledReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const WebhookAttemptSchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  /** An admin's redelivery or test rather than the queue's. */
  manual: z.boolean(),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  responseBody: z.string().nullable(),
});

export const WebhookDeliverySchema = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  eventId: z.uuid().describe('Sent as Heard-Event-Id: the same on every attempt and redelivery.'),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  nextAttemptAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  requestBody: z.string().describe('The JSON body POSTed, exactly as signed.'),
  attempts: z.array(WebhookAttemptSchema).describe('Newest first.'),
});
