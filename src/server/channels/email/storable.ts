// PostgreSQL keeps no NUL character in text or jsonb, and jsonb refuses a lone UTF-16
// surrogate (what a broken encoded word can decode to): either would make a message
// impossible to store, however often its sender retried.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with NUL and lone surrogates replaced by U+FFFD, as a decoder does with invalid UTF-8. */
export const storableText = (s: string) => s.replace(UNSTORABLE, '\uFFFD');

/** Every string in plain data (objects, arrays) made storable; bytes and other values kept as they are. */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storable(v)])) as T;
  }
  return value;
}
