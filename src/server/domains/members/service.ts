import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { members, teamMembers, users } from '../../db/schema/index.js';
import { type Actor, canAdminister, isAdmin, type Role } from '../../core/actor.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { hashPassword } from '../../core/passwords.js';
import { recordEvent } from '../../core/events/record-event.js';
import { recordAudit } from '../audit/service.js';
import { avatarUrl } from './avatar.js';
import { findUserByEmail, normalizeEmail } from '../workspaces/service.js';

export type MemberView = ReturnType<typeof presentMember>;

export function presentMember(m: typeof members.$inferSelect, u: typeof users.$inferSelect, teamIds: string[] = []) {
  return {
    id: m.id,
    email: u.email,
    name: u.name,
    role: m.role,
    active: m.active,
    signature: m.signature,
    availability: m.availability,
    capacity: m.capacity,
    avatarUrl: avatarUrl(m.id, u.avatarFileId),
    teamIds,
    createdAt: m.createdAt,
  };
}

async function teamIdsByMember(db: Executor, workspaceId: string) {
  const rows = await db.select().from(teamMembers).where(eq(teamMembers.workspaceId, workspaceId));
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.memberId, [...(map.get(r.memberId) ?? []), r.teamId]);
  return map;
}

export async function listMembers(db: Executor, actor: Actor) {
  const rows = await db
    .select({ m: members, u: users })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.workspaceId, actor.workspaceId))
    .orderBy(asc(users.name));
  const teams = await teamIdsByMember(db, actor.workspaceId);
  return rows.map((r) => presentMember(r.m, r.u, teams.get(r.m.id)));
}

/** These members' names in the workspace, by id (for records that name who acted). */
export async function memberNames(db: Executor, workspaceId: string, ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await db
    .select({ id: members.id, name: users.name })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.workspaceId, workspaceId), inArray(members.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function getMember(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [r] = await db
    .select({ m: members, u: users })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.id, id), eq(members.workspaceId, actor.workspaceId)));
  if (!r) throw new NotFound('Member');
  const teams = await teamIdsByMember(db, actor.workspaceId);
  return presentMember(r.m, r.u, teams.get(r.m.id));
}

/** Adds a person to the workspace. Admins only; only an owner may add another owner. */
export async function addMember(tx: Executor, actor: Actor, input: { email: string; name: string; role: Role; password?: string }) {
  if (input.role === 'owner' && actor.role !== 'owner') throw new Forbidden('Only an owner can add an owner');
  let user = await findUserByEmail(tx, input.email);
  if (!user) {
    [user] = await tx
      .insert(users)
      .values({ email: normalizeEmail(input.email), name: input.name, passwordHash: input.password ? await hashPassword(input.password) : null })
      .returning();
  }
  const [existing] = await tx.select().from(members).where(and(eq(members.workspaceId, actor.workspaceId), eq(members.userId, user.id)));
  if (existing) throw new Conflict(`${input.email} is already a member`);
  const [m] = await tx.insert(members).values({ workspaceId: actor.workspaceId, userId: user.id, role: input.role }).returning();
  await recordAudit(tx, actor, { action: 'member.add', targetType: 'member', targetId: m.id, data: { email: user.email, role: input.role } });
  return presentMember(m, user);
}

/**
 * Changes a member. Anyone may change their own name and signature; role and
 * deactivation are for admins, and the last active owner can be neither demoted nor
 * deactivated, so a workspace can never lock itself out.
 */
export async function updateMember(
  tx: Executor,
  actor: Actor,
  id: string,
  input: { name?: string; signature?: string; role?: Role; active?: boolean; availability?: 'available' | 'away'; capacity?: number | null },
) {
  const self = id === actor.memberId;
  const adminFields = input.role !== undefined || input.active !== undefined || input.capacity !== undefined;
  if (!self && !isAdmin(actor)) throw new Forbidden('You can only change your own profile');
  if (adminFields && !(canAdminister(actor))) throw new Forbidden('Only admins (with an admin-scoped token) change roles or capacities, or deactivate members');
  const [m] = await tx.select().from(members).where(and(eq(members.id, id), eq(members.workspaceId, actor.workspaceId)));
  if (!m) throw new NotFound('Member');
  if ((input.role === 'owner' || m.role === 'owner') && input.role !== undefined && input.role !== m.role && actor.role !== 'owner') {
    throw new Forbidden('Only an owner can grant or remove the owner role');
  }
  // Deactivating an owner takes their powers as surely as demoting them: owners only.
  if (m.role === 'owner' && input.active === false && actor.role !== 'owner') throw new Forbidden('Only an owner can deactivate an owner');
  const losesOwner = m.role === 'owner' && ((input.role && input.role !== 'owner') || input.active === false);
  if (losesOwner) {
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(members)
      .where(and(eq(members.workspaceId, actor.workspaceId), eq(members.role, 'owner'), eq(members.active, true), ne(members.id, id)));
    if (n === 0) throw new Invalid(input.active === false ? 'active' : 'role', 'the workspace needs at least one active owner');
  }
  const patch: Partial<typeof members.$inferInsert> = {};
  if (input.signature !== undefined) patch.signature = input.signature;
  if (input.role !== undefined) patch.role = input.role;
  if (input.active !== undefined) patch.active = input.active;
  if (input.availability !== undefined) patch.availability = input.availability;
  if (input.capacity !== undefined) patch.capacity = input.capacity;
  if (Object.keys(patch).length) await tx.update(members).set(patch).where(eq(members.id, id));
  if (input.name !== undefined) await tx.update(users).set({ name: input.name }).where(eq(users.id, m.userId));
  if (adminFields) {
    // Also ends the member's open sockets when they were deactivated (realtime processor).
    await recordEvent(tx, { workspaceId: actor.workspaceId, type: 'member.updated', actorMemberId: actor.memberId, data: { memberId: id, role: input.role, active: input.active } });
    await recordAudit(tx, actor, { action: 'member.update', targetType: 'member', targetId: id, data: { role: input.role, active: input.active } });
  }
  return getMember(tx, actor, id);
}
