import { type SQL, sql } from 'drizzle-orm';
import { type Executor, selectRows } from '../../db/client.js';
import { conversationFacts as f, reportDaily as d, reportTimes as t } from '../../db/schema/index.js';
import type { Fact } from './facts.js';

/**
 * The day rollups (report_daily, report_times) that let a report of a year read a few
 * hundred rows instead of a million facts. They follow the facts exactly: whenever the
 * reports processor changes a conversation's facts it takes away what the old facts added to
 * the rollups and adds what the new ones do, in the same transaction. A full rebuild from
 * the facts (`heard reports rebuild`; migration 0028 built the first ones) gives the same rows.
 */

/** Histogram buckets are 5 % wide: bucket b holds [1.05^b − 1, 1.05^(b+1) − 1) minutes. */
const GROWTH = 1.05;
/** The bucket of a number of minutes, computed by the database both when kept and when rebuilt, so the two always agree. */
const bucketOf = (minutes: SQL) => sql`floor(ln(1 + greatest(${minutes}, 0)) / ln(${sql.raw(String(GROWTH))}))::smallint`;

const COUNTERS = ['created', 'solved', 'reopened', 'rounds', 'firstResponses', 'slaMet', 'slaMissed', 'good', 'okay', 'bad'] as const;
type Counter = (typeof COUNTERS)[number];
export type Counts = Record<Counter, number>;
const RATINGS = new Set(['good', 'okay', 'bad']);

/** What a fact's rollups read of it. */
type Facts = Pick<
  Fact,
  | 'channel'
  | 'inboxId'
  | 'teamId'
  | 'assigneeId'
  | 'topic'
  | 'tags'
  | 'merged'
  | 'createdAt'
  | 'firstResponseAt'
  | 'firstResponseMinutes'
  | 'solvedAt'
  | 'resolutionMinutes'
  | 'reopenCount'
  | 'pendingRounds'
  | 'slaMet'
  | 'slaMissed'
  | 'csatRating'
  | 'ratedAt'
>;

/** The rollups a conversation counts in: all of them, and one per dimension ('' is "none": no team, unassigned, no topic), one per tag. */
function dimensionsOf(x: Facts): [string, string][] {
  return [
    ['all', ''],
    ['channel', x.channel],
    ['inbox', x.inboxId],
    ['team', x.teamId ?? ''],
    ['agent', x.assigneeId ?? ''],
    ['topic', x.topic ?? ''],
    ...[...new Set(x.tags)].map((tag): [string, string] => ['tag', tag]),
  ];
}

/** The same dimensions in SQL, for a rebuild (a lateral join over conversation_facts). */
const DIMENSIONS_SQL = sql`(
  select 'all', '' union all select 'channel', ${f.channel} union all select 'inbox', ${f.inboxId}::text
  union all select 'team', coalesce(${f.teamId}::text, '') union all select 'agent', coalesce(${f.assigneeId}::text, '')
  union all select 'topic', coalesce(${f.topic}, '') union all select distinct 'tag', x from unnest(${f.tags}) as x
) as dims(dimension, key)`;

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const monthOf = (day: string) => `${day.slice(0, 8)}01`;

interface Change {
  cells: Map<string, { workspaceId: string; dimension: string; key: string; day: string; counts: Counts }>;
  times: { workspaceId: string; dimension: string; key: string; span: 'day' | 'month'; day: string; metric: 'fr' | 'res'; minutes: number; n: number }[];
}

