import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Executor, Tx } from '../../db/client.js';
import { outreachTasks } from '../../db/schema/index.js';
import { type Actor, isAdmin } from '../../core/actor.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { nextOpenTime } from '../../core/business-hours/calendar.js';
import { findCalendar } from '../../core/business-hours/service.js';
import { businessEventsByIds, eventsDueBetween, listContactEvents } from '../business-events/service.js';
import { contactsByIds, getContact } from '../contacts/service.js';
import { addAgentMessage, getConversationRow } from '../conversations/service.js';
import { logCall, openConversationFromCallWith } from '../conversations/log-call.js';
import { startConversation } from '../conversations/start-conversation.js';
import { teamIdsOf } from '../teams/service.js';
import { delayMinutes, enabledOutreachRules } from './rules.js';
import type { TaskCall, TaskListQuery, TaskMessage } from './schema.js';

type Task = typeof outreachTasks.$inferSelect;

/** How many tasks one rule makes per pass of the sweep; the rest wait for the next. */
const SWEEP_BATCH = 200;

/**
 * Makes the tasks whose time has come: for each enabled rule, the events of its type (and
 * product) whose time (the rule's delay after they occurred) came after the rule was made and
 * by `now`, and that have no task from this rule yet. A task due outside the rule's business
 * hours comes due at their next opening. Any number of nodes may run this at once: the
 * unique key on (rule, event) lets one of them make each task, and a rule changed or turned
 * off and on again never makes a second one for the same event.
 */
export async function createDueTasks(ctx: Pick<Ctx, 'db' | 'kick'>, now = new Date()) {
  let made = 0;
  for (const rule of await enabledOutreachRules(ctx.db)) {
    const calendar = rule.businessHoursId ? await findCalendar(ctx.db, rule.workspaceId, rule.businessHoursId) : null;
    const minutes = delayMinutes(rule);
    const due = await eventsDueBetween(ctx.db, {
      workspaceId: rule.workspaceId,
      type: rule.eventType,
      productSku: rule.productSku,
      delayMinutes: minutes,
      from: rule.createdAt,
      to: now,
      excluding: (eventId) => sql`not exists (select 1 from ${outreachTasks} t where t.rule_id = ${rule.id} and t.business_event_id = ${eventId})`,
      limit: SWEEP_BATCH,
    });
    if (!due.length) continue;
    const rows = due.map((e) => {
      const at = new Date(e.occurredAt.getTime() + minutes * 60_000);
      return {
        workspaceId: rule.workspaceId,
        ruleId: rule.id,
        ruleName: rule.name,
        instructions: rule.instructions,
        businessEventId: e.id,
        contactId: e.contactId,
        teamId: rule.teamId,
        assigneeId: rule.assigneeId,
        dueAt: calendar ? nextOpenTime(calendar, at) : at,
      };
    });
    const inserted = await ctx.db.transaction(async (tx) => {
      const fresh = await tx.insert(outreachTasks).values(rows).onConflictDoNothing().returning({ id: outreachTasks.id });
      for (const t of fresh) {
        await recordEvent(tx, { workspaceId: rule.workspaceId, type: 'outreach_task.changed', data: { taskId: t.id, status: 'open', change: 'created' } });
      }
      return fresh.length;
    });
    made += inserted;
  }
  if (made) ctx.kick();
  return made;
}

