import { eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Executor } from '../../db/client.js';
import { conversationFacts, SLA_TARGETS } from '../../db/schema/index.js';
import type { Ctx } from '../../core/context.js';
import type { Processor } from '../../core/events/dispatcher.js';
import { conversationHistory } from '../../core/events/record-event.js';
import { type EventType, readEvent } from '../../core/events/types.js';
import { businessMinutesBetween, type Calendar } from '../../core/business-hours/calendar.js';
import { findCalendar } from '../../core/business-hours/service.js';
import { conversationForReports, conversationIdsAfter, countAllConversations } from '../conversations/queries.js';
import { getInbox } from '../inboxes/service.js';
import { getSlaPolicyRow } from '../sla/service.js';
import { applyRollupChange } from './rollup.js';

export type Fact = typeof conversationFacts.$inferSelect;
type Conversation = NonNullable<Awaited<ReturnType<typeof conversationForReports>>>;

/** The events that change what reports know of a conversation. */
const FACT_EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'conversation.merged',
  'message.created',
  'message.delivery',
  'sla.breached',
  'satisfaction.rated',
] as const satisfies readonly EventType[];
const FACT_EVENTS = new Set<string>(FACT_EVENT_TYPES);
const DONE = new Set(['solved', 'closed']);

/** An event as the facts read it: live from the outbox, or replayed from the timeline. */
interface FactEvent {
  seq: number;
  type: string;
  data: unknown;
  createdAt: Date;
}

/** The calendars the conversation's SLA policy counts its first-response and resolution targets in (null: around the clock). */
interface Clocks {
  firstResponse: Calendar | null;
  resolution: Calendar | null;
}

async function clocksOf(db: Executor, c: Conversation): Promise<Clocks> {
  const none = { firstResponse: null, resolution: null };
  if (!c.slaPolicyId) return none;
  const policy = await getSlaPolicyRow(db, c, c.slaPolicyId).catch(() => undefined);
  if (!policy) return none;
  const calendar = async (id: string | null | undefined) => (id ? await findCalendar(db, c.workspaceId, id) : null);
  return { firstResponse: await calendar(policy.targets.firstResponse?.businessHoursId), resolution: await calendar(policy.targets.resolution?.businessHoursId) };
}

const minutesBetween = (calendar: Calendar | null, a: Date, b: Date) =>
  Math.max(0, calendar ? businessMinutesBetween(calendar, a, b) : (b.getTime() - a.getTime()) / 60_000);

/** A reply that answers the customer: a person's or a rule's message out, not an automatic acknowledgement; a scheduled one when it goes. */
function isReply(e: FactEvent): boolean {
  const t = readEvent(e);
  if (t?.type === 'message.created') return t.data.direction === 'out' && !t.data.autoAck && t.data.deliveryStatus !== 'scheduled';
  if (t?.type === 'message.delivery') return 'messageId' in t.data && !!t.data.scheduled && t.data.deliveryStatus === 'queued';
  return false;
}

/**
 * Applies one event to a conversation's facts. Every branch is safe to run twice: times
 * keep the earliest or the latest, sets are unions, and counts go up only for a status
 * change whose seq was not counted before (delivery is at least once).
 */
export function applyEvent(f: Fact, e: FactEvent, clocks: Clocks): void {
  const at = e.createdAt;
  const t = readEvent(e);
  if (!t) return;
  if (t.type === 'conversation.created') {
    f.createdAt = at;
    f.channel = t.data.channel;
    f.inboxId = t.data.inboxId;
    f.number = t.data.number;
    return;
  }
  if (isReply(e)) {
    if (!f.firstResponseAt || at < f.firstResponseAt) {
      f.firstResponseAt = at;
      f.firstResponseMinutes = minutesBetween(clocks.firstResponse, f.createdAt, at);
    }
    return;
  }
  if (t.type === 'conversation.updated') {
    const status = t.data.changes.status;
    if (!status || f.countedSeqs.includes(e.seq)) return;
    f.countedSeqs = [...f.countedSeqs, e.seq];
    const from = String(status.from);
    const to = String(status.to);
    if (to === 'pending' && from !== 'pending') f.pendingRounds += 1;
    if (DONE.has(from) && !DONE.has(to)) f.reopenCount += 1;
    // A change delivered late (a retry) counts, but does not undo a newer one.
    if (f.statusAt && at < f.statusAt) return;
    f.statusAt = at;
    if (DONE.has(to) && (!DONE.has(from) || !f.solvedAt)) {
      f.solvedAt = at;
      f.resolutionMinutes = minutesBetween(clocks.resolution, f.createdAt, at);
    } else if (!DONE.has(to)) {
      f.solvedAt = null;
      f.resolutionMinutes = null;
    }
    return;
  }
  if (t.type === 'sla.breached') {
    if (!f.slaBreached.includes(t.data.target)) f.slaBreached = [...f.slaBreached, t.data.target];
    return;
  }
  if (t.type === 'satisfaction.rated') {
    if (f.ratedAt && at < f.ratedAt) return;
    f.csatRating = t.data.rating;
    f.csatComment = t.data.comment ?? (t.data.changed ? f.csatComment : null);
    f.ratedAt = at;
  }
}

