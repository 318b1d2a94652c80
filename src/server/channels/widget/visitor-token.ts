import crypto from 'node:crypto';

/**
 * The visitor's token, kept in their browser's localStorage: `wv1.<visitor id>.<mac>`,
 * signed with the instance secret, so it needs no lookup to verify and cannot be forged
 * to reach another visitor's conversations.
 */
const mac = (secret: string, visitorId: string) => crypto.createHmac('sha256', secret).update(`widget-visitor:${visitorId}`).digest('base64url').slice(0, 32);

export function visitorToken(secret: string, visitorId: string): string {
  return `wv1.${visitorId}.${mac(secret, visitorId)}`;
}

export function verifyVisitorToken(secret: string, token: string | undefined): string | undefined {
  const m = /^wv1\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{32})$/.exec(token ?? '');
  if (!m) return undefined;
  const expected = mac(secret, m[1]);
  return crypto.timingSafeEqual(Buffer.from(m[2]), Buffer.from(expected)) ? m[1] : undefined;
}

/** Heard.identify's hash: HMAC-SHA256 of the site's user id with the inbox's identity secret, hex, compared in constant time. */
export function verifyIdentityHash(identitySecret: string, userId: string, hash: string): boolean {
  const expected = crypto.createHmac('sha256', identitySecret).update(userId).digest('hex');
  const given = hash.trim().toLowerCase();
  return given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
