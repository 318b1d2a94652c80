import { t } from '../i18n';

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

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export function fullTime(iso: string) {
  return dateTime.format(new Date(iso));
}

export function shortDate(iso: string) {
  return dateOnly.format(new Date(iso));
}

/** Today's times as a time, older ones with their date. */
export function messageTime(iso: string, now = new Date()) {
  const d = new Date(iso);
  return d.toDateString() === now.toDateString() ? timeOnly.format(d) : dateTime.format(d);
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
