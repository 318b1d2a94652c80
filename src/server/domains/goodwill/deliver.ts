import { z } from 'zod';
import { retryDelayMs } from '../../channels/deliver-message.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import type { Processor } from '../../core/events/dispatcher.js';
import { readEvent } from '../../core/events/types.js';
import { defineJob, type Jobs } from '../../core/jobs/queue.js';
import { BlockedAddressError } from '../../core/net/outbound-guard.js';
import { postJson } from '../../core/webhooks/safe-fetch.js';
import { signPayload } from '../../core/webhooks/signature.js';
import { contactCard } from '../contacts/service.js';
import { getConversationRow } from '../conversations/service.js';
import { memberNames } from '../members/service.js';
import { decimalAmount } from './money.js';
import { actionForDelivery, type GoodwillAction, orderSystemOf, recordGoodwillDelivery } from './service.js';

export const DeliverGoodwillPayload = z.object({ actionId: z.uuid(), attempt: z.number().int().min(0).default(0) });

/** POSTs one approved goodwill action to the order system, retrying with back-off until it is taken or too old. */
export const deliverGoodwillJob = defineJob({
  name: 'deliver-goodwill',
  schema: DeliverGoodwillPayload,
  handler: async () => deliverGoodwill,
  // safe-fetch gives up on a request within 25 s (connect 10 s, headers 15 s).
  expireInSeconds: 40,
});

type Outcome = { ok: true; externalRef: string | null } | { ok: false; reason: string; permanent?: boolean };

/** The order system's own reference for what it did, when its answer says one: `reference`, `ref` or `id`. */
export function referenceOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const ref = parsed.reference ?? parsed.ref ?? parsed.id;
    return typeof ref === 'string' || typeof ref === 'number' ? String(ref).slice(0, 200) : null;
  } catch {
    return null;
  }
}

/**
 * The body the order system gets: the action, the customer and the conversation. Its `id`
 * (also Heard-Event-Id) is the action's, the same on every retry, so the receiver applies it once.
 */
async function orderSystemBody(ctx: Ctx, g: GoodwillAction) {
  const ws = { workspaceId: g.workspaceId };
  const c = await getConversationRow(ctx.db, ws, g.conversationId);
  const names = await memberNames(ctx.db, g.workspaceId, [g.requestedByMemberId, g.decidedByMemberId].filter((id): id is string => !!id));
  const nameOf = (id: string | null) => (id ? { id, name: names.get(id) ?? null } : null);
  return JSON.stringify({
    id: g.id,
    type: 'goodwill.approved',
    createdAt: g.createdAt.toISOString(),
    approvedAt: g.decidedAt?.toISOString() ?? null,
    action: {
      kind: g.kind,
      amountMinor: g.amountMinor,
      amount: decimalAmount(g.amountMinor, g.currency),
      currency: g.currency,
      reason: g.reason,
      orderRef: g.orderRef,
      requestedBy: nameOf(g.requestedByMemberId),
      approvedBy: nameOf(g.decidedByMemberId),
    },
    contact: await contactCard(ctx.db, g.workspaceId, g.contactId),
    conversation: { id: c.id, number: c.number, subject: c.subject },
  });
}

async function post(ctx: Ctx, g: GoodwillAction): Promise<Outcome> {
  const target = await orderSystemOf(ctx.db, g.workspaceId);
  if (!target) return { ok: false, reason: 'no order system webhook is configured any more', permanent: true };
  const body = await orderSystemBody(ctx, g);
  const { timestamp, signature } = signPayload(target.secret, body);
  try {
    const res = await postJson(target.url, body, { 'heard-event-id': g.id, 'heard-timestamp': timestamp, 'heard-signature': signature }, ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS);
    if (res.status >= 200 && res.status < 300) return { ok: true, externalRef: referenceOf(res.body) };
    return { ok: false, reason: `order system answered HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ''}` };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    const blocked = err instanceof BlockedAddressError || e.cause instanceof BlockedAddressError;
    return { ok: false, reason: `order system request failed: ${e.cause?.message ?? e.message}`, permanent: blocked };
  }
}

/**
 * One attempt, with the reply channels' back-off (channels/deliver-message.ts): the next
 * attempt is scheduled before this one is recorded, so a crash between means one more
 * attempt (the receiver de-duplicates on the id), never an action left stranded.
 */
async function deliverGoodwill(ctx: Ctx, payload: z.infer<typeof DeliverGoodwillPayload>, jobs: Jobs) {
  const g = await actionForDelivery(ctx.db, payload.actionId);
  if (!g || g.state !== 'approved' || g.deliveryStatus !== 'queued') return;
  const outcome = await post(ctx, g);
  const maxAgeMs = ctx.config.HEARD_WEBHOOK_MAX_AGE_HOURS * 3_600_000;
  const nextDelay = retryDelayMs(ctx.retryBaseMs, payload.attempt);
  const since = (g.decidedAt ?? g.createdAt).getTime();
  const giveUp = !outcome.ok && (outcome.permanent || Date.now() + nextDelay - since > maxAgeMs);
  if (!outcome.ok && !giveUp) {
    await jobs.send(deliverGoodwillJob, { actionId: g.id, attempt: payload.attempt + 1 }, { startAfter: new Date(Date.now() + nextDelay) });
  }
  await inTransaction(ctx, (tx) =>
    recordGoodwillDelivery(
      tx,
      g.id,
      outcome.ok
        ? { status: 'delivered', error: null, externalRef: outcome.externalRef }
        : giveUp
          ? { status: 'failed', error: outcome.permanent ? outcome.reason : `gave up after ${payload.attempt + 1} attempts: ${outcome.reason}` }
          : { status: 'queued', error: `attempt ${payload.attempt + 1}: ${outcome.reason}` },
    ),
  );
}

/** Hands each committed approval that has an order system to deliver to the delivery job. */
export function goodwillProcessor(jobs: Jobs): Processor {
  return {
    name: 'goodwill',
    handles: (e) => {
      const t = readEvent(e);
      return (t?.type === 'goodwill.issued' || t?.type === 'goodwill.approved') && t.data.deliver === true;
    },
    async process(e) {
      const actionId = String(e.data.actionId);
      // The key keeps a re-dispatched event from queueing a second delivery while the first waits.
      await jobs.send(deliverGoodwillJob, { actionId, attempt: 0 }, { singletonKey: `goodwill:${actionId}` });
    },
  };
}
