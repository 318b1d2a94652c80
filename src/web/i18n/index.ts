import { de } from './de';
import { en } from './en';

export type MessageKey = keyof typeof en;
type Vars = Record<string, string | number>;
type Catalog = Record<MessageKey, string>;

/**
 * The languages of the agent app. Adding one: a catalog typed `satisfies Record<MessageKey, string>`
 * (so a missing key fails typecheck) and a line here; the profile's language menu lists it by itself.
 */
export const LOCALES = {
  en: { name: 'English', catalog: en as Catalog },
  de: { name: 'Deutsch', catalog: de as Catalog },
} as const;
export type Locale = keyof typeof LOCALES;
/** A member's choice: a language, or "auto" for the browser's. */
export type LocalePreference = Locale | 'auto';
/** A member's clock: "auto" follows the language's custom (24 h in German, 12 h in American English). */
export type TimeFormat = 'auto' | '24h' | '12h';

export const isLocale = (l: string): l is Locale => Object.hasOwn(LOCALES, l);

/** The first of the browser's languages the app speaks; English when none. */
export function browserLocale(languages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]): Locale {
  for (const l of languages) {
    const base = l.toLowerCase().split(/[-_]/)[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

export function resolveLocale(pref: string | null | undefined, languages?: readonly string[]): Locale {
  return pref && isLocale(pref) ? pref : browserLocale(languages);
}

let current: Locale = 'en';
let clock: TimeFormat = 'auto';
let formatVersion = 0;

// The last language a member chose, so the sign-in page and the first paint already speak it.
const STORAGE_KEY = 'heard.locale';
try {
  current = resolveLocale(typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY));
} catch {
  current = browserLocale();
}
if (typeof document !== 'undefined') document.documentElement.lang = current;

export function getLocale(): Locale {
  return current;
}

export function getTimeFormat(): TimeFormat {
  return clock;
}

/** Bumped whenever language or clock change: date formatters cached elsewhere compare it. */
export function formatGeneration(): number {
  return formatVersion;
}

/** Switches the language and clock every later t() and date format uses; true when something changed. */
export function setLocale(locale: Locale, timeFormat: TimeFormat = clock): boolean {
  if (locale === current && timeFormat === clock) return false;
  current = locale;
  clock = timeFormat;
  formatVersion++;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage can be off (private windows); the member's setting still comes with /me.
  }
  return true;
}

/**
 * The Intl options that carry the member's clock: nothing for "auto", so the language decides.
 * An hour cycle rather than hour12: hour12 false makes English say "24:05" past midnight.
 */
export function hourOptions(): { hourCycle?: 'h12' | 'h23' } {
  return clock === 'auto' ? {} : { hourCycle: clock === '12h' ? 'h12' : 'h23' };
}

/** Looks up a user-facing string in the current language and fills its {placeholders}; an unknown placeholder stays visible. */
export function t(key: MessageKey, vars?: Vars): string {
  const s: string = LOCALES[current].catalog[key] ?? en[key];
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Picks the singular or plural form: keys `x_one` and `x_other`. */
export function tn(base: string, count: number, vars?: Vars): string {
  const key = `${base}_${count === 1 ? 'one' : 'other'}` as MessageKey;
  return t(key, { count, ...vars });
}