/** Where the conversation stands now: its team, assignee and tags, whether it was merged, and its targets met and missed. */
function snapshot(f: Fact, c: Conversation): void {
  f.teamId = c.teamId;
  f.assigneeId = c.assigneeId;
  f.tags = c.tags;
  f.topic = c.topic;
  f.merged = c.mergedIntoId !== null;
  let met = 0;
  let missed = 0;
  for (const target of SLA_TARGETS) {
    const status = c.sla?.[target]?.status;
    if (status === 'missed' || f.slaBreached.includes(target)) missed += 1;
    else if (status === 'met') met += 1;
  }
  f.slaMet = met;
  f.slaMissed = missed;
  f.updatedAt = new Date();
}

/**
 * Builds a conversation's facts from its whole timeline (a conversation from before reports,
 * or `heard reports rebuild`): the same steps as live, so the result is the same, and
 * running it again changes nothing.
 */
export async function rebuildConversationFacts(tx: Executor, conversationId: string): Promise<void> {
  const c = await conversationForReports(tx, conversationId);
  if (!c) return;
  const inbox = await getInbox(tx, c, c.inboxId);
  const f: Fact = {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    number: c.number,
    createdAt: c.createdAt,
    channel: inbox.channel,
    inboxId: c.inboxId,
    teamId: null,
    assigneeId: null,
    tags: [],
    topic: null,
    merged: false,
    firstResponseAt: null,
    firstResponseMinutes: null,
    solvedAt: null,
    resolutionMinutes: null,
    statusAt: null,
    reopenCount: 0,
    pendingRounds: 0,
    countedSeqs: [],
    slaBreached: [],
    slaMet: 0,
    slaMissed: 0,
    csatRating: null,
    csatComment: null,
    ratedAt: null,
    updatedAt: new Date(),
  };
  const clocks = await clocksOf(tx, c);
  for (const e of await conversationHistory(tx, c.id, FACT_EVENT_TYPES)) applyEvent(f, e, clocks);
  snapshot(f, c);
  const [before] = await tx.select().from(conversationFacts).where(eq(conversationFacts.conversationId, c.id)).for('update');
  const { conversationId: _id, ...rest } = f;
  await tx.insert(conversationFacts).values(f).onConflictDoUpdate({ target: conversationFacts.conversationId, set: rest });
  await applyRollupChange(tx, c.workspaceId, before, f);
}

/** Applies one committed event to its conversation's facts, under a lock on the facts row; a conversation without facts yet is built from its timeline. */
async function recordFact(ctx: Ctx, e: FactEvent & { conversationId: string }) {
  await ctx.db.transaction(async (tx) => {
    const [f] = await tx.select().from(conversationFacts).where(eq(conversationFacts.conversationId, e.conversationId)).for('update');
    if (!f) return rebuildConversationFacts(tx, e.conversationId);
    const c = await conversationForReports(tx, e.conversationId);
    if (!c) return;
    const before = { ...f };
    applyEvent(f, e, await clocksOf(tx, c));
    snapshot(f, c);
    const { conversationId: _id, ...rest } = f;
    await tx.update(conversationFacts).set(rest).where(eq(conversationFacts.conversationId, e.conversationId));
    await applyRollupChange(tx, c.workspaceId, before, f);
  });
}

/**
 * Keeps conversation_facts as things happen: after the SLA processor (app.ts lists it
 * later), so a conversation's targets are current when it reads them.
 */
export function reportsProcessor(ctx: Ctx): Processor {
  return {
    name: 'reports',
    handles: (e) => e.conversationId !== null && FACT_EVENTS.has(e.type),
    process: (e) => recordFact(ctx, { ...e, conversationId: e.conversationId! }),
  };
}

/**
 * Builds facts for every conversation (all: a full rebuild; missing: only those without
 * any, as after an upgrade), a page at a time. Returns how many it built.
 */
export async function rebuildReportFacts(db: Executor, scope: 'all' | 'missing', onProgress?: (n: number) => void): Promise<number> {
  let after: string | null = null;
  let built = 0;
  for (;;) {
    const ids = await conversationIdsAfter(db, after, 500);
    if (!ids.length) return built;
    after = ids[ids.length - 1];
    let todo = ids;
    if (scope === 'missing') {
      const have = await db
        .select({ id: conversationFacts.conversationId })
        .from(conversationFacts)
        .where(sql`${conversationFacts.conversationId} = any(${sql.param(ids)}::uuid[])`);
      const known = new Set(have.map((r) => r.id));
      todo = ids.filter((id) => !known.has(id));
    }
    for (const id of todo) await db.transaction((tx) => rebuildConversationFacts(tx, id));
    built += todo.length;
    onProgress?.(built);
  }
}

/** At start: builds the facts of conversations that have none (they came before reports), in the background. */
export async function backfillReportFacts(db: Executor, log: FastifyBaseLogger) {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(conversationFacts);
  if (n >= (await countAllConversations(db))) return;
  const built = await rebuildReportFacts(db, 'missing');
  log.info({ built }, 'report facts built for earlier conversations');
}
