import { and, asc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { savedViews, type SavedViewFilters } from '../../db/schema/index.js';
import { type Actor, isAdmin } from '../../core/actor.js';
import { Forbidden, Invalid, mustRefer, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';
import { getInbox } from '../inboxes/service.js';
import { getMember } from '../members/service.js';
import { getTeam, teamIdsOf } from '../teams/service.js';
import { savedViewPolicy } from './policy.js';
import type { SavedViewCreate, SavedViewFiltersInput, SavedViewUpdate } from './schema.js';

type Row = typeof savedViews.$inferSelect;

export function presentSavedView(v: Row, editable: boolean) {
  return {
    id: v.id,
    name: v.name,
    filters: v.filters,
    personal: v.ownerMemberId !== null,
    ownerMemberId: v.ownerMemberId,
    teamId: v.teamId,
    position: v.position,
    /** Whether the caller may rename, change or delete it. */
    editable,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

/**
 * The saved views the member sees: their own, and those of the teams they belong to (an
 * admin, every team's). Personal ones first, each group in its order.
 */
export async function listSavedViews(db: Executor, actor: Actor) {
  const myTeams = await teamIdsOf(db, actor);
  const rows = await db
    .select()
    .from(savedViews)
    .where(
      and(
        eq(savedViews.workspaceId, actor.workspaceId),
        or(
          eq(savedViews.ownerMemberId, actor.memberId),
          isAdmin(actor) ? isNotNull(savedViews.teamId) : myTeams.length ? inArray(savedViews.teamId, myTeams) : undefined,
        ),
      ),
    )
    .orderBy(sql`${savedViews.teamId} nulls first`, asc(savedViews.position), asc(savedViews.createdAt));
  return rows.filter((v) => savedViewPolicy.read(actor, v, myTeams)).map((v) => presentSavedView(v, savedViewPolicy.write(actor, v, myTeams)));
}

/** A saved view the caller may see; another member's personal view is as unknown as another workspace's. */
async function getReadable(db: Executor, actor: Actor, id: string) {
  const [v] = await db.select().from(savedViews).where(and(eq(savedViews.id, id), eq(savedViews.workspaceId, actor.workspaceId)));
  const myTeams = await teamIdsOf(db, actor);
  if (!v || !savedViewPolicy.read(actor, v, myTeams)) throw new NotFound('Saved view');
  return { v, myTeams };
}

/** The filters as stored, with the team, inbox and member they name checked to be the workspace's own. */
async function checkFilters(db: Executor, actor: Actor, f: SavedViewFiltersInput): Promise<SavedViewFilters> {
  if (f.team && f.team !== 'none') await mustRefer('filters.team', 'is not a team of this workspace', () => getTeam(db, actor, f.team!));
  if (f.inbox) await mustRefer('filters.inbox', 'is not an inbox of this workspace', () => getInbox(db, actor, f.inbox!));
  if (f.assignee && f.assignee !== 'me' && f.assignee !== 'none') {
    await mustRefer('filters.assignee', 'is not a member of this workspace', () => getMember(db, actor, f.assignee!));
  }
  const out: SavedViewFilters = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The views of the same owner or team, in order. */
const sameGroup = (v: Pick<Row, 'workspaceId' | 'ownerMemberId' | 'teamId'>) =>
  and(eq(savedViews.workspaceId, v.workspaceId), v.ownerMemberId !== null ? eq(savedViews.ownerMemberId, v.ownerMemberId) : eq(savedViews.teamId, v.teamId!));

/** Puts `id` at `position` among its group (last when not given) and numbers the group 0, 1, 2 … again. */
async function reorder(tx: Executor, v: Row, position: number | undefined) {
  const rows = await tx.select({ id: savedViews.id }).from(savedViews).where(sameGroup(v)).orderBy(asc(savedViews.position), asc(savedViews.createdAt)).for('update');
  const order = rows.map((r) => r.id).filter((x) => x !== v.id);
  order.splice(Math.min(position ?? order.length, order.length), 0, v.id);
  for (const [i, id] of order.entries()) await tx.update(savedViews).set({ position: i }).where(eq(savedViews.id, id));
}

/** Saves a view: the member's own, or a team's when they belong to the team or are an admin. */
export async function createSavedView(tx: Executor, actor: Actor, input: SavedViewCreate) {
  if (input.personal && input.teamId) throw new Invalid('teamId', "a view is personal or a team's, not both: leave out teamId or personal");
  if (!input.personal && !input.teamId) throw new Invalid('personal', 'give personal: true for a view of your own, or the teamId of a team view');
  if (input.teamId) await mustRefer('teamId', 'is not a team of this workspace', () => getTeam(tx, actor, input.teamId!));
  const group = { workspaceId: actor.workspaceId, ownerMemberId: input.personal ? actor.memberId : null, teamId: input.teamId ?? null };
  if (!savedViewPolicy.write(actor, group, await teamIdsOf(tx, actor))) throw new Forbidden("Only the team's members and admins add views to a team");
  const filters = await checkFilters(tx, actor, input.filters);
  const [v] = await tx
    .insert(savedViews)
    .values({ ...group, name: input.name, filters, position: 1_000_000 })
    .returning();
  await reorder(tx, v, undefined);
  if (v.teamId) await recordAudit(tx, actor, { action: 'saved_view.create', targetType: 'saved_view', targetId: v.id, data: { name: v.name, teamId: v.teamId, filters } });
  return (await listSavedViews(tx, actor)).find((x) => x.id === v.id)!;
}

/** Renames a saved view, replaces its filters or moves it: its owner, or for a team view the team's members and admins. */
export async function updateSavedView(tx: Executor, actor: Actor, id: string, input: SavedViewUpdate) {
  const { v, myTeams } = await getReadable(tx, actor, id);
  if (!savedViewPolicy.write(actor, v, myTeams)) throw new Forbidden("Only the team's members and admins change its views");
  const patch: Partial<typeof savedViews.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.filters !== undefined) patch.filters = await checkFilters(tx, actor, input.filters);
  await tx.update(savedViews).set(patch).where(eq(savedViews.id, v.id));
  if (input.position !== undefined) await reorder(tx, v, input.position);
  if (v.teamId) await recordAudit(tx, actor, { action: 'saved_view.update', targetType: 'saved_view', targetId: v.id, data: { teamId: v.teamId, ...input } });
  const [updated] = await tx.select().from(savedViews).where(eq(savedViews.id, v.id));
  return presentSavedView(updated, true);
}

/** Deletes a saved view, under the same rule as changing it; the rest of its group closes up. */
export async function deleteSavedView(tx: Executor, actor: Actor, id: string) {
  const { v, myTeams } = await getReadable(tx, actor, id);
  if (!savedViewPolicy.write(actor, v, myTeams)) throw new Forbidden("Only the team's members and admins delete its views");
  await tx.delete(savedViews).where(eq(savedViews.id, v.id));
  const rest = await tx.select({ id: savedViews.id }).from(savedViews).where(sameGroup(v)).orderBy(asc(savedViews.position), asc(savedViews.createdAt));
  for (const [i, r] of rest.entries()) await tx.update(savedViews).set({ position: i }).where(eq(savedViews.id, r.id));
  if (v.teamId) await recordAudit(tx, actor, { action: 'saved_view.delete', targetType: 'saved_view', targetId: v.id, data: { name: v.name, teamId: v.teamId } });
}
