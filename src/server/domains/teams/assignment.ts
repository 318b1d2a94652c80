import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { members, teamMembers, teams } from '../../db/schema/index.js';

/** The members connected now (the agent sockets), for teams that assign only to them. */
export type OnlineMembers = (workspaceId: string) => Promise<string[]>;

/** Statuses in which a conversation still counts against its assignee's capacity. */
const OPEN_STATUSES = sql`('open', 'pending', 'on_hold')`;

/**
 * Who in the team gets the next conversation, by the team's assignment mode (or `mode`
 * when given, e.g. a rule's "assign within team" on a manual team): round robin takes the
 * members in a fixed order after the last one given one; least open takes the one with
 * the fewest open conversations (ties in round-robin order). Members who are away, at
 * capacity, deactivated, or (when the team asks) not online are skipped; null when nobody
 * is left. The team row is locked until the caller's transaction ends, so two
 * conversations arriving at once never read the same turn.
 */
export async function pickAssignee(
  tx: Executor,
  workspaceId: string,
  teamId: string,
  opts: {
    mode?: 'round_robin' | 'least_open';
    online?: OnlineMembers;
    /** Asked once the team is locked: whether a member is still wanted (the conversation may have been assigned meanwhile). */
    stillWanted?: () => Promise<boolean>;
  } = {},
): Promise<string | null> {
  const [team] = await tx
    .select()
    .from(teams)
    .where(and(eq(teams.id, teamId), eq(teams.workspaceId, workspaceId)))
    .for('update');
  if (!team) return null;
  const mode = team.assignmentMode === 'manual' ? opts.mode : team.assignmentMode;
  if (!mode) return null;
  if (opts.stillWanted && !(await opts.stillWanted())) return null;
  const rows = await tx
    .select({
      id: members.id,
      capacity: members.capacity,
      open: sql<number>`(select count(*) from conversations c where c.assignee_id = ${members.id} and c.status in ${OPEN_STATUSES})`.mapWith(Number),
    })
    .from(teamMembers)
    .innerJoin(members, eq(members.id, teamMembers.memberId))
    .where(and(eq(teamMembers.teamId, teamId), eq(members.active, true), eq(members.availability, 'available')))
    .orderBy(asc(members.id));
  const online = team.assignOnlineOnly && opts.online ? new Set(await opts.online(workspaceId)) : undefined;
  const free = rows.filter((m) => (m.capacity === null || m.open < m.capacity) && (!online || online.has(m.id)));
  if (!free.length) return null;
  // Round-robin order: the members after the last one given a conversation, then the rest.
  const after = team.lastAssignedMemberId;
  const turn = [...free.filter((m) => after !== null && m.id > after), ...free.filter((m) => after === null || m.id <= after)];
  const fewest = Math.min(...turn.map((m) => m.open));
  const chosen = mode === 'least_open' ? turn.find((m) => m.open === fewest)! : turn[0];
  await tx.update(teams).set({ lastAssignedMemberId: chosen.id }).where(eq(teams.id, teamId));
  return chosen.id;
}
