import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { contacts, portalLinks, portalSessions } from '../../db/schema/index.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { HeardError, Invalid, RateLimited } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/ids.js';
import { identifyContact, normalizeIdentity } from '../../domains/contacts/service.js';
import { type HelpCenter, helpCenterPath, helpMailInbox } from '../../domains/help-center/service.js';
import { emailSettings } from '../email/settings.js';
import { mailerFor } from '../email/send.js';
import { catalog } from '../../helpcenter/i18n/index.js';

/** Sign-in links one address may ask for in 15 minutes: enough for a lost mail, too few to flood someone's inbox. */
export const LINKS_PER_QUARTER_HOUR = 3;

export type PortalSession = typeof portalSessions.$inferSelect;

/** Where a link may send the customer after signing in: a path inside this help center, nothing else. */
export function safeReturnTo(hc: HelpCenter, returnTo: string | undefined): string {
  const base = helpCenterPath(hc);
  if (!returnTo || !returnTo.startsWith(`${base}/`) || returnTo.includes('//') || /[\\\r\n]/.test(returnTo)) return `${base}/portal`;
  return returnTo;
}

/**
 * Sends a one-time sign-in link to an address. Any address may ask (a new customer signs
 * in to ask in the community); the link goes only to that address, and who the address
 * belongs to is settled when the link is used. The mail leaves before this returns, so
 * the page can say truthfully that it was sent.
 */
export async function requestSignInLink(ctx: Ctx, hc: HelpCenter, input: { email: string; returnTo?: string }) {
  const email = normalizeIdentity('email', input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Invalid('email', 'is not an e-mail address');
  const mailInbox = await helpMailInbox(ctx.db, ctx.config, hc.workspaceId);
  if (!mailInbox) throw new HeardError(503, 'Service Unavailable', 'sign-in by e-mail is not set up for this help center yet');

  const since = new Date(Date.now() - 15 * 60_000);
  const [{ n }] = await ctx.db.select({ n: count() }).from(portalLinks).where(and(eq(portalLinks.workspaceId, hc.workspaceId), eq(portalLinks.email, email), gt(portalLinks.createdAt, since)));
  if (n >= LINKS_PER_QUARTER_HOUR) throw new RateLimited(15 * 60);

  const token = randomToken('', 32);
  const minutes = ctx.config.HEARD_PORTAL_LINK_MINUTES;
  const [link] = await ctx.db.insert(portalLinks).values({
    workspaceId: hc.workspaceId,
    email,
    tokenHash: sha256(token),
    returnTo: safeReturnTo(hc, input.returnTo),
    expiresAt: new Date(Date.now() + minutes * 60_000),
  }).returning({ id: portalLinks.id });

  const t = catalog(hc.locale);
  const url = `${ctx.config.publicUrl}${helpCenterPath(hc)}/portal/auth/${token}`;
  const settings = emailSettings(mailInbox);
  let mailer: Awaited<ReturnType<typeof mailerFor>>;
  try {
    mailer = await mailerFor(ctx, mailInbox);
    if (!mailer) throw new Error('no outgoing mail server');
    await mailer.sendMail({
      from: { name: hc.title, address: settings.address },
      to: email,
      subject: t('mail.signIn.subject', { title: hc.title }),
      text: t('mail.signIn.text', { title: hc.title, url, minutes: String(minutes) }),
      html: t('mail.signIn.html', { title: escapeHtml(hc.title), url: escapeHtml(url), minutes: String(minutes) }),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
  } catch (err) {
    // A link nobody received is no link: it neither works nor counts against the address's limit.
    await ctx.db.delete(portalLinks).where(eq(portalLinks.id, link.id));
    throw new HeardError(503, 'Service Unavailable', `the sign-in e-mail could not be sent; try again in a minute (${(err as Error).message.slice(0, 200)})`);
  } finally {
    mailer?.close();
  }
  return { email };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What a sign-in link is, without using it: the confirmation page says which address it signs in. */
export async function inspectSignInLink(db: Executor, hc: HelpCenter, token: string) {
  const [link] = await db.select().from(portalLinks).where(and(eq(portalLinks.tokenHash, sha256(token)), eq(portalLinks.workspaceId, hc.workspaceId)));
  if (!link) return { state: 'unknown' as const };
  if (link.usedAt) return { state: 'used' as const };
  if (link.expiresAt.getTime() <= Date.now()) return { state: 'expired' as const };
  return { state: 'valid' as const, email: link.email };
}

export class LinkRefused extends HeardError {
  constructor(readonly reason: 'unknown' | 'used' | 'expired') {
    super(reason === 'unknown' ? 404 : 410, reason === 'unknown' ? 'Not Found' : 'Gone', `this sign-in link is ${reason === 'unknown' ? 'not valid' : reason === 'used' ? 'used already' : 'expired'}`);
  }
}

/**
 * Uses a sign-in link: once, before it expires, in one statement, so two clicks cannot
 * both sign in. The address becomes (or finds) the contact, and a portal session opens.
 */
export async function useSignInLink(ctx: Ctx, hc: HelpCenter, token: string) {
  return inTransaction(ctx, async (tx) => {
    const [link] = await tx
      .update(portalLinks)
      .set({ usedAt: new Date() })
      .where(and(eq(portalLinks.tokenHash, sha256(token)), eq(portalLinks.workspaceId, hc.workspaceId), isNull(portalLinks.usedAt), gt(portalLinks.expiresAt, new Date())))
      .returning();
    if (!link) {
      const state = await inspectSignInLink(tx, hc, token);
      throw new LinkRefused(state.state === 'valid' ? 'used' : state.state);
    }
    const { contact } = await identifyContact(tx, hc.workspaceId, { email: link.email });
    const sessionToken = randomToken('', 32);
    const csrfToken = randomToken('', 24);
    const [session] = await tx
      .insert(portalSessions)
      .values({
        workspaceId: hc.workspaceId,
        contactId: contact.id,
        tokenHash: sha256(sessionToken),
        csrfToken,
        expiresAt: new Date(Date.now() + ctx.config.HEARD_PORTAL_SESSION_DAYS * 86_400_000),
      })
      .returning();
    return { token: sessionToken, session, contact, returnTo: safeReturnTo(hc, link.returnTo ?? undefined) };
  });
}

/** The signed-in customer behind a portal cookie, or null (unknown, expired, another help center's). */
export async function portalSessionOf(db: Executor, hc: HelpCenter, token: string | undefined) {
  if (!token) return null;
  const [row] = await db
    .select({ s: portalSessions, c: contacts })
    .from(portalSessions)
    .innerJoin(contacts, eq(contacts.id, portalSessions.contactId))
    .where(and(eq(portalSessions.tokenHash, sha256(token)), eq(portalSessions.workspaceId, hc.workspaceId), gt(portalSessions.expiresAt, new Date())));
  if (!row) return null;
  // A contact merged into another signs in as the one it became.
  const contact = row.c.mergedIntoId ? ((await db.select().from(contacts).where(eq(contacts.id, row.c.mergedIntoId)))[0] ?? row.c) : row.c;
  return { session: row.s, contact };
}

export async function endPortalSession(db: Executor, token: string) {
  await db.delete(portalSessions).where(eq(portalSessions.tokenHash, sha256(token)));
}
