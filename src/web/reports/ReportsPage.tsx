import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Icon } from '../components/Icon';
import { Button, Select } from '../components/ui';
import { t } from '../i18n';
import { panelProps, Tabs, useTabsId } from '../kb/ui';
import { ApiError } from '../lib/api';
import { useInboxes, useMembers, useTeams } from '../lib/queries';
import {
  BREAKDOWN_COLUMNS,
  bucketOf,
  type BreakdownColumn,
  type BreakdownRow,
  csatBars,
  csvUrl,
  DIMENSIONS,
  type Dimension,
  type Figure,
  FILTER_KEYS,
  firstDirection,
  formatCell,
  headlineFigures,
  isEmptyOverview,
  isoDay,
  type Period,
  PERIOD_PRESETS,
  type PeriodPreset,
  periodOf,
  periodProblem,
  type Rating,
  type ReportFilters,
  type ReportQuery,
  type ReportState,
  reportQuery,
  reportStateFrom,
  searchOf,
  sortRows,
  useBreakdown,
  useOverview,
  useSatisfaction,
  volumeSeries,
} from '../lib/reports';
import { useSession } from '../lib/session';
import { dateFormat, fullTime } from '../lib/time';
import { CHANNELS, type Channel, type FeedbackKind } from '../lib/types';
import { ShareSurveyCommentDialog } from '../screens/ShareFeedbackDialog';
import { ChartCard, CsatChart, CsatTable, VolumeChart, VolumeTable } from './charts';
import { FeedbackReport } from './FeedbackReport';
import { CsvLink, problemOf } from './parts';

const day = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return dateFormat({ dateStyle: 'medium' }).format(new Date(y, m - 1, d));
};
const range = (p: Period) => t('reports.period.range', { from: day(p.from), to: day(p.to) });

