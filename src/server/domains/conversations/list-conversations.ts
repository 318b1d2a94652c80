import { and, asc, desc, eq, gt, inArray, isNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { type Executor, selectRows } from '../../db/client.js';
import { contacts, conversationReads, conversations, inboxes, messages, noteMentions, slaPolicies } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Invalid } from '../../core/errors.js';
import type { ConversationFilters, ConversationListQuery, View } from './schema.js';
import { type Conversation, presentConversation } from './present.js';

const c = conversations;

/** The conversation number a query such as "42" or "#42" names; none past PostgreSQL's integer (2^31 − 1), which no conversation has. */
function conversationNumberIn(text: string): number | undefined {
  const m = /^#?(\d{1,10})$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  return n >= 1 && n <= 2 ** 31 - 1 ? n : undefined;
}

/** Not snoozed now: never snoozed, or its time has come (the wake job may not have run yet). */
export const notSnoozed = (): SQL => sql`(${c.snoozedUntil} is null or ${c.snoozedUntil} <= now())`;
export const isSnoozed = (): SQL => sql`(${c.snoozedUntil} is not null and ${c.snoozedUntil} > now())`;

/** The member's last read of the conversation in the row (a correlated subquery; the primary key finds it). */
const lastRead = (memberId: string): SQL =>
  sql`(select ${conversationReads.lastReadAt} from ${conversationReads} where ${conversationReads.memberId} = ${memberId} and ${conversationReads.conversationId} = ${c.id})`;

/** A customer message newer than the member's last read. */
export const unreadFor = (memberId: string): SQL => sql`(${c.lastInboundAt} is not null and ${c.lastInboundAt} > coalesce(${lastRead(memberId)}, '-infinity'::timestamptz))`;

/** A note mentioned the member after they last read the conversation. */
export const mentionedFor = (memberId: string): SQL =>
  sql`exists (select 1 from ${noteMentions} where ${noteMentions.memberId} = ${memberId} and ${noteMentions.conversationId} = ${c.id} and ${noteMentions.createdAt} > coalesce(${lastRead(memberId)}, '-infinity'::timestamptz))`;

/** What each named view shows, for one member: the list and the counts use the same definitions. */
export function viewCondition(view: View, memberId: string): SQL {
  switch (view) {
    case 'mine':
      return and(eq(c.assigneeId, memberId), inArray(c.status, ['open', 'pending']), notSnoozed())!;
    case 'unassigned':
      return and(isNull(c.assigneeId), eq(c.status, 'open'), notSnoozed())!;
    case 'open':
      return and(eq(c.status, 'open'), notSnoozed())!;
    case 'mentions':
      return mentionedFor(memberId);
    case 'snoozed':
      return isSnoozed();
    case 'solved':
      // Done work: solved, and closed (which includes conversations merged into another).
      return inArray(c.status, ['solved', 'closed']);
    case 'breaching':
      // Breaching soon: a running SLA target due within the hour, or past due and still unmet.
      return and(notInArray(c.status, ['solved', 'closed']), sql`${c.slaDueAt} <= now() + interval '1 hour'`)!;
  }
}

/**
 * The list's filters as conditions, for one member ('me' is them): the list and the counts of
 * saved views use these same definitions, so a view's count is the length of its list.
 */
export function filterConditions(f: ConversationFilters, memberId: string): SQL[] {
  const conds: SQL[] = [];
  if (f.status?.length) conds.push(inArray(c.status, f.status));
  if (f.assignee === 'me') conds.push(eq(c.assigneeId, memberId));
  else if (f.assignee === 'none') conds.push(isNull(c.assigneeId));
  else if (f.assignee) conds.push(eq(c.assigneeId, f.assignee));
  if (f.team === 'none') conds.push(isNull(c.teamId));
  else if (f.team) conds.push(eq(c.teamId, f.team));
  if (f.inbox) conds.push(eq(c.inboxId, f.inbox));
  if (f.channel) conds.push(sql`${c.inboxId} in (select ${inboxes.id} from ${inboxes} where ${inboxes.channel} = ${f.channel})`);
  if (f.contact) conds.push(eq(c.contactId, f.contact));
  if (f.priority) conds.push(eq(c.priority, f.priority));
  if (f.snoozed !== undefined) conds.push(f.snoozed ? isSnoozed() : notSnoozed());
  if (f.tag) conds.push(sql`${c.tags} @> array[${f.tag}]::text[]`);
  return conds;
}

