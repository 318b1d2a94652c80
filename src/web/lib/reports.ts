import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { t } from '../i18n';
import { api, withQuery } from './api';
import { dateFormat, hourOfDay, numberFormat } from './time';
import type { Channel } from './types';

/**
 * The Reports area's data: the API's answers (GET /reports/overview, /breakdown, /satisfaction),
 * the period and filters a report is asked for, and the pure functions that shape an answer for
 * the figures, charts and tables. Times are minutes; ratios are 0–1, null when nothing counted.
 */

export interface Period {
  from: string;
  to: string;
}

export interface ReportTotals {
  created: number;
  solved: number;
  backlog: number;
  reopened: number;
  firstResponse: { median: number | null; p90: number | null; count: number };
  resolution: { median: number | null; p90: number | null; count: number };
  sla: { met: number; missed: number; attainment: number | null };
  csat: { good: number; okay: number; bad: number; score: number | null };
  rounds: { average: number | null };
}

export interface SeriesPoint {
  bucket: string;
  created: number;
  solved: number;
  backlog: number;
}

export interface Overview {
  period: Period;
  previous: Period;
  totals: ReportTotals;
  previousTotals: ReportTotals;
  series: SeriesPoint[];
}

export type Dimension = 'channel' | 'inbox' | 'team' | 'agent' | 'topic' | 'tag';
export const DIMENSIONS: Dimension[] = ['channel', 'inbox', 'team', 'agent', 'topic', 'tag'];

export interface BreakdownRow {
  key: string;
  label: string;
  created: number;
  solved: number;
  firstResponseMedian: number | null;
  resolutionMedian: number | null;
  slaAttainment: number | null;
  csatScore: number | null;
  csatCount: number;
  /** Rounds of "we need more information" per conversation solved in the period. */
  roundsAverage: number | null;
}

export interface Breakdown {
  dimension: Dimension;
  rows: BreakdownRow[];
}

export type Rating = 'good' | 'okay' | 'bad';

export interface SatisfactionItem {
  conversationId: string;
  number: number;
  subject: string | null;
  rating: Rating;
  comment: string | null;
  ratedAt: string;
  assigneeName: string | null;
}

export interface SatisfactionPage {
  items: SatisfactionItem[];
  nextCursor: string | null;
}

// ——— The period ———

export type PeriodPreset = '7d' | '30d' | '90d' | 'month' | 'lastMonth' | 'custom';
export const PERIOD_PRESETS: PeriodPreset[] = ['7d', '30d', '90d', 'month', 'lastMonth', 'custom'];
/** The server refuses longer periods. */
export const MAX_DAYS = 366;

const pad = (n: number) => String(n).padStart(2, '0');

/** A calendar day as YYYY-MM-DD, in the browser's time zone. */
export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function dayOf(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d);
}

function addDays(iso: string, n: number): string {
  const d = dayOf(iso);
  d.setDate(d.getDate() + n);
  return isoDay(d);
}

/** Days in a period, both ends counted: 1 Nov – 30 Nov is 30. */
export function periodDays(p: Period): number {
  return Math.round((dayOf(p.to).getTime() - dayOf(p.from).getTime()) / 86_400_000) + 1;
}

