/**
 * Business-hours arithmetic on a calendar: a time zone, opening hours per weekday and
 * holidays. Pure functions of instants, so SLA due times, the widget's "we're away" and
 * their tests need no clock. Wall times are turned into instants with Intl in the
 * calendar's own zone, so a day that is 23 or 25 hours long (a DST change) counts right.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening, as wall times in the calendar's zone: "09:00"–"17:30"; "24:00" ends at midnight. */
export interface OpenInterval {
  from: string;
  to: string;
}

export interface Calendar {
  /** An IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
  hours: Partial<Record<Weekday, OpenInterval[]>>;
  /** Local dates (YYYY-MM-DD) the calendar is closed all day. */
  holidays?: { date: string; name?: string }[];
}

const MINUTE = 60_000;
/** How far ahead a search for open time goes before deciding the calendar is never open. */
const MAX_DAYS = 3 * 366;

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at an instant. */
function wallClock(timeZone: string, at: number) {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
  return { y: p.year, m: p.month, d: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** How far `timeZone` is ahead of UTC at an instant, in ms. */
function offsetAt(timeZone: string, at: number) {
  const w = wallClock(timeZone, at);
  return Date.UTC(w.y, w.m - 1, w.d, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall time in `timeZone` names. A wall time skipped by a DST change (02:30
 * on the night clocks go forward) gives the instant an hour on; one that happens twice
 * gives the first.
 */
export function instantOf(timeZone: string, date: LocalDate, minutes: number): number {
  const wall = Date.UTC(date.y, date.m - 1, date.d) + minutes * MINUTE;
  // The zone's offsets a day either side: the same unless the clocks change around then.
  const before = wall - offsetAt(timeZone, wall - 86_400_000);
  const after = wall - offsetAt(timeZone, wall + 86_400_000);
  const valid = [before, after].filter((t) => t + offsetAt(timeZone, t) === wall);
  return valid.length ? Math.min(...valid) : before;
}

function localDate(timeZone: string, at: number): LocalDate {
  const w = wallClock(timeZone, at);
  return { y: w.y, m: w.m, d: w.d };
}

function nextDay(date: LocalDate, by = 1): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + by));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const iso = (date: LocalDate) => `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The calendar's open intervals on a local date, as instants [start, end), in order. */
function openOn(calendar: Calendar, date: LocalDate): [number, number][] {
  if (calendar.holidays?.some((h) => h.date === iso(date))) return [];
  const weekday = WEEKDAYS[(new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay() + 6) % 7];
  return (calendar.hours[weekday] ?? [])
    .map((i): [number, number] => [instantOf(calendar.timeZone, date, minutesOf(i.from)), instantOf(calendar.timeZone, date, minutesOf(i.to))])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
}

/** Whether the calendar is open at an instant. */
export function isOpen(calendar: Calendar, at: Date): boolean {
  const t = at.getTime();
  return openOn(calendar, localDate(calendar.timeZone, t)).some(([s, e]) => s <= t && t < e);
}

/**
 * When `minutes` of open time have passed after `start`: the due time of a target whose
 * clock runs only while the calendar is open. Starting outside hours, the clock starts at
 * the next opening.
 */
export function addBusinessMinutes(calendar: Calendar, start: Date, minutes: number): Date {
  const from = start.getTime();
  let left = minutes * MINUTE;
  if (left <= 0) return new Date(from);
  let date = localDate(calendar.timeZone, from);
  for (let n = 0; n < MAX_DAYS; n++, date = nextDay(date)) {
    for (const [s, e] of openOn(calendar, date)) {
      if (e <= from) continue;
      const begin = Math.max(s, from);
      if (begin + left <= e) return new Date(begin + left);
      left -= e - begin;
    }
  }
  throw new RangeError('The calendar has no open hours');
}

/** The open time between two instants, in minutes (0 when `b` is not after `a`). */
export function businessMinutesBetween(calendar: Calendar, a: Date, b: Date): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to <= from) return 0;
  let total = 0;
  const last = iso(localDate(calendar.timeZone, to));
  for (let date = localDate(calendar.timeZone, from), n = 0; n < MAX_DAYS * 10; date = nextDay(date), n++) {
    for (const [s, e] of openOn(calendar, date)) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
    if (iso(date) >= last) break;
  }
  return total / MINUTE;
}

/** `at` when the calendar is open then, otherwise the start of its next opening: when something due outside hours comes due. */
export function nextOpenTime(calendar: Calendar, at: Date): Date {
  const t = at.getTime();
  let date = localDate(calendar.timeZone, t);
  for (let n = 0; n < MAX_DAYS; n++, date = nextDay(date)) {
    for (const [s, e] of openOn(calendar, date)) {
      if (e <= t) continue;
      return new Date(Math.max(s, t));
    }
  }
  throw new RangeError('The calendar has no open hours');
}
