import { describe, expect, it } from 'vitest';
import { type FeedbackCounts, type FeedbackReport, feedbackCsvUrl, feedbackRows, feedbackSeries, isEmptyFeedback } from './feedback-report';

const counts = (c: Partial<FeedbackCounts> = {}): FeedbackCounts => ({ compliments: 0, complaints: 0, asked: 0, consented: 0, declined: 0, withdrawn: 0, published: 0, ...c });
const report = (r: Partial<FeedbackReport> = {}): FeedbackReport => ({
  period: { from: '2026-11-01', to: '2026-11-02' },
  previous: { from: '2026-10-30', to: '2026-10-31' },
  totals: counts(),
  previousTotals: counts(),
  series: [
    { day: '2026-11-01', previousDay: '2026-10-30', ...counts(), previous: counts() },
    { day: '2026-11-02', previousDay: '2026-10-31', ...counts(), previous: counts() },
  ],
  latest: [],
  ...r,
});

describe('the praise and complaints report', () => {
  it('says which way each measure moved, and whether that is better: more praise and consent, fewer withdrawals; complaints marked are neither', () => {
    const rows = feedbackRows(report({ totals: counts({ compliments: 6, complaints: 4, withdrawn: 1, published: 2 }), previousTotals: counts({ compliments: 3, complaints: 2, withdrawn: 2 }) }));
    const by = Object.fromEntries(rows.map((r) => [r.measure, r]));
    expect(rows.map((r) => r.measure)).toEqual(['compliments', 'complaints', 'asked', 'consented', 'declined', 'withdrawn', 'published']);
    expect(by.compliments).toMatchObject({ now: '6', before: '3', change: { direction: 'up', tone: 'better', amount: '100%' } });
    expect(by.complaints.change).toMatchObject({ direction: 'up', tone: 'neutral' });
    expect(by.withdrawn.change).toMatchObject({ direction: 'down', tone: 'better', amount: '50%' });
    // Nothing before: no percentage to give.
    expect(by.published.change).toBeNull();
    expect(by.asked.change).toMatchObject({ direction: 'same' });
  });

  it('puts each day beside the same day of the period before, and knows an empty report', () => {
    const series = [
      { day: '2026-11-01', previousDay: '2026-10-30', ...counts({ compliments: 2 }), previous: counts({ complaints: 1 }) },
      { day: '2026-11-02', previousDay: '2026-10-31', ...counts(), previous: counts({ compliments: 3 }) },
    ];
    expect(feedbackSeries(report({ totals: counts({ compliments: 2 }), previousTotals: counts({ compliments: 3, complaints: 1 }), series }))).toEqual([
      { day: '2026-11-01', label: 'Nov 1', compliments: 2, complaints: 0, previousCompliments: 0, previousComplaints: 1 },
      { day: '2026-11-02', label: 'Nov 2', compliments: 0, complaints: 0, previousCompliments: 3, previousComplaints: 0 },
    ]);
    expect(isEmptyFeedback(report())).toBe(true);
    expect(isEmptyFeedback(report({ previousTotals: counts({ declined: 1 }) }))).toBe(false);
    expect(feedbackCsvUrl({ from: '2026-11-01', to: '2026-11-02' })).toBe('/api/v1/reports/feedback?from=2026-11-01&to=2026-11-02&format=csv');
  });
});
