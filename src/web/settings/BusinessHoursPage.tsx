import { type FormEvent, useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type MessageKey, t, tn } from '../i18n';
import { ApiError } from '../lib/api';
import { Field, fieldError, otherError } from './EmailForm';
import { type BusinessHours, type OpenInterval, send, sk, useBusinessHours, useSettingsInboxes, useSlaPolicies, useWrite, type Weekday, WEEKDAYS } from './data';
import { hoursSummary } from './service-levels';
import { cls, ErrorNote, LoadState, ItemEditorPage, ReadOnlyNote, SettingsPage, useIsAdmin } from './ui';
import type { WidgetInbox } from './WidgetInstall';

/** Ranges a day may have (the server's limit). */
const MAX_RANGES = 6;
const dayName = (d: Weekday) => t(`day.${d}` as MessageKey);

/** The zones the time-zone field suggests: every IANA zone this browser knows, and UTC. */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** What uses each calendar: SLA policies' targets and chat widgets, by name. */
function useCalendarUsers() {
  const policies = useSlaPolicies();
  const inboxes = useSettingsInboxes();
  return (id: string) => [
    ...(policies.data ?? []).filter((p) => Object.values(p.targets).some((x) => x?.businessHoursId === id)).map((p) => t('settings.hours.usedByPolicy', { name: p.name })),
    ...((inboxes.data ?? []) as WidgetInbox[]).filter((i) => i.widget?.businessHoursId === id).map((i) => t('settings.hours.usedByWidget', { name: i.name })),
  ];
}

function CalendarCard({ calendar, usedBy, admin }: { calendar: BusinessHours; usedBy: string[]; admin: boolean }) {
  const remove = useWrite(() => send('DELETE', `/business-hours/${calendar.id}`), [sk.businessHours]);
  return (
    <li className={`${cls.card} p-4`} aria-label={calendar.name}>
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-48">
          <h2 className="font-medium break-words text-ink">
            <Link to={calendar.id} className="hover:underline">
              {calendar.name}
            </Link>
          </h2>
          <p className="text-sm text-ink-2">{calendar.timeZone}</p>
          <p className="mt-1 text-sm break-words text-ink">{hoursSummary(calendar.hours)}</p>
          <p className="mt-1 text-xs break-words text-ink-3">
            {calendar.holidays.length ? tn('settings.hours.holidays', calendar.holidays.length) : t('settings.hours.noHolidays')} ·{' '}
            {usedBy.length ? t('settings.hours.usedBy', { list: usedBy.join(', ') }) : t('settings.hours.unused')}
          </p>
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          <Link to={calendar.id} className={cls.secondary} aria-label={t('settings.hours.editWho', { name: calendar.name })}>
            {admin ? t('settings.edit') : t('settings.open')}
          </Link>
          {admin && (
            <button
              type="button"
              className={cls.danger}
              disabled={remove.isPending}
              aria-label={t('settings.hours.deleteWho', { name: calendar.name })}
              onClick={() => window.confirm(t('settings.hours.confirmDelete', { name: calendar.name })) && remove.mutate(undefined)}
            >
              {t('settings.delete')}
            </button>
          )}
        </div>
      </div>
      <ErrorNote error={remove.error} />
    </li>
  );
}

/** Settings › Business hours: the workspace's calendars, what each is open and what uses it. */
export default function BusinessHoursPage() {
  const admin = useIsAdmin();
  const q = useBusinessHours();
  const usersOf = useCalendarUsers();
  return (
    <SettingsPage
      title={t('settings.hours.title')}
      description={t('settings.hours.description')}
      actions={
        admin && (
          <Link to="new" className={`${cls.primary} whitespace-nowrap`}>
            {t('settings.hours.new')}
          </Link>
        )
      }
    >
      {!admin && <ReadOnlyNote />}
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <ul className="space-y-3">
          {q.data.length === 0 && <li className={`${cls.card} p-4 text-sm text-ink-3`}>{t('settings.hours.empty')}</li>}
          {q.data.map((c) => (
            <CalendarCard key={c.id} calendar={c} usedBy={usersOf(c.id)} admin={admin} />
          ))}
        </ul>
      )}
    </SettingsPage>
  );
}

/** A calendar as the form holds it: every day (closed is no ranges), and an end of midnight as the time field shows it, 00:00. */
interface Draft {
  name: string;
  timeZone: string;
  hours: Record<Weekday, OpenInterval[]>;
  holidays: { date: string; name: string }[];
}

