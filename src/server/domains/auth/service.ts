import { and, eq, gt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { apiTokens, members, sessions, users, workspaces } from '../../db/schema/index.js';
import { type Actor, SCOPES, type Scope } from '../../core/actor.js';
import { Unauthorized } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/ids.js';
import { verifyPassword } from '../../core/passwords.js';
import { findUserByEmail } from '../workspaces/service.js';

export const SESSION_DAYS = 30;

/**
 * Checks e-mail and password and opens a session in the member's workspace (the one
 * named, or their first). The same answer for an unknown e-mail and a wrong password.
 */
export async function login(db: Executor, input: { email: string; password: string; workspaceId?: string }) {
  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok) throw new Unauthorized('E-mail or password is wrong');
  const [member] = await db
    .select()
    .from(members)
    .where(and(eq(members.userId, user.id), eq(members.active, true), input.workspaceId ? eq(members.workspaceId, input.workspaceId) : undefined))
    .orderBy(members.createdAt)
    .limit(1);
  if (!member) throw new Unauthorized('This account has no active membership');
  const token = randomToken('', 32);
  const csrfToken = randomToken('', 24);
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId: user.id,
    workspaceId: member.workspaceId,
    csrfToken,
    expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
  });
  return { token, csrfToken, memberId: member.id, workspaceId: member.workspaceId };
}

export async function logout(db: Executor, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

/** The actor behind a session cookie, or null when the session is unknown, expired or the membership was deactivated. */
export async function actorFromSession(db: Executor, token: string): Promise<(Actor & { csrfToken: string }) | null> {
  const [row] = await db
    .select({ s: sessions, m: members })
    .from(sessions)
    .innerJoin(members, and(eq(members.userId, sessions.userId), eq(members.workspaceId, sessions.workspaceId)))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, new Date())));
  if (!row || !row.m.active) return null;
  return {
    workspaceId: row.m.workspaceId,
    memberId: row.m.id,
    userId: row.m.userId,
    role: row.m.role,
    via: 'session',
    scopes: SCOPES,
    csrfToken: row.s.csrfToken,
  };
}

/**
 * The actor behind a bearer token, or null. Revoked tokens and deactivated members are
 * refused, and so is a token made for someone else once its maker is no longer an active
 * owner: it was their act, and ends with their power to make it.
 */
export async function actorFromApiToken(db: Executor, token: string): Promise<Actor | null> {
  const maker = alias(members, 'maker');
  const [row] = await db
    .select({ t: apiTokens, m: members, maker: { id: maker.id, role: maker.role, active: maker.active } })
    .from(apiTokens)
    .innerJoin(members, eq(members.id, apiTokens.memberId))
    .leftJoin(maker, eq(maker.id, apiTokens.createdByMemberId))
    .where(and(eq(apiTokens.tokenHash, sha256(token)), sql`${apiTokens.revokedAt} is null`));
  if (!row || !row.m.active || row.m.workspaceId !== row.t.workspaceId) return null;
  const madeBy = row.maker && row.maker.id !== row.m.id ? row.maker : null;
  if (madeBy && (!madeBy.active || madeBy.role !== 'owner')) return null;
  // Only touch last_used_at once a minute, so a busy integration does not write on every request.
  if (!row.t.lastUsedAt || Date.now() - row.t.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.t.id));
  }
  return {
    workspaceId: row.m.workspaceId,
    memberId: row.m.id,
    userId: row.m.userId,
    role: row.m.role,
    via: 'token',
    scopes: row.t.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    ...(madeBy ? { madeBy: madeBy.id } : {}),
  };
}

/** Who I am: user, membership and workspace, for GET /me. */
export async function whoAmI(db: Executor, actor: Actor) {
  const [row] = await db
    .select({ u: users, m: members, w: workspaces })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(eq(members.id, actor.memberId));
  return row;
}
