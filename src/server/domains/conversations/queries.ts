import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations, messages } from '../../db/schema/index.js';

/** What other domains read of conversations, so that they never query these tables themselves. */

/** A contact's conversations on every channel, newest first, in brief. */
export async function conversationsOfContact(db: Executor, workspaceId: string, contactId: string) {
  return db
    .select({
      id: conversations.id,
      number: conversations.number,
      subject: conversations.subject,
      status: conversations.status,
      inboxId: conversations.inboxId,
      lastMessageAt: conversations.lastMessageAt,
    })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.contactId, contactId)))
    .orderBy(desc(conversations.lastMessageAt));
}

/** How many of the workspace's conversations carry each tag they carry. */
export async function tagUsage(db: Executor, workspaceId: string) {
  const used = db
    .select({ name: sql<string>`unnest(${conversations.tags})`.as('name') })
    .from(conversations)
    .where(eq(conversations.workspaceId, workspaceId))
    .as('used');
  const rows = await db.select({ name: used.name, n: sql<number>`count(*)::int` }).from(used).groupBy(used.name);
  return new Map(rows.map((r) => [r.name, r.n]));
}

/** How many of the workspace's conversations carry the tag. */
export async function countTagged(db: Executor, workspaceId: string, name: string) {
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), sql`${conversations.tags} @> array[${name}]::text[]`));
  return n;
}

/**
 * What decides whether a solved conversation gets a satisfaction survey, read under a lock
 * on the conversation (held to the end of the caller's transaction, so a reopening or a
 * merge waits for the decision): its state, whether a person of the team replied, and
 * whether any of its customer messages was automated mail (an auto-reply or a bounce).
 */
export async function lockForSurvey(tx: Executor, conversationId: string) {
  const [c] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for('update');
  if (!c) return undefined;
  const [facts] = await tx
    .select({
      agentReplies: sql<number>`count(*) filter (where ${messages.direction} = 'out' and ${messages.authorMemberId} is not null and ${messages.deliveryStatus} not in ('scheduled', 'cancelled'))::int`,
      automatedInbound: sql<number>`count(*) filter (where ${messages.direction} = 'in' and ${messages.email}->>'automated' is not null)::int`,
    })
    .from(messages)
    .where(eq(messages.conversationId, c.id));
  return {
    id: c.id,
    workspaceId: c.workspaceId,
    number: c.number,
    subject: c.subject,
    status: c.status,
    merged: c.mergedIntoId !== null,
    inboxId: c.inboxId,
    contactId: c.contactId,
    answeredByPerson: facts.agentReplies > 0,
    automatedInbound: facts.automatedInbound > 0,
  };
}

/** A conversation's number and subject: how pages outside the agent app name it to its customer. */
/** What a conversation's intake needs of it: where it is, what it is about and the fields it holds. */
export async function conversationForIntake(db: Executor, conversationId: string) {
  const [c] = await db
    .select({
      id: conversations.id,
      workspaceId: conversations.workspaceId,
      contactId: conversations.contactId,
      inboxId: conversations.inboxId,
      number: conversations.number,
      subject: conversations.subject,
      topic: conversations.topic,
      status: conversations.status,
      customFields: conversations.customFields,
    })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return c;
}

export async function conversationBrief(db: Executor, conversationId: string) {
  const [c] = await db.select({ number: conversations.number, subject: conversations.subject }).from(conversations).where(eq(conversations.id, conversationId));
  return c;
}

/** Where conversations stand as reports file them (those that exist): their place (inbox, team, assignee, tags), whether they were merged away, and their SLA state. */
export async function conversationsForReports(db: Executor, ids: string[]) {
  if (!ids.length) return [];
  return db
    .select({
      id: conversations.id,
      workspaceId: conversations.workspaceId,
      number: conversations.number,
      inboxId: conversations.inboxId,
      teamId: conversations.teamId,
      assigneeId: conversations.assigneeId,
      tags: conversations.tags,
      topic: conversations.topic,
      mergedIntoId: conversations.mergedIntoId,
      slaPolicyId: conversations.slaPolicyId,
      sla: conversations.sla,
      createdAt: conversations.createdAt,
    })
    .from(conversations)
    .where(inArray(conversations.id, ids));
}

export interface ConversationAssignment {
  id: string;
  workspaceId: string;
  teamId: string | null;
  assigneeId: string | null;
}

/** Whose and which team's each of these conversations is now (those that exist). */
export async function conversationAssignments(db: Executor, ids: string[]): Promise<ConversationAssignment[]> {
  if (!ids.length) return [];
  return db
    .select({ id: conversations.id, workspaceId: conversations.workspaceId, teamId: conversations.teamId, assigneeId: conversations.assigneeId })
    .from(conversations)
    .where(inArray(conversations.id, ids));
}

/** Every conversation's id after `after` (all workspaces, in id order), a page at a time: what a rebuild walks. */
export async function conversationIdsAfter(db: Executor, after: string | null, limit: number) {
  const rows = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(after ? gt(conversations.id, after) : undefined)
    .orderBy(asc(conversations.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** How many conversations there are, in all workspaces. */
export async function countAllConversations(db: Executor) {
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(conversations);
  return n;
}

/** These conversations' numbers and subjects in the workspace, by id. */
export async function conversationBriefs(db: Executor, workspaceId: string, ids: string[]) {
  if (!ids.length) return new Map<string, { number: number; subject: string }>();
  const rows = await db
    .select({ id: conversations.id, number: conversations.number, subject: conversations.subject })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.id, ids)));
  return new Map(rows.map((r) => [r.id, { number: r.number, subject: r.subject }]));
}

