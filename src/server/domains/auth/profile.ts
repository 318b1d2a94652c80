import { and, eq, ne } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { members, sessions, users } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Invalid } from '../../core/errors.js';
import { sha256 } from '../../core/ids.js';
import { hashPassword, verifyPassword } from '../../core/passwords.js';
import { recordAudit } from '../audit/service.js';

/** The languages the agent app speaks (src/web/i18n LOCALES), and "auto" for the browser's. */
export const APP_LOCALES = ['auto', 'en', 'de'] as const;
export const TIME_FORMATS = ['auto', '24h', '12h'] as const;

export interface ProfileInput {
  name?: string;
  signature?: string;
  locale?: (typeof APP_LOCALES)[number];
  timeFormat?: (typeof TIME_FORMATS)[number];
}

/**
 * Changes the caller's own name (on their user, so every workspace sees it), and their
 * signature, language and clock (in this workspace: one may work in German here, in English there).
 */
export async function updateProfile(tx: Executor, actor: Actor, input: ProfileInput) {
  if (input.name !== undefined) await tx.update(users).set({ name: input.name }).where(eq(users.id, actor.userId));
  const patch: Partial<typeof members.$inferInsert> = {};
  if (input.signature !== undefined) patch.signature = input.signature;
  if (input.locale !== undefined) patch.locale = input.locale;
  if (input.timeFormat !== undefined) patch.timeFormat = input.timeFormat;
  if (Object.keys(patch).length) await tx.update(members).set(patch).where(eq(members.id, actor.memberId));
}

/**
 * Changes the caller's password after checking the current one. Every other session of
 * the user ends (a stolen session dies with the old password); the one in use stays.
 * Returns the ended sessions' token hashes, so their sockets can be closed too.
 */
export async function changePassword(tx: Executor, actor: Actor, currentSessionToken: string | undefined, input: { currentPassword: string; newPassword: string }) {
  const [user] = await tx.select().from(users).where(eq(users.id, actor.userId));
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new Invalid('currentPassword', 'is not your current password');
  await tx.update(users).set({ passwordHash: await hashPassword(input.newPassword) }).where(eq(users.id, actor.userId));
  const keep = currentSessionToken ? sha256(currentSessionToken) : '';
  const ended = await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, actor.userId), ne(sessions.tokenHash, keep)))
    .returning({ tokenHash: sessions.tokenHash });
  await recordAudit(tx, actor, { action: 'user.password_change', targetType: 'user', targetId: actor.userId, data: { sessionsEnded: ended.length } });
  return ended.map((s) => s.tokenHash);
}
