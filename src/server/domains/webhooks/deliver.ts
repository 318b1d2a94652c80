import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import type { Processor } from '../../core/events/dispatcher.js';
import type { EventRow } from '../../core/events/record-event.js';
import { EVENT_DATA } from '../../core/events/types.js';
import { newId } from '../../core/ids.js';
import { defineJob, type Jobs } from '../../core/jobs/queue.js';
import { BlockedAddressError } from '../../core/net/outbound-guard.js';
import { postJson } from '../../core/webhooks/safe-fetch.js';
import { signPayload } from '../../core/webhooks/signature.js';
import { retryDelayMs } from '../../channels/deliver-message.js';
import { recordAudit } from '../audit/service.js';
import { getDelivery, getEndpoint, type WebhookDelivery, type WebhookEndpoint } from './service.js';

/** How much of an endpoint's answer the delivery log keeps. */
const RESPONSE_KEPT = 4096;

/**
 * The body POSTed for an event: thin, like the event itself (ids and what changed), so a
 * receiver reads the current state through the API and nothing stale or private is copied
 * out. `id` is the event's id, also sent as Heard-Event-Id, for de-duplication.
 */
export function eventBody(e: Pick<EventRow, 'id' | 'type' | 'workspaceId' | 'conversationId' | 'actorMemberId' | 'actorContactId' | 'data' | 'createdAt'>) {
  return JSON.stringify({
    id: e.id,
    type: e.type,
    createdAt: e.createdAt.toISOString(),
    workspaceId: e.workspaceId,
    conversationId: e.conversationId,
    actor: { memberId: e.actorMemberId, contactId: e.actorContactId },
    data: e.data,
  });
}

type Outcome = { ok: boolean; statusCode: number | null; error: string | null; responseBody: string | null; durationMs: number; permanent: boolean };

/** One signed POST of a delivery's body to its endpoint; never throws for the endpoint's failures. */
async function post(ctx: Ctx, endpoint: WebhookEndpoint, d: WebhookDelivery): Promise<Outcome> {
  const { timestamp, signature } = signPayload(endpoint.secret, d.body);
  const headers = {
    'heard-event-id': d.eventId,
    'heard-event-type': d.eventType,
    'heard-delivery-id': d.id,
    'heard-timestamp': timestamp,
    'heard-signature': signature,
  };
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const res = await postJson(endpoint.url, d.body, headers, ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS, { timeoutMs: ctx.config.HEARD_WEBHOOK_TIMEOUT_SECONDS * 1000 });
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : `answered HTTP ${res.status}`, responseBody: res.body.slice(0, RESPONSE_KEPT), durationMs: durationMs(), permanent: false };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    const blocked = err instanceof BlockedAddressError || e.cause instanceof BlockedAddressError;
    return { ok: false, statusCode: null, error: `request failed: ${e.cause?.message ?? e.message}`, responseBody: null, durationMs: durationMs(), permanent: blocked };
  }
}

/** Writes an attempt and where the delivery stands after it, in one transaction. */
async function recordAttempt(
  ctx: Ctx,
  d: WebhookDelivery,
  o: Outcome,
  next: { status: WebhookDelivery['status']; nextAttemptAt: Date | null; manual: boolean },
) {
  await inTransaction(ctx, async (tx) => {
    await tx.insert(webhookAttempts).values({
      workspaceId: d.workspaceId,
      deliveryId: d.id,
      manual: next.manual,
      statusCode: o.statusCode,
      durationMs: o.durationMs,
      error: o.error,
      responseBody: o.responseBody,
    });
    await tx
      .update(webhookDeliveries)
      .set({ status: next.status, nextAttemptAt: next.nextAttemptAt, attempts: sql`${webhookDeliveries.attempts} + 1`, updatedAt: new Date() })
      .where(eq(webhookDeliveries.id, d.id));
    if (o.ok) await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, d.endpointId));
  });
}

