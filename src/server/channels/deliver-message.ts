import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { inboxes, messages } from '../db/schema/index.js';
import type { Ctx } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { defineJob, type Jobs } from '../core/jobs/queue.js';
import { recordDelivery } from '../domains/conversations/commands.js';
import { deliverToCallback, type DeliveryOutcome } from './api/deliver.js';
import { deliverEmail, SEND_SECONDS } from './email/send.js';
import { deliverPortalReply } from './portal/deliver.js';
import { widgetEmailFallbackJob } from './widget/email-fallback.js';

export const DeliverMessagePayload = z.object({
  messageId: z.uuid(),
  attempt: z.number().int().min(0).default(0),
  /** The attempt the message waits for (its delivery_next_at): a job for an earlier plan, overtaken by "retry now", does nothing. */
  due: z.string().optional(),
  /** Since when the retries count towards HEARD_WEBHOOK_MAX_AGE_HOURS: the reply's creation, or the last "retry now". */
  since: z.string().optional(),
});

/** Sends one queued reply through its inbox's channel, retrying with back-off until it is delivered or too old. */
export const deliverMessageJob = defineJob({
  name: 'deliver-message',
  schema: DeliverMessagePayload,
  handler: async () => deliverMessage,
  // A send that stalls fails by then (a callback's request too: core/webhooks/safe-fetch.ts);
  // one still running has hung, and is sent again with the same Message-ID (or callback id).
  expireInSeconds: SEND_SECONDS + 5,
  // Per inbox, email is bounded by its connections (email/mailers.ts).
  concurrency: (config) => config.HEARD_OUTBOUND_CONCURRENCY,
});

const MAX_DELAY_MS = 60 * 60 * 1000;

/** Exponential back-off with jitter: base·2^attempt, capped at an hour, then scaled by a random 50–100 %. */
export function retryDelayMs(baseMs: number, attempt: number, random = Math.random()): number {
  const exp = Math.min(baseMs * 2 ** attempt, MAX_DELAY_MS);
  return Math.round(exp * (0.5 + random * 0.5));
}

async function deliverMessage(ctx: Ctx, payload: z.infer<typeof DeliverMessagePayload>, jobs: Jobs) {
  const [row] = await ctx.db
    .select({ m: messages, inbox: inboxes })
    .from(messages)
    .innerJoin(inboxes, eq(inboxes.id, messages.inboxId))
    .where(eq(messages.id, payload.messageId));
  // Already delivered, failed for good, or deleted: a repeated job does nothing.
  if (!row || row.m.deliveryStatus !== 'queued') return;
  const { m, inbox } = row;
  if (payload.due && m.deliveryNextAt && m.deliveryNextAt.toISOString() !== payload.due) return;
  // Jobs queued before attempts were counted carry the count in their payload only.
  const attempt = Math.max(payload.attempt, m.deliveryAttempts);

  const outcome: DeliveryOutcome =
    inbox.channel === 'api'
      ? await deliverToCallback(ctx, inbox, m)
      : inbox.channel === 'email'
        ? await deliverEmail(ctx, inbox, m)
        : inbox.channel === 'widget'
          ? // In the conversation now: open widgets got it live (visitor-realtime), others load it when they
            // return; a visitor who is not back in a while gets it by e-mail.
            await jobs
              .send(widgetEmailFallbackJob, { messageId: m.id }, { startAfter: new Date(Date.now() + ctx.config.HEARD_WIDGET_EMAIL_AFTER_SECONDS * 1000), singletonKey: `widget-email:${m.id}` })
              .then(() => ({ ok: true as const }))
          : inbox.channel === 'portal'
            ? await deliverPortalReply(ctx, m)
        : // Said plainly rather than pretending it was sent.
          { ok: false, reason: `replies cannot be sent through a ${inbox.channel} inbox yet`, permanent: true };

  const maxAgeMs = ctx.config.HEARD_WEBHOOK_MAX_AGE_HOURS * 3_600_000;
  const since = payload.since ? new Date(payload.since).getTime() : m.createdAt.getTime();
  const nextDelay = retryDelayMs(ctx.retryBaseMs, attempt);
  const giveUp = !outcome.ok && (outcome.permanent || Date.now() + nextDelay - since > maxAgeMs);
  const status = outcome.ok ? 'sent' : giveUp ? 'failed' : 'queued';
  const error = outcome.ok
    ? null
    : outcome.permanent
      ? outcome.reason
      : giveUp
        ? `gave up after ${attempt + 1} attempts: ${outcome.reason}`
        : `attempt ${attempt + 1}: ${outcome.reason}`;

  // The next attempt is scheduled before this one is recorded: a crash in between means
  // one extra attempt (receivers de-duplicate on the id), never a reply left stranded.
  const nextAt = status === 'queued' ? new Date(Date.now() + nextDelay) : null;
  if (nextAt) {
    await jobs.send(deliverMessageJob, { messageId: m.id, attempt: attempt + 1, due: nextAt.toISOString(), since: payload.since }, { startAfter: nextAt });
  }
  await inTransaction(ctx, (tx) => recordDelivery(tx, m.workspaceId, m.id, { status, error, whileQueued: true, attempted: true, nextAt }));
}