/** Runs the sweep now and then on this node until stopped (every node with the worker role may). */
export function startOutreachSweep(ctx: Ctx, log: FastifyBaseLogger, everyMs = 30_000) {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= createDueTasks(ctx)
      .catch((err) => log.error({ err }, 'outreach sweep failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Whose queue: assigned to me, or to a team of mine with no one named. */
async function mine(db: Executor, actor: Actor) {
  const teams = await teamIdsOf(db, actor);
  return or(eq(outreachTasks.assigneeId, actor.memberId), teams.length ? and(isNull(outreachTasks.assigneeId), inArray(outreachTasks.teamId, teams)) : undefined);
}

const showsAt = sql`coalesce(${outreachTasks.snoozedUntil}, ${outreachTasks.dueAt})`;

async function presentTasks(db: Executor, workspaceId: string, rows: Task[]) {
  const events = await businessEventsByIds(db, workspaceId, rows.map((r) => r.businessEventId));
  const contacts = await contactsByIds(db, workspaceId, rows.map((r) => r.contactId));
  return rows.map((t) => {
    const c = contacts.get(t.contactId);
    return {
      id: t.id,
      ruleId: t.ruleId,
      ruleName: t.ruleName,
      instructions: t.instructions,
      status: t.status,
      dueAt: t.dueAt,
      snoozedUntil: t.snoozedUntil,
      teamId: t.teamId,
      assigneeId: t.assigneeId,
      contact: c ? { id: c.id, name: c.name, identities: c.identities } : { id: t.contactId, name: '', identities: [] },
      event: events.get(t.businessEventId) ?? null,
      outcome: t.outcome,
      conversationId: t.conversationId,
      closedByMemberId: t.closedByMemberId,
      closedAt: t.closedAt,
      dismissReason: t.dismissReason,
      createdAt: t.createdAt,
    };
  });
}
export type TaskView = Awaited<ReturnType<typeof presentTasks>>[number];

/** The outreach queue: tasks due now (or later, or closed), mine or, for admins, everyone's. */
export async function listTasks(db: Executor, actor: Actor, q: TaskListQuery, now = new Date()) {
  if (q.scope === 'all' && !isAdmin(actor)) throw new Forbidden('Only admins see every queue');
  const state =
    q.state === 'due'
      ? and(eq(outreachTasks.status, 'open'), lte(showsAt, now))
      : q.state === 'upcoming'
        ? and(eq(outreachTasks.status, 'open'), gt(showsAt, now))
        : inArray(outreachTasks.status, ['done', 'dismissed']);
  const rows = await db
    .select()
    .from(outreachTasks)
    .where(and(eq(outreachTasks.workspaceId, actor.workspaceId), state, q.scope === 'mine' ? await mine(db, actor) : undefined))
    .orderBy(q.state === 'done' ? desc(outreachTasks.closedAt) : asc(showsAt), asc(outreachTasks.id))
    .limit(q.limit);
  return { items: await presentTasks(db, actor.workspaceId, rows) };
}

/** How many tasks in my queue are due now: the count beside "Outreach". */
export async function countDueTasks(db: Executor, actor: Actor, now = new Date()) {
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outreachTasks)
    .where(and(eq(outreachTasks.workspaceId, actor.workspaceId), eq(outreachTasks.status, 'open'), lte(showsAt, now), await mine(db, actor)));
  return { due: n };
}

async function getTaskRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string, lock = false) {
  const q = db.select().from(outreachTasks).where(and(eq(outreachTasks.id, id), eq(outreachTasks.workspaceId, actor.workspaceId)));
  const [t] = lock ? await q.for('update') : await q;
  if (!t) throw new NotFound('Outreach task');
  return t;
}

/** A task with its customer's history: their business events and their conversations on every channel. */
export async function getTask(db: Executor, actor: Actor, id: string) {
  const t = await getTaskRow(db, actor, id);
  const [task] = await presentTasks(db, actor.workspaceId, [t]);
  const contact = await getContact(db, actor, t.contactId);
  return { ...task, history: { events: await listContactEvents(db, actor, t.contactId), conversations: contact.conversations } };
}

/** An open task, locked, that this member may work on (theirs, their team's, or any for an admin). */
async function openTaskFor(tx: Tx, actor: Actor, id: string) {
  const t = await getTaskRow(tx, actor, id, true);
  if (t.status !== 'open') throw new Conflict(`This task was already ${t.status === 'done' ? 'done' : 'dismissed'}`);
  const teams = await teamIdsOf(tx, actor);
  const own = t.assigneeId === actor.memberId || (!t.assigneeId && t.teamId !== null && teams.includes(t.teamId));
  if (!own && !isAdmin(actor)) throw new Forbidden('This task is in someone else\'s queue');
  return t;
}

async function close(tx: Tx, actor: Actor, t: Task, set: Partial<typeof outreachTasks.$inferInsert>, change: 'done' | 'dismissed') {
  const now = new Date();
  await tx
    .update(outreachTasks)
    .set({ ...set, status: change, closedByMemberId: actor.memberId, closedAt: now, updatedAt: now })
    .where(eq(outreachTasks.id, t.id));
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    type: 'outreach_task.changed',
    actorMemberId: actor.memberId,
    data: { taskId: t.id, status: change, change, conversationId: set.conversationId ?? null },
  });
}