/**
 * After a failed attempt by the queue: the endpoint is failing since its first failure after
 * the last success, and once that is HEARD_WEBHOOK_DISABLE_AFTER_DAYS ago it is switched off,
 * with the reason on the endpoint and in the audit log, where admins see it.
 */
async function noteFailure(ctx: Ctx, endpoint: WebhookEndpoint, error: string) {
  const now = new Date();
  const since = endpoint.failingSince ?? now;
  const disable = now.getTime() - since.getTime() >= ctx.config.HEARD_WEBHOOK_DISABLE_AFTER_DAYS * 86_400_000;
  await inTransaction(ctx, async (tx) => {
    if (!disable) {
      await tx
        .update(webhookEndpoints)
        .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, now())` })
        .where(eq(webhookEndpoints.id, endpoint.id));
      return;
    }
    const reason = `Every delivery failed since ${since.toISOString()}; the last: ${error}`.slice(0, 1000);
    const [off] = await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledAt: now, disabledReason: reason, updatedAt: now })
      .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.enabled, true)))
      .returning({ id: webhookEndpoints.id });
    if (off) await recordAudit(tx, { workspaceId: endpoint.workspaceId, memberId: null }, { action: 'webhook.auto-disable', targetType: 'webhook', targetId: endpoint.id, data: { reason } });
  });
}

export const DeliverWebhookPayload = z.object({ deliveryId: z.uuid(), attempt: z.number().int().min(0).default(0) });

/**
 * Sends one delivery and, when it fails, queues the next attempt with the back-off of
 * replies (retryDelayMs), until HEARD_WEBHOOK_MAX_AGE_HOURS. Each delivery is its own job,
 * so an endpoint that is down or slow delays only its own deliveries.
 */
export const deliverWebhookJob = defineJob({
  name: 'deliver-webhook',
  schema: DeliverWebhookPayload,
  handler: async () => deliverWebhook,
  // A run that lasts past the endpoint's timeout has hung, and is run again: receivers de-duplicate on Heard-Event-Id.
  expireInSeconds: 75,
  concurrency: (config) => config.HEARD_OUTBOUND_CONCURRENCY,
});

async function deliverWebhook(ctx: Ctx, payload: z.infer<typeof DeliverWebhookPayload>, jobs: Jobs) {
  const [row] = await ctx.db
    .select({ d: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, payload.deliveryId));
  // Delivered (a redelivery got there first), given up, or its endpoint deleted: nothing to do.
  if (!row || row.d.status !== 'pending') return;
  const { d, endpoint } = row;
  if (!endpoint.enabled) {
    await ctx.db.update(webhookDeliveries).set({ status: 'failed', nextAttemptAt: null, updatedAt: new Date() }).where(eq(webhookDeliveries.id, d.id));
    return;
  }
  const o = await post(ctx, endpoint, d);
  const nextDelay = retryDelayMs(ctx.retryBaseMs, payload.attempt);
  const giveUp = !o.ok && (o.permanent || Date.now() + nextDelay - d.createdAt.getTime() > ctx.config.HEARD_WEBHOOK_MAX_AGE_HOURS * 3_600_000);
  const status = o.ok ? 'delivered' : giveUp ? 'failed' : 'pending';
  const nextAttemptAt = status === 'pending' ? new Date(Date.now() + nextDelay) : null;
  // Queued before the attempt is recorded: a crash in between means one extra attempt, never a delivery left stranded.
  if (nextAttemptAt) await jobs.send(deliverWebhookJob, { deliveryId: d.id, attempt: payload.attempt + 1 }, { startAfter: nextAttemptAt });
  await recordAttempt(ctx, d, o, { status, nextAttemptAt, manual: false });
  if (!o.ok) await noteFailure(ctx, endpoint, o.error ?? 'failed');
}

/**
 * The outbox processor: one delivery per enabled endpoint of the event's workspace that
 * subscribes to its kind, each handed to the job queue. It only writes rows and queues
 * jobs, so it never waits on an endpoint. Another workspace's endpoints are never looked at.
 */
export function webhooksProcessor(ctx: Ctx, jobs: Jobs): Processor {
  const batch = async (events: EventRow[]) => {
    // One read for the batch: the enabled endpoints of its workspaces and what each wants.
    const endpoints = await ctx.db
      .select({ id: webhookEndpoints.id, workspaceId: webhookEndpoints.workspaceId, eventTypes: webhookEndpoints.eventTypes })
      .from(webhookEndpoints)
      .where(and(inArray(webhookEndpoints.workspaceId, [...new Set(events.map((e) => e.workspaceId))]), eq(webhookEndpoints.enabled, true)));
    for (const e of events) {
      const endpointIds = endpoints.filter((x) => x.workspaceId === e.workspaceId && (x.eventTypes.includes('all') || x.eventTypes.includes(e.type))).map((x) => x.id);
      if (endpointIds.length) await queueDeliveries(ctx, jobs, e, endpointIds);
    }
  };
  return {
    name: 'webhooks',
    handles: (e) => e.type in EVENT_DATA,
    process: (e) => batch([e]),
    processBatch: batch,
  };
}

/** Records the event's delivery to each endpoint and queues the attempts not made yet. */
async function queueDeliveries(ctx: Ctx, jobs: Jobs, e: EventRow, endpointIds: string[]) {
  const body = eventBody(e);
  await ctx.db
    .insert(webhookDeliveries)
    .values(endpointIds.map((endpointId) => ({ workspaceId: e.workspaceId, endpointId, eventId: e.id, eventType: e.type, body })))
    .onConflictDoNothing();
  // An event offered again (at least once) queues only what has not been tried yet; the key keeps a waiting job from being queued twice.
  const fresh = await ctx.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.eventId, e.id), inArray(webhookDeliveries.endpointId, endpointIds), eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.attempts, 0)));
  for (const d of fresh) await jobs.send(deliverWebhookJob, { deliveryId: d.id, attempt: 0 }, { singletonKey: `webhook:${d.id}` });
}

/**
 * An attempt an admin asked for, made now and answered with its result: a redelivery is
 * recorded on its delivery (a failure leaves a pending delivery to its retries), a test
 * is a `ping` delivery of its own.
 */
async function attemptNow(ctx: Ctx, endpoint: WebhookEndpoint, d: WebhookDelivery, actor: Actor) {
  const o = await post(ctx, endpoint, d);
  const status = o.ok ? 'delivered' : d.status === 'pending' && d.eventType !== 'ping' ? 'pending' : 'failed';
  await recordAttempt(ctx, d, o, { status, nextAttemptAt: status === 'pending' ? d.nextAttemptAt : null, manual: true });
  return getDelivery(ctx.db, actor, endpoint.id, d.id);
}

/** Sends a `ping` event to the endpoint now (whether or not it is enabled) and returns the delivery with its one attempt. */
export async function sendTestPing(ctx: Ctx, actor: Actor, endpointId: string) {
  const endpoint = await getEndpoint(ctx.db, actor, endpointId);
  const id = newId();
  const body = JSON.stringify({
    id,
    type: 'ping',
    createdAt: new Date().toISOString(),
    workspaceId: actor.workspaceId,
    conversationId: null,
    actor: { memberId: actor.memberId, contactId: null },
    data: { endpointId: endpoint.id },
  });
  const [d] = await ctx.db.insert(webhookDeliveries).values({ workspaceId: actor.workspaceId, endpointId: endpoint.id, eventId: id, eventType: 'ping', body }).returning();
  return attemptNow(ctx, endpoint, d, actor);
}

/** Sends a delivery again now, with the same body and Heard-Event-Id (and a fresh signature). */
export async function redeliver(ctx: Ctx, actor: Actor, endpointId: string, deliveryId: string) {
  const endpoint = await getEndpoint(ctx.db, actor, endpointId);
  const [d] = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)));
  if (!d) throw new NotFound('Webhook delivery');
  return attemptNow(ctx, endpoint, d, actor);
}
