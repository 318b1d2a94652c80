import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { eventFailures, events } from '../../db/schema/index.js';
import { recordAudit } from '../../domains/audit/service.js';
import type { Actor } from '../actor.js';
import { NotFound } from '../errors.js';

/** The workspace's events that a processor could not handle: retrying, or dead (given up), newest first. */
export async function listEventFailures(db: Executor, actor: Actor, opts: { dead?: boolean; limit: number }) {
  return db
    .select({
      eventId: eventFailures.eventId,
      processor: eventFailures.processor,
      eventType: events.type,
      conversationId: events.conversationId,
      attempts: eventFailures.attempts,
      lastError: eventFailures.lastError,
      nextAttemptAt: eventFailures.nextAttemptAt,
      deadAt: eventFailures.deadAt,
      createdAt: eventFailures.createdAt,
    })
    .from(eventFailures)
    .innerJoin(events, eq(events.id, eventFailures.eventId))
    .where(
      and(
        eq(eventFailures.workspaceId, actor.workspaceId),
        opts.dead === undefined ? undefined : opts.dead ? isNotNull(eventFailures.deadAt) : isNull(eventFailures.deadAt),
      ),
    )
    .orderBy(desc(eventFailures.createdAt))
    .limit(opts.limit);
}

/** Offers a failed event to its processor again now, with a fresh set of attempts. */
export async function retryEventFailure(tx: Executor, actor: Actor, eventId: string, processor: string) {
  const [row] = await tx
    .update(eventFailures)
    .set({ deadAt: null, attempts: 0, nextAttemptAt: new Date(), claimedAt: null })
    .where(and(eq(eventFailures.eventId, eventId), eq(eventFailures.processor, processor), eq(eventFailures.workspaceId, actor.workspaceId)))
    .returning();
  if (!row) throw new NotFound('Failed event');
  await recordAudit(tx, actor, { action: 'event.retry', targetType: 'event', targetId: eventId, data: { processor } });
}
