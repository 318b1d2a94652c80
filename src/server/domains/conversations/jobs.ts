import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { deliverMessageJob } from '../../channels/deliver-message.js';
import { conversations, messages } from '../../db/schema/index.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import type { Processor } from '../../core/events/dispatcher.js';
import { type EventRow, recordEvent } from '../../core/events/record-event.js';
import { readEvent } from '../../core/events/types.js';
import { defineJob, type Jobs } from '../../core/jobs/queue.js';
import { eventActor, systemActor } from '../../core/actor.js';
import { answeredPatch } from './add-message.js';
import { updateConversation } from './service.js';

export const WakeSnoozedPayload = z.object({ conversationId: z.uuid(), until: z.string() });
export const SendScheduledPayload = z.object({ messageId: z.uuid() });

/** Wakes a snoozed conversation at its time: back to open, visible in the open views again. */
export const wakeSnoozedJob = defineJob({
  name: 'wake-snoozed-conversation',
  schema: WakeSnoozedPayload,
  handler: async () => wakeSnoozed,
  // A transaction or two: still running after a minute means its node died.
  expireInSeconds: 60,
});

/** Sends a scheduled reply at its time: it becomes queued and follows the normal delivery path. */
export const sendScheduledJob = defineJob({
  name: 'send-scheduled-reply',
  schema: SendScheduledPayload,
  handler: async () => sendScheduled,
  expireInSeconds: 60,
});

const sameTime = (a: Date | null, iso: string) => a !== null && a.getTime() === new Date(iso).getTime();

async function wakeSnoozed(ctx: Ctx, payload: z.infer<typeof WakeSnoozedPayload>, jobs: Jobs) {
  const early = await inTransaction(ctx, async (tx) => {
    const [c] = await tx.select().from(conversations).where(eq(conversations.id, payload.conversationId)).for('update');
    // Woken already (by the customer or an agent) or snoozed again to another time: that time has its own job.
    if (!c || !sameTime(c.snoozedUntil, payload.until)) return false;
    if (c.snoozedUntil!.getTime() > Date.now()) return true;
    await updateConversation(tx, systemActor.job(c.workspaceId, 'wake-snoozed'), c.id, { snoozedUntil: null, status: 'open' });
    return false;
  });
  if (early) await jobs.send(wakeSnoozedJob, payload, { startAfter: new Date(payload.until) });
}

async function sendScheduled(ctx: Ctx, payload: z.infer<typeof SendScheduledPayload>, jobs: Jobs) {
  const early = await inTransaction(ctx, async (tx) => {
    const [m] = await tx.select().from(messages).where(eq(messages.id, payload.messageId));
    // Cancelled (by the customer writing, or an agent) or sent already: nothing to do.
    if (!m || m.deliveryStatus !== 'scheduled') return undefined;
    if (m.sendAt && m.sendAt.getTime() > Date.now()) return m.sendAt;
    const taken = await tx
      .update(messages)
      .set({ deliveryStatus: 'queued' })
      .where(and(eq(messages.id, m.id), eq(messages.deliveryStatus, 'scheduled')))
      .returning({ id: messages.id });
    if (!taken.length) return undefined;
    const [c] = await tx.select().from(conversations).where(eq(conversations.id, m.conversationId));
    const now = new Date();
    await tx
      .update(conversations)
      .set({ ...answeredPatch(c, now), updatedAt: now })
      .where(eq(conversations.id, c.id));
    await recordEvent(tx, {
      workspaceId: m.workspaceId,
      conversationId: m.conversationId,
      type: 'message.delivery',
      ...eventActor(systemActor.job(m.workspaceId, 'send-scheduled')),
      data: { messageId: m.id, deliveryStatus: 'queued', scheduled: true },
    });
    return undefined;
  });
  if (early) await jobs.send(sendScheduledJob, payload, { startAfter: early });
}

/**
 * Turns committed conversation events into timed jobs: a snooze schedules its wake-up,
 * a scheduled reply its sending, and a scheduled reply that became queued its delivery.
 */
export function conversationJobsProcessor(jobs: Jobs): Processor {
  /** What the event asks of the job queue: wake a snoozed conversation, send a reply later, or deliver one whose time came. */
  const work = (e: EventRow) => {
    const t = readEvent(e);
    if (t?.type === 'conversation.updated') {
      const until = t.data.changes.snoozedUntil?.to;
      return typeof until === 'string' && e.conversationId ? ({ kind: 'wake', conversationId: e.conversationId, until } as const) : undefined;
    }
    if (t?.type === 'message.created' && t.data.deliveryStatus === 'scheduled' && t.data.sendAt) return { kind: 'send-later', messageId: t.data.messageId, sendAt: t.data.sendAt } as const;
    if (t?.type === 'message.delivery' && 'messageId' in t.data && t.data.deliveryStatus === 'queued' && t.data.scheduled) return { kind: 'deliver', messageId: t.data.messageId } as const;
    return undefined;
  };
  return {
    name: 'conversation-jobs',
    handles: (e) => work(e) !== undefined,
    async process(e) {
      const w = work(e);
      if (w?.kind === 'wake') {
        await jobs.send(wakeSnoozedJob, { conversationId: w.conversationId, until: w.until }, { startAfter: new Date(w.until), singletonKey: `wake:${w.conversationId}:${w.until}` });
      } else if (w?.kind === 'send-later') {
        await jobs.send(sendScheduledJob, { messageId: w.messageId }, { startAfter: new Date(w.sendAt), singletonKey: `send-later:${w.messageId}` });
      } else if (w?.kind === 'deliver') {
        await jobs.send(deliverMessageJob, { messageId: w.messageId, attempt: 0 }, { singletonKey: `deliver:${w.messageId}` });
      }
    },
  };
}
