import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type MessageKey, t, tn } from '../i18n';
import { api, ApiError, withQuery } from '../lib/api';
import { useInboxes, useTeams } from '../lib/queries';
import {
  busiestDay,
  dayBars,
  DEFAULT_STAFFING_INPUT,
  shortfall,
  type StaffingCell,
  type StaffingForecast,
  staffingGrid,
  type StaffingInput,
  staffingQuery,
} from '../lib/staffing';
import { cls, ErrorNote, LoadState } from '../settings/ui';
import { dateFormat, hourOfDay } from '../lib/time';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const dayName = (d: number) => t(`day.${DAYS[d - 1]}` as MessageKey);
const dayShort = (d: number) => t(`day.short.${DAYS[d - 1]}` as MessageKey);
const CHANNELS = ['email', 'widget', 'portal', 'api', 'phone'] as const;

/** The assumptions as the form edits them: percentages for the fractions, text while typed. */
type Draft = Record<'weeks' | 'handleMinutes' | 'targetMinutes' | 'serviceLevel' | 'shrinkage' | 'inboxId' | 'teamId' | 'channel', string>;

const toDraft = (i: StaffingInput): Draft => ({
  weeks: String(i.weeks),
  handleMinutes: String(i.handleMinutes),
  targetMinutes: String(i.targetMinutes),
  serviceLevel: String(Math.round(i.serviceLevel * 100)),
  shrinkage: String(Math.round(i.shrinkage * 100)),
  inboxId: i.inboxId ?? '',
  teamId: i.teamId ?? '',
  channel: i.channel ?? '',
});

const fromDraft = (d: Draft): StaffingInput => ({
  weeks: Number(d.weeks),
  handleMinutes: Number(d.handleMinutes),
  targetMinutes: Number(d.targetMinutes),
  serviceLevel: Number(d.serviceLevel) / 100,
  shrinkage: Number(d.shrinkage) / 100,
  inboxId: d.inboxId || undefined,
  teamId: d.teamId || undefined,
  channel: d.channel || undefined,
});

/** The server's field names, as the form labels them. */
const LABELS: Record<string, string> = {
  'querystring.weeks': t('staffing.weeks'),
  'querystring.handleMinutes': t('staffing.handleMinutes'),
  'querystring.targetMinutes': t('staffing.targetMinutes'),
  'querystring.serviceLevel': t('staffing.serviceLevel'),
  'querystring.shrinkage': t('staffing.shrinkage'),
  inboxId: t('staffing.inbox'),
  teamId: t('staffing.team'),
  'querystring.channel': t('staffing.channel'),
};

function NumberField({ name, value, onChange, min, max, step }: { name: 'weeks' | 'handleMinutes' | 'targetMinutes' | 'serviceLevel' | 'shrinkage'; value: string; onChange(v: string): void; min: number; max: number; step: number | 'any' }) {
  const id = `staffing-${name}`;
  return (
    <div>
      <label htmlFor={id} className={cls.label}>
        {t(`staffing.${name}` as MessageKey)}
      </label>
      <input id={id} type="number" inputMode="decimal" required min={min} max={max} step={step} value={value} onChange={(e) => onChange(e.target.value)} className={cls.input} aria-describedby={`${id}-hint`} />
      <p id={`${id}-hint`} className="mt-1 text-xs text-ink-3">
        {t(`staffing.${name}Hint` as MessageKey)}
      </p>
    </div>
  );
}