/** Past this many estimated matching subjects and messages, a search walks the list instead of collecting every match first. */
export const SEARCH_WALK_AFTER = 20_000;

/** The planner's estimate of the rows a query returns: statistics only, nothing is read. */
async function estimatedRows(db: Executor, query: SQL): Promise<number> {
  const [row] = await selectRows<{ 'QUERY PLAN': unknown }>(db, sql`explain (format json) ${query}`);
  const plan = (typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN']) as { Plan: { 'Plan Rows': number } }[];
  return plan[0].Plan['Plan Rows'];
}

/**
 * Conversations whose subject or any message matches the query, or whose number it is: the
 * same rows however it is found, two ways to find them. A rare word (or none at all) is
 * looked up in the subject and message text indexes, each alone (an OR across the two
 * tables can use neither), and the few conversations it names are sorted. A frequent word
 * would make that collect hundreds of thousands of ids to show 25, so then the list is
 * walked in its order, each conversation tested, until the page is full. Which one the
 * planner's statistics on the two indexes decide (docs/decisions.md, "Conversation search
 * picks its way by the word's frequency").
 */
async function searchCondition(db: Executor, workspaceId: string, text: string, walkAfter: number): Promise<SQL> {
  const query = sql`websearch_to_tsquery('simple', ${text})`;
  // Digits past any conversation number are searched as text only.
  const number = conversationNumberIn(text);
  const [inSubjects, inMessages] = await Promise.all([
    estimatedRows(db, sql`select 1 from ${c} where ${c.search} @@ ${query}`),
    estimatedRows(db, sql`select 1 from ${messages} where ${messages.search} @@ ${query}`),
  ]);
  if (inSubjects + inMessages > walkAfter) {
    return or(
      sql`${c.search} @@ ${query}`,
      // OFFSET 0 keeps the test per conversation: without it the planner may first collect every
      // matching message into a hash, the very work this way avoids.
      sql`exists (select 1 from ${messages} m where m.conversation_id = ${c.id} and m.search @@ ${query} offset 0)`,
      number !== undefined ? eq(c.number, number) : undefined,
    )!;
  }
  return sql`${c.id} in (
    select s.id from ${c} s where s.workspace_id = ${workspaceId} and s.search @@ ${query}
    union all
    select m.conversation_id from ${messages} m where m.workspace_id = ${workspaceId} and m.search @@ ${query}
    ${number !== undefined ? sql`union all select n.id from ${c} n where n.workspace_id = ${workspaceId} and n.number = ${number}` : sql``})`;
}

type Sort = ConversationListQuery['sort'];
type CursorKey = [string | null, string] | [string, string, string];

/** The cursor is opaque to clients: the sort's name and the last row's sort key, base64url-encoded JSON. */
function encodeCursor(sort: Sort, row: Conversation) {
  const key: CursorKey =
    sort === 'waiting'
      ? [row.waitingSince?.toISOString() ?? null, row.id]
      : sort === 'due'
        ? [row.slaDueAt?.toISOString() ?? null, row.id]
      : sort === 'priority'
        ? [row.priority, row.lastMessageAt.toISOString(), row.id]
        : [row.lastMessageAt.toISOString(), row.id];
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}

const isDate = (s: unknown): s is string => typeof s === 'string' && !Number.isNaN(new Date(s).getTime());
const isUuid = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f-]{36}$/i.test(s);

