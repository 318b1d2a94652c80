import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { type FeedbackPoint, type FeedbackReport as Report, feedbackCsvUrl, feedbackRows, feedbackSeries, isEmptyFeedback, useFeedbackReport } from '../lib/feedback-report';
import type { Period } from '../lib/reports';
import { fullTime } from '../lib/time';
import { useChartColours } from './charts';
import { CsvLink, problemOf } from './parts';

const toneClass = { better: 'text-ok', worse: 'text-danger', neutral: 'text-ink-3' } as const;

/** Compliments and complaints marked per day as bars, the previous period's as dashed lines. */
function FeedbackChart({ points }: { points: FeedbackPoint[] }) {
  const c = useChartColours();
  return (
    <ResponsiveContainer width="100%" height={200}>
      <ComposedChart data={points} margin={{ top: 8, right: 4, bottom: 0, left: -18 }} barGap={0}>
        <CartesianGrid vertical={false} stroke={c.line} />
        <XAxis dataKey="label" stroke={c.line} tick={{ fill: c.ink3, fontSize: 11 }} tickLine={false} minTickGap={16} />
        <YAxis stroke={c.line} tick={{ fill: c.ink3, fontSize: 11 }} tickLine={false} allowDecimals={false} axisLine={false} width={38} />
        <Tooltip contentStyle={{ background: c.raised, border: `1px solid ${c.line}`, borderRadius: 6, fontSize: 12, color: c.ink }} labelStyle={{ color: c.ink, fontWeight: 600 }} itemStyle={{ color: c.ink2 }} cursor={{ fill: c.hover }} />
        <Legend iconType="circle" iconSize={8} itemSorter={null} wrapperStyle={{ fontSize: 12, color: c.ink2 }} />
        <Bar dataKey="compliments" name={t('reports.feedback.measure.compliments')} fill={c.ok} radius={[2, 2, 0, 0]} maxBarSize={14} isAnimationActive={false} />
        <Bar dataKey="complaints" name={t('reports.feedback.measure.complaints')} fill={c.danger} radius={[2, 2, 0, 0]} maxBarSize={14} isAnimationActive={false} />
        <Line dataKey="previousCompliments" name={t('reports.feedback.previousCompliments')} type="monotone" stroke={c.ok} strokeDasharray="4 3" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        <Line dataKey="previousComplaints" name={t('reports.feedback.previousComplaints')} type="monotone" stroke={c.danger} strokeDasharray="4 3" strokeWidth={1.5} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** Every measure per day, with the previous period's day beside it: what a screen reader reads for the chart. */
function FeedbackDays({ r }: { r: Report }) {
  const rows = feedbackRows(r);
  return (
    <table>
      <caption>{t('reports.chartData')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reports.volume.bucket')}</th>
          {rows.map((m) => (
            <th key={m.measure} scope="col">
              {m.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {r.series.map((d) => (
          <tr key={d.day}>
            <th scope="row">{t('reports.feedback.dayBeside', { day: d.day, previous: d.previousDay })}</th>
            {rows.map((m) => (
              <td key={m.measure}>{t('reports.feedback.countBeside', { now: d[m.measure], before: d.previous[m.measure] })}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Totals({ r }: { r: Report }) {
  return (
    <table className="w-full text-[13px]" data-testid="feedback-totals">
      <caption className="sr-only">{t('reports.feedback.totals')}</caption>
      <thead>
        <tr className="text-left text-xs text-ink-2">
          <th scope="col" className="py-1.5 pr-2 font-medium">
            <span className="sr-only">{t('reports.feedback.measure')}</span>
          </th>
          <th scope="col" className="px-2 py-1.5 text-right font-medium">
            {t('reports.feedback.thisPeriod')}
          </th>
          <th scope="col" className="px-2 py-1.5 text-right font-medium">
            {t('reports.feedback.before')}
          </th>
          <th scope="col" className="hidden py-1.5 pl-2 text-right font-medium sm:table-cell">
            {t('reports.feedback.change')}
          </th>
        </tr>
      </thead>
      <tbody>
        {feedbackRows(r).map((row) => (
          <tr key={row.measure} className="border-t border-line" data-measure={row.measure}>
            <th scope="row" className="py-1.5 pr-2 text-left font-medium text-ink">
              {row.label}
            </th>
            <td className="px-2 py-1.5 text-right font-semibold text-ink tabular-nums">{row.now}</td>
            <td className="px-2 py-1.5 text-right text-ink-2 tabular-nums">{row.before}</td>
            <td className="hidden py-1.5 pl-2 text-right text-xs whitespace-nowrap tabular-nums sm:table-cell">
              {row.change ? (
                <span className={toneClass[row.change.tone]}>
                  <span aria-hidden="true">{row.change.direction === 'up' ? '▲ ' : row.change.direction === 'down' ? '▼ ' : ''}</span>
                  {row.change.direction === 'same' ? t('reports.change.same') : t(`reports.change.${row.change.direction}`, { amount: row.change.amount })}
                </span>
              ) : (
                <span className="text-ink-3">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const stateTone: Record<string, string> = {
  published: 'bg-ok/15 text-ok',
  consented: 'bg-accent-soft text-accent',
  withdrawn: 'bg-danger-soft text-danger',
  declined: 'bg-hover text-ink-2',
};

function Latest({ r }: { r: Report }) {
  if (!r.latest.length) return <p className="text-sm text-ink-3">{t('reports.feedback.noLatest')}</p>;
  return (
    <ul className="max-h-96 overflow-y-auto rounded-md border border-line" aria-label={t('reports.feedback.latest')}>
      {r.latest.map((i) => (
        <li key={i.id} className="flex gap-3 border-b border-line px-3 py-2.5 last:border-b-0">
          <Icon
            name={i.kind === 'compliment' ? 'thumbUp' : 'thumbDown'}
            size={16}
            className={`mt-0.5 shrink-0 ${i.kind === 'compliment' ? 'text-ok' : 'text-danger'}`}
            role="img"
            aria-hidden={false}
            aria-label={t(i.kind === 'compliment' ? 'feedback.compliment' : 'feedback.complaint')}
          />
          <div className="min-w-0 flex-1">
            <p className="line-clamp-3 text-[13px] break-words text-ink">“{i.quote}”</p>
            <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-ink-3">
              <span className={`rounded px-1.5 py-px font-medium ${stateTone[i.state] ?? 'bg-hover text-ink-2'}`}>{t(`settings.feedback.state.${i.state}`)}</span>
              <span>{i.displayName ?? t('settings.feedback.anonymous')}</span>
              {i.source === 'survey' && <span>{t('reports.feedback.fromSurvey')}</span>}
              {i.number !== null && (
                <Link to={`/inbox/open/${i.number}`} className="min-w-0 truncate text-accent hover:underline" title={t('reports.comments.conversation', { number: i.number })}>
                  #{i.number} {i.subject}
                </Link>
              )}
              <time dateTime={i.updatedAt}>{fullTime(i.updatedAt)}</time>
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}

/**
 * Reports › Praise and complaints: what the team marked for the feedback wall, how customers
 * answered and what was published, over the period beside the previous one, and the latest items.
 */
export function FeedbackReport({ period, filtered }: { period: Period; filtered: boolean }) {
  const q = useFeedbackReport(period);
  const r = q.data;
  return (
    <section aria-labelledby="reports-feedback" className="min-w-0 rounded-lg border border-line bg-surface p-3 sm:p-4">
      <header className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 flex-1 basis-64">
          <h2 id="reports-feedback" className="text-sm font-semibold text-ink">
            {t('reports.feedback.title')}
          </h2>
          <p className="mt-0.5 text-xs text-ink-2">
            {t('reports.feedback.description')}
            {filtered && ` ${t('reports.feedback.notFiltered')}`}
          </p>
        </div>
        <CsvLink href={feedbackCsvUrl(period)} label={t('reports.csv.feedback')} />
      </header>
      {q.isPending ? (
        <p role="status" className="text-sm text-ink-3">
          {t('reports.loading')}
        </p>
      ) : q.isError ? (
        <p role="alert" className="text-sm text-danger">
          {problemOf(q.error)}
        </p>
      ) : r && isEmptyFeedback(r) ? (
        <p className="text-sm text-ink-3">
          {t('reports.feedback.empty')}{' '}
          <Link to="/settings/feedback-wall" className="text-accent underline">
            {t('reports.feedback.wallLink')}
          </Link>
        </p>
      ) : r ? (
        <div className={`grid gap-4 lg:grid-cols-2 ${q.isPlaceholderData ? 'opacity-60' : ''}`}>
          <div className="min-w-0">
            <div className="overflow-x-auto">
              <Totals r={r} />
            </div>
            <div className="mt-3" aria-hidden="true">
              <FeedbackChart points={feedbackSeries(r)} />
            </div>
            <div className="sr-only">
              <FeedbackDays r={r} />
            </div>
          </div>
          <div className="min-w-0">
            <h3 className="mb-2 text-xs font-semibold text-ink-2">{t('reports.feedback.latest')}</h3>
            <Latest r={r} />
          </div>
        </div>
      ) : null}
    </section>
  );
}