/** The days a preset stands for, ending today; a custom period is taken as given. */
export function periodOf(preset: PeriodPreset, today: string, custom?: Partial<Period>): Period {
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case 'month':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'lastMonth': {
      const first = dayOf(`${today.slice(0, 7)}-01`);
      const lastOfPrevious = addDays(isoDay(first), -1);
      return { from: `${lastOfPrevious.slice(0, 7)}-01`, to: lastOfPrevious };
    }
    case 'custom':
      return { from: custom?.from || addDays(today, -29), to: custom?.to || today };
    default:
      return { from: addDays(today, -29), to: today };
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a custom period, naming the field, or null when it can be asked for. */
export function periodProblem(p: Partial<Period>): { field: 'from' | 'to'; message: string } | null {
  if (!p.from || !DAY.test(p.from) || Number.isNaN(dayOf(p.from).getTime())) return { field: 'from', message: t('reports.period.badFrom') };
  if (!p.to || !DAY.test(p.to) || Number.isNaN(dayOf(p.to).getTime())) return { field: 'to', message: t('reports.period.badTo') };
  if (p.to < p.from) return { field: 'to', message: t('reports.period.toBeforeFrom') };
  if (periodDays(p as Period) > MAX_DAYS) return { field: 'to', message: t('reports.period.tooLong', { max: MAX_DAYS }) };
  return null;
}

/** Hours for a period of two days or less (a day has too few bars to read), days otherwise. */
export function bucketOf(p: Period): 'hour' | 'day' {
  return periodDays(p) <= 2 ? 'hour' : 'day';
}

// ——— What the page asks for, kept in its address so a report can be shared ———

export interface ReportFilters {
  channel?: Channel;
  inboxId?: string;
  teamId?: string;
  assigneeId?: string;
  tag?: string;
}

export const FILTER_KEYS = ['channel', 'inboxId', 'teamId', 'assigneeId', 'tag'] as const;

export interface ReportState {
  preset: PeriodPreset;
  /** Only for a custom period. */
  custom: Partial<Period>;
  filters: ReportFilters;
  dimension: Dimension;
}

const isPreset = (v: string | null): v is PeriodPreset => !!v && (PERIOD_PRESETS as string[]).includes(v);
const isDimension = (v: string | null): v is Dimension => !!v && (DIMENSIONS as string[]).includes(v);

/** The page's state from its address (?period=custom&from=…&to=…&teamId=…&dimension=agent); the last 30 days by team by default. */
export function reportStateFrom(search: URLSearchParams): ReportState {
  const period = search.get('period');
  const filters: ReportFilters = {};
  for (const k of FILTER_KEYS) {
    const v = search.get(k)?.trim();
    if (v) (filters as Record<string, string>)[k] = v;
  }
  const dimension = search.get('dimension');
  return {
    preset: isPreset(period) ? period : '30d',
    custom: period === 'custom' ? { from: search.get('from') ?? undefined, to: search.get('to') ?? undefined } : {},
    filters,
    dimension: isDimension(dimension) ? dimension : 'team',
  };
}

/** The address's query for a state; defaults are left out. */
export function searchOf(s: ReportState): URLSearchParams {
  const q = new URLSearchParams();
  if (s.preset !== '30d') q.set('period', s.preset);
  if (s.preset === 'custom') {
    if (s.custom.from) q.set('from', s.custom.from);
    if (s.custom.to) q.set('to', s.custom.to);
  }
  for (const k of FILTER_KEYS) if (s.filters[k]) q.set(k, s.filters[k]!);
  if (s.dimension !== 'team') q.set('dimension', s.dimension);
  return q;
}

export type ReportQuery = Period & ReportFilters;

/** The query every report endpoint takes: the period and the filters that are set. */
export function reportQuery(p: Period, filters: ReportFilters): ReportQuery {
  const q: Record<string, string> = { from: p.from, to: p.to };
  for (const k of FILTER_KEYS) if (filters[k]) q[k] = filters[k]!;
  return q as unknown as ReportQuery;
}

/** The address of a report as CSV: the same query with format=csv, downloaded with the session's cookie. */
export function csvUrl(report: 'overview' | 'breakdown' | 'satisfaction', q: ReportQuery, extra: Record<string, string> = {}): string {
  return withQuery(`/api/v1/reports/${report}`, { ...q, ...extra, format: 'csv' });
}

// ——— Data hooks ———

export const reportKeys = {
  all: ['reports'] as const,
  overview: (q: ReportQuery, by: string) => ['reports', 'overview', q, by] as const,
  breakdown: (q: ReportQuery, d: Dimension) => ['reports', 'breakdown', q, d] as const,
  satisfaction: (q: ReportQuery) => ['reports', 'satisfaction', q] as const,
};

// A report that failed (404 on a server without reports, 403 for light members) says so at once.
const once = { retry: false, staleTime: 60_000 } as const;

export function useOverview(q: ReportQuery | null) {
  const by = q ? bucketOf(q) : 'day';
  return useQuery({
    queryKey: reportKeys.overview(q ?? { from: '', to: '' }, by),
    queryFn: ({ signal }) => api<Overview>('/reports/overview', { query: { ...q!, by }, signal }),
    enabled: !!q,
    placeholderData: (previous) => previous,
    ...once,
  });
}

export function useBreakdown(q: ReportQuery | null, dimension: Dimension) {
  return useQuery({
    queryKey: reportKeys.breakdown(q ?? { from: '', to: '' }, dimension),
    queryFn: ({ signal }) => api<Breakdown>('/reports/breakdown', { query: { ...q!, dimension }, signal }),
    enabled: !!q,
    placeholderData: (previous) => (previous?.dimension === dimension ? previous : undefined),
    ...once,
  });
}

export function useSatisfaction(q: ReportQuery | null) {
  return useInfiniteQuery({
    queryKey: reportKeys.satisfaction(q ?? { from: '', to: '' }),
    queryFn: ({ pageParam, signal }) => api<SatisfactionPage>('/reports/satisfaction', { query: { ...q!, limit: 20, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!q,
    ...once,
  });
}

// ——— Shaping the answers ———

/** A time in minutes as people say it: 45s, 38m, 3h 30m, 2d 4h. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  if (minutes < 1) return t('reports.unit.s', { n: Math.round(minutes * 60) });
  const m = Math.round(minutes);
  if (m < 60) return t('reports.unit.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? t('reports.unit.hm', { h, m: m % 60 }) : t('reports.unit.h', { n: h });
  const d = Math.floor(h / 24);
  return h % 24 ? t('reports.unit.dh', { d, h: h % 24 }) : t('reports.unit.d', { n: d });
}

// In the member's language: "1,234.5" in English, "1.234,5" in German.
const whole = { format: (n: number) => numberFormat({ maximumFractionDigits: 0 }).format(n) };
const oneDecimal = { format: (n: number) => numberFormat({ maximumFractionDigits: 1 }).format(n) };
const twoDecimals = { format: (n: number) => numberFormat({ maximumFractionDigits: 2 }).format(n) };

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : whole.format(n);
}

/** A ratio as a percentage: 0.946 → 94.6%. */
export function formatRatio(r: number | null | undefined): string {
  return r === null || r === undefined ? '—' : `${oneDecimal.format(r * 100)}%`;
}

export type FigureKey = 'created' | 'solved' | 'backlog' | 'firstResponseMedian' | 'firstResponseP90' | 'resolutionMedian' | 'resolutionP90' | 'sla' | 'csat' | 'rounds';

type Kind = 'count' | 'minutes' | 'ratio' | 'average';

/**
 * Each headline figure: where it is in the totals, how it reads, and which way is better.
 * Fewer rounds of "we need more information" is better; more created is neither.
 */
const FIGURES: { key: FigureKey; kind: Kind; better: 'up' | 'down' | null; value: (t: ReportTotals) => number | null }[] = [
  { key: 'created', kind: 'count', better: null, value: (x) => x.created },
  { key: 'solved', kind: 'count', better: 'up', value: (x) => x.solved },
  { key: 'backlog', kind: 'count', better: 'down', value: (x) => x.backlog },
  { key: 'firstResponseMedian', kind: 'minutes', better: 'down', value: (x) => x.firstResponse.median },
  { key: 'firstResponseP90', kind: 'minutes', better: 'down', value: (x) => x.firstResponse.p90 },
  { key: 'resolutionMedian', kind: 'minutes', better: 'down', value: (x) => x.resolution.median },
  { key: 'resolutionP90', kind: 'minutes', better: 'down', value: (x) => x.resolution.p90 },
  { key: 'sla', kind: 'ratio', better: 'up', value: (x) => x.sla.attainment },
  { key: 'csat', kind: 'ratio', better: 'up', value: (x) => x.csat.score },
  { key: 'rounds', kind: 'average', better: 'down', value: (x) => x.rounds.average },
];

function formatKind(kind: Kind, v: number | null): string {
  if (kind === 'minutes') return formatMinutes(v);
  if (kind === 'ratio') return formatRatio(v);
  if (kind === 'average') return v === null ? '—' : oneDecimal.format(v);
  return formatCount(v);
}

export interface Change {
  direction: 'up' | 'down' | 'same';
  /** Better or worse for the team; neutral where more is neither (conversations created). */
  tone: 'better' | 'worse' | 'neutral';
  /** "12%" for counts and times, "3.1 pts" for ratios. */
  amount: string;
}

export interface Figure {
  key: FigureKey;
  label: string;
  value: string;
  previous: string;
  /** Null when one of the periods has nothing to compare. */
  change: Change | null;
}

/** The change from the previous period: percent for counts and times, percentage points for ratios. */
export function changeOf(kind: Kind, now: number | null, before: number | null, better: 'up' | 'down' | null): Change | null {
  if (now === null || before === null) return null;
  let amount: string;
  let delta: number;
  if (kind === 'ratio') {
    delta = Math.round((now - before) * 1000) / 10;
    amount = t('reports.change.points', { n: oneDecimal.format(Math.abs(delta)) });
  } else {
    if (before === 0) return now === 0 ? { direction: 'same', tone: 'neutral', amount: '0%' } : null;
    delta = Math.round(((now - before) / before) * 100);
    amount = `${whole.format(Math.abs(delta))}%`;
  }
  if (delta === 0) return { direction: 'same', tone: 'neutral', amount };
  const direction = delta > 0 ? 'up' : 'down';
  return { direction, tone: better === null ? 'neutral' : better === direction ? 'better' : 'worse', amount };
}

/** The headline figures of an overview, each with its change against the previous period. */
export function headlineFigures(o: Overview): Figure[] {
  return FIGURES.map((f) => {
    const now = f.value(o.totals);
    const before = f.value(o.previousTotals);
    return { key: f.key, label: t(`reports.figure.${f.key}`), value: formatKind(f.kind, now), previous: formatKind(f.kind, before), change: changeOf(f.kind, now, before, f.better) };
  });
}

/** Nothing happened in the period: no conversation created, solved, waiting or rated. */
export function isEmptyOverview(o: Overview): boolean {
  const x = o.totals;
  return x.created === 0 && x.solved === 0 && x.backlog === 0 && x.csat.good + x.csat.okay + x.csat.bad === 0;
}

const dayLabel = { format: (d: Date) => dateFormat({ month: 'short', day: 'numeric' }).format(d) };

/**
 * A bucket's label on the axis: "Nov 1" for a day, "14:00" or "2:00 PM" for an hour (with its day when the
 * period has two). The bucket is read as written, in the workspace's time zone, never shifted.
 */
export function bucketLabel(bucket: string, withDay = false): string {
  const day = dayLabel.format(dayOf(bucket.slice(0, 10)));
  const hour = /[T ](\d{2}):/.exec(bucket)?.[1];
  if (!hour) return day;
  return withDay ? `${day} ${hourOfDay(Number(hour))}` : hourOfDay(Number(hour));
}

export interface VolumePoint extends SeriesPoint {
  label: string;
}

/** The overview's series for the volume chart, each bucket labelled for its axis. */
export function volumeSeries(o: Overview): VolumePoint[] {
  const days = new Set(o.series.map((p) => p.bucket.slice(0, 10)));
  return o.series.map((p) => ({ ...p, label: bucketLabel(p.bucket, days.size > 1) }));
}

export interface CsatBar {
  name: string;
  good: number;
  okay: number;
  bad: number;
  total: number;
}

/** The period's ratings beside the previous period's, for a stacked bar each. */
export function csatBars(o: Overview): CsatBar[] {
  const bar = (name: string, c: ReportTotals['csat']) => ({ name, good: c.good, okay: c.okay, bad: c.bad, total: c.good + c.okay + c.bad });
  return [bar(t('reports.period.this'), o.totals.csat), bar(t('reports.period.previous'), o.previousTotals.csat)];
}

export type BreakdownColumn = Exclude<keyof BreakdownRow, 'key'>;
export const BREAKDOWN_COLUMNS: BreakdownColumn[] = ['label', 'created', 'solved', 'firstResponseMedian', 'resolutionMedian', 'slaAttainment', 'csatScore', 'csatCount', 'roundsAverage'];

/** How a breakdown cell reads. */
export function formatCell(column: BreakdownColumn, row: BreakdownRow): string {
  const v = row[column];
  if (column === 'label') return String(v);
  if (column === 'firstResponseMedian' || column === 'resolutionMedian') return formatMinutes(v as number | null);
  if (column === 'slaAttainment' || column === 'csatScore') return formatRatio(v as number | null);
  if (column === 'roundsAverage') return v === null ? '—' : twoDecimals.format(v as number);
  return formatCount(v as number);
}

/** Rows sorted by a column; empty values (null) last whichever the direction, then by label. */
export function sortRows(rows: BreakdownRow[], column: BreakdownColumn, direction: 'asc' | 'desc'): BreakdownRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    if (x === null && y === null) return a.label.localeCompare(b.label);
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === 'string' ? x.localeCompare(String(y)) : (x as number) - (y as number);
    return c !== 0 ? sign * c : a.label.localeCompare(b.label);
  });
}

/** A column's first sort: names A→Z, figures largest first. */
export function firstDirection(column: BreakdownColumn): 'asc' | 'desc' {
  return column === 'label' ? 'asc' : 'desc';
}