/** Adds (sign 1) or takes away (sign −1) everything one conversation's facts count in the rollups. */
function count(change: Change, workspaceId: string, x: Facts | undefined, sign: 1 | -1): void {
  if (!x || x.merged) return;
  for (const [dimension, key] of dimensionsOf(x)) {
    const add = (at: Date, counts: Partial<Counts>) => {
      const day = dayOf(at);
      const id = `${workspaceId}\u0000${dimension}\u0000${key}\u0000${day}`;
      let cell = change.cells.get(id);
      if (!cell) change.cells.set(id, (cell = { workspaceId, dimension, key, day, counts: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counts }));
      for (const [c, n] of Object.entries(counts) as [Counter, number][]) cell.counts[c] += sign * n;
    };
    add(x.createdAt, { created: 1, slaMet: x.slaMet, slaMissed: x.slaMissed });
    const time = (at: Date, metric: 'fr' | 'res', minutes: number) => {
      change.times.push({ workspaceId, dimension, key, span: 'day', day: dayOf(at), metric, minutes, n: sign });
      change.times.push({ workspaceId, dimension, key, span: 'month', day: monthOf(dayOf(at)), metric, minutes, n: sign });
    };
    if (x.firstResponseAt) {
      add(x.firstResponseAt, { firstResponses: 1 });
      if (x.firstResponseMinutes !== null) time(x.firstResponseAt, 'fr', x.firstResponseMinutes);
    }
    if (x.solvedAt) {
      add(x.solvedAt, { solved: 1, reopened: x.reopenCount > 0 ? 1 : 0, rounds: x.pendingRounds });
      if (x.resolutionMinutes !== null) time(x.solvedAt, 'res', x.resolutionMinutes);
    }
    if (x.ratedAt && x.csatRating && RATINGS.has(x.csatRating)) add(x.ratedAt, { [x.csatRating]: 1 });
  }
}

/** One conversation's facts before and after a change (either may be missing). */
export interface FactsChange {
  workspaceId: string;
  before: Facts | undefined;
  after: Facts | undefined;
}

/**
 * Moves conversations' counts in the rollups from their old facts to their new ones: one
 * statement per rollup table, however many conversations. Called under the facts rows'
 * locks, in their transaction. Rows are written in key order, so two writers changing
 * rollups at once never wait on each other in a circle.
 */
export async function applyRollupChanges(tx: Executor, changes: FactsChange[]): Promise<void> {
  const change: Change = { cells: new Map(), times: [] };
  for (const c of changes) {
    count(change, c.workspaceId, c.before, -1);
    count(change, c.workspaceId, c.after, 1);
  }
  const keyOf = (c: { workspaceId: string; dimension: string; key: string; day: string }) => `${c.workspaceId}\u0000${c.dimension}\u0000${c.key}\u0000${c.day}`;
  const cells = [...change.cells.values()].filter((c) => COUNTERS.some((k) => c.counts[k] !== 0)).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  if (cells.length) {
    await tx
      .insert(d)
      .values(cells.map((c) => ({ workspaceId: c.workspaceId, dimension: c.dimension, key: c.key, day: c.day, ...c.counts })))
      .onConflictDoUpdate({
        target: [d.workspaceId, d.dimension, d.key, d.day],
        set: Object.fromEntries(COUNTERS.map((c) => [c, sql.raw(`"report_daily"."${d[c].name}" + excluded."${d[c].name}"`)])),
      });
  }
  if (change.times.length) {
    const col = <K extends keyof Change['times'][number]>(k: K) => sql.param(change.times.map((x) => x[k]));
    // The same bucket can come up twice (the old and the new minutes): the database sums them before it writes.
    await tx.execute(sql`
      insert into ${t} (workspace_id, dimension, key, span, day, metric, bucket, n)
      select x.workspace_id, x.dimension, x.key, x.span, x.day::date, x.metric, ${bucketOf(sql`x.minutes`)}, sum(x.n)::int
        from unnest(${col('workspaceId')}::uuid[], ${col('dimension')}::text[], ${col('key')}::text[], ${col('span')}::text[], ${col('day')}::text[], ${col('metric')}::text[], ${col('minutes')}::float8[], ${col('n')}::int[])
             as x(workspace_id, dimension, key, span, day, metric, minutes, n)
       group by 1, 2, 3, 4, 5, 6, 7 having sum(x.n) <> 0
       order by 1, 2, 3, 4, 5, 6, 7
      on conflict (workspace_id, dimension, key, span, day, metric, bucket) do update set n = ${t}.n + excluded.n`);
  }
}

/**
 * Builds every rollup again from the facts. Writers wait while it runs (a processor that
 * changed facts meanwhile adds its change on top once this commits); reports keep reading
 * the old rows until then.
 */