function Assumptions({ value, onApply, busy }: { value: Draft; onApply(d: Draft): void; busy: boolean }) {
  const [draft, setDraft] = useState(value);
  const inboxes = useInboxes();
  const teams = useTeams();
  const set = (k: keyof Draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  function submit(e: FormEvent) {
    e.preventDefault();
    onApply(draft);
  }
  return (
    <form onSubmit={submit} className={`${cls.card} mb-5 p-4`} aria-labelledby="staffing-assumptions">
      <h2 id="staffing-assumptions" className="mb-3 text-sm font-semibold text-ink">
        {t('staffing.assumptions')}
      </h2>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <NumberField name="handleMinutes" value={draft.handleMinutes} onChange={set('handleMinutes')} min={0.5} max={480} step={0.5} />
        <NumberField name="targetMinutes" value={draft.targetMinutes} onChange={set('targetMinutes')} min={0.1} max={10080} step="any" />
        <NumberField name="serviceLevel" value={draft.serviceLevel} onChange={set('serviceLevel')} min={50} max={99} step={1} />
        <NumberField name="shrinkage" value={draft.shrinkage} onChange={set('shrinkage')} min={0} max={90} step={1} />
        <NumberField name="weeks" value={draft.weeks} onChange={set('weeks')} min={1} max={26} step={1} />
      </div>
      <div className="mt-4 flex flex-wrap items-end gap-3">
        <label className="text-sm text-ink-2">
          <span className={cls.label}>{t('staffing.inbox')}</span>
          <select className={cls.select} value={draft.inboxId} onChange={(e) => set('inboxId')(e.target.value)}>
            <option value="">{t('staffing.all')}</option>
            {inboxes.data?.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm text-ink-2">
          <span className={cls.label}>{t('staffing.team')}</span>
          <select className={cls.select} value={draft.teamId} onChange={(e) => set('teamId')(e.target.value)}>
            <option value="">{t('staffing.all')}</option>
            {teams.data?.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm text-ink-2">
          <span className={cls.label}>{t('staffing.channel')}</span>
          <select className={cls.select} value={draft.channel} onChange={(e) => set('channel')(e.target.value)}>
            <option value="">{t('staffing.all')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={`${cls.primary} ml-auto`} disabled={busy}>
          {t('staffing.update')}
        </button>
      </div>
    </form>
  );
}

function Cell({ c, selected, onPick }: { c: StaffingCell; selected: boolean; onPick(): void }) {
  const label = t(c.short ? 'staffing.cellShort' : 'staffing.cell', {
    day: dayName(c.dayOfWeek),
    from: hourOfDay(c.hour),
    to: hourOfDay(c.hour + 1),
    needed: c.agentsNeeded,
    seen: c.agentsSeen,
    arrivals: c.arrivalsPerHour,
    gap: c.gap,
  });
  // The shade grows with the agents needed; hours needing no one stay plain.
  const shade = c.agentsNeeded > 0 ? `color-mix(in srgb, var(--accent) ${Math.round(12 + c.intensity * 43)}%, transparent)` : undefined;
  return (
    <td className="p-0.5">
      <button
        type="button"
        onClick={onPick}
        title={label}
        aria-label={label}
        aria-pressed={selected}
        style={{ background: shade }}
        className={`flex h-10 w-full min-w-9 flex-col items-center justify-center rounded text-xs leading-tight outline-offset-1 focus-visible:outline-2 focus-visible:outline-accent ${
          c.short ? 'ring-2 ring-danger ring-inset' : ''
        } ${c.current ? 'outline-2 outline-ink' : ''} ${c.agentsNeeded > 0 ? 'text-ink' : 'text-ink-3'}`}
      >
        <span className="font-semibold">{c.agentsNeeded}</span>
        <span className="text-[10px]">{c.agentsSeen}</span>
      </button>
    </td>
  );
}

function HeatMap({ grid, day, onDay }: { grid: StaffingCell[][]; day: number; onDay(d: number): void }) {
  return (
    <section className={`${cls.card} mb-5 p-4`} aria-labelledby="staffing-grid">
      <h2 id="staffing-grid" className="text-sm font-semibold text-ink">
        {t('staffing.grid')}
      </h2>
      <p className="mt-1 mb-3 text-xs text-ink-3">{t('staffing.gridHint')}</p>
      <div className="overflow-x-auto">
        <table className="w-full table-fixed border-separate border-spacing-0 text-xs" style={{ minWidth: '56rem' }}>
          <thead>
            <tr>
              <th scope="col" className="w-12 text-left font-medium text-ink-3">
                <span className="sr-only">{t('staffing.day')}</span>
              </th>
              {grid[0].map((c) => (
                <th key={c.hour} scope="col" className="pb-1 text-center font-medium text-ink-3 tabular-nums">
                  {String(c.hour).padStart(2, '0')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((row, i) => (
              <tr key={i}>
                <th scope="row" className={`pr-2 text-left font-medium ${day === i + 1 ? 'text-accent' : 'text-ink-2'}`}>
                  {dayShort(i + 1)}
                </th>
                {row.map((c) => (
                  <Cell key={c.hour} c={c} selected={day === c.dayOfWeek} onPick={() => onDay(c.dayOfWeek)} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function DayChart({ grid, day, onDay }: { grid: StaffingCell[][]; day: number; onDay(d: number): void }) {
  const data = dayBars(grid, day);
  return (
    <section className={`${cls.card} p-4`} aria-labelledby="staffing-chart">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h2 id="staffing-chart" className="text-sm font-semibold text-ink">
          {t('staffing.chart')}: {dayName(day)}
        </h2>
        <div role="group" aria-label={t('staffing.day')} className="flex flex-wrap gap-1">
          {DAYS.map((_, i) => (
            <button
              key={i}
              type="button"
              aria-pressed={day === i + 1}
              onClick={() => onDay(i + 1)}
              className={`rounded-md px-2 py-1 text-xs ${day === i + 1 ? 'bg-accent text-accent-ink' : 'border border-line text-ink-2 hover:bg-hover'}`}
            >
              {dayShort(i + 1)}
            </button>
          ))}
        </div>
      </div>
      <div className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -20 }}>
            <CartesianGrid vertical={false} stroke="var(--line)" />
            <XAxis dataKey="hour" tick={{ fill: 'var(--ink-3)', fontSize: 11 }} tickLine={false} axisLine={{ stroke: 'var(--line)' }} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} tick={{ fill: 'var(--ink-3)', fontSize: 11 }} tickLine={false} axisLine={false} />
            <Tooltip
              cursor={{ fill: 'var(--hover)' }}
              contentStyle={{ background: 'var(--raised)', border: '1px solid var(--line)', borderRadius: 6, color: 'var(--ink)', fontSize: 12 }}
              labelStyle={{ color: 'var(--ink-2)' }}
              labelFormatter={(h) => `${dayName(day)} ${hourOfDay(Number(h))}`}
            />
            <Legend wrapperStyle={{ fontSize: 12, color: 'var(--ink-2)' }} />
            <Bar dataKey="needed" name={t('staffing.needed')} fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
            <Bar dataKey="seen" name={t('staffing.seen')} fill="var(--ok)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

/**
 * Reports › Staffing: the Erlang C forecast of agents needed per hour of the week
 * (docs/staffing.md), with its assumptions editable, as a heat map beside the members
 * seen replying, and one day as a bar chart.
 */
export default function StaffingPage() {
  const [input, setInput] = useState<StaffingInput>(DEFAULT_STAFFING_INPUT);
  const [pickedDay, setPickedDay] = useState<number | undefined>();
  const query = staffingQuery(input);
  const q = useQuery({
    queryKey: ['reports', 'staffing', query],
    queryFn: () => api<StaffingForecast>(withQuery('/reports/staffing', query)),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const grid = useMemo(() => (q.data ? staffingGrid(q.data) : undefined), [q.data]);
  const day = pickedDay ?? (grid ? busiestDay(grid) : 1);
  const a = q.data?.assumptions;
  const now = q.data && grid ? { ...q.data.now, needed: grid[q.data.now.dayOfWeek - 1][q.data.now.hour].agentsNeeded } : undefined;
  const short = grid ? shortfall(grid) : undefined;
  const empty = q.data?.hours.every((h) => h.arrivalsPerHour === 0);

  return (
    <div className="min-h-0 flex-1 overflow-y-auto bg-canvas">
      <section aria-labelledby="staffing-title" className="mx-auto w-full max-w-6xl px-3 py-4 md:px-6 md:py-6">
        <header className="mb-5">
          <h1 id="staffing-title" className="text-lg font-semibold text-ink">
            {t('staffing.title')}
          </h1>
          <p className="mt-1 max-w-3xl text-sm text-ink-2">{t('staffing.description')}</p>
        </header>
        <Assumptions value={toDraft(input)} onApply={(d) => setInput(fromDraft(d))} busy={q.isFetching} />
        {q.error instanceof ApiError && q.error.status === 403 ? (
          <p role="alert" className="rounded-lg border border-line bg-surface px-5 py-6 text-sm text-ink-2">
            {t('staffing.notForLight')}
          </p>
        ) : (
          <ErrorNote error={q.error} labels={LABELS} />
        )}
        <LoadState error={null} loading={q.isPending && !q.error} />
        {a && grid && now && short && (
          <>
            <div className="mb-5 space-y-1 text-sm text-ink-2" aria-live="polite">
              <p>{t('staffing.period', { zone: a.timeZone, weeks: a.weeks, to: dateFormat({ dateStyle: 'medium', timeStyle: 'short', timeZone: a.timeZone }).format(new Date(a.to)) })}</p>
              <p>
                {now.online === null
                  ? t('staffing.nowUnknown', { day: dayName(now.dayOfWeek), hour: hourOfDay(now.hour), needed: now.needed })
                  : t('staffing.nowOnline', { day: dayName(now.dayOfWeek), hour: hourOfDay(now.hour), needed: now.needed, online: now.online })}
              </p>
              <p className={short.hours > 0 ? 'font-medium text-danger' : 'text-ok'}>
                {empty ? t('staffing.empty') : short.hours > 0 ? tn('staffing.short', short.hours, { agentHours: short.agentHours }) : t('staffing.noShort')}
              </p>
            </div>
            <HeatMap grid={grid} day={day} onDay={setPickedDay} />
            <DayChart grid={grid} day={day} onDay={setPickedDay} />
          </>
        )}
      </section>
    </div>
  );
}
