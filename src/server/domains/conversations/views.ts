import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations, inboxes, teams } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { filterConditions, viewCondition } from './list-conversations.js';
import type { ConversationFilters } from './schema.js';
import { countFailedDeliveries } from './delivery.js';

const c = conversations;
const countWhere = (cond: ReturnType<typeof viewCondition>) => sql<number>`count(*) filter (where ${cond})`.mapWith(Number);

/** A set of list filters to count, such as a saved view's, by its id. */
export interface FilterSet {
  id: string;
  filters: ConversationFilters;
}

/**
 * The counts beside the agent app's views, for the calling member: mine, unassigned,
 * all open, mentions, snoozed, solved, the open conversations of each team and inbox,
 * and the conversations each filter set (the member's saved views) lists, 'me' being the
 * member. Three queries over the workspace's conversations, whatever their number and
 * however many filter sets: each set is one more FILTER clause of the first.
 */
export async function countViews(db: Executor, actor: Actor, filterSets: FilterSet[] = []) {
  const me = actor.memberId;
  const setCounts = Object.fromEntries(filterSets.map((f, i) => [`set${i}`, countWhere(and(sql`true`, ...filterConditions(f.filters, me))!)]));
  const [{ mine, unassigned, open: allOpen, mentions, snoozed, solved, breaching, ...sets }] = await db
    .select({
      mine: countWhere(viewCondition('mine', me)),
      unassigned: countWhere(viewCondition('unassigned', me)),
      open: countWhere(viewCondition('open', me)),
      mentions: countWhere(viewCondition('mentions', me)),
      snoozed: countWhere(viewCondition('snoozed', me)),
      solved: countWhere(viewCondition('solved', me)),
      breaching: countWhere(viewCondition('breaching', me)),
      ...setCounts,
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
  const saved = Object.fromEntries(filterSets.map((f, i) => [f.id, (sets as Record<string, number>)[`set${i}`]]));
  // Replies the customer did not get: the rail's delivery problems badge.
  const deliveryFailed = await countFailedDeliveries(db, actor.workspaceId);
  return { mine, unassigned, open: allOpen, mentions, snoozed, solved, breaching, teams: teamRows, inboxes: inboxRows, saved, deliveryFailed };
}
