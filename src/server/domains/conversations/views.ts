import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations, inboxes, teams } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { viewCondition } from './list-conversations.js';

const c = conversations;
const countWhere = (cond: ReturnType<typeof viewCondition>) => sql<number>`count(*) filter (where ${cond})`.mapWith(Number);

/**
 * The counts beside the agent app's views, for the calling member: mine, unassigned,
 * all open, mentions, snoozed, solved, and the open conversations of each team and
 * inbox. Three queries over the workspace's conversations, whatever their number.
 */
export async function countViews(db: Executor, actor: Actor) {
  const me = actor.memberId;
  const [totals] = await db
    .select({
      mine: countWhere(viewCondition('mine', me)),
      unassigned: countWhere(viewCondition('unassigned', me)),
      open: countWhere(viewCondition('open', me)),
      mentions: countWhere(viewCondition('mentions', me)),
      snoozed: countWhere(viewCondition('snoozed', me)),
      solved: countWhere(viewCondition('solved', me)),
      breaching: countWhere(viewCondition('breaching', me)),
    })
    .from(c)
    .where(eq(c.workspaceId, actor.workspaceId));
  const open = and(eq(c.workspaceId, actor.workspaceId), viewCondition('open', me));
  const byTeam = db.select({ teamId: c.teamId, n: count().as('n') }).from(c).where(open).groupBy(c.teamId).as('by_team');
  const teamRows = await db
    .select({ id: teams.id, name: teams.name, count: sql<number>`coalesce(${byTeam.n}, 0)`.mapWith(Number) })
    .from(teams)
    .leftJoin(byTeam, eq(byTeam.teamId, teams.id))
    .where(eq(teams.workspaceId, actor.workspaceId))
    .orderBy(asc(teams.name));
  const byInbox = db.select({ inboxId: c.inboxId, n: count().as('n') }).from(c).where(open).groupBy(c.inboxId).as('by_inbox');
  const inboxRows = await db
    .select({ id: inboxes.id, name: inboxes.name, channel: inboxes.channel, count: sql<number>`coalesce(${byInbox.n}, 0)`.mapWith(Number) })
    .from(inboxes)
    .leftJoin(byInbox, eq(byInbox.inboxId, inboxes.id))
    .where(and(eq(inboxes.workspaceId, actor.workspaceId), isNull(inboxes.archivedAt)))
    .orderBy(asc(inboxes.name));
  return { ...totals, teams: teamRows, inboxes: inboxRows };
}
