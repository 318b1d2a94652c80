import { de } from './de.js';
import { type Catalog, en, type MessageKey } from './en.js';

const catalogs: Record<string, Catalog> = { en, de };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The help center's strings in its locale (English for any other); a missing placeholder is left empty. */
export function catalog(locale: string): Translate {
  const c = catalogs[locale] ?? en;
  return (key, vars) => (c[key] ?? en[key]).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? ''));
}

/** The BCP 47 tag the pages declare and format dates with. */
export const htmlLang = (locale: string) => (locale in catalogs ? locale : 'en');

export type { MessageKey };

/** The keys that come in a singular and a plural form (`x_one`, `x_other`). */
export type PluralKey = { [K in MessageKey]: K extends `${infer B}_one` ? B : never }[MessageKey];

/** The singular or plural form for a count (English and German both have just the two). */
export function plural(t: Translate, base: PluralKey, count: number, vars?: Record<string, string | number>): string {
  return t(`${base}_${count === 1 ? 'one' : 'other'}` as MessageKey, { count, ...vars });
}