/** The period picker: a preset, or from–to dates checked before they are asked for. */
function PeriodPicker({ state, onChange }: { state: ReportState; onChange: (preset: PeriodPreset, custom?: Partial<Period>) => void }) {
  const today = isoDay(new Date());
  const shown = periodOf(state.preset, today, state.custom);
  const [draft, setDraft] = useState<Partial<Period>>(shown);
  const [problem, setProblem] = useState<ReturnType<typeof periodProblem>>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = periodProblem(draft);
    setProblem(p);
    if (!p) onChange('custom', draft);
  };
  return (
    <div className="flex flex-wrap items-end gap-2">
      <label className="grid gap-1 text-xs text-ink-2">
        {t('reports.period.label')}
        <Select
          label={t('reports.period.label')}
          value={state.preset}
          onChange={(e) => {
            const preset = e.target.value as PeriodPreset;
            setProblem(null);
            if (preset === 'custom') {
              setDraft(shown);
              onChange('custom', shown);
            } else onChange(preset);
          }}
        >
          {PERIOD_PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(`reports.period.${p}`)}
            </option>
          ))}
        </Select>
      </label>
      {state.preset === 'custom' && (
        <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2">
          {(['from', 'to'] as const).map((field) => (
            <label key={field} className="grid gap-1 text-xs text-ink-2">
              {t(`reports.period.${field}`)}
              <input
                type="date"
                value={draft[field] ?? ''}
                max={today}
                aria-invalid={problem?.field === field || undefined}
                aria-describedby={problem?.field === field ? 'reports-period-problem' : undefined}
                onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.value }))}
                className={`h-8 rounded-md border bg-surface px-2 text-[13px] text-ink ${problem?.field === field ? 'border-danger' : 'border-line'}`}
              />
            </label>
          ))}
          <Button type="submit">{t('reports.period.apply')}</Button>
          {problem && (
            <p id="reports-period-problem" role="alert" className="basis-full text-xs text-danger">
              {problem.message}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

/** Channel, inbox, team and agent from the lists the app already has; a tag as typed. */
function FilterBar({ filters, onChange }: { filters: ReportFilters; onChange: (f: ReportFilters) => void }) {
  const inboxes = useInboxes().data ?? [];
  const teams = useTeams().data ?? [];
  const members = (useMembers().data ?? []).filter((m) => m.role !== 'light');
  const [tag, setTag] = useState(filters.tag ?? '');
  const set = (k: keyof ReportFilters, v: string) => onChange({ ...filters, [k]: v || undefined });
  const options: Record<'channel' | 'inboxId' | 'teamId' | 'assigneeId', { value: string; label: string }[]> = {
    channel: CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) })),
    inboxId: inboxes.map((i) => ({ value: i.id, label: i.archived ? `${i.name} (${t('settings.inboxes.archived')})` : i.name })),
    teamId: teams.map((tm) => ({ value: tm.id, label: tm.name })),
    assigneeId: members.map((m) => ({ value: m.id, label: m.name })),
  };
  const active = FILTER_KEYS.some((k) => filters[k]);
  return (
    <fieldset className="flex min-w-0 flex-wrap items-end gap-2">
      <legend className="sr-only">{t('reports.filters')}</legend>
      {(['channel', 'inboxId', 'teamId', 'assigneeId'] as const).map((k) => (
        <label key={k} className="grid min-w-0 gap-1 text-xs text-ink-2">
          {t(`reports.filter.${k}`)}
          <Select label={t(`reports.filter.${k}`)} value={filters[k] ?? ''} onChange={(e) => set(k, e.target.value)} className="w-36">
            <option value="">{t('reports.filter.any')}</option>
            {options[k].map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </label>
      ))}
      <form
        className="grid gap-1 text-xs text-ink-2"
        onSubmit={(e) => {
          e.preventDefault();
          set('tag', tag.trim().replace(/^#/, ''));
        }}
      >
        <label htmlFor="reports-tag">{t('reports.filter.tag')}</label>
        <input
          id="reports-tag"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          onBlur={() => tag.trim().replace(/^#/, '') !== (filters.tag ?? '') && set('tag', tag.trim().replace(/^#/, ''))}
          placeholder={t('filter.tagPlaceholder')}
          className="h-8 w-32 rounded-md border border-line bg-surface px-2 text-[13px] text-ink"
        />
      </form>
      {active && (
        <Button
          variant="ghost"
          onClick={() => {
            setTag('');
            onChange({});
          }}
        >
          {t('reports.filter.clear')}
        </Button>
      )}
    </fieldset>
  );
}

const toneClass = { better: 'text-ok', worse: 'text-danger', neutral: 'text-ink-3' } as const;

function FigureCard({ figure }: { figure: Figure }) {
  const c = figure.change;
  const spoken = c ? [t(`reports.change.${c.direction}`, { amount: c.amount }), c.tone !== 'neutral' ? t(`reports.change.${c.tone}`) : ''].filter(Boolean).join(', ') : t('reports.figure.noCompare');
  return (
    <div className="min-w-0 rounded-lg border border-line bg-surface px-2 py-2 sm:px-3 sm:py-2.5" data-testid={`figure-${figure.key}`}>
      <dt className="text-[11px] leading-tight text-ink-2 sm:text-xs">{figure.label}</dt>
      <dd className="mt-1 text-base font-semibold whitespace-nowrap text-ink tabular-nums sm:text-xl">{figure.value}</dd>
      <dd className="mt-0.5 flex flex-wrap items-baseline gap-x-2 text-[11px] tabular-nums sm:text-xs">
        {c ? (
          <span className={`font-medium ${toneClass[c.tone]}`} data-tone={c.tone}>
            <span aria-hidden="true">{c.direction === 'up' ? '▲' : c.direction === 'down' ? '▼' : '='} </span>
            <span aria-hidden="true">{c.direction === 'same' ? t('reports.change.same') : c.amount}</span>
            <span className="sr-only">{spoken}</span>
          </span>
        ) : (
          <span className="text-ink-3">{t('reports.figure.noCompare')}</span>
        )}
        <span className="text-ink-3">{t('reports.figure.previous', { value: figure.previous })}</span>
      </dd>
    </div>
  );
}

function BreakdownTable({ q, dimension, onDimension }: { q: ReportQuery; dimension: Dimension; onDimension: (d: Dimension) => void }) {
  const breakdown = useBreakdown(q, dimension);
  const [sort, setSort] = useState<{ column: BreakdownColumn; direction: 'asc' | 'desc' }>({ column: 'created', direction: 'desc' });
  const tabs = useTabsId();
  const rows = useMemo(() => sortRows(breakdown.data?.rows ?? [], sort.column, sort.direction), [breakdown.data, sort]);
  const heading = (col: BreakdownColumn) => (col === 'label' ? t(`reports.breakdown.dimension.${dimension}`) : t(`reports.breakdown.col.${col}`));
  const label = (r: BreakdownRow) => (dimension === 'channel' && (CHANNELS as string[]).includes(r.key) ? t(`channel.${r.key as Channel}`) : r.label);
  return (
    <section aria-labelledby="reports-breakdown" className="min-w-0 rounded-lg border border-line bg-surface">
      <header className="flex flex-wrap items-center justify-between gap-2 p-3 pb-3 sm:p-4 sm:pb-3">
        <h2 id="reports-breakdown" className="text-sm font-semibold text-ink">
          {t('reports.breakdown.title')}
        </h2>
        <CsvLink href={csvUrl('breakdown', q, { dimension })} label={t('reports.csv.breakdown', { dimension: t(`reports.breakdown.dimension.${dimension}`).toLowerCase() })} />
        <div className="basis-full">
          <Tabs label={t('reports.breakdown.by')} value={dimension} options={DIMENSIONS.map((d) => ({ value: d, label: t(`reports.breakdown.dimension.${d}`) }))} onChange={onDimension} idBase={tabs} />
        </div>
      </header>
      <div {...panelProps(tabs, dimension)} className="overflow-x-auto border-t border-line">
        {breakdown.isPending ? (
          <p role="status" className="p-4 text-sm text-ink-3">
            {t('reports.loading')}
          </p>
        ) : breakdown.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {problemOf(breakdown.error)}
          </p>
        ) : rows.length === 0 ? (
          <p className="p-4 text-sm text-ink-3">{t('reports.breakdown.empty')}</p>
        ) : (
          <table className="w-full min-w-[720px] text-[13px]">
            <thead>
              <tr className="text-left text-xs text-ink-2">
                {BREAKDOWN_COLUMNS.map((col) => {
                  const sorted = sort.column === col;
                  const arrow = <Icon name={sorted && sort.direction === 'asc' ? 'up' : 'down'} size={12} className={sorted ? '' : 'opacity-0'} />;
                  return (
                    <th key={col} scope="col" aria-sort={sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} className={`px-3 py-2 font-medium whitespace-nowrap ${col === 'label' ? '' : 'text-right'}`}>
                      <button
                        type="button"
                        onClick={() => setSort(sorted ? { column: col, direction: sort.direction === 'asc' ? 'desc' : 'asc' } : { column: col, direction: firstDirection(col) })}
                        className={`inline-flex items-center gap-1 rounded hover:text-ink ${sorted ? 'text-ink' : ''}`}
                      >
                        {/* The arrow stands on the side away from the column's edge, so headings line up with their figures. */}
                        {col !== 'label' && arrow}
                        {heading(col)}
                        {col === 'label' && arrow}
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} className="border-t border-line">
                  {BREAKDOWN_COLUMNS.map((col) =>
                    col === 'label' ? (
                      <th key={col} scope="row" className="max-w-64 truncate px-3 py-2 text-left font-medium text-ink">
                        {label(r)}
                      </th>
                    ) : (
                      <td key={col} className="px-3 py-2 text-right text-ink-2 tabular-nums">
                        {formatCell(col, r)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

const face: Record<Rating, { icon: 'faceGood' | 'faceOkay' | 'faceBad'; tone: string }> = {
  good: { icon: 'faceGood', tone: 'text-ok' },
  okay: { icon: 'faceOkay', tone: 'text-warn' },
  bad: { icon: 'faceBad', tone: 'text-danger' },
};

function LatestComments({ q }: { q: ReportQuery }) {
  const me = useSession();
  const list = useSatisfaction(q);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [sharing, setSharing] = useState<{ conversationId: string; kind: FeedbackKind } | null>(null);
  const canShare = me.member.role !== 'light';
  return (
    <section aria-labelledby="reports-comments" className="flex min-w-0 flex-col rounded-lg border border-line bg-surface">
      <header className="flex flex-wrap items-center justify-between gap-2 p-3 pb-3 sm:p-4 sm:pb-3">
        <h2 id="reports-comments" className="text-sm font-semibold text-ink">
          {t('reports.comments.title')}
        </h2>
        <CsvLink href={csvUrl('satisfaction', q)} label={t('reports.csv.ratings')} />
      </header>
      {list.isPending ? (
        <p role="status" className="px-4 pb-4 text-sm text-ink-3">
          {t('reports.loading')}
        </p>
      ) : list.isError ? (
        <p role="alert" className="px-4 pb-4 text-sm text-danger">
          {problemOf(list.error)}
        </p>
      ) : items.length === 0 ? (
        <p className="px-4 pb-4 text-sm text-ink-3">{t('reports.comments.empty')}</p>
      ) : (
        <ul className="max-h-96 min-h-0 flex-1 overflow-y-auto border-t border-line">
          {items.map((it) => (
            <li key={it.conversationId} className="flex gap-3 border-b border-line px-4 py-2.5 last:border-b-0">
              <Icon name={face[it.rating].icon} size={20} className={`mt-0.5 shrink-0 ${face[it.rating].tone}`} role="img" aria-hidden={false} aria-label={t(`reports.csat.${it.rating}`)} />
              <div className="min-w-0 flex-1">
                <p className={`text-[13px] break-words ${it.comment ? 'text-ink' : 'text-ink-3 italic'}`}>{it.comment || t('reports.comments.noComment')}</p>
                <p className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-ink-3">
                  <Link to={`/inbox/open/${it.number}`} className="text-accent hover:underline" title={t('reports.comments.conversation', { number: it.number })}>
                    #{it.number} {it.subject}
                  </Link>
                  {it.assigneeName && <span>{t('reports.comments.by', { name: it.assigneeName })}</span>}
                  <time dateTime={it.ratedAt}>{fullTime(it.ratedAt)}</time>
                  {canShare && it.comment && (
                    <span className="ml-auto flex items-center gap-0.5">
                      {(['compliment', 'complaint'] as const).map((kind) => (
                        <button
                          key={kind}
                          type="button"
                          onClick={() => setSharing({ conversationId: it.conversationId, kind })}
                          aria-label={t(kind === 'compliment' ? 'reports.comments.shareCompliment' : 'reports.comments.shareComplaint', { number: it.number })}
                          title={t(kind === 'compliment' ? 'feedback.shareRatingAsCompliment' : 'feedback.shareRatingAsComplaint')}
                          className="-my-1 rounded p-1 text-ink-3 hover:bg-hover hover:text-ink"
                        >
                          <Icon name={kind === 'compliment' ? 'thumbUp' : 'thumbDown'} size={14} />
                        </button>
                      ))}
                    </span>
                  )}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {sharing && <ShareSurveyCommentDialog conversationId={sharing.conversationId} kind={sharing.kind} onOpenChange={(o) => !o && setSharing(null)} />}
      {list.hasNextPage && (
        <div className="border-t border-line p-2 text-center">
          <Button variant="ghost" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('reports.comments.more')}
          </Button>
        </div>
      )}
    </section>
  );
}

/** The Reports area at /app/reports: the period in figures, volume and satisfaction charts, a breakdown and the latest ratings. */
export default function ReportsPage() {
  const me = useSession();
  const [search, setSearch] = useSearchParams();
  const state = reportStateFrom(search);
  const period = periodOf(state.preset, isoDay(new Date()), state.custom);
  const valid = !periodProblem(period);
  const q = valid ? reportQuery(period, state.filters) : null;
  const overview = useOverview(me.member.role === 'light' ? null : q);
  const update = (patch: Partial<ReportState>) => setSearch(searchOf({ ...state, ...patch }), { replace: true });

  if (me.member.role === 'light') {
    return (
      <Frame>
        <p role="alert" className="rounded-lg border border-line bg-surface p-4 text-sm text-ink-2">
          {t('reports.lightOnly')}
        </p>
      </Frame>
    );
  }

  const o = overview.data;
  const filtered = FILTER_KEYS.some((k) => state.filters[k]);
  return (
    <Frame actions={q && !overview.isError && <CsvLink href={csvUrl('overview', q, { by: bucketOf(q) })} label={t('reports.csv.overview')} />}>
      <div className="mb-4 flex flex-wrap items-end gap-x-4 gap-y-3 rounded-lg border border-line bg-surface p-3">
        <PeriodPicker key={state.preset} state={state} onChange={(preset, custom) => update({ preset, custom: custom ?? {} })} />
        <FilterBar key={state.filters.tag ?? ''} filters={state.filters} onChange={(filters) => update({ filters })} />
      </div>
      {q && (
        <p className="mb-3 text-xs text-ink-2">
          <span className="font-medium text-ink">{range(o?.period ?? q)}</span>
          {o && <span> · {t('reports.period.comparedTo', { from: day(o.previous.from), to: day(o.previous.to) })}</span>}
        </p>
      )}
      {!q ? null : overview.isPending ? (
        <p role="status" className="rounded-lg border border-line bg-surface p-6 text-center text-sm text-ink-3">
          {t('reports.loading')}
        </p>
      ) : overview.isError ? (
        <div role="alert" className="flex flex-col items-center gap-3 rounded-lg border border-line bg-surface p-6 text-center">
          <p className="text-sm text-danger">{problemOf(overview.error)}</p>
          <Button onClick={() => void overview.refetch()}>{t('app.retry')}</Button>
        </div>
      ) : o && isEmptyOverview(o) ? (
        <div className="rounded-lg border border-dashed border-line bg-surface p-8 text-center">
          <Icon name="chart" size={28} className="mx-auto mb-2 text-ink-3" />
          <h2 className="font-semibold text-ink">{t('reports.empty.title')}</h2>
          <p className="mx-auto mt-1 max-w-md text-sm text-ink-2">
            {t('reports.empty.body', { from: day(o.period.from), to: day(o.period.to), filtered: filtered ? t('reports.empty.filtered') : '' })}
          </p>
        </div>
      ) : o ? (
        <div className={`flex flex-col gap-4 ${overview.isPlaceholderData ? 'opacity-60 transition-opacity' : ''}`} aria-busy={overview.isPlaceholderData}>
          <section aria-labelledby="reports-figures">
            <h2 id="reports-figures" className="sr-only">
              {t('reports.figures')}
            </h2>
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
              {headlineFigures(o).map((f) => (
                <FigureCard key={f.key} figure={f} />
              ))}
            </dl>
            <p className="mt-2 text-xs text-ink-3">{t('reports.times.note')}</p>
          </section>
          <ChartCard title={t('reports.volume.title')} description={t(bucketOf(o.period) === 'hour' ? 'reports.volume.perHour' : 'reports.volume.perDay')} table={<VolumeTable points={volumeSeries(o)} />}>
            <VolumeChart points={volumeSeries(o)} />
          </ChartCard>
          <div className="grid gap-4 lg:grid-cols-2">
            <ChartCard
              title={t('reports.csat.title')}
              description={o.totals.csat.good + o.totals.csat.okay + o.totals.csat.bad ? t('reports.csat.summary', { good: o.totals.csat.good, okay: o.totals.csat.okay, bad: o.totals.csat.bad }) : t('reports.csat.none')}
              table={<CsatTable bars={csatBars(o)} />}
            >
              <CsatChart bars={csatBars(o)} />
            </ChartCard>
            <LatestComments q={q} />
          </div>
          <BreakdownTable q={q} dimension={state.dimension} onDimension={(dimension) => update({ dimension })} />
          <FeedbackReport period={period} filtered={filtered} />
        </div>
      ) : null}
    </Frame>
  );
}

function Frame({ actions, children }: { actions?: ReactNode; children: ReactNode }) {
  return (
    <div className="min-h-0 flex-1 overflow-y-auto bg-canvas">
      <section aria-labelledby="reports-title" className="mx-auto w-full max-w-6xl px-3 py-4 sm:px-6 sm:py-6">
        <header className="mb-4 flex flex-wrap items-start justify-between gap-x-4 gap-y-3">
          <div className="min-w-0">
            <h1 id="reports-title" className="text-lg font-semibold text-ink">
              {t('reports.title')}
            </h1>
            <p className="mt-1 max-w-2xl text-sm text-ink-2">{t('reports.description')}</p>
            <Link to="/reports/staffing" className="mt-1 inline-block text-sm text-accent underline">
              {t('reports.staffingLink')}
            </Link>
          </div>
          {actions}
        </header>
        {children}
      </section>
    </div>
  );
}