const NINE_TO_FIVE = [{ from: '09:00', to: '17:00' }];

function draftOf(c: BusinessHours | undefined): Draft {
  if (!c) {
    const weekdays = Object.fromEntries(WEEKDAYS.map((d) => [d, d === 'sat' || d === 'sun' ? [] : NINE_TO_FIVE])) as Draft['hours'];
    return { name: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', hours: weekdays, holidays: [] };
  }
  return {
    name: c.name,
    timeZone: c.timeZone,
    hours: Object.fromEntries(WEEKDAYS.map((d) => [d, (c.hours[d] ?? []).map((r) => ({ from: r.from, to: r.to === '24:00' ? '00:00' : r.to }))])) as Draft['hours'],
    holidays: c.holidays.map((h) => ({ date: h.date, name: h.name ?? '' })),
  };
}

/** The body the API takes: closed days left out, an end of 00:00 sent as 24:00 (midnight at the end of the day). */
function bodyOf(d: Draft) {
  return {
    name: d.name,
    timeZone: d.timeZone.trim(),
    hours: Object.fromEntries(WEEKDAYS.filter((day) => d.hours[day].length).map((day) => [day, d.hours[day].map((r) => ({ from: r.from, to: r.to === '00:00' ? '24:00' : r.to }))])),
    holidays: d.holidays.map((h) => ({ date: h.date, ...(h.name.trim() ? { name: h.name.trim() } : {}) })),
  };
}

/** The fields the editor shows the server's objections beside. */
const SHOWN = /^(name|timeZone|hours(\.(mon|tue|wed|thu|fri|sat|sun)(\.\d+\.(from|to))?)?|holidays(\.\d+\.(date|name))?)$/;

function DayRow({ day, ranges, error, onChange }: { day: Weekday; ranges: OpenInterval[]; error: unknown; onChange: (r: OpenInterval[]) => void }) {
  const id = useId();
  const name = dayName(day);
  const setRange = (i: number, patch: Partial<OpenInterval>) => onChange(ranges.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const dayError = fieldError(error, `hours.${day}`);
  const rangeErrors = ranges.map((_, i) => ({ from: fieldError(error, `hours.${day}.${i}.from`), to: fieldError(error, `hours.${day}.${i}.to`) }));
  const input = (i: number, end: 'from' | 'to') => {
    const message = rangeErrors[i][end];
    return (
      <input
        type="time"
        required
        aria-label={i === 0 ? t(`settings.hours.${end}`, { day: name }) : t(`settings.hours.${end}N`, { day: name, n: i + 1 })}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-${i}-${end}` : undefined}
        className={`${cls.inputSized} w-32 ${message ? 'border-danger' : ''}`}
        value={ranges[i][end]}
        onChange={(e) => setRange(i, { [end]: e.target.value })}
      />
    );
  };
  return (
    <li className="flex flex-wrap items-start gap-x-3 gap-y-1 border-t border-line py-2 first:border-t-0">
      <label className="flex w-full shrink-0 items-center gap-2 pt-1.5 text-sm text-ink sm:w-32">
        <input type="checkbox" checked={ranges.length > 0} aria-label={t('settings.hours.dayOpen', { day: name })} onChange={(e) => onChange(e.target.checked ? NINE_TO_FIVE : [])} />
        {name}
      </label>
      <div className="min-w-0 flex-1">
        {ranges.length ? (
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {ranges.map((_, i) => (
              <span key={i} className="flex items-center gap-1.5 whitespace-nowrap">
                {input(i, 'from')}
                <span className="text-ink-3">–</span>
                {input(i, 'to')}
                {ranges.length > 1 && (
                  <button
                    type="button"
                    className="rounded px-1.5 text-ink-3 hover:bg-hover hover:text-ink"
                    aria-label={t('settings.hours.removeRange', { day: name, n: i + 1 })}
                    title={t('settings.hours.removeRange', { day: name, n: i + 1 })}
                    onClick={() => onChange(ranges.filter((_, k) => k !== i))}
                  >
                    ×
                  </button>
                )}
              </span>
            ))}
            {ranges.length < MAX_RANGES && (
              <button
                type="button"
                className="rounded px-1.5 text-sm text-accent hover:bg-hover"
                aria-label={t('settings.hours.addRange', { day: name })}
                title={t('settings.hours.addRange', { day: name })}
                onClick={() => onChange([...ranges, { from: ranges.at(-1)!.to === '00:00' ? '18:00' : ranges.at(-1)!.to, to: '00:00' }])}
              >
                +
              </button>
            )}
          </div>
        ) : (
          <span className="block text-sm text-ink-3 sm:pt-1.5">{t('settings.hours.closed')}</span>
        )}
        {rangeErrors.map((e, i) =>
          (['from', 'to'] as const).map((end) =>
            e[end] ? (
              <p key={`${i}-${end}`} id={`${id}-${i}-${end}`} className="mt-1 text-xs text-danger">
                {`${i === 0 ? t(`settings.hours.${end}`, { day: name }) : t(`settings.hours.${end}N`, { day: name, n: i + 1 })}: ${e[end]}`}
              </p>
            ) : null,
          ),
        )}
        {dayError && <p className="mt-1 text-xs text-danger">{dayError}</p>}
      </div>
    </li>
  );
}

function HolidayRow({ n, holiday, error, onChange, onRemove }: { n: number; holiday: Draft['holidays'][number]; error: unknown; onChange: (h: Draft['holidays'][number]) => void; onRemove: () => void }) {
  const id = useId();
  const dateError = fieldError(error, `holidays.${n - 1}.date`);
  const nameError = fieldError(error, `holidays.${n - 1}.name`);
  return (
    <li className="py-1">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="date"
          required
          aria-label={t('settings.hours.holidayDate', { n })}
          aria-invalid={dateError ? true : undefined}
          aria-describedby={dateError ? `${id}-date` : undefined}
          className={`${cls.inputSized} w-40 ${dateError ? 'border-danger' : ''}`}
          value={holiday.date}
          onChange={(e) => onChange({ ...holiday, date: e.target.value })}
        />
        <input
          aria-label={t('settings.hours.holidayName', { n })}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name` : undefined}
          placeholder={t('settings.hours.holidayNamePlaceholder')}
          maxLength={100}
          className={`${cls.input} min-w-0 flex-1 basis-40`}
          value={holiday.name}
          onChange={(e) => onChange({ ...holiday, name: e.target.value })}
        />
        <button type="button" className="rounded px-1.5 text-ink-3 hover:bg-hover hover:text-ink" aria-label={t('settings.hours.removeHoliday', { n })} title={t('settings.hours.removeHoliday', { n })} onClick={onRemove}>
          ×
        </button>
      </div>
      {dateError && (
        <p id={`${id}-date`} className="mt-1 text-xs text-danger">
          {dateError}
        </p>
      )}
      {nameError && (
        <p id={`${id}-name`} className="mt-1 text-xs text-danger">
          {nameError}
        </p>
      )}
    </li>
  );
}

function CalendarForm({ calendar }: { calendar?: BusinessHours }) {
  const admin = useIsAdmin();
  const navigate = useNavigate();
  const initial = useMemo(() => draftOf(calendar), [calendar]);
  const [draft, setDraft] = useState(initial);
  const [saved, setSaved] = useState(false);
  // When the server answers with what it saved, the form starts again from that.
  const [base, setBase] = useState(initial);
  if (base !== initial) {
    setBase(initial);
    setDraft(initial);
  }
  const write = useWrite(
    (body: ReturnType<typeof bodyOf>) => (calendar ? send<BusinessHours>('PATCH', `/business-hours/${calendar.id}`, body) : send<BusinessHours>('POST', '/business-hours', body)),
    [sk.businessHours],
  );
  const remove = useWrite(() => send('DELETE', `/business-hours/${calendar!.id}`), [sk.businessHours]);
  const zones = useMemo(timeZones, []);
  const zoneList = useId();
  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const setDay = (d: Weekday, ranges: OpenInterval[]) => set({ hours: { ...draft.hours, [d]: ranges } });
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const error = write.error;
  const shownFields = error instanceof ApiError ? error.errors.map((e) => e.field.replace(/^body\./, '')).filter((f) => SHOWN.test(f)) : [];
  const hoursError = fieldError(error, 'hours');
  const holidaysError = fieldError(error, 'holidays');

  function submit(e: FormEvent) {
    e.preventDefault();
    write.mutate(bodyOf(draft), { onSuccess: () => (calendar ? setSaved(true) : navigate('/settings/business-hours')) });
  }

  return (
    <form aria-label={calendar ? calendar.name : t('settings.hours.new')} className={`${cls.card} p-4`} onSubmit={submit} noValidate>
      <fieldset disabled={!admin} className="space-y-4">
        <div className="flex flex-wrap gap-3">
          <Field label={t('settings.hours.name')} error={fieldError(error, 'name')} className="min-w-0 flex-1 basis-56">
            {(p) => <input {...p} required maxLength={100} className={cls.input} placeholder={t('settings.hours.namePlaceholder')} value={draft.name} onChange={(e) => set({ name: e.target.value })} />}
          </Field>
          <Field label={t('settings.hours.timeZone')} hint={t('settings.hours.timeZoneHint')} error={fieldError(error, 'timeZone')} className="min-w-0 flex-1 basis-56">
            {(p) => <input {...p} required list={zoneList} autoComplete="off" spellCheck={false} className={cls.input} value={draft.timeZone} onChange={(e) => set({ timeZone: e.target.value })} />}
          </Field>
          <datalist id={zoneList}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>

        <section aria-labelledby={`${zoneList}-week`}>
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id={`${zoneList}-week`} className="text-sm font-semibold text-ink">
              {t('settings.hours.week')}
            </h2>
            {admin && draft.hours.mon.length > 0 && (
              <button
                type="button"
                className="text-sm text-accent hover:underline"
                onClick={() => set({ hours: { ...draft.hours, ...Object.fromEntries((['tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, draft.hours.mon.map((r) => ({ ...r }))])) } })}
              >
                {t('settings.hours.copyMonday')}
              </button>
            )}
          </div>
          <p className="mt-0.5 text-xs text-ink-3">{t('settings.hours.weekHint')}</p>
          <ul className="mt-1">
            {WEEKDAYS.map((d) => (
              <DayRow key={d} day={d} ranges={draft.hours[d]} error={error} onChange={(r) => setDay(d, r)} />
            ))}
          </ul>
          {hoursError && <p className="mt-1 text-xs text-danger">{hoursError}</p>}
        </section>

        <section aria-labelledby={`${zoneList}-holidays`}>
          <h2 id={`${zoneList}-holidays`} className="text-sm font-semibold text-ink">
            {t('settings.hours.holidays')}
          </h2>
          <p className="mt-0.5 text-xs text-ink-3">{t('settings.hours.holidaysHint')}</p>
          {draft.holidays.length === 0 && <p className="mt-2 text-sm text-ink-3">{t('settings.hours.noHolidaysYet')}</p>}
          <ul className="mt-1">
            {draft.holidays.map((h, i) => (
              <HolidayRow
                key={i}
                n={i + 1}
                holiday={h}
                error={error}
                onChange={(next) => set({ holidays: draft.holidays.map((x, k) => (k === i ? next : x)) })}
                onRemove={() => set({ holidays: draft.holidays.filter((_, k) => k !== i) })}
              />
            ))}
          </ul>
          {holidaysError && <p className="mt-1 text-xs text-danger">{holidaysError}</p>}
          {admin && (
            <button type="button" className={`${cls.secondary} mt-2`} onClick={() => set({ holidays: [...draft.holidays, { date: '', name: '' }] })}>
              {t('settings.hours.addHoliday')}
            </button>
          )}
        </section>
      </fieldset>
      <ErrorNote error={otherError(error, shownFields)} />
      <ErrorNote error={remove.error} />
      {admin && (
        <div className="mt-4 flex flex-wrap items-center gap-2">
          <button type="submit" className={cls.primary} disabled={write.isPending || (!!calendar && !dirty)}>
            {calendar ? t('settings.save') : t('settings.hours.create')}
          </button>
          {saved && !dirty && (
            <span role="status" className="text-sm text-ok">
              {t('settings.saved')}
            </span>
          )}
          <span className="flex-1" />
          {calendar && (
            <button
              type="button"
              className={cls.danger}
              disabled={remove.isPending}
              onClick={() =>
                window.confirm(t('settings.hours.confirmDelete', { name: calendar.name })) && remove.mutate(undefined, { onSuccess: () => navigate('/settings/business-hours') })
              }
            >
              {t('settings.delete')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}

/** Settings › Business hours › one calendar (or a new one): name, zone, the week's hours, holidays. */
export function BusinessHoursEditor() {
  return (
    <ItemEditorPage
      items={useBusinessHours()}
      back={{ to: '/settings/business-hours', label: t('settings.hours.back') }}
      titles={{ list: t('settings.hours.title'), new: t('settings.hours.new'), notFound: t('settings.hours.notFound') }}
    >
      {(calendar) => <CalendarForm key={calendar?.id ?? 'new'} calendar={calendar} />}
    </ItemEditorPage>
  );
}
