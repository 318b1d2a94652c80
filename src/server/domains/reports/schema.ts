import { z } from 'zod';

/** The longest period a report covers, in days. */
export const MAX_DAYS = 366;
/** The period when none is asked for: the last 30 days, today included. */
export const DEFAULT_DAYS = 30;
export const DIMENSIONS = ['channel', 'inbox', 'team', 'agent', 'topic', 'tag'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
const CHANNELS = ['api', 'email', 'widget', 'portal', 'phone'] as const;

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date, e.g. 2026-11-30' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { error: 'is not a date in the calendar' });

const DAY_MS = 86_400_000;
const dayCount = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** The period (days, inclusive, UTC) and filters every report takes. */
export const ReportQuerySchema = z
  .object({
    from: Day.optional().describe('First day of the period (YYYY-MM-DD, UTC); 30 days before `to` by default.'),
    to: Day.optional().describe('Last day of the period, included; today by default.'),
    channel: z.enum(CHANNELS).optional(),
    inboxId: z.uuid({ error: 'must be an inbox id' }).optional(),
    teamId: z.uuid({ error: 'must be a team id' }).optional(),
    assigneeId: z.uuid({ error: 'must be a member id' }).optional(),
    tag: z.string().trim().min(1).max(100).optional(),
    topic: z.string().trim().min(1).max(100).optional().describe('Only conversations of this topic (its name)'),
    format: z.enum(['json', 'csv']).default('json').describe('csv: the report as a CSV download'),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be on or before to' });
    else if (q.from && q.to && dayCount(q.from, q.to) > MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_DAYS} days after from` });
  });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** The longest period a series by hour covers, in days (longer: by day). */
export const MAX_HOURLY_DAYS = 31;

export const OverviewQuerySchema = ReportQuerySchema.and(z.object({ by: z.enum(['day', 'hour']).default('day').describe(`Buckets of the series; by hour covers at most ${MAX_HOURLY_DAYS} days`) })).superRefine(
  (q, ctx) => {
    if (q.by !== 'hour') return;
    const { period } = periodsOf(q);
    if (dayCount(period.from, period.to) > MAX_HOURLY_DAYS) ctx.addIssue({ code: 'custom', path: ['by'], message: `hour covers at most ${MAX_HOURLY_DAYS} days: ask by day for a longer period` });
  },
);
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>;

export const BreakdownQuerySchema = ReportQuerySchema.and(z.object({ dimension: z.enum(DIMENSIONS, { error: `must be one of ${DIMENSIONS.join(', ')}` }) }));
export type BreakdownQuery = z.infer<typeof BreakdownQuerySchema>;

export const SatisfactionReportQuerySchema = ReportQuerySchema.and(
  z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
);
export type SatisfactionReportQuery = z.infer<typeof SatisfactionReportQuerySchema>;

/** A period as days and as instants: [start, end). */
export interface Period {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The asked period (or the last 30 days) and the one of the same length just before it. */
export function periodsOf(q: Pick<ReportQuery, 'from' | 'to'>, now = new Date()): { period: Period; previous: Period } {
  const to = q.to ?? (q.from ? iso(Date.parse(`${q.from}T00:00:00Z`) + (DEFAULT_DAYS - 1) * DAY_MS) : iso(now.getTime()));
  const from = q.from ?? iso(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS);
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
  const length = end - start;
  const period = { from, to, start: new Date(start), end: new Date(end) };
  const previous = { from: iso(start - length), to: iso(start - DAY_MS), start: new Date(start - length), end: new Date(start) };
  return { period, previous };
}
