import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { members, users, workspaces } from '../../db/schema/index.js';
import type { Role } from '../../core/actor.js';
import { Conflict, Invalid } from '../../core/errors.js';
import { hashPassword } from '../../core/passwords.js';

export const normalizeEmail = (e: string) => e.trim().toLowerCase();

/** Finds a user by e-mail, case-insensitively. */
export async function findUserByEmail(db: Executor, email: string) {
  const [u] = await db.select().from(users).where(sql`lower(${users.email}) = ${normalizeEmail(email)}`);
  return u;
}

export async function findWorkspaceByName(db: Executor, name: string) {
  const [w] = await db.select().from(workspaces).where(sql`lower(${workspaces.name}) = ${name.trim().toLowerCase()}`).limit(1);
  return w;
}

/**
 * Creates the workspace if none has this name, the user if none has this e-mail (or
 * sets their password), and makes them a member with `role`. Used by `heard admin create`
 * and the demo loader; idempotent, so running it twice changes nothing.
 */
export async function ensureMember(
  tx: Executor,
  input: { workspaceName: string; email: string; name?: string; password?: string; role: Role },
) {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) throw new Invalid('email', 'is not an e-mail address');
  if (input.password !== undefined && input.password.length < 8) throw new Invalid('password', 'must be at least 8 characters');
  let workspace = await findWorkspaceByName(tx, input.workspaceName);
  if (!workspace) [workspace] = await tx.insert(workspaces).values({ name: input.workspaceName.trim() }).returning();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  let user = await findUserByEmail(tx, input.email);
  if (!user) {
    [user] = await tx
      .insert(users)
      .values({ email: normalizeEmail(input.email), name: input.name ?? input.email.split('@')[0], passwordHash })
      .returning();
  } else if (passwordHash) {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
  }
  let [member] = await tx.select().from(members).where(and(eq(members.workspaceId, workspace.id), eq(members.userId, user.id)));
  if (!member) {
    [member] = await tx.insert(members).values({ workspaceId: workspace.id, userId: user.id, role: input.role }).returning();
  } else if (member.role !== input.role) {
    if (member.role === 'owner') throw new Conflict(`${input.email} is already the owner of ${workspace.name}`);
    [member] = await tx.update(members).set({ role: input.role, active: true }).where(eq(members.id, member.id)).returning();
  }
  return { workspace, user, member };
}
