import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { invites, members, users } from '../../db/schema/index.js';
import type { Actor, Role } from '../../core/actor.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/ids.js';
import { hashPassword, verifyPassword } from '../../core/passwords.js';
import { recordAudit } from '../audit/service.js';
import { findUserByEmail, normalizeEmail } from '../workspaces/service.js';

export const INVITE_DAYS = 7;

type InviteRow = typeof invites.$inferSelect;

export function presentInvite(i: InviteRow) {
  return { id: i.id, email: i.email, name: i.name, role: i.role, invitedByMemberId: i.invitedByMemberId, expiresAt: i.expiresAt, createdAt: i.createdAt };
}

/** Where the invited person opens the invitation in the agent app. */
const inviteUrl = (publicUrl: string, token: string) => `${publicUrl}/app/invite?token=${encodeURIComponent(token)}`;

/**
 * Invites someone by link (admins; an owner only by an owner). The link holds a random
 * token shown in this answer only; Heard keeps its hash. Valid for a week, used once.
 */
export async function createInvite(tx: Executor, actor: Actor, publicUrl: string, input: { email: string; role: Role; name?: string }) {
  if (input.role === 'owner' && actor.role !== 'owner') throw new Forbidden('Only an owner can invite an owner');
  const email = normalizeEmail(input.email);
  const user = await findUserByEmail(tx, email);
  if (user) {
    const [m] = await tx.select().from(members).where(and(eq(members.workspaceId, actor.workspaceId), eq(members.userId, user.id)));
    if (m) throw new Conflict(`${email} is already a member`);
  }
  const token = randomToken('heard_inv_', 32);
  const [i] = await tx
    .insert(invites)
    .values({
      workspaceId: actor.workspaceId,
      email,
      name: input.name ?? null,
      role: input.role,
      tokenHash: sha256(token),
      invitedByMemberId: actor.memberId,
      expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
    })
    .returning();
  await recordAudit(tx, actor, { action: 'member.invite', targetType: 'invite', targetId: i.id, data: { email, role: input.role } });
  return { ...presentInvite(i), url: inviteUrl(publicUrl, token) };
}

/** The workspace's invitations that are still open (not accepted), newest first; expired ones say so by expiresAt. */
export async function listInvites(db: Executor, actor: Actor) {
  const rows = await db
    .select()
    .from(invites)
    .where(and(eq(invites.workspaceId, actor.workspaceId), isNull(invites.acceptedAt)))
    .orderBy(desc(invites.createdAt));
  return rows.map(presentInvite);
}

/** Revokes an open invitation: its link stops working at once. */
export async function revokeInvite(tx: Executor, actor: Actor, id: string) {
  const [i] = await tx.select().from(invites).where(and(eq(invites.id, id), eq(invites.workspaceId, actor.workspaceId), isNull(invites.acceptedAt)));
  if (!i) throw new NotFound('Invite');
  await tx.delete(invites).where(eq(invites.id, i.id));
  await recordAudit(tx, actor, { action: 'member.invite_revoke', targetType: 'invite', targetId: i.id, data: { email: i.email } });
}

/**
 * Accepts an invitation: creates the user when the e-mail is new (with this name and
 * password) and the membership, and uses the invitation up. Someone who already has an
 * account must give its password, which stays as it is: an invitation never resets the
 * password of an existing account. Returns what the caller needs to sign them in.
 */
export async function acceptInvite(tx: Executor, input: { token: string; name: string; password: string }) {
  const [i] = await tx
    .select()
    .from(invites)
    .where(and(eq(invites.tokenHash, sha256(input.token)), isNull(invites.acceptedAt), gt(invites.expiresAt, new Date())))
    .for('update');
  if (!i) throw new Invalid('token', 'this invitation is unknown, used, revoked or expired');
  let user = await findUserByEmail(tx, i.email);
  if (user) {
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      throw new Invalid('password', `${i.email} already has a Heard account: enter its password`);
    }
    const [existing] = await tx.select().from(members).where(and(eq(members.workspaceId, i.workspaceId), eq(members.userId, user.id)));
    if (existing) throw new Conflict(`${i.email} is already a member`);
  } else {
    [user] = await tx.insert(users).values({ email: i.email, name: input.name, passwordHash: await hashPassword(input.password) }).returning();
  }
  const [m] = await tx.insert(members).values({ workspaceId: i.workspaceId, userId: user.id, role: i.role }).returning();
  await tx.update(invites).set({ acceptedAt: new Date() }).where(eq(invites.id, i.id));
  await recordAudit(tx, { workspaceId: i.workspaceId, memberId: m.id }, { action: 'member.invite_accept', targetType: 'member', targetId: m.id, data: { email: i.email, role: i.role, inviteId: i.id } });
  return { email: user.email, workspaceId: i.workspaceId, memberId: m.id };
}
