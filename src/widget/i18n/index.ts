import { de } from './de';
import { type Catalog, en, type MessageKey } from './en';

const catalogs: Record<string, Catalog> = { en, de };

/** The catalog for the visitor's browser languages, in their order of preference; English when none is known. */
export function chooseLocale(languages: readonly string[]): string {
  for (const l of languages) {
    const base = l.toLowerCase().split(/[-_]/)[0];
    if (base in catalogs) return base;
  }
  return 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translate function for a locale: every string the visitor sees goes through one. */
export function translator(locale: string): Translate {
  const catalog = catalogs[locale] ?? en;
  return (key, vars) => (catalog[key] ?? en[key]).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? ''));
}

/** The expected time to an answer, in words. */
export function replyTimeKey(seconds: number): { key: MessageKey; n?: number } {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes <= 1) return { key: 'status.replyMinute' };
  if (minutes < 60) return { key: 'status.replyMinutes', n: minutes < 10 ? minutes : Math.round(minutes / 5) * 5 };
  const hours = Math.round(minutes / 60);
  if (hours <= 1) return { key: 'status.replyHour' };
  if (hours < 24) return { key: 'status.replyHours', n: hours };
  return { key: 'status.replyDay' };
}

export type { MessageKey };
