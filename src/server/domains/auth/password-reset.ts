import { and, eq, gt, isNull } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Executor } from '../../db/client.js';
import { passwordResets, sessions, users } from '../../db/schema/index.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { Invalid } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/ids.js';
import { hashPassword } from '../../core/passwords.js';
import { findUserByEmail } from '../workspaces/service.js';

/** How long a reset link works. */
export const RESET_MINUTES = 30;

/** What a mail could not do is logged, never answered: the answer must not tell whether the address has an account. */
type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

/**
 * Starts a password reset for an address. When it belongs to an account, a new random
 * token replaces any earlier one (only its hash is stored) and the link leaves by mail
 * through SMTP_URL. The caller answers the same whatever happens here, and the mail is
 * sent after the answer, so neither the answer nor its timing tells who has an account.
 */
export async function requestPasswordReset(ctx: Ctx, email: string, log: Log): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) return;
  const token = randomToken('', 32);
  const values = { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000), usedAt: null, createdAt: new Date() };
  await ctx.db.insert(passwordResets).values(values).onConflictDoUpdate({ target: passwordResets.userId, set: values });
  const url = `${ctx.config.publicUrl}/app/reset-password?token=${encodeURIComponent(token)}`;
  if (!ctx.config.SMTP_URL) {
    log.warn({ userId: user.id }, 'password reset asked for, but no SMTP_URL is set: no mail sent');
    return;
  }
  const mailer = nodemailer.createTransport({ url: ctx.config.SMTP_URL, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 });
  void mailer
    .sendMail({
      from: { name: 'Heard', address: `no-reply@${ctx.config.mailDomain}` },
      to: user.email,
      subject: 'Reset your Heard password',
      text:
        `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset the password of your Heard account.\n` +
        `Choose a new one here; the link works once, for ${RESET_MINUTES} minutes:\n\n${url}\n\n` +
        `If you did not ask, ignore this mail: your password stays as it is.\n`,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    })
    .then(
      () => log.info({ userId: user.id }, 'password reset link sent'),
      (err: Error) => log.warn({ userId: user.id, err: err.message }, 'password reset link could not be sent'),
    )
    .finally(() => mailer.close());
}

/** Why a link no longer works, for the 422 naming `token`. */
async function refusal(db: Executor, tokenHash: string): Promise<Invalid> {
  const [row] = await db.select().from(passwordResets).where(eq(passwordResets.tokenHash, tokenHash));
  if (!row) return new Invalid('token', 'is not a valid reset link (a newer one may have replaced it); ask for a new one');
  if (row.usedAt) return new Invalid('token', 'was used already (a reset link works once); ask for a new one');
  return new Invalid('token', `has expired (a reset link works for ${RESET_MINUTES} minutes); ask for a new one`);
}

/**
 * Sets a new password from a reset link: once, before it expires, in one statement, so
 * two clicks cannot both succeed. Every session of the user ends (whoever knew the old
 * password is signed out). Returns the ended sessions' token hashes, so their sockets close too.
 */
export async function confirmPasswordReset(ctx: Ctx, input: { token: string; password: string }) {
  const tokenHash = sha256(input.token);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async (tx) => {
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date())))
      .returning();
    if (!reset) throw await refusal(tx, tokenHash);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, reset.userId));
    const ended = await tx.delete(sessions).where(eq(sessions.userId, reset.userId)).returning({ tokenHash: sessions.tokenHash });
    return ended.map((s) => s.tokenHash);
  });
}