/** Which conversations an hour-of-week count covers: a period, a time zone for the hours, and optional filters. */
export interface HourOfWeekScope {
  workspaceId: string;
  /** Counted from (inclusive) and to (exclusive). */
  from: Date;
  to: Date;
  /** An IANA time zone, checked by the caller: the hours are wall-clock hours there. */
  timeZone: string;
  /** Only these inboxes (a channel is its inboxes); undefined for all. */
  inboxIds?: string[];
  teamId?: string;
}

/** One hour of the week: ISO day (1 Monday … 7 Sunday), hour 0–23 in the scope's time zone, and a count. */
export interface HourOfWeekCount {
  dayOfWeek: number;
  hour: number;
  count: number;
}

const hourOfWeek = (at: SQL, timeZone: string) => ({
  dayOfWeek: sql<number>`extract(isodow from ${at} at time zone ${timeZone})::int`,
  hour: sql<number>`extract(hour from ${at} at time zone ${timeZone})::int`,
});

/**
 * How many conversations were created in each hour of the week over the scope's period,
 * summed over its weeks: the arrival history a staffing forecast starts from. Merged
 * conversations are left out (a duplicate is the same request arriving twice); hours with
 * none are absent.
 */
export async function conversationsCreatedByHourOfWeek(db: Executor, s: HourOfWeekScope): Promise<HourOfWeekCount[]> {
  const at = hourOfWeek(sql`${conversations.createdAt}`, s.timeZone);
  return db
    .select({ dayOfWeek: at.dayOfWeek, hour: at.hour, count: sql<number>`count(*)::int` })
    .from(conversations)
    .where(
      and(
        eq(conversations.workspaceId, s.workspaceId),
        gte(conversations.createdAt, s.from),
        lt(conversations.createdAt, s.to),
        isNull(conversations.mergedIntoId),
        s.inboxIds ? inArray(conversations.inboxId, s.inboxIds) : undefined,
        s.teamId ? eq(conversations.teamId, s.teamId) : undefined,
      ),
    )
    // By position: the zone is a bound parameter, and a repeated expression would bind it again, which PostgreSQL does not see as the same.
    .groupBy(sql`1`, sql`2`);
}

/**
 * For each hour of the week, the distinct members who sent a customer a reply within each
 * clock hour of the scope's period, summed over its weeks (a member replying in two hours
 * counts in both; three replies in one hour count once). Notes and scheduled or
 * cancelled replies are not replies. With a team, only replies in that team's conversations.
 */
export async function replyingMembersByHourOfWeek(db: Executor, s: HourOfWeekScope): Promise<HourOfWeekCount[]> {
  const perHour = db
    .selectDistinct({ at: sql<Date>`date_trunc('hour', ${messages.createdAt} at time zone ${s.timeZone})`.as('at'), memberId: messages.authorMemberId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.workspaceId, s.workspaceId),
        gte(messages.createdAt, s.from),
        lt(messages.createdAt, s.to),
        eq(messages.direction, 'out'),
        isNotNull(messages.authorMemberId),
        notInArray(messages.deliveryStatus, ['scheduled', 'cancelled']),
        s.inboxIds ? inArray(messages.inboxId, s.inboxIds) : undefined,
        s.teamId ? eq(conversations.teamId, s.teamId) : undefined,
      ),
    )
    .as('per_hour');
  // per_hour.at is already a wall-clock time in the zone: no second conversion.
  const dayOfWeek = sql<number>`extract(isodow from ${perHour.at})::int`;
  const hour = sql<number>`extract(hour from ${perHour.at})::int`;
  return db.select({ dayOfWeek, hour, count: sql<number>`count(*)::int` }).from(perHour).groupBy(dayOfWeek, hour);
}

/** A message the customer wrote in a conversation of the workspace, for quoting it elsewhere (the feedback wall); undefined for any other. */
export async function customerMessage(db: Executor, workspaceId: string, messageId: string) {
  const [m] = await db
    .select({ id: messages.id, conversationId: messages.conversationId, contactId: conversations.contactId, messageContactId: messages.contactId, text: messages.text, call: messages.call })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, messageId), eq(messages.workspaceId, workspaceId), eq(messages.direction, 'in')));
  if (!m || m.call) return undefined;
  // Written by the conversation's customer (not someone in copy): the one who is asked for consent.
  return { id: m.id, conversationId: m.conversationId, contactId: m.contactId, byCustomer: m.messageContactId === null || m.messageContactId === m.contactId, text: m.text };
}

/** The text of the customer's latest message in a conversation of the workspace ('' when they wrote none): what suggestions start from. */
export async function lastCustomerText(db: Executor, workspaceId: string, conversationId: string) {
  const [m] = await db
    .select({ text: messages.text })
    .from(messages)
    .where(and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId), eq(messages.direction, 'in')))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return m?.text ?? '';
}
