import { and, type Column, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../core/actor.js';
import { type Executor, selectRows } from '../../db/client.js';
import { feedbackItems } from '../../db/schema/index.js';
import { conversationBriefs } from '../conversations/queries.js';
import { type Period, periodsOf } from '../reports/schema.js';
import type { FeedbackReportQuery } from './schema.js';

/** What the feedback report counts, each by the time it happened. */
export const FEEDBACK_MEASURES = ['compliments', 'complaints', 'asked', 'consented', 'declined', 'withdrawn', 'published'] as const;
export type FeedbackMeasure = (typeof FEEDBACK_MEASURES)[number];
export type FeedbackCounts = Record<FeedbackMeasure, number>;

/** How many of the latest items the report lists. */
export const LATEST_ITEMS = 20;

const zero = (): FeedbackCounts => ({ compliments: 0, complaints: 0, asked: 0, consented: 0, declined: 0, withdrawn: 0, published: 0 });
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Praise and complaints over a period (days in UTC, as the other reports), beside the
 * period of the same length just before: items marked as compliment or complaint, consent
 * asked, given, declined and withdrawn, and items published, each counted on the day it
 * happened (by the time the item keeps for that step: the latest, when a step was repeated),
 * per day and in total; and the items changed most recently in the period, with their
 * conversation for a link.
 */
export async function feedbackReport(db: Executor, actor: Pick<Actor, 'workspaceId'>, q: FeedbackReportQuery) {
  const { period, previous } = periodsOf(q);
  const from = previous.start.toISOString();
  const to = period.end.toISOString();
  const f = feedbackItems;
  const step = (measure: FeedbackMeasure, column: Column, extra: SQL = sql``) =>
    sql`select ${measure}::text as measure, ${column} as t from ${f}
         where ${f.workspaceId} = ${actor.workspaceId} ${extra}
           and ${column} >= ${from}::timestamptz and ${column} < ${to}::timestamptz`;
  const rows = await selectRows<{ measure: FeedbackMeasure; day: string; n: number }>(
    db,
    sql`select measure, to_char(t at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n from (
          ${step('compliments', f.createdAt, sql`and ${f.kind} = 'compliment'`)}
          union all ${step('complaints', f.createdAt, sql`and ${f.kind} = 'complaint'`)}
          union all ${step('asked', f.consentRequestedAt)}
          union all ${step('consented', f.consentedAt)}
          union all ${step('declined', f.declinedAt)}
          union all ${step('withdrawn', f.withdrawnAt)}
          union all ${step('published', f.publishedAt)}
        ) steps group by measure, day`,
  );
  const byDay = new Map<string, FeedbackCounts>();
  for (const r of rows) {
    const c = byDay.get(r.day) ?? zero();
    c[r.measure] += Number(r.n);
    byDay.set(r.day, c);
  }
  const days = (p: Period) => Array.from({ length: Math.round((p.end.getTime() - p.start.getTime()) / DAY_MS) }, (_, i) => dayOf(p.start.getTime() + i * DAY_MS));
  const sum = (p: Period) =>
    days(p).reduce((acc, d) => {
      const c = byDay.get(d);
      if (c) for (const m of FEEDBACK_MEASURES) acc[m] += c[m];
      return acc;
    }, zero());
  const previousDays = days(previous);
  const series = days(period).map((day, i) => ({ day, ...(byDay.get(day) ?? zero()), previousDay: previousDays[i], previous: byDay.get(previousDays[i]) ?? zero() }));

  const latest = await db
    .select()
    .from(f)
    .where(and(eq(f.workspaceId, actor.workspaceId), gte(f.updatedAt, period.start), lt(f.updatedAt, period.end)))
    .orderBy(desc(f.updatedAt), desc(f.id))
    .limit(LATEST_ITEMS);
  const briefs = await conversationBriefs(db, actor.workspaceId, [...new Set(latest.map((i) => i.conversationId))]);
  return {
    period: { from: period.from, to: period.to },
    previous: { from: previous.from, to: previous.to },
    totals: sum(period),
    previousTotals: sum(previous),
    series,
    latest: latest.map((i) => ({
      id: i.id,
      kind: i.kind,
      state: i.state,
      quote: i.quote,
      displayName: i.anonymous ? null : i.displayName,
      source: i.surveyId ? ('survey' as const) : ('message' as const),
      conversationId: i.conversationId,
      number: briefs.get(i.conversationId)?.number ?? null,
      subject: briefs.get(i.conversationId)?.subject ?? '',
      createdAt: i.createdAt.toISOString(),
      updatedAt: i.updatedAt.toISOString(),
    })),
  };
}
export type FeedbackReport = Awaited<ReturnType<typeof feedbackReport>>;
