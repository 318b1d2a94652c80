import { beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n';
import {
  type BreakdownRow,
  bucketOf,
  changeOf,
  csatBars,
  csvUrl,
  formatMinutes,
  headlineFigures,
  isEmptyOverview,
  type Overview,
  periodDays,
  periodOf,
  periodProblem,
  reportQuery,
  reportStateFrom,
  type ReportTotals,
  searchOf,
  formatCell,
  sortRows,
  volumeSeries,
} from './reports';

// The overview answer as the contract writes it (GET /reports/overview).
const totals: ReportTotals = {
  created: 812,
  solved: 790,
  backlog: 41,
  reopened: 17,
  firstResponse: { median: 38.5, p90: 210, count: 760 },
  resolution: { median: 300, p90: 2880, count: 790 },
  sla: { met: 700, missed: 40, attainment: 0.946 },
  csat: { good: 120, okay: 20, bad: 10, score: 0.8 },
  rounds: { average: 1.4 },
};
const previousTotals: ReportTotals = {
  created: 700,
  solved: 800,
  backlog: 50,
  reopened: 20,
  firstResponse: { median: 45, p90: 180, count: 690 },
  resolution: { median: 300, p90: 3000, count: 800 },
  sla: { met: 650, missed: 60, attainment: 0.915 },
  csat: { good: 100, okay: 30, bad: 20, score: 0.667 },
  rounds: { average: 1.2 },
};
const overview: Overview = {
  period: { from: '2026-11-01', to: '2026-11-30' },
  previous: { from: '2026-10-02', to: '2026-10-31' },
  totals,
  previousTotals,
  series: [
    { bucket: '2026-11-01', created: 30, solved: 25, backlog: 41 },
    { bucket: '2026-11-02', created: 28, solved: 31, backlog: 38 },
  ],
};

describe('the period of a report', () => {
  it('turns each preset into the days it covers, ending today', () => {
    expect(periodOf('7d', '2026-12-07')).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    expect(periodOf('30d', '2026-12-07')).toEqual({ from: '2026-11-08', to: '2026-12-07' });
    expect(periodOf('90d', '2026-03-01')).toEqual({ from: '2025-12-02', to: '2026-03-01' });
    expect(periodOf('month', '2026-12-07')).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    // Last month across a year's end, and February's 28 days.
    expect(periodOf('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(periodOf('lastMonth', '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodOf('custom', '2026-12-07', { from: '2026-11-10', to: '2026-11-11' })).toEqual({ from: '2026-11-10', to: '2026-11-11' });
  });

  it('counts both ends, and is drawn by the hour only up to two days', () => {
    expect(periodDays({ from: '2026-11-01', to: '2026-11-30' })).toBe(30);
    expect(periodDays({ from: '2026-11-01', to: '2026-11-01' })).toBe(1);
    expect(bucketOf({ from: '2026-11-10', to: '2026-11-11' })).toBe('hour');
    expect(bucketOf({ from: '2026-11-10', to: '2026-11-12' })).toBe('day');
  });

  it('refuses a custom period that cannot be asked for, naming the field', () => {
    expect(periodProblem({ from: '2026-11-01', to: '2026-11-30' })).toBeNull();
    expect(periodProblem({ from: '', to: '2026-11-30' })).toMatchObject({ field: 'from' });
    expect(periodProblem({ from: '2026-11-01', to: '30/11/2026' })).toMatchObject({ field: 'to' });
    expect(periodProblem({ from: '2026-11-30', to: '2026-11-01' })).toEqual({ field: 'to', message: 'To: the period ends before it starts.' });
    expect(periodProblem({ from: '2025-01-01', to: '2026-01-02' })).toEqual({ field: 'to', message: 'To: a report covers at most 366 days.' });
  });
});

describe('the page address', () => {
  it('keeps the period, the filters and the breakdown, leaving the defaults out', () => {
    const s = reportStateFrom(new URLSearchParams('period=custom&from=2026-11-01&to=2026-11-02&teamId=t1&tag=refund&dimension=agent&junk=1'));
    expect(s).toEqual({ preset: 'custom', custom: { from: '2026-11-01', to: '2026-11-02' }, filters: { teamId: 't1', tag: 'refund' }, dimension: 'agent' });
    expect(searchOf(s).toString()).toBe('period=custom&from=2026-11-01&to=2026-11-02&teamId=t1&tag=refund&dimension=agent');
    const defaults = reportStateFrom(new URLSearchParams('period=forever&dimension=weather'));
    expect(defaults).toEqual({ preset: '30d', custom: {}, filters: {}, dimension: 'team' });
    expect(searchOf(defaults).toString()).toBe('');
  });

  it('asks the API with the set filters only, and downloads CSV with the same query', () => {
    const q = reportQuery({ from: '2026-11-01', to: '2026-11-30' }, { channel: 'email', inboxId: '', assigneeId: 'm1' });
    expect(q).toEqual({ from: '2026-11-01', to: '2026-11-30', channel: 'email', assigneeId: 'm1' });
    expect(csvUrl('breakdown', q, { dimension: 'tag' })).toBe('/api/v1/reports/breakdown?from=2026-11-01&to=2026-11-30&channel=email&assigneeId=m1&dimension=tag&format=csv');
  });
});

describe('the headline figures', () => {
  it('read as people say them, each beside the previous period', () => {
    const figures = headlineFigures(overview);
    expect(figures.map((f) => [f.label, f.value, f.previous])).toEqual([
      ['Created', '812', '700'],
      ['Solved', '790', '800'],
      ['Backlog at the end', '41', '50'],
      ['First response, median', '39m', '45m'],
      ['First response, 90th pct.', '3h 30m', '3h'],
      ['Resolution, median', '5h', '5h'],
      ['Resolution, 90th pct.', '2d', '2d 2h'],
      ['SLA attainment', '94.6%', '91.5%'],
      ['CSAT score', '80%', '66.7%'],
      ['Rounds per solved', '1.4', '1.2'],
    ]);
  });

  it('mark each change better or worse the way a support lead means it', () => {
    const change = Object.fromEntries(headlineFigures(overview).map((f) => [f.key, f.change]));
    // More created is neither better nor worse.
    expect(change.created).toEqual({ direction: 'up', tone: 'neutral', amount: '16%' });
    expect(change.solved).toEqual({ direction: 'down', tone: 'worse', amount: '1%' });
    expect(change.backlog).toEqual({ direction: 'down', tone: 'better', amount: '18%' });
    // A faster first response is better; a slower 90th percentile worse.
    expect(change.firstResponseMedian).toEqual({ direction: 'down', tone: 'better', amount: '14%' });
    expect(change.firstResponseP90).toEqual({ direction: 'up', tone: 'worse', amount: '17%' });
    expect(change.resolutionMedian).toEqual({ direction: 'same', tone: 'neutral', amount: '0%' });
    // Ratios change by percentage points.
    expect(change.sla).toEqual({ direction: 'up', tone: 'better', amount: '3.1 pts' });
    expect(change.csat).toEqual({ direction: 'up', tone: 'better', amount: '13.3 pts' });
    expect(change.rounds).toEqual({ direction: 'up', tone: 'worse', amount: '17%' });
  });

  it('compare nothing when a period has no value, or grew from zero', () => {
    expect(changeOf('ratio', 0.9, null, 'up')).toBeNull();
    expect(changeOf('minutes', null, 30, 'down')).toBeNull();
    expect(changeOf('count', 12, 0, 'up')).toBeNull();
    expect(changeOf('count', 0, 0, 'up')).toEqual({ direction: 'same', tone: 'neutral', amount: '0%' });
    const none = headlineFigures({ ...overview, totals: { ...totals, csat: { good: 0, okay: 0, bad: 0, score: null } } }).find((f) => f.key === 'csat')!;
    expect(none).toMatchObject({ value: '—', change: null });
  });

  it('write times in seconds, minutes, hours and days', () => {
    expect(formatMinutes(0.5)).toBe('30s');
    expect(formatMinutes(59.4)).toBe('59m');
    expect(formatMinutes(90)).toBe('1h 30m');
    expect(formatMinutes(60 * 26)).toBe('1d 2h');
    expect(formatMinutes(null)).toBe('—');
  });
});

describe('the charts', () => {
  // A member on the 24-hour clock, unless a test says otherwise.
  beforeAll(() => setLocale('en', '24h'));
  it('label days by date, and hours by time (with the day when the period has two)', () => {
    expect(volumeSeries(overview).map((p) => p.label)).toEqual(['Nov 1', 'Nov 2']);
    const oneDay = { ...overview, series: [{ bucket: '2026-11-10T09:00:00', created: 3, solved: 1, backlog: 7 }, { bucket: '2026-11-10T10:00:00', created: 0, solved: 2, backlog: 5 }] };
    expect(volumeSeries(oneDay).map((p) => p.label)).toEqual(['09:00', '10:00']);
    const twoDays = { ...overview, series: [{ bucket: '2026-11-10T23:00:00+01:00', created: 1, solved: 0, backlog: 2 }, { bucket: '2026-11-11T00:00:00+01:00', created: 1, solved: 1, backlog: 2 }] };
    // The hour as the server wrote it, in the workspace's time zone, not the browser's.
    expect(volumeSeries(twoDays).map((p) => p.label)).toEqual(['Nov 10 23:00', 'Nov 11 00:00']);
    // On the member's clock.
    try {
      setLocale('en', '12h');
      expect(volumeSeries(oneDay).map((p) => p.label)).toEqual(['9:00 AM', '10:00 AM']);
      expect(volumeSeries(twoDays).map((p) => p.label)).toEqual(['Nov 10 11:00 PM', 'Nov 11 12:00 AM']);
      setLocale('de', '24h');
      expect(volumeSeries(oneDay).map((p) => p.label)).toEqual(['09:00', '10:00']);
    } finally {
      setLocale('en', '24h');
    }
  });

  it('stack the ratings of this period beside the previous one', () => {
    expect(csatBars(overview)).toEqual([
      { name: 'This period', good: 120, okay: 20, bad: 10, total: 150 },
      { name: 'Previous period', good: 100, okay: 30, bad: 20, total: 150 },
    ]);
  });

  it('show the empty state only when nothing at all happened', () => {
    expect(isEmptyOverview(overview)).toBe(false);
    const quiet: ReportTotals = { ...totals, created: 0, solved: 0, backlog: 0, csat: { good: 0, okay: 0, bad: 0, score: null } };
    expect(isEmptyOverview({ ...overview, totals: quiet })).toBe(true);
    // A backlog left from before is something to look at.
    expect(isEmptyOverview({ ...overview, totals: { ...quiet, backlog: 3 } })).toBe(false);
  });
});

describe('the breakdown table', () => {
  const row = (label: string, o: Partial<BreakdownRow>): BreakdownRow => ({
    key: label.toLowerCase(),
    label,
    created: 0,
    solved: 0,
    firstResponseMedian: null,
    resolutionMedian: null,
    slaAttainment: null,
    csatScore: null,
    csatCount: 0,
    roundsAverage: null,
    ...o,
  });
  const rows = [row('Billing', { created: 120, firstResponseMedian: 40 }), row('Shipping', { created: 300, firstResponseMedian: null }), row('Returns', { created: 120, firstResponseMedian: 12 })];

  it('sorts by any column either way, ties by name, rows without a value last', () => {
    expect(sortRows(rows, 'created', 'desc').map((r) => r.label)).toEqual(['Shipping', 'Billing', 'Returns']);
    expect(sortRows(rows, 'created', 'asc').map((r) => r.label)).toEqual(['Billing', 'Returns', 'Shipping']);
    expect(sortRows(rows, 'firstResponseMedian', 'asc').map((r) => r.label)).toEqual(['Returns', 'Billing', 'Shipping']);
    expect(sortRows(rows, 'firstResponseMedian', 'desc').map((r) => r.label)).toEqual(['Billing', 'Returns', 'Shipping']);
    expect(sortRows(rows, 'label', 'desc').map((r) => r.label)).toEqual(['Shipping', 'Returns', 'Billing']);
  });

  it('reads rounds of asking for more to two decimals, a dash when nothing was solved', () => {
    expect(formatCell('roundsAverage', row('Returns', { roundsAverage: 1.6667 }))).toBe('1.67');
    expect(formatCell('roundsAverage', row('Billing', { roundsAverage: null }))).toBe('—');
  });
});
