import crypto from 'node:crypto';
import { uuidv7 } from 'uuidv7';

export const newId = (): string => uuidv7();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/** A random secret in URL-safe base64, prefixed so that a leaked one is recognisable (e.g. `heard_pat_`). */
export function randomToken(prefix = '', bytes = 32): string {
  return prefix + crypto.randomBytes(bytes).toString('base64url');
}

export const sha256 = (s: string | Buffer): string => crypto.createHash('sha256').update(s).digest('hex');

/** Constant-time comparison of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb) && a.length === b.length;
}