/** The keyset condition: rows strictly after the cursor in the sort's order. */
function afterCursor(sort: Sort, cursor: string): SQL {
  const bad = () => new Invalid('querystring.cursor', 'is not a cursor this API gave out for this sort');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed[0] !== sort) throw bad();
  if (sort === 'newest') {
    const [, at, id] = parsed as unknown[];
    if (!isDate(at) || !isUuid(id)) throw bad();
    return or(lt(c.lastMessageAt, new Date(at)), and(eq(c.lastMessageAt, new Date(at)), lt(c.id, id)))!;
  }
  if (sort === 'waiting' || sort === 'due') {
    // Ascending with the rows that have none last, then id ascending.
    const col = sort === 'waiting' ? c.waitingSince : c.slaDueAt;
    const [, at, id] = parsed as unknown[];
    if (!(at === null || isDate(at)) || !isUuid(id)) throw bad();
    if (at === null) return and(isNull(col), gt(c.id, id))!;
    const d = new Date(at);
    return or(gt(col, d), and(eq(col, d), gt(c.id, id)), isNull(col))!;
  }
  const [, p, at, id] = parsed as unknown[];
  if (typeof p !== 'string' || !['low', 'normal', 'high', 'urgent'].includes(p) || !isDate(at) || !isUuid(id)) throw bad();
  const d = new Date(at);
  return or(
    sql`${c.priority} < ${p}::conversation_priority`,
    and(sql`${c.priority} = ${p}::conversation_priority`, or(lt(c.lastMessageAt, d), and(eq(c.lastMessageAt, d), lt(c.id, id)))),
  )!;
}

const ORDER: Record<Sort, SQL[]> = {
  newest: [desc(c.lastMessageAt), desc(c.id)],
  waiting: [sql`${c.waitingSince} asc nulls last`, asc(c.id)],
  due: [sql`${c.slaDueAt} asc nulls last`, asc(c.id)],
  priority: [desc(c.priority), desc(c.lastMessageAt), desc(c.id)],
};

/**
 * Lists conversations in one of four orders (newest activity, waiting longest, priority, SLA due soonest)
 * with keyset pagination: a page costs the same at conversation 10 as at 100,000.
 */
export async function listConversations(db: Executor, actor: Actor, q: ConversationListQuery, opts: { searchWalkAfter?: number } = {}) {
  const conds: (SQL | undefined)[] = [eq(c.workspaceId, actor.workspaceId)];
  if (q.view) conds.push(viewCondition(q.view, actor.memberId));
  conds.push(...filterConditions(q, actor.memberId));
  // A running SLA target due within the minutes given, or past due and still unmet.
  if (q.breachingWithin !== undefined) conds.push(sql`${c.slaDueAt} <= now() + make_interval(mins => ${q.breachingWithin})`);
  if (q.q) conds.push(await searchCondition(db, actor.workspaceId, q.q, opts.searchWalkAfter ?? SEARCH_WALK_AFTER));
  if (q.cursor) conds.push(afterCursor(q.sort, q.cursor));
  const rows = await db
    .select({ c, contactName: contacts.name, channel: inboxes.channel, network: sql<string | null>`${inboxes.config}->>'network'`, unread: unreadFor(actor.memberId).mapWith(Boolean), slaPolicyName: slaPolicies.name })
    .from(c)
    .innerJoin(contacts, eq(contacts.id, c.contactId))
    .innerJoin(inboxes, eq(inboxes.id, c.inboxId))
    .leftJoin(slaPolicies, eq(slaPolicies.id, c.slaPolicyId))
    .where(and(...conds))
    .orderBy(...ORDER[q.sort])
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const previews = await lastPreviews(db, page.map((r) => r.c.id));
  return {
    items: page.map((r) =>
      presentConversation(r.c, { contact: { id: r.c.contactId, name: r.contactName }, preview: previews.get(r.c.id), channel: r.channel, network: r.network, unread: r.unread, slaPolicyName: r.slaPolicyName }),
    ),
    nextCursor: rows.length > q.limit ? encodeCursor(q.sort, page[page.length - 1].c) : null,
  };
}

/** The last customer-visible message of each conversation, cut to a line, for lists. */
export async function lastPreviews(db: Executor, ids: string[]) {
  const map = new Map<string, string>();
  if (!ids.length) return map;
  const rows = await db
    .selectDistinctOn([messages.conversationId], { conversationId: messages.conversationId, text: messages.text })
    .from(messages)
    .where(and(inArray(messages.conversationId, ids), sql`${messages.direction} <> 'note'`, sql`${messages.deliveryStatus} not in ('scheduled', 'cancelled')`))
    .orderBy(messages.conversationId, desc(messages.createdAt));
  for (const r of rows) map.set(r.conversationId, r.text.replace(/\s+/g, ' ').slice(0, 160));
  return map;
}
