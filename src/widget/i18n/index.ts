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

/** What the server refused, field by field (a 422's `errors`). */
export interface FieldProblem {
  field: string;
  reason: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9 ().-]{5,30}$/;

/** The visitor's own check before anything is sent: an e-mail address and a phone number as the server will take them. */
export function checkContact(t: Translate, fields: Partial<Record<'name' | 'email' | 'phone', string>>): string | null {
  const email = fields.email?.trim();
  if (email && (!EMAIL.test(email) || email.length > 320)) return t('invalid.email');
  const phone = fields.phone?.trim();
  if (phone && !PHONE.test(phone)) return t('invalid.phone');
  if (fields.name !== undefined && fields.name.trim().length > 200) return t('invalid.tooLong', { field: t('prechat.name') });
  return null;
}

/**
 * A refusal in words for people, in the visitor's language: what to fix in which field,
 * never the server's "email: Invalid email address". `labels` name the form's own fields.
 */
export function friendlyError(t: Translate, err: { status?: number; errors?: FieldProblem[]; message?: string } | null | undefined, labels: Record<string, string> = {}): string {
  if (!err) return t('error.unknown');
  if (err.status === 429) return t('error.tooFast');
  if (err.status === undefined || err.status === 0) return t('error.offline');
  const problem = err.errors?.[0];
  if (!problem) return t('error.unknown');
  const field = problem.field.split('.').pop() ?? problem.field;
  const tooLong = /at most|too (long|big)/i.test(problem.reason);
  if (field === 'email' || problem.field.endsWith('email')) return t('invalid.email');
  if (field === 'phone') return t('invalid.phone');
  if (field === 'name') return tooLong ? t('invalid.tooLong', { field: t('prechat.name') }) : t('invalid.name');
  if (field === 'text') return tooLong ? t('invalid.message') : t('invalid.field', { field: t('composer.label') });
  const label = labels[field] ?? labels[problem.field] ?? field;
  return tooLong ? t('invalid.tooLong', { field: label }) : t('invalid.field', { field: label });
}

export type { MessageKey };