/** A conversation given for a task must be its customer's. */
async function customersConversation(tx: Tx, actor: Actor, t: Task, conversationId: string) {
  const c = await getConversationRow(tx, actor, conversationId).catch((err) => {
    if (err instanceof NotFound) throw new Invalid('conversationId', 'no such conversation');
    throw err;
  });
  if (c.contactId !== t.contactId) throw new Invalid('conversationId', "is not this customer's conversation");
  return c;
}

/**
 * Completes a task by a call: logged (the conversations domain's log-call) on one of the
 * customer's conversations or on a new one in a phone inbox, and the task records who, when
 * and how, in the same transaction.
 */
export async function completeTaskByCall(tx: Tx, actor: Actor, id: string, input: TaskCall) {
  const t = await openTaskFor(tx, actor, id);
  const { conversationId, inboxId, subject, ...call } = input;
  let convId: string;
  let message;
  if (conversationId) {
    convId = (await customersConversation(tx, actor, t, conversationId)).id;
    message = await logCall(tx, actor, convId, call);
  } else {
    const contact = await getContact(tx, actor, t.contactId);
    const opened = await openConversationFromCallWith(tx, actor, contact, { ...call, inboxId: inboxId!, subject: subject || `Follow-up: ${t.ruleName}` });
    convId = opened.conversation.id;
    message = opened.message;
  }
  await close(tx, actor, t, { outcome: 'call', conversationId: convId }, 'done');
  return { task: (await presentTasks(tx, actor.workspaceId, [await getTaskRow(tx, actor, id)]))[0], conversationId: convId, message };
}

/**
 * Completes a task by writing to the customer: a reply on one of their conversations, or a new
 * conversation the team begins (e-mail or API channel inbox), sent like any reply. Their
 * answer then threads into that conversation, on their history.
 */
export async function completeTaskByMessage(tx: Tx, actor: Actor, id: string, input: TaskMessage) {
  const t = await openTaskFor(tx, actor, id);
  let convId: string;
  let message;
  if (input.conversationId) {
    convId = (await customersConversation(tx, actor, t, input.conversationId)).id;
    message = await addAgentMessage(tx, actor, convId, { text: input.text, kind: 'reply' });
  } else {
    const started = await startConversation(tx, actor, { inboxId: input.inboxId!, contactId: t.contactId, subject: input.subject!, text: input.text, status: 'pending' });
    convId = started.conversation.id;
    message = started.message;
  }
  await close(tx, actor, t, { outcome: 'message', conversationId: convId }, 'done');
  return { task: (await presentTasks(tx, actor.workspaceId, [await getTaskRow(tx, actor, id)]))[0], conversationId: convId, message };
}

/** Puts a task out of the queue until a later time. */
export async function snoozeTask(tx: Tx, actor: Actor, id: string, until: Date) {
  if (until.getTime() <= Date.now()) throw new Invalid('until', 'must be in the future');
  const t = await openTaskFor(tx, actor, id);
  await tx.update(outreachTasks).set({ snoozedUntil: until, updatedAt: new Date() }).where(eq(outreachTasks.id, t.id));
  await recordEvent(tx, { workspaceId: actor.workspaceId, type: 'outreach_task.changed', actorMemberId: actor.memberId, data: { taskId: t.id, status: 'open', change: 'snoozed' } });
  return (await presentTasks(tx, actor.workspaceId, [await getTaskRow(tx, actor, id)]))[0];
}

/** Closes a task without contact, saying why (the customer asked not to be called, a duplicate …). */
export async function dismissTask(tx: Tx, actor: Actor, id: string, reason: string) {
  const t = await openTaskFor(tx, actor, id);
  await close(tx, actor, t, { dismissReason: reason }, 'dismissed');
  return (await presentTasks(tx, actor.workspaceId, [await getTaskRow(tx, actor, id)]))[0];
}
