import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { members, teamMembers, teams } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';

export function presentTeam(t: typeof teams.$inferSelect, memberIds: string[]) {
  return { id: t.id, name: t.name, memberIds, assignmentMode: t.assignmentMode, assignOnlineOnly: t.assignOnlineOnly, createdAt: t.createdAt };
}

export async function listTeams(db: Executor, actor: Actor) {
  const rows = await db.select().from(teams).where(eq(teams.workspaceId, actor.workspaceId)).orderBy(asc(teams.name));
  const links = await db.select().from(teamMembers).where(eq(teamMembers.workspaceId, actor.workspaceId));
  return rows.map((t) => presentTeam(t, links.filter((l) => l.teamId === t.id).map((l) => l.memberId)));
}

export async function getTeam(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [t] = await db.select().from(teams).where(and(eq(teams.id, id), eq(teams.workspaceId, actor.workspaceId)));
  if (!t) throw new NotFound('Team');
  const links = await db.select().from(teamMembers).where(eq(teamMembers.teamId, id));
  return presentTeam(t, links.map((l) => l.memberId));
}

/** The teams a member belongs to. */
export async function teamIdsOf(db: Executor, actor: Pick<Actor, 'workspaceId' | 'memberId'>) {
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(and(eq(teamMembers.workspaceId, actor.workspaceId), eq(teamMembers.memberId, actor.memberId)));
  return rows.map((r) => r.teamId);
}

async function setTeamMembers(tx: Executor, actor: Actor, teamId: string, memberIds: string[]) {
  const unique = [...new Set(memberIds)];
  if (unique.length) {
    const found = await tx.select({ id: members.id }).from(members).where(and(eq(members.workspaceId, actor.workspaceId), inArray(members.id, unique)));
    const missing = unique.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new Invalid('memberIds', `no such member: ${missing.join(', ')}`);
  }
  await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (unique.length) await tx.insert(teamMembers).values(unique.map((memberId) => ({ workspaceId: actor.workspaceId, teamId, memberId })));
}

type TeamInput = { name: string; memberIds?: string[]; assignmentMode?: 'manual' | 'round_robin' | 'least_open'; assignOnlineOnly?: boolean };

export async function createTeam(tx: Executor, actor: Actor, input: TeamInput) {
  const [dupe] = await tx.select().from(teams).where(and(eq(teams.workspaceId, actor.workspaceId), eq(teams.name, input.name)));
  if (dupe) throw new Conflict(`A team named ${input.name} exists`);
  const [t] = await tx
    .insert(teams)
    .values({ workspaceId: actor.workspaceId, name: input.name, assignmentMode: input.assignmentMode, assignOnlineOnly: input.assignOnlineOnly })
    .returning();
  await setTeamMembers(tx, actor, t.id, input.memberIds ?? []);
  await recordAudit(tx, actor, { action: 'team.create', targetType: 'team', targetId: t.id, data: { name: t.name } });
  return getTeam(tx, actor, t.id);
}

export async function updateTeam(tx: Executor, actor: Actor, id: string, input: Partial<TeamInput>) {
  await getTeam(tx, actor, id);
  const { name, assignmentMode, assignOnlineOnly } = input;
  if (name !== undefined || assignmentMode !== undefined || assignOnlineOnly !== undefined) {
    await tx.update(teams).set({ name, assignmentMode, assignOnlineOnly }).where(eq(teams.id, id));
  }
  if (input.memberIds !== undefined) await setTeamMembers(tx, actor, id, input.memberIds);
  await recordAudit(tx, actor, { action: 'team.update', targetType: 'team', targetId: id, data: input });
  return getTeam(tx, actor, id);
}

export async function deleteTeam(tx: Executor, actor: Actor, id: string) {
  await getTeam(tx, actor, id);
  await tx.delete(teams).where(eq(teams.id, id));
  await recordAudit(tx, actor, { action: 'team.delete', targetType: 'team', targetId: id });
}
