import { formatGeneration, getLocale, hourOptions, t } from '../i18n';

/** "3m", "2h", "5d": how long ago, compact, for lists. */
export function shortAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return t('time.now');
  const m = Math.floor(s / 60);
  if (m < 60) return t('time.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 24) return t('time.h', { n: h });
  const d = Math.floor(h / 24);
  if (d < 7) return t('time.d', { n: d });
  if (d < 30) return t('time.w', { n: Math.floor(d / 7) });
  if (d < 365) return t('time.mo', { n: Math.floor(d / 30) });
  return t('time.y', { n: Math.floor(d / 365) });
}

const formats = new Map<string, Intl.DateTimeFormat>();
let formatsOf = -1;

/**
 * A date formatter in the member's language and clock (building one costs, so they are kept
 * until the member changes either). Every date and time the app shows goes through one.
 */
export function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  if (formatsOf !== formatGeneration()) {
    formats.clear();
    formatsOf = formatGeneration();
  }
  const key = JSON.stringify(options);
  let f = formats.get(key);
  if (!f) {
    const withClock = options.timeStyle || options.hour ? { ...options, ...hourOptions() } : options;
    f = new Intl.DateTimeFormat(getLocale(), withClock);
    formats.set(key, f);
  }
  return f;
}

/** A number in the member's language ("1,234.5" or "1.234,5"). */
export function numberFormat(options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  return new Intl.NumberFormat(getLocale(), options);
}

/** An hour of the day (0–24) on the member's clock: "14:00" or "2:00 PM". */
export function hourOfDay(hour: number): string {
  return dateFormat({ timeStyle: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, hour % 24)));
}

export function fullTime(iso: string) {
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function shortDate(iso: string) {
  return dateFormat({ dateStyle: 'medium' }).format(new Date(iso));
}

/** Today's times as a time, older ones with their date. */
export function messageTime(iso: string, now = new Date()) {
  const d = new Date(iso);
  return d.toDateString() === now.toDateString() ? dateFormat({ timeStyle: 'short' }).format(d) : fullTime(iso);
}

export function duration(seconds: number) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m ? `${m}:${String(s).padStart(2, '0')}` : `${s}s`;
}

/**
 * A call's duration as an agent types it: "4:30" (minutes and seconds), "1:02:03" (with hours)
 * or "5" / "2.5" (minutes). Answers seconds, or null when it is not a duration.
 */
export function parseDuration(input: string): number | null {
  const s = input.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 60);
  const parts = /^(?:(\d+):)?(\d+):([0-5]\d)$/.exec(s);
  if (!parts) return null;
  const [, h, m, sec] = parts;
  return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(sec);
}
