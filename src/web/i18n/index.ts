import { en } from './en';

export type MessageKey = keyof typeof en;
type Vars = Record<string, string | number>;

/** Looks up a user-facing string and fills its {placeholders}; an unknown placeholder stays visible. */
export function t(key: MessageKey, vars?: Vars): string {
  const s: string = en[key];
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Picks the singular or plural form: keys `x_one` and `x_other`. */
export function tn(base: string, count: number, vars?: Vars): string {
  const key = `${base}_${count === 1 ? 'one' : 'other'}` as MessageKey;
  return t(key, { count, ...vars });
}
