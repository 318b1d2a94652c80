import crypto from 'node:crypto';

/**
 * How Heard signs what it POSTs to a callback URL (documented in docs/api-channel.md):
 *
 *   Heard-Timestamp: <unix seconds>
 *   Heard-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * Signing the timestamp with the body stops an old request from being replayed later.
 */
export function signPayload(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { timestamp: String(timestamp), signature: `v1=${mac}` };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * Checks a signature as a receiver should: the timestamp within `toleranceSeconds`
 * of now, and the MAC compared in constant time.
 */
export function verifySignature(
  secret: string,
  body: string,
  timestamp: string | undefined,
  signature: string | undefined,
  toleranceSeconds = 300,
  now = Date.now(),
): VerifyResult {
  if (!timestamp || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing or malformed Heard-Timestamp' };
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'timestamp outside the tolerance window' };
  const given = /^v1=([0-9a-f]{64})$/.exec(signature ?? '');
  if (!given) return { ok: false, reason: 'missing or malformed Heard-Signature' };
  const expected = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const ok = crypto.timingSafeEqual(expected, Buffer.from(given[1], 'hex'));
  return ok ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
