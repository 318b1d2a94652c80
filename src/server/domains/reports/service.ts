import { type Column, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../core/actor.js';
import { Invalid } from '../../core/errors.js';
import { type Executor, selectRows } from '../../db/client.js';
import { conversationFacts as f } from '../../db/schema/index.js';
import { conversationBriefs } from '../conversations/queries.js';
import { listInboxes } from '../inboxes/service.js';
import { listMembers } from '../members/service.js';
import { listTeams } from '../teams/service.js';
import { type BreakdownQuery, type OverviewQuery, type Period, periodsOf, type ReportQuery, type SatisfactionReportQuery } from './schema.js';

/** Conversations of the workspace that reports count (not merged away), narrowed by the query's filters. */
function scope(workspaceId: string, q: ReportQuery): SQL {
  const parts = [sql`${f.workspaceId} = ${workspaceId}`, sql`not ${f.merged}`];
  if (q.channel) parts.push(sql`${f.channel} = ${q.channel}`);
  if (q.inboxId) parts.push(sql`${f.inboxId} = ${q.inboxId}`);
  if (q.teamId) parts.push(sql`${f.teamId} = ${q.teamId}`);
  if (q.assigneeId) parts.push(sql`${f.assigneeId} = ${q.assigneeId}`);
  if (q.tag) parts.push(sql`${q.tag} = any(${f.tags})`);
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

/** Volume, speed, service levels, satisfaction and rounds over the period, the previous period beside it, and the series by day or hour. */
export async function overviewReport(db: Executor, actor: Pick<Actor, 'workspaceId'>, q: OverviewQuery) {
  const { period, previous } = periodsOf(q);
  const where = scope(actor.workspaceId, q);
  const { step, format } = BUCKET[q.by];
  const unit = sql.raw(`'${q.by}'`);
  const fmt = sql.raw(`'${format}'`);
  const perBucket = (column: Column) =>
    selectRows<{ bucket: string; n: number }>(
      db,
      sql`select to_char(date_trunc(${unit}, ${column} at time zone 'UTC'), ${fmt}) as bucket, count(*)::int as n
            from ${f} where ${where} and ${within(column, period)} group by 1`,
    );
  // Five independent reads: on PostgreSQL they run at once on the pool's connections, so
  // the report takes as long as the slowest of them, not their sum.
  const [created, solved, end, now, before] = await Promise.all([
    perBucket(f.createdAt),
    perBucket(f.solvedAt),
    backlogAtEnd(db, where, period.end),
    totals(db, where, period),
    totals(db, where, previous),
  ]);
  const createdBy = new Map(created.map((r) => [r.bucket, r.n]));
  const solvedBy = new Map(solved.map((r) => [r.bucket, r.n]));
  const starts: number[] = [];
  for (let t = period.start.getTime(); t < period.end.getTime(); t += step) starts.push(t);
  const label = (t: number) => (q.by === 'day' ? new Date(t).toISOString().slice(0, 10) : `${new Date(t).toISOString().slice(0, 13)}:00`);
  const series = starts.map((t) => ({ bucket: label(t), created: createdBy.get(label(t)) ?? 0, solved: solvedBy.get(label(t)) ?? 0, backlog: 0 }));
  // Backwards from the period's end: each bucket's start stood at its end less what came, plus what was solved, in it.
  let backlog = end;
  const atEnd = backlog;
  for (let i = series.length - 1; i >= 0; i--) {
    series[i].backlog = backlog;
    backlog = backlog - series[i].created + series[i].solved;
  }
  return {
    period: { from: period.from, to: period.to },
    previous: { from: previous.from, to: previous.to },
    totals: presentTotals(now, atEnd),
    previousTotals: presentTotals(before, backlog),
    series,
  };
}

/** The SQL that names a row's key for a breakdown (tags: one row per tag it carries). */
const DIMENSION_KEY: Record<BreakdownQuery['dimension'], { key: SQL; from: SQL }> = {
  channel: { key: sql`${f.channel}`, from: sql`${f}` },
  inbox: { key: sql`${f.inboxId}::text`, from: sql`${f}` },
  team: { key: sql`${f.teamId}::text`, from: sql`${f}` },
  agent: { key: sql`${f.assigneeId}::text`, from: sql`${f}` },
  tag: { key: sql`k.tag`, from: sql`${f} cross join lateral unnest(${f.tags}) as k(tag)` },
};

/** The period's figures per channel, inbox, team, agent (assignee) or tag, busiest first. */
export async function breakdownReport(db: Executor, actor: Actor, q: BreakdownQuery) {
  const { period } = periodsOf(q);
  const d = DIMENSION_KEY[q.dimension];
  const [rows, labels] = await Promise.all([
    selectRows<TotalsRow & { key: string | null }>(
      db,
      sql`select ${d.key} as key, ${totalsColumns(period)} from ${d.from} where ${scope(actor.workspaceId, q)} and ${touched(period)} group by 1 order by created desc, solved desc, 1`,
    ),
    labelsFor(db, actor, q.dimension),
  ]);
  return {
    dimension: q.dimension,
    rows: rows.map((r) => {
      const rated = r.good + r.okay + r.bad;
      return {
        key: r.key,
        label: r.key === null ? (q.dimension === 'team' ? 'No team' : 'Unassigned') : (labels.get(r.key) ?? r.key),
        created: r.created,
        solved: r.solved,
        firstResponseMedian: num(r.fr_median),
        resolutionMedian: num(r.res_median),
        slaAttainment: ratio(r.sla_met, r.sla_met + r.sla_missed),
        csatScore: ratio(r.good, rated),
        csatCount: rated,
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
