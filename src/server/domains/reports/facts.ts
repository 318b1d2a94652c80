import { asc, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Executor } from '../../db/client.js';
import { conversationFacts, SLA_TARGETS } from '../../db/schema/index.js';
import type { Ctx } from '../../core/context.js';
import type { Processor } from '../../core/events/dispatcher.js';
import { conversationHistories } from '../../core/events/record-event.js';
import { type EventType, readEvent } from '../../core/events/types.js';
import { businessMinutesBetween, type Calendar } from '../../core/business-hours/calendar.js';
import { findCalendar } from '../../core/business-hours/service.js';
import { conversationsForReports, conversationIdsAfter, countAllConversations } from '../conversations/queries.js';
import { getInbox } from '../inboxes/service.js';
import { getSlaPolicyRow } from '../sla/service.js';
import { applyRollupChanges, type FactsChange } from './rollup.js';

export type Fact = typeof conversationFacts.$inferSelect;
type Conversation = Awaited<ReturnType<typeof conversationsForReports>>[number];

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

/** A conversation's facts before any event: what its timeline is replayed onto. */
function blankFacts(c: Conversation, channel: string): Fact {
  return {
    conversationId: c.id,
    workspaceId: c.workspaceId,
    number: c.number,
    createdAt: c.createdAt,
    channel,
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
}

const { conversationId: _key, ...factColumns } = getTableColumns(conversationFacts);
/** An upsert's SET that takes every column but the key from the row offered. */
const FROM_EXCLUDED = Object.fromEntries(Object.entries(factColumns).map(([k, col]) => [k, sql.raw(`excluded."${col.name}"`)]));

/** A committed event as the reports processor receives it. */
type LiveEvent = FactEvent & { conversationId: string };

/**
 * Brings several conversations' facts up to date in the caller's transaction, under locks on
 * their rows (taken in id order, so two nodes never wait on each other in a circle), with a
 * few statements whatever their number. A conversation with facts gets `live` (its events
 * among them, in seq order) applied; one without facts, or every one when `live` is
 * 'rebuild', is built from its whole timeline: the same steps as live, so the result is
 * the same, and running it again changes nothing.
 */
async function refreshFacts(tx: Executor, conversationIds: string[], live: LiveEvent[] | 'rebuild'): Promise<void> {
  const ids = [...new Set(conversationIds)].sort();
  if (!ids.length) return;
  const locked = await tx
    .select()
    .from(conversationFacts)
    .where(inArray(conversationFacts.conversationId, ids))
    .orderBy(asc(conversationFacts.conversationId))
    .for('update');
  const before = new Map(locked.map((f) => [f.conversationId, f]));
  const found = await conversationsForReports(tx, ids);
  const replayed = found.filter((c) => live === 'rebuild' || !before.has(c.id));
  const histories = await conversationHistories(
    tx,
    replayed.map((c) => c.id),
    FACT_EVENT_TYPES,
  );
  const rows: Fact[] = [];
  const changes: FactsChange[] = [];
  for (const c of found) {
    const clocks = await clocksOf(tx, c);
    const old = before.get(c.id);
    let f: Fact;
    if (old && live !== 'rebuild') {
      f = { ...old };
      for (const e of live) if (e.conversationId === c.id) applyEvent(f, e, clocks);
    } else {
      const history = histories.get(c.id) ?? [];
      // The timeline's first event names the channel; a conversation from before events had one asks its inbox.
      const channel = history.some((e) => e.type === 'conversation.created') ? '' : (await getInbox(tx, c, c.inboxId)).channel;
      f = blankFacts(c, channel);
      for (const e of history) applyEvent(f, e, clocks);
    }
    snapshot(f, c);
    rows.push(f);
    changes.push({ workspaceId: c.workspaceId, before: old, after: f });
  }
  // The lock above covers only rows that existed. Facts built here from nothing are inserted
  // only if nobody else (another node, a redelivery) has inserted them meanwhile: their
  // rollup change assumed nothing was counted yet. Those that lost are built again on top
  // of the winner's row, locked this time, so nothing is counted twice.
  const built = rows.filter((f) => !before.has(f.conversationId));
  const kept = rows.filter((f) => before.has(f.conversationId));
  const inserted = new Set<string>();
  if (built.length) {
    for (const r of await tx.insert(conversationFacts).values(built).onConflictDoNothing().returning({ id: conversationFacts.conversationId })) inserted.add(r.id);
  }
  if (kept.length) await tx.insert(conversationFacts).values(kept).onConflictDoUpdate({ target: conversationFacts.conversationId, set: FROM_EXCLUDED });
  const lost = built.filter((f) => !inserted.has(f.conversationId)).map((f) => f.conversationId);
  await applyRollupChanges(
    tx,
    changes.filter((c) => !lost.includes((c.after as Fact).conversationId)),
  );
  if (lost.length) await refreshFacts(tx, lost, 'rebuild');
}

/**
 * Keeps conversation_facts as things happen: after the SLA processor (app.ts lists it
 * later), so a conversation's targets are current when it reads them.
 */
export function reportsProcessor(ctx: Ctx): Processor {
  return {
    name: 'reports',
    handles: (e) => e.conversationId !== null && FACT_EVENTS.has(e.type),
    process: (e) => ctx.db.transaction((tx) => refreshFacts(tx, [e.conversationId!], [{ ...e, conversationId: e.conversationId! }])),
    // One transaction for the batch: its conversations' facts, and the rollups they move, each written by one statement.
    processBatch: (events) => {
      const live = events.map((e) => ({ ...e, conversationId: e.conversationId! }));
      return ctx.db.transaction((tx) => refreshFacts(tx, live.map((e) => e.conversationId), live));
    },
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
    // A hundred conversations per transaction: a few statements for all of them, and row locks held briefly.
    for (let i = 0; i < todo.length; i += 100) await db.transaction((tx) => refreshFacts(tx, todo.slice(i, i + 100), 'rebuild'));
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
