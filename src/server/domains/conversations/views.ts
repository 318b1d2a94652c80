import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, selectRows } from '../../db/client.js';
import { conversationCountDeltas, conversationCounts, conversationDueCounts, conversationDueDeltas, conversations, inboxes, noteMentions, teams } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { filterConditions, viewCondition } from './list-conversations.js';
import type { ConversationFilters } from './schema.js';
import { countFailedDeliveries } from './delivery.js';

const c = conversations;

/** A set of list filters to count, such as a saved view's, by its id. */
export interface FilterSet {
  id: string;
  filters: ConversationFilters;
}

/** How the kept counts write "no assignee" and "no team" (the key has no nullable column). */
export const NONE = '00000000-0000-0000-0000-000000000000';

interface CountRow {
  status: string;
  priority: string;
  assigneeId: string;
  teamId: string;
  inboxId: string;
  snoozed: boolean;
  n: number;
}

/**
 * The workspace's conversations per count key (those with `tag`, or all of them), snoozed
 * meaning snoozed now: the kept totals, the deltas not yet folded into them, and the
 * conversations whose snooze time has passed but which the wake job has not woken yet (a
 * few, by the partial snoozed index) moved from snoozed to not. One statement, so a fold
 * running meanwhile is seen whole or not at all.
 */
async function countRows(db: Executor, workspaceId: string, tag = ''): Promise<CountRow[]> {
  const keys = sql`status, priority, assignee_id, team_id, inbox_id, snoozed`;
  const rows = await selectRows<{ status: string; priority: string; assignee_id: string; team_id: string; inbox_id: string; snoozed: boolean; n: string }>(db, sql`
    select ${keys}, sum(n) as n from (
      select ${keys}, n from ${conversationCounts} where workspace_id = ${workspaceId} and tag = ${tag}
      union all
      select ${keys}, n from ${conversationCountDeltas} where workspace_id = ${workspaceId} and tag = ${tag}
      union all
      select c.status, c.priority, coalesce(c.assignee_id, ${NONE}::uuid), coalesce(c.team_id, ${NONE}::uuid), c.inbox_id, s.snoozed, s.n * count(*)
        from ${c} c cross join (values (true, -1), (false, 1)) as s(snoozed, n)
       where c.workspace_id = ${workspaceId} and c.snoozed_until is not null and c.snoozed_until <= now()
         ${tag ? sql`and c.tags @> array[${tag}]::text[]` : sql``}
       group by 1, 2, 3, 4, 5, 6, s.n
    ) k
    group by ${keys}
    having sum(n) <> 0`);
  return rows.map((r) => ({ status: r.status, priority: r.priority, assigneeId: r.assignee_id, teamId: r.team_id, inboxId: r.inbox_id, snoozed: r.snoozed, n: Number(r.n) }));
}


/** The same test as filterConditions, on a count key (the tag is the key's, contact is not in it). */
function matches(f: ConversationFilters, r: CountRow, me: string, channelOf: Map<string, string>) {
  if (f.status?.length && !f.status.includes(r.status as never)) return false;
  const assignee = f.assignee === 'me' ? me : f.assignee === 'none' ? NONE : f.assignee;
  if (assignee !== undefined && r.assigneeId !== assignee) return false;
  if (f.team !== undefined && r.teamId !== (f.team === 'none' ? NONE : f.team)) return false;
  if (f.inbox !== undefined && r.inboxId !== f.inbox) return false;
  if (f.channel !== undefined && channelOf.get(r.inboxId) !== f.channel) return false;
  if (f.priority !== undefined && r.priority !== f.priority) return false;
  if (f.snoozed !== undefined && r.snoozed !== f.snoozed) return false;
  return true;
}

/**
 * The counts beside the agent app's views, for the calling member: mine, unassigned, all
 * open, mentions, snoozed, solved, breaching soon, the open conversations of each team and
 * inbox, and the conversations each filter set (the member's saved views) lists, 'me' being
 * the member. Read from the kept counts, whatever the number of conversations; mentions
 * and breaching soon, which depend on the member's reads and on the time, count a small
 * indexed set; a filter set by contact, that contact's conversations.
 */
