import { useQuery } from '@tanstack/react-query';
import { t } from '../i18n';
import { api, withQuery } from './api';
import { bucketLabel, type Change, changeOf, formatCount, type Period } from './reports';
import type { FeedbackKind, FeedbackState } from './types';

/** What the feedback report counts per day (GET /reports/feedback), in the order it shows them. */
export const FEEDBACK_MEASURES = ['compliments', 'complaints', 'asked', 'consented', 'declined', 'withdrawn', 'published'] as const;
export type FeedbackMeasure = (typeof FEEDBACK_MEASURES)[number];
export type FeedbackCounts = Record<FeedbackMeasure, number>;

export interface FeedbackReport {
  period: Period;
  previous: Period;
  totals: FeedbackCounts;
  previousTotals: FeedbackCounts;
  /** One entry per day of the period, with the same day of the previous period beside it. */
  series: (FeedbackCounts & { day: string; previousDay: string; previous: FeedbackCounts })[];
  /** The items changed most recently in the period. */
  latest: {
    id: string;
    kind: FeedbackKind;
    state: FeedbackState;
    quote: string;
    displayName: string | null;
    source: 'message' | 'survey';
    conversationId: string;
    number: number | null;
    subject: string;
    createdAt: string;
    updatedAt: string;
  }[];
}

/** The report over a period; it counts the whole workspace (the other reports' filters do not narrow it). */
export function useFeedbackReport(p: Period | null) {
  return useQuery({
    queryKey: ['reports', 'feedback', p?.from, p?.to],
    queryFn: ({ signal }) => api<FeedbackReport>('/reports/feedback', { query: { from: p!.from, to: p!.to }, signal }),
    enabled: !!p,
    placeholderData: (previous) => previous,
    retry: false,
    staleTime: 60_000,
  });
}

export const feedbackCsvUrl = (p: Period) => withQuery('/api/v1/reports/feedback', { from: p.from, to: p.to, format: 'csv' });

/** Which way is better for each measure: more praise, more consent and more published; fewer withdrawals. Marking complaints is neither. */
const BETTER: Record<FeedbackMeasure, 'up' | 'down' | null> = { compliments: 'up', complaints: null, asked: null, consented: 'up', declined: null, withdrawn: 'down', published: 'up' };

export interface FeedbackRow {
  measure: FeedbackMeasure;
  label: string;
  now: string;
  before: string;
  change: Change | null;
}

/** The period's totals beside the previous period's, a row per measure. */
export function feedbackRows(r: FeedbackReport): FeedbackRow[] {
  return FEEDBACK_MEASURES.map((m) => ({
    measure: m,
    label: t(`reports.feedback.measure.${m}`),
    now: formatCount(r.totals[m]),
    before: formatCount(r.previousTotals[m]),
    change: changeOf('count', r.totals[m], r.previousTotals[m], BETTER[m]),
  }));
}

export interface FeedbackPoint {
  day: string;
  label: string;
  compliments: number;
  complaints: number;
  previousCompliments: number;
  previousComplaints: number;
}

/** Compliments and complaints marked per day, with the same day of the previous period, for the chart. */
export function feedbackSeries(r: FeedbackReport): FeedbackPoint[] {
  return r.series.map((d) => ({
    day: d.day,
    label: bucketLabel(d.day),
    compliments: d.compliments,
    complaints: d.complaints,
    previousCompliments: d.previous.compliments,
    previousComplaints: d.previous.complaints,
  }));
}

/** Nothing was marked, asked, answered or published in either period. */
export const isEmptyFeedback = (r: FeedbackReport) => FEEDBACK_MEASURES.every((m) => r.totals[m] === 0 && r.previousTotals[m] === 0) && r.latest.length === 0;