export async function rebuildRollups(db: Executor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${d}, ${t} in share row exclusive mode`);
    await tx.execute(sql`delete from ${d}`);
    await tx.execute(sql`delete from ${t}`);
    const utc = (column: SQL) => sql`(${column} at time zone 'UTC')::date`;
    await tx.execute(sql`
      insert into ${d} (workspace_id, dimension, key, day, created, solved, reopened, rounds, first_responses, sla_met, sla_missed, good, okay, bad)
      select ${f.workspaceId}, dims.dimension, dims.key, e.day, sum(e.created), sum(e.solved), sum(e.reopened), sum(e.rounds), sum(e.first_responses),
             sum(e.sla_met), sum(e.sla_missed), sum(e.good), sum(e.okay), sum(e.bad)
        from ${f}
        cross join lateral ${DIMENSIONS_SQL}
        cross join lateral (
          select ${utc(sql`${f.createdAt}`)}, 1, 0, 0, 0, 0, ${f.slaMet}, ${f.slaMissed}, 0, 0, 0
          union all select ${utc(sql`${f.solvedAt}`)}, 0, 1, (${f.reopenCount} > 0)::int, ${f.pendingRounds}, 0, 0, 0, 0, 0, 0 where ${f.solvedAt} is not null
          union all select ${utc(sql`${f.firstResponseAt}`)}, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 where ${f.firstResponseAt} is not null
          union all select ${utc(sql`${f.ratedAt}`)}, 0, 0, 0, 0, 0, 0, 0, (${f.csatRating} = 'good')::int, (${f.csatRating} = 'okay')::int, (${f.csatRating} = 'bad')::int
                     where ${f.ratedAt} is not null and ${f.csatRating} in ('good', 'okay', 'bad')
        ) as e(day, created, solved, reopened, rounds, first_responses, sla_met, sla_missed, good, okay, bad)
       where not ${f.merged}
       group by 1, 2, 3, 4`);
    await tx.execute(sql`
      insert into ${t} (workspace_id, dimension, key, span, day, metric, bucket, n)
      select ${f.workspaceId}, dims.dimension, dims.key, 'day', e.day, e.metric, ${bucketOf(sql`e.minutes`)}, count(*)::int
        from ${f}
        cross join lateral ${DIMENSIONS_SQL}
        cross join lateral (
          select ${utc(sql`${f.firstResponseAt}`)}, 'fr', ${f.firstResponseMinutes} where ${f.firstResponseAt} is not null and ${f.firstResponseMinutes} is not null
          union all select ${utc(sql`${f.solvedAt}`)}, 'res', ${f.resolutionMinutes} where ${f.solvedAt} is not null and ${f.resolutionMinutes} is not null
        ) as e(day, metric, minutes)
       where not ${f.merged}
       group by 1, 2, 3, 4, 5, 6, 7`);
    await tx.execute(sql`
      insert into ${t} (workspace_id, dimension, key, span, day, metric, bucket, n)
      select ${t.workspaceId}, ${t.dimension}, ${t.key}, 'month', date_trunc('month', ${t.day})::date, ${t.metric}, ${t.bucket}, sum(${t.n})::int
        from ${t} where ${t.span} = 'day'
       group by 1, 2, 3, 4, 5, 6, 7`);
  });
}

/** One rollup: every conversation (dimension 'all'), or those with one value of one dimension. */
export interface Selection {
  dimension: string;
  key: string;
}
export interface DayRange {
  from: string;
  to: string;
}

const inRange = (r: DayRange) => sql`${d.day} >= ${r.from}::date and ${d.day} <= ${r.to}::date`;
const sums = sql.join(
  COUNTERS.map((c) => sql`coalesce(sum(${d[c]}), 0)::int as ${sql.identifier(c)}`),
  sql`, `,
);

/** The counts of one rollup over the days, summed. */
export async function rollupCounts(db: Executor, workspaceId: string, s: Selection, r: DayRange): Promise<Counts> {
  const [row] = await selectRows<Counts>(
    db,
    sql`select ${sums} from ${d} where ${d.workspaceId} = ${workspaceId} and ${d.dimension} = ${s.dimension} and ${d.key} = ${s.key} and ${inRange(r)}`,
  );
  return row;
}

/** The counts of one rollup per day. */
export async function rollupCountsByDay(db: Executor, workspaceId: string, s: Selection, r: DayRange): Promise<(Counts & { day: string })[]> {
  return selectRows(
    db,
    sql`select to_char(${d.day}, 'YYYY-MM-DD') as day, ${sums} from ${d}
         where ${d.workspaceId} = ${workspaceId} and ${d.dimension} = ${s.dimension} and ${d.key} = ${s.key} and ${inRange(r)} group by ${d.day}`,
  );
}

/** Conversations created before the day less those solved before it (their last solve): what stood unsolved as it began. */
export async function rollupBacklogBefore(db: Executor, workspaceId: string, s: Selection, day: string): Promise<number> {
  const [row] = await selectRows<{ n: number }>(
    db,
    sql`select (coalesce(sum(${d.created}), 0) - coalesce(sum(${d.solved}), 0))::int as n from ${d}
         where ${d.workspaceId} = ${workspaceId} and ${d.dimension} = ${s.dimension} and ${d.key} = ${s.key} and ${d.day} < ${day}::date`,
  );
  return row.n;
}

/** The counts of each value of a dimension over the days. */
export async function rollupCountsByKey(db: Executor, workspaceId: string, dimension: string, r: DayRange): Promise<(Counts & { key: string })[]> {
  return selectRows(
    db,
    sql`select ${d.key} as key, ${sums} from ${d} where ${d.workspaceId} = ${workspaceId} and ${d.dimension} = ${dimension} and ${inRange(r)} group by ${d.key}`,
  );
}

/** A histogram: bucket → how many, per metric and (for a breakdown) per key. */
export type Histograms = Map<string, Map<number, number>>;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const nextMonth = (day: string) => {
  const m = new Date(`${monthOf(day)}T00:00:00Z`);
  m.setUTCMonth(m.getUTCMonth() + 1);
  return m.toISOString().slice(0, 10);
};

/** The histogram rows that cover the days: whole months as one row each, the days before and after them one by one. */
function spansOf(r: DayRange): SQL {
  const firstWhole = r.from === monthOf(r.from) ? r.from : nextMonth(r.from);
  const afterWhole = monthOf(addDays(r.to, 1));
  const days = (from: string, to: string) => sql`(${t.span} = 'day' and ${t.day} >= ${from}::date and ${t.day} <= ${to}::date)`;
  if (firstWhole >= afterWhole) return days(r.from, r.to);
  return sql`(${days(r.from, addDays(firstWhole, -1))} or (${t.span} = 'month' and ${t.day} >= ${firstWhole}::date and ${t.day} < ${afterWhole}::date) or ${days(afterWhole, r.to)})`;
}

/** The first-response and resolution histograms of one rollup (keyed by metric) or of every value of a dimension (keyed by `${key}\u0000${metric}`). */
export async function rollupHistograms(db: Executor, workspaceId: string, s: Selection | { dimension: string }, r: DayRange): Promise<Histograms> {
  const byKey = !('key' in s);
  const rows = await selectRows<{ key: string; metric: string; bucket: number; n: number }>(
    db,
    sql`select ${byKey ? sql`${t.key}` : sql`''`} as key, ${t.metric} as metric, ${t.bucket} as bucket, sum(${t.n})::int as n from ${t}
         where ${t.workspaceId} = ${workspaceId} and ${t.dimension} = ${s.dimension} ${'key' in s ? sql`and ${t.key} = ${s.key}` : sql``}
           and ${spansOf(r)}
         group by 1, 2, 3`,
  );
  const out: Histograms = new Map();
  for (const row of rows) {
    const id = byKey ? `${row.key}\u0000${row.metric}` : row.metric;
    let h = out.get(id);
    if (!h) out.set(id, (h = new Map()));
    h.set(Number(row.bucket), row.n);
  }
  return out;
}

/**
 * The p-th percentile (0–1) read from a histogram, as percentile_cont places it: between the
 * values at ranks ⌊p × (n − 1)⌋ and the next, in proportion. Each of those values is placed
 * within its bucket by its rank there, so the figure is within 5 % (a bucket's width) of the
 * exact one.
 */
export function percentileOf(h: Map<number, number> | undefined, p: number): number | null {
  if (!h) return null;
  const buckets = [...h.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const valueAt = (rank: number) => {
    let before = 0;
    for (const [b, n] of buckets) {
      if (rank < before + n) {
        const low = GROWTH ** b - 1;
        const high = GROWTH ** (b + 1) - 1;
        return low + ((rank - before + 0.5) / n) * (high - low);
      }
      before += n;
    }
    return GROWTH ** (buckets[buckets.length - 1][0] + 1) - 1;
  };
  const rank = p * (total - 1);
  const below = Math.floor(rank);
  const low = valueAt(below);
  return below === rank ? low : low + (rank - below) * (valueAt(below + 1) - low);
}