export async function countViews(db: Executor, actor: Actor, filterSets: FilterSet[] = []) {
  const me = actor.memberId;
  const ws = actor.workspaceId;
  const rows = await countRows(db, ws);
  const sum = (pred: (r: CountRow) => boolean) => rows.reduce((n, r) => (pred(r) ? n + r.n : n), 0);
  const isOpen = (r: CountRow) => r.status === 'open' && !r.snoozed;

  // The conversations mentioning me, not those of the workspace, are the ones to look at.
  const [{ mentions }] = await db
    .select({ mentions: count() })
    .from(c)
    .where(and(eq(c.workspaceId, ws), inArray(c.id, db.selectDistinct({ id: noteMentions.conversationId }).from(noteMentions).where(eq(noteMentions.memberId, me))), viewCondition('mentions', me)));
  // Breaching soon: the kept counts of the hours due before the one an hour from now, and the
  // rest from the due-time index, at most an hour's worth of due times.
  const [{ breaching }] = await selectRows<{ breaching: string }>(db, sql`
    with edge as (select date_trunc('hour', (now() + interval '1 hour') at time zone 'UTC') as hour)
    select (select coalesce(sum(n), 0) from (
              select n from ${conversationDueCounts} where workspace_id = ${ws} and due_hour < (select hour from edge)
              union all
              select n from ${conversationDueDeltas} where workspace_id = ${ws} and due_hour < (select hour from edge)) k)
         + (select count(*) from ${c} where ${c.workspaceId} = ${ws} and ${c.slaDueAt} >= ((select hour from edge) at time zone 'UTC')
              and ${viewCondition('breaching', me)}) as breaching`);

  const teamRows = await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.workspaceId, ws)).orderBy(asc(teams.name));
  const inboxRows = await db
    .select({ id: inboxes.id, name: inboxes.name, channel: inboxes.channel, archivedAt: inboxes.archivedAt })
    .from(inboxes)
    .where(eq(inboxes.workspaceId, ws))
    .orderBy(asc(inboxes.name));
  const channelOf = new Map(inboxRows.map((i) => [i.id, i.channel as string]));

  const saved: Record<string, number> = {};
  const byTag = new Map<string, CountRow[]>();
  for (const f of filterSets) {
    if (f.filters.contact !== undefined) {
      // The key does not hold the contact; a contact's conversations are few, found by its index.
      const [{ n }] = await db.select({ n: count() }).from(c).where(and(eq(c.workspaceId, ws), ...filterConditions(f.filters, me)));
      saved[f.id] = n;
      continue;
    }
    const tag = f.filters.tag;
    if (tag !== undefined && !byTag.has(tag)) byTag.set(tag, await countRows(db, ws, tag));
    saved[f.id] = (tag === undefined ? rows : byTag.get(tag)!).reduce((n, r) => (matches(f.filters, r, me, channelOf) ? n + r.n : n), 0);
  }

  // Replies the customer did not get: the rail's delivery problems badge.
  const deliveryFailed = await countFailedDeliveries(db, ws);
  return {
    mine: sum((r) => r.assigneeId === me && (r.status === 'open' || r.status === 'pending') && !r.snoozed),
    unassigned: sum((r) => r.assigneeId === NONE && isOpen(r)),
    open: sum(isOpen),
    mentions,
    snoozed: sum((r) => r.snoozed),
    solved: sum((r) => r.status === 'solved' || r.status === 'closed'),
    breaching: Number(breaching),
    teams: teamRows.map((t) => ({ id: t.id, name: t.name, count: sum((r) => r.teamId === t.id && isOpen(r)) })),
    inboxes: inboxRows.filter((i) => !i.archivedAt).map((i) => ({ id: i.id, name: i.name, channel: i.channel, count: sum((r) => r.inboxId === i.id && isOpen(r)) })),
    saved,
    deliveryFailed,
  };
}

/**
 * Folds the count deltas into the kept totals: the deltas taken are deleted in the same
 * statement that adds them, so a count is never lost or doubled, and one fold at a time
 * (an advisory lock) writes the totals, so folds never deadlock on them.
 */
export async function foldViewCounts(db: Executor) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('heard.conversation_counts'))`);
    const keys = sql`workspace_id, tag, status, priority, assignee_id, team_id, inbox_id, snoozed`;
    const folded = await selectRows<{ n: string }>(tx, sql`
      with taken as (delete from ${conversationCountDeltas} returning *),
      added as (
        insert into ${conversationCounts} (${keys}, n)
        select ${keys}, sum(n) from taken group by ${keys} order by ${keys}
        on conflict (${keys}) do update set n = ${conversationCounts}.n + excluded.n
        returning 1
      )
      select (select count(*) from taken) as n`);
    await tx.execute(sql`delete from ${conversationCounts} where n = 0`);
    await tx.execute(sql`
      with taken as (delete from ${conversationDueDeltas} returning *)
      insert into ${conversationDueCounts} (workspace_id, due_hour, n)
      select workspace_id, due_hour, sum(n) from taken group by 1, 2 order by 1, 2
      on conflict (workspace_id, due_hour) do update set n = ${conversationDueCounts}.n + excluded.n`);
    await tx.execute(sql`delete from ${conversationDueCounts} where n = 0`);
    return Number(folded[0]?.n ?? 0);
  });
}

/** On worker nodes: the count deltas are folded every half minute, so readers add only a few. */
export function startViewCountFolding(db: Executor, log: { warn(o: object, m: string): void }, everyMs = 30_000): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const run = () => {
    running ??= foldViewCounts(db)
      .catch((err: unknown) => log.warn({ err }, 'folding the view counts failed; the counts stay exact, reading them a little slower'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
