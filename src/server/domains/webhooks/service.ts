import { and, desc, eq, inArray, lt, ne } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { randomToken } from '../../core/ids.js';
import { refusedHost } from '../../core/net/outbound-guard.js';
import { recordAudit } from '../audit/service.js';
import type { WebhookCreate, WebhookUpdate } from './schema.js';

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An endpoint as the API shows it: never its secret, which is shown only when made or rotated. */
export function presentEndpoint(e: WebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    failingSince: iso(e.failingSince),
    disabledAt: iso(e.disabledAt),
    disabledReason: e.disabledReason,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** A delivery with its attempts (newest first), as the delivery log shows it. */
export function presentDelivery(d: WebhookDelivery, attempts: WebhookAttempt[]) {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    nextAttemptAt: iso(d.nextAttemptAt),
    createdAt: d.createdAt.toISOString(),
    requestBody: d.body,
    attempts: attempts.map((a) => ({
      id: a.id,
      createdAt: a.createdAt.toISOString(),
      manual: a.manual,
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
      responseBody: a.responseBody,
    })),
  };
}

/**
 * A URL that plainly points inside the network is refused when the endpoint is saved, not
 * after days of failed deliveries (names are checked again at each delivery, after DNS).
 */
function checkUrl(url: string | undefined, allowPrivate: boolean) {
  if (!url || allowPrivate) return;
  const refused = refusedHost(new URL(url).hostname);
  if (refused) throw new Invalid('url', `${refused}; Heard only calls public addresses (HEARD_ALLOW_PRIVATE_WEBHOOKS=1 lifts this)`);
}

/** "all" stands alone: with it, the other kinds would say nothing. */
const normaliseTypes = (types: string[]) => (types.includes('all') ? ['all'] : [...new Set(types)].sort());

const newSecret = () => randomToken('whsec_', 24);

export async function listEndpoints(db: Executor, actor: Actor) {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, actor.workspaceId)).orderBy(webhookEndpoints.createdAt);
}

/** An endpoint of the caller's workspace; another workspace's is not found. */
export async function getEndpoint(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [e] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, actor.workspaceId)));
  if (!e) throw new NotFound('Webhook endpoint');
  return e;
}

/** Adds an endpoint with a new signing secret, returned here only. */
export async function createEndpoint(tx: Executor, actor: Actor, input: WebhookCreate, allowPrivate: boolean) {
  checkUrl(input.url, allowPrivate);
  const [e] = await tx
    .insert(webhookEndpoints)
    .values({
      workspaceId: actor.workspaceId,
      url: input.url,
      description: input.description,
      eventTypes: normaliseTypes(input.eventTypes),
      enabled: input.enabled,
      secret: newSecret(),
      createdByMemberId: actor.memberId,
    })
    .returning();
  await recordAudit(tx, actor, { action: 'webhook.create', targetType: 'webhook', targetId: e.id, data: { url: e.url, eventTypes: e.eventTypes } });
  return e;
}

/** Changes an endpoint; switching it on clears the record of why it was switched off. */
export async function updateEndpoint(tx: Executor, actor: Actor, id: string, input: WebhookUpdate, allowPrivate: boolean) {
  const e = await getEndpoint(tx, actor, id);
  checkUrl(input.url, allowPrivate);
  const patch: Partial<typeof webhookEndpoints.$inferInsert> = { updatedAt: new Date() };
  if (input.url !== undefined) patch.url = input.url;
  if (input.description !== undefined) patch.description = input.description;
  if (input.eventTypes !== undefined) patch.eventTypes = normaliseTypes(input.eventTypes);
  if (input.enabled !== undefined) {
    patch.enabled = input.enabled;
    if (input.enabled && !e.enabled) Object.assign(patch, { failingSince: null, disabledAt: null, disabledReason: null });
  }
  const [updated] = await tx.update(webhookEndpoints).set(patch).where(eq(webhookEndpoints.id, e.id)).returning();
  await recordAudit(tx, actor, { action: 'webhook.update', targetType: 'webhook', targetId: e.id, data: { ...input } });
  return updated;
}

/** Removes an endpoint with its delivery log; deliveries still waiting are dropped. */
export async function deleteEndpoint(tx: Executor, actor: Actor, id: string) {
  const e = await getEndpoint(tx, actor, id);
  await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, e.id));
  await recordAudit(tx, actor, { action: 'webhook.delete', targetType: 'webhook', targetId: e.id, data: { url: e.url } });
}

/** A new signing secret, effective for the next attempt: the old one stops at once. */
export async function rotateEndpointSecret(tx: Executor, actor: Actor, id: string) {
  const e = await getEndpoint(tx, actor, id);
  const [updated] = await tx.update(webhookEndpoints).set({ secret: newSecret(), updatedAt: new Date() }).where(eq(webhookEndpoints.id, e.id)).returning();
  await recordAudit(tx, actor, { action: 'webhook.rotate-secret', targetType: 'webhook', targetId: e.id });
  return updated;
}

/** The attempts of these deliveries, newest first, by delivery. */
async function attemptsOf(db: Executor, deliveryIds: string[]) {
  const by = new Map<string, WebhookAttempt[]>(deliveryIds.map((id) => [id, []]));
  if (!deliveryIds.length) return by;
  const rows = await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveryIds)).orderBy(desc(webhookAttempts.createdAt), desc(webhookAttempts.id));
  for (const a of rows) by.get(a.deliveryId)!.push(a);
  return by;
}

/** An endpoint's delivery log, newest first, each delivery with its attempts. */
export async function listDeliveries(db: Executor, actor: Actor, endpointId: string, opts: { limit: number; before?: string }) {
  const e = await getEndpoint(db, actor, endpointId);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, e.id), opts.before ? lt(webhookDeliveries.createdAt, new Date(opts.before)) : undefined))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(opts.limit);
  const attempts = await attemptsOf(db, rows.map((d) => d.id));
  return rows.map((d) => presentDelivery(d, attempts.get(d.id)!));
}

/** One delivery of an endpoint of the caller's workspace, as presented. */
export async function getDelivery(db: Executor, actor: Pick<Actor, 'workspaceId'>, endpointId: string, deliveryId: string) {
  const [d] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.workspaceId, actor.workspaceId)));
  if (!d) throw new NotFound('Webhook delivery');
  return presentDelivery(d, (await attemptsOf(db, [d.id])).get(d.id)!);
}

/** How long the delivery log keeps a delivery that is no longer being retried. */
export const WEBHOOK_LOG_DAYS = 30;

/** Forgets deliveries (and their attempts) made before `before` that are done, delivered or failed. */
export async function pruneWebhookLog(db: Executor, before: Date) {
  const gone = await db
    .delete(webhookDeliveries)
    .where(and(lt(webhookDeliveries.createdAt, before), ne(webhookDeliveries.status, 'pending')))
    .returning({ id: webhookDeliveries.id });
  return gone.length;
}

/** On worker nodes: every hour, the delivery log forgets what is older than WEBHOOK_LOG_DAYS. */
export function startWebhookLogPruning(db: Executor, log: { warn(o: object, m: string): void }): { stop(): void } {
  const run = () =>
    void pruneWebhookLog(db, new Date(Date.now() - WEBHOOK_LOG_DAYS * 86_400_000)).catch((err: unknown) => log.warn({ err }, 'pruning the webhook delivery log failed'));
  const timer = setInterval(run, 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
