import { type Column, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../core/actor.js';
import { Invalid } from '../../core/errors.js';
import { type Executor, selectRows } from '../../db/client.js';
import { conversationFacts as f } from '../../db/schema/index.js';
import { conversationBriefs } from '../conversations/queries.js';
import { listInboxes } from '../inboxes/service.js';
import { listMembers } from '../members/service.js';
import { listTeams } from '../teams/service.js';
import { type Counts, percentileOf, rollupBacklogBefore, rollupCounts, rollupCountsByDay, rollupCountsByKey, rollupHistograms, type Selection } from './rollup.js';
import { type BreakdownQuery, type OverviewQuery, type Period, periodsOf, type ReportQuery, type SatisfactionReportQuery } from './schema.js';

/** Conversations of the workspace that reports count (not merged away), narrowed by the query's filters. */
function scope(workspaceId: string, q: ReportQuery): SQL {
  const parts = [sql`${f.workspaceId} = ${workspaceId}`, sql`not ${f.merged}`];
  if (q.channel) parts.push(sql`${f.channel} = ${q.channel}`);
  if (q.inboxId) parts.push(sql`${f.inboxId} = ${q.inboxId}`);
  if (q.teamId) parts.push(sql`${f.teamId} = ${q.teamId}`);
  if (q.assigneeId) parts.push(sql`${f.assigneeId} = ${q.assigneeId}`);
  if (q.tag) parts.push(sql`${q.tag} = any(${f.tags})`);
  if (q.topic) parts.push(sql`${f.topic} = ${q.topic}`);
  return sql.join(parts, sql` and `);
}

const within = (column: Column, p: Period) => sql`(${column} >= ${p.start.toISOString()}::timestamptz and ${column} < ${p.end.toISOString()}::timestamptz)`;
/** Facts that happened in the period: created, first answered, solved or rated then (each side an index range). */
const touched = (p: Period) => sql`(${within(f.createdAt, p)} or ${within(f.firstResponseAt, p)} or ${within(f.solvedAt, p)} or ${within(f.ratedAt, p)})`;

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

/** Each figure of one period's totals, as SQL aggregates over the facts it touched. */
const totalsColumns = (p: Period) => sql`
  count(*) filter (where ${within(f.createdAt, p)})::int as created,
  count(*) filter (where ${within(f.solvedAt, p)})::int as solved,
  count(*) filter (where ${within(f.solvedAt, p)} and ${f.reopenCount} > 0)::int as reopened,
  percentile_cont(0.5) within group (order by ${f.firstResponseMinutes}) filter (where ${within(f.firstResponseAt, p)}) as fr_median,
  percentile_cont(0.9) within group (order by ${f.firstResponseMinutes}) filter (where ${within(f.firstResponseAt, p)}) as fr_p90,
  count(*) filter (where ${within(f.firstResponseAt, p)})::int as fr_count,
  percentile_cont(0.5) within group (order by ${f.resolutionMinutes}) filter (where ${within(f.solvedAt, p)}) as res_median,
  percentile_cont(0.9) within group (order by ${f.resolutionMinutes}) filter (where ${within(f.solvedAt, p)}) as res_p90,
  coalesce(sum(${f.slaMet}) filter (where ${within(f.createdAt, p)}), 0)::int as sla_met,
  coalesce(sum(${f.slaMissed}) filter (where ${within(f.createdAt, p)}), 0)::int as sla_missed,
  count(*) filter (where ${within(f.ratedAt, p)} and ${f.csatRating} = 'good')::int as good,
  count(*) filter (where ${within(f.ratedAt, p)} and ${f.csatRating} = 'okay')::int as okay,
  count(*) filter (where ${within(f.ratedAt, p)} and ${f.csatRating} = 'bad')::int as bad,
  avg(${f.pendingRounds}) filter (where ${within(f.solvedAt, p)}) as rounds`;

type TotalsRow = Record<'created' | 'solved' | 'reopened' | 'fr_count' | 'sla_met' | 'sla_missed' | 'good' | 'okay' | 'bad', number> &
  Record<'fr_median' | 'fr_p90' | 'res_median' | 'res_p90' | 'rounds', number | string | null>;

function presentTotals(r: TotalsRow, backlog: number) {
  const rated = r.good + r.okay + r.bad;
  return {
    created: r.created,
    solved: r.solved,
    backlog,
    reopened: r.reopened,
    firstResponse: { median: num(r.fr_median), p90: num(r.fr_p90), count: r.fr_count },
    resolution: { median: num(r.res_median), p90: num(r.res_p90), count: r.solved },
    sla: { met: r.sla_met, missed: r.sla_missed, attainment: ratio(r.sla_met, r.sla_met + r.sla_missed) },
    csat: { good: r.good, okay: r.okay, bad: r.bad, score: ratio(r.good, rated) },
    rounds: { average: r.rounds === null ? null : Math.round(Number(r.rounds) * 100) / 100 },
  };
}
export type ReportTotals = ReturnType<typeof presentTotals>;

async function totals(db: Executor, where: SQL, p: Period) {
  const [r] = await selectRows<TotalsRow>(db, sql`select ${totalsColumns(p)} from ${f} where ${where} and ${touched(p)}`);
  return r;
}

/**
 * How many conversations stood unsolved at the period's end: those not solved now, less
 * those created since, plus those solved since (solved_at is the last time each was
 * solved). Reads only the open ones and what came after the period.
 */
async function backlogAtEnd(db: Executor, where: SQL, end: Date): Promise<number> {
  const [r] = await selectRows<{ open: number; created: number; solved: number }>(
    db,
    sql`select (select count(*) from ${f} where ${where} and ${f.solvedAt} is null)::int as open,
               (select count(*) from ${f} where ${where} and ${f.createdAt} >= ${end.toISOString()}::timestamptz)::int as created,
               (select count(*) from ${f} where ${where} and ${f.solvedAt} >= ${end.toISOString()}::timestamptz)::int as solved`,
  );
  return r.open - r.created + r.solved;
}

const BUCKET = { day: { step: 86_400_000, format: 'YYYY-MM-DD' }, hour: { step: 3_600_000, format: 'YYYY-MM-DD"T"HH24:00' } } as const;

/**
 * Up to this many first responses (or resolutions) in a period, its median and 90th
 * percentile are computed exactly from the facts; beyond, they are read from the day
 * histograms (whole months and days), to within 5 %, so that a year of a large help desk answers as fast as a week.
 */
export const EXACT_PERCENTILES_UP_TO = 20_000;
export interface ReportOptions {
  exactUpTo?: number;
}

/** The rollup a query's filters name (none: all conversations), or null when it names two or more: then the facts are read. */
function selectionOf(q: ReportQuery): Selection | null {
  const named: Selection[] = [];
  if (q.channel) named.push({ dimension: 'channel', key: q.channel });
  if (q.inboxId) named.push({ dimension: 'inbox', key: q.inboxId });
  if (q.teamId) named.push({ dimension: 'team', key: q.teamId });
  if (q.assigneeId) named.push({ dimension: 'agent', key: q.assigneeId });
  if (q.topic) named.push({ dimension: 'topic', key: q.topic });
  if (q.tag) named.push({ dimension: 'tag', key: q.tag });
  if (named.length > 1) return null;
  return named[0] ?? { dimension: 'all', key: '' };
}

/** A rollup's counts as the totals the facts' query gives (its times apart). */
const totalsOfCounts = (c: Counts) => ({
  created: c.created,
  solved: c.solved,
  reopened: c.reopened,
  fr_count: c.firstResponses,
  sla_met: c.slaMet,
  sla_missed: c.slaMissed,
  good: c.good,
  okay: c.okay,
  bad: c.bad,
  rounds: c.solved > 0 ? c.rounds / c.solved : null,
});

/** A period's totals from a rollup: counts summed over its days, percentiles exact when few, else from the histograms. */
async function rollupTotals(db: Executor, workspaceId: string, where: SQL, s: Selection, p: Period, o: ReportOptions): Promise<TotalsRow> {
  const c = await rollupCounts(db, workspaceId, s, p);
  const exactUpTo = o.exactUpTo ?? EXACT_PERCENTILES_UP_TO;
  const exact = c.firstResponses + c.solved <= exactUpTo;
  let times: Pick<TotalsRow, 'fr_median' | 'fr_p90' | 'res_median' | 'res_p90'>;
  if (exact) {
    const [r] = await selectRows<typeof times>(
      db,
      sql`select percentile_cont(0.5) within group (order by ${f.firstResponseMinutes}) filter (where ${within(f.firstResponseAt, p)}) as fr_median,
                 percentile_cont(0.9) within group (order by ${f.firstResponseMinutes}) filter (where ${within(f.firstResponseAt, p)}) as fr_p90,
                 percentile_cont(0.5) within group (order by ${f.resolutionMinutes}) filter (where ${within(f.solvedAt, p)}) as res_median,
                 percentile_cont(0.9) within group (order by ${f.resolutionMinutes}) filter (where ${within(f.solvedAt, p)}) as res_p90
            from ${f} where ${where} and (${within(f.firstResponseAt, p)} or ${within(f.solvedAt, p)})`,
    );
    times = r;
  } else {
    const h = await rollupHistograms(db, workspaceId, s, p);
    times = { fr_median: percentileOf(h.get('fr'), 0.5), fr_p90: percentileOf(h.get('fr'), 0.9), res_median: percentileOf(h.get('res'), 0.5), res_p90: percentileOf(h.get('res'), 0.9) };
  }
  return { ...totalsOfCounts(c), ...times };
}

/** Volume, speed, service levels, satisfaction and rounds over the period, the previous period beside it, and the series by day or hour. */
export async function overviewReport(db: Executor, actor: Pick<Actor, 'workspaceId'>, q: OverviewQuery, o: ReportOptions = {}) {
  const { period, previous } = periodsOf(q);
  const where = scope(actor.workspaceId, q);
  const selection = selectionOf(q);
  const { step, format } = BUCKET[q.by];
  const unit = sql.raw(`'${q.by}'`);
  const fmt = sql.raw(`'${format}'`);
  const perBucket = (column: Column) =>
    selectRows<{ bucket: string; n: number }>(
      db,
      sql`select to_char(date_trunc(${unit}, ${column} at time zone 'UTC'), ${fmt}) as bucket, count(*)::int as n
            from ${f} where ${where} and ${within(column, period)} group by 1`,
    );
  // Independent reads: on PostgreSQL they run at once on the pool's connections, so the
  // report takes as long as the slowest of them, not their sum. One filter (or none) reads
  // the day rollups; two or more read the facts, which the filters narrow.
  const series = async (): Promise<{ created: Map<string, number>; solved: Map<string, number> }> => {
    if (selection && q.by === 'day') {
      const days = await rollupCountsByDay(db, actor.workspaceId, selection, period);
      return { created: new Map(days.map((x) => [x.day, x.created])), solved: new Map(days.map((x) => [x.day, x.solved])) };
    }
    const [created, solved] = await Promise.all([perBucket(f.createdAt), perBucket(f.solvedAt)]);
    return { created: new Map(created.map((r) => [r.bucket, r.n])), solved: new Map(solved.map((r) => [r.bucket, r.n])) };
  };
  const [counts, end, now, before] = await Promise.all([
    series(),
    selection ? rollupBacklogBefore(db, actor.workspaceId, selection, dayAfter(period.to)) : backlogAtEnd(db, where, period.end),
    selection ? rollupTotals(db, actor.workspaceId, where, selection, period, o) : totals(db, where, period),
    selection ? rollupTotals(db, actor.workspaceId, where, selection, previous, o) : totals(db, where, previous),
  ]);
  const starts: number[] = [];
  for (let t = period.start.getTime(); t < period.end.getTime(); t += step) starts.push(t);
  const label = (t: number) => (q.by === 'day' ? new Date(t).toISOString().slice(0, 10) : `${new Date(t).toISOString().slice(0, 13)}:00`);
  const points = starts.map((t) => ({ bucket: label(t), created: counts.created.get(label(t)) ?? 0, solved: counts.solved.get(label(t)) ?? 0, backlog: 0 }));
  // Backwards from the period's end: each bucket's start stood at its end less what came, plus what was solved, in it.
  let backlog = end;
  const atEnd = backlog;
  for (let i = points.length - 1; i >= 0; i--) {
    points[i].backlog = backlog;
    backlog = backlog - points[i].created + points[i].solved;
  }
  return {
    period: { from: period.from, to: period.to },
    previous: { from: previous.from, to: previous.to },
    totals: presentTotals(now, atEnd),
    previousTotals: presentTotals(before, backlog),
    series: points,
  };
}

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The SQL that names a row's key for a breakdown (tags: one row per tag it carries). */
const DIMENSION_KEY: Record<BreakdownQuery['dimension'], { key: SQL; from: SQL }> = {
  channel: { key: sql`${f.channel}`, from: sql`${f}` },
  inbox: { key: sql`${f.inboxId}::text`, from: sql`${f}` },
  team: { key: sql`${f.teamId}::text`, from: sql`${f}` },
  agent: { key: sql`${f.assigneeId}::text`, from: sql`${f}` },
  topic: { key: sql`${f.topic}`, from: sql`${f}` },
  tag: { key: sql`k.tag`, from: sql`${f} cross join lateral unnest(${f.tags}) as k(tag)` },
};

type BreakdownRow = TotalsRow & { key: string | null };

/** A breakdown without filters, from the day rollups of the dimension: its counts summed per value, its medians exact when few, else from the histograms. */
async function rollupBreakdown(db: Executor, workspaceId: string, q: BreakdownQuery, p: Period, o: ReportOptions): Promise<BreakdownRow[]> {
  const counts = (await rollupCountsByKey(db, workspaceId, q.dimension, p)).filter((c) => c.created + c.solved + c.firstResponses + c.good + c.okay + c.bad > 0);
  const total = counts.reduce((n, c) => n + c.firstResponses + c.solved, 0);
  const keyOf = (k: string) => (k === '' ? null : k);
  const medians = new Map<string | null, { fr: number | null; res: number | null }>();
  if (total <= (o.exactUpTo ?? EXACT_PERCENTILES_UP_TO)) {
    const d = DIMENSION_KEY[q.dimension];
    const rows = await selectRows<{ key: string | null; fr: number | null; res: number | null }>(
      db,
      sql`select ${d.key} as key,
                 percentile_cont(0.5) within group (order by ${f.firstResponseMinutes}) filter (where ${within(f.firstResponseAt, p)}) as fr,
                 percentile_cont(0.5) within group (order by ${f.resolutionMinutes}) filter (where ${within(f.solvedAt, p)}) as res
            from ${d.from} where ${scope(workspaceId, q)} and (${within(f.firstResponseAt, p)} or ${within(f.solvedAt, p)}) group by 1`,
    );
    for (const r of rows) medians.set(r.key, { fr: r.fr, res: r.res });
  } else {
    const h = await rollupHistograms(db, workspaceId, { dimension: q.dimension }, p);
    for (const c of counts) medians.set(keyOf(c.key), { fr: percentileOf(h.get(`${c.key}\u0000fr`), 0.5), res: percentileOf(h.get(`${c.key}\u0000res`), 0.5) });
  }
  return counts
    .map((c) => ({
      key: keyOf(c.key),
      ...totalsOfCounts(c),
      fr_median: medians.get(keyOf(c.key))?.fr ?? null,
      fr_p90: null,
      res_median: medians.get(keyOf(c.key))?.res ?? null,
      res_p90: null,
    }))
    .sort((a, b) => b.created - a.created || b.solved - a.solved || (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Whether a query names any filter (a breakdown with one reads the facts, which the filter narrows). */
const filtered = (q: ReportQuery) => !!(q.channel || q.inboxId || q.teamId || q.assigneeId || q.tag || q.topic);

/** The period's figures per channel, inbox, team, agent (assignee), topic or tag, busiest first. */
export async function breakdownReport(db: Executor, actor: Actor, q: BreakdownQuery, o: ReportOptions = {}) {
  const { period } = periodsOf(q);
  const d = DIMENSION_KEY[q.dimension];
  const [rows, labels] = await Promise.all([
    filtered(q)
      ? selectRows<BreakdownRow>(
          db,
          sql`select ${d.key} as key, ${totalsColumns(period)} from ${d.from} where ${scope(actor.workspaceId, q)} and ${touched(period)} group by 1 order by created desc, solved desc, 1`,
        )
      : rollupBreakdown(db, actor.workspaceId, q, period, o),
    labelsFor(db, actor, q.dimension),
  ]);
  const none = { team: 'No team', topic: 'No topic' } as Partial<Record<BreakdownQuery['dimension'], string>>;
  return {
    dimension: q.dimension,
    rows: rows.map((r) => {
      const rated = r.good + r.okay + r.bad;
      return {
        key: r.key,
        label: r.key === null ? (none[q.dimension] ?? 'Unassigned') : (labels.get(r.key) ?? r.key),
        created: r.created,
        solved: r.solved,
        firstResponseMedian: num(r.fr_median),
        resolutionMedian: num(r.res_median),
        slaAttainment: ratio(r.sla_met, r.sla_met + r.sla_missed),
        csatScore: ratio(r.good, rated),
        csatCount: rated,
        roundsAverage: r.rounds === null ? null : Math.round(Number(r.rounds) * 100) / 100,
      };
    }),
  };
}

async function labelsFor(db: Executor, actor: Actor, dimension: BreakdownQuery['dimension']): Promise<Map<string, string>> {
  if (dimension === 'inbox') return new Map((await listInboxes(db, actor)).map((i) => [i.id, i.name]));
  if (dimension === 'team') return new Map((await listTeams(db, actor)).map((t) => [t.id, t.name]));
  if (dimension === 'agent') return new Map((await listMembers(db, actor)).map((m) => [m.id, m.name]));
  return new Map();
}

const encodeCursor = (ratedAt: string, id: string) => Buffer.from(`${ratedAt}|${id}`).toString('base64url');
function decodeCursor(cursor: string) {
  const [ratedAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!ratedAt || !id || Number.isNaN(Date.parse(ratedAt)) || !/^[0-9a-f-]{36}$/.test(id)) throw new Invalid('querystring.cursor', 'is not a cursor this report gave');
  return { ratedAt, id };
}

/** The ratings and comments given in the period, newest first, a page at a time. */
export async function satisfactionReport(db: Executor, actor: Actor, q: SatisfactionReportQuery) {
  const { period } = periodsOf(q);
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const rows = await selectRows<{ conversation_id: string; number: number; csat_rating: string; csat_comment: string | null; rated_at: string; assignee_id: string | null }>(
    db,
    sql`select ${f.conversationId} as conversation_id, ${f.number} as number, ${f.csatRating} as csat_rating, ${f.csatComment} as csat_comment,
               ${f.ratedAt} as rated_at, ${f.assigneeId} as assignee_id
          from ${f}
         where ${scope(actor.workspaceId, q)} and ${within(f.ratedAt, period)}
           ${after ? sql`and (${f.ratedAt}, ${f.conversationId}) < (${after.ratedAt}::timestamptz, ${after.id}::uuid)` : sql``}
         order by ${f.ratedAt} desc, ${f.conversationId} desc
         limit ${q.limit + 1}`,
  );
  const page = rows.slice(0, q.limit);
  const briefs = await conversationBriefs(db, actor.workspaceId, page.map((r) => r.conversation_id));
  const names = new Map((await listMembers(db, actor)).map((m) => [m.id, m.name]));
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      conversationId: r.conversation_id,
      number: r.number,
      subject: briefs.get(r.conversation_id)?.subject ?? '',
      rating: r.csat_rating as 'good' | 'okay' | 'bad',
      comment: r.csat_comment,
      ratedAt: new Date(r.rated_at).toISOString(),
      assigneeName: r.assignee_id ? (names.get(r.assignee_id) ?? null) : null,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(new Date(last.rated_at).toISOString(), last.conversation_id) : null,
  };
}
