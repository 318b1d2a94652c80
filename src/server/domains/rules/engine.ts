import { systemActor } from '../../core/actor.js';
import type { FastifyBaseLogger } from 'fastify';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Ctx, inTransaction } from '../../core/context.js';
import { HeardError, Invalid } from '../../core/errors.js';
import type { Processor } from '../../core/events/dispatcher.js';
import { recordEvent, type EventRow } from '../../core/events/record-event.js';
import { readEvent } from '../../core/events/types.js';
import { postJson } from '../../core/webhooks/safe-fetch.js';
import type { Tx } from '../../db/client.js';
import { ruleFirings, rules } from '../../db/schema/index.js';
import { conversationsMatching, lockConversation, whichHold } from '../conversations/match.js';
import { conversationAssignments, type ConversationAssignment } from '../conversations/queries.js';
import { getConversationRow, updateConversation } from '../conversations/service.js';
import { type OnlineMembers, pickAssignee } from '../teams/assignment.js';
import { applyActions } from './apply-actions.js';
import { type Action, type Conditions, type Trigger } from './schema.js';

/**
 * How many rules deep one customer's event may set off: a rule's changes are events that
 * may trigger other rules, whose changes may trigger more. Past this depth nothing fires.
 */
export const MAX_RULE_DEPTH = 5;

type RuleRow = typeof rules.$inferSelect;

/** The rule triggers an event stands for (none for events rules do not watch). */
export function triggersOf(e: Pick<EventRow, 'type' | 'data'>): Trigger[] {
  const t = readEvent(e);
  if (!t) return [];
  if (t.type === 'conversation.created') return ['conversation.created'];
  if (t.type === 'message.created') return t.data.direction === 'in' ? ['message.received'] : [];
  if (t.type === 'sla.warning' || t.type === 'sla.breached') return [t.type];
  if (t.type !== 'conversation.updated') return [];
  const byField: Record<string, Trigger> = { status: 'status.changed', priority: 'priority.changed', assigneeId: 'assignee.changed', teamId: 'team.changed', tags: 'tags.changed' };
  return Object.keys(t.data.changes).flatMap((k) => (byField[k] ? [byField[k]] : []));
}

/** Runs the workspace's rules on each committed event that is one of their triggers. */
export function rulesProcessor(ctx: Ctx, log: FastifyBaseLogger, online?: OnlineMembers): Processor {
  const batch = async (events: EventRow[]) => {
    // One read for the batch: the enabled rules of its workspaces, and where each new or
    // moved conversation stands. Most events then need nothing more.
    const workspaceIds = [...new Set(events.map((e) => e.workspaceId))];
    const triggers = [...new Set(events.flatMap(triggersOf))];
    const enabled = await ctx.db
      .select()
      .from(rules)
      .where(and(inArray(rules.workspaceId, workspaceIds), eq(rules.enabled, true), inArray(rules.trigger, triggers)))
      .orderBy(asc(rules.position), asc(rules.createdAt));
    const entering = events.filter((e) => enteredTeam(e) !== undefined).map((e) => e.conversationId!);
    const seen = new Map((await conversationAssignments(ctx.db, [...new Set(entering)])).map((c) => [c.id, c]));
    for (const e of events) {
      const c = seen.get(e.conversationId!);
      if (c) await assignOnEnteringTeam(ctx, e, c, online);
      const mine = triggersOf(e);
      await runRules(ctx, log, e, enabled.filter((r) => r.workspaceId === e.workspaceId && mine.includes(r.trigger as Trigger)), online);
    }
  };
  return {
    name: 'rules',
    handles: (e) => e.conversationId !== null && triggersOf(e).length > 0,
    process: (e) => batch([e]),
    processBatch: batch,
  };
}

/** For an event that may put a conversation in a team (it was opened, or moved): the team it moved to, or null for a new one. */
function enteredTeam(e: EventRow): string | null | undefined {
  const t = readEvent(e);
  if (t?.type === 'conversation.created') return null;
  const to = t?.type === 'conversation.updated' ? t.data.changes.teamId?.to : undefined;
  return typeof to === 'string' && to ? to : undefined;
}

/**
 * A conversation that enters a team assigning by itself (moved there, or opened in an inbox
 * of that team) and has no one gets its member. `seen` is where it stood when the batch was read.
 */
async function assignOnEnteringTeam(ctx: Ctx, e: EventRow, seen: ConversationAssignment, online?: OnlineMembers) {
  const movedTo = enteredTeam(e);
  if (movedTo === undefined) return;
  const unassignedIn = (c: { assigneeId: string | null; teamId: string | null }) => !c.assigneeId && c.teamId && (!movedTo || c.teamId === movedTo);
  // Most new conversations have no team: the batch's read tells, without a transaction.
  if (!unassignedIn(seen)) return;
  await inTransaction(ctx, async (tx) => {
    // The team is locked before the conversation is read again, in the order deleting a
    // team takes them; one who assigned it meanwhile (a redelivery of this event, or an
    // earlier event of this batch) has committed by then.
    const stillWanted = async () => {
      const c = await getConversationRow(tx, e, seen.id);
      return Boolean(unassignedIn(c)) && c.teamId === seen.teamId;
    };
    const memberId = await pickAssignee(tx, seen.workspaceId, seen.teamId!, { online, stillWanted });
    if (memberId) await withCause(tx, e.cause?.ruleIds ?? [], () => updateConversation(tx, systemActor.job(seen.workspaceId, 'auto-assign'), seen.id, { assigneeId: memberId }));
  });
}

/** Fires, in their order, those of `candidates` (the workspace's enabled rules for the event's triggers) whose conditions hold. */
async function runRules(ctx: Ctx, log: FastifyBaseLogger, e: EventRow, candidates: RuleRow[], online?: OnlineMembers) {
  // The loop guard: rules that caused this event, and chains too deep, fire no more.
  const chain = e.cause?.ruleIds ?? [];
  if (chain.length >= MAX_RULE_DEPTH) return;
  let pending = candidates.filter((r) => !chain.includes(r.id));
  // One query tells which rules match now; after one fires, those after it are asked again.
  while (pending.length) {
    const now = await whichHold(ctx.db, e.workspaceId, e.conversationId!, pending.map((r) => r.conditions as Conditions));
    const next = pending.findIndex((_, i) => now[i]);
    if (next < 0) break;
    await fireRule(ctx, log, pending[next], e.conversationId!, e.id, chain, online);
    pending = pending.slice(next + 1);
  }
}

/**
 * Fires one rule on one conversation for one occasion, if its conditions hold now and it
 * has not fired for that occasion before: its actions, the firing record and a rule.fired
 * event commit together. Every event written meanwhile carries the rule in its cause.
 */
export async function fireRule(ctx: Ctx, log: FastifyBaseLogger, rule: RuleRow, conversationId: string, occasion: string, chain: string[], online?: OnlineMembers) {
  const firing = { workspaceId: rule.workspaceId, ruleId: rule.id, occasion, conversationId };
  let webhooks: string[];
  try {
    webhooks = await inTransaction(ctx, async (tx) => {
      // One rule at a time per conversation: later rules see the earlier ones' changes.
      await lockConversation(tx, conversationId);
      const [holds] = await whichHold(tx, rule.workspaceId, conversationId, [rule.conditions as Conditions]);
      if (!holds) return [];
      const [fresh] = await tx.insert(ruleFirings).values(firing).onConflictDoNothing().returning({ id: ruleFirings.id });
      if (!fresh) return [];
      const actions = rule.actions as Action[];
      const { webhooks } = await withCause(tx, [...chain, rule.id], () => applyActions(tx, systemActor.rule(rule.workspaceId, rule.id, rule.name), conversationId, actions, online));
      await recordEvent(tx, {
        workspaceId: rule.workspaceId,
        conversationId,
        type: 'rule.fired',
        data: { ruleId: rule.id, ruleName: rule.name, trigger: rule.trigger, occasion, actions: actions.map((a) => a.type) },
      });
      return webhooks;
    });
  } catch (err) {
    // An action the domain refuses (a member since deactivated, a template deleted) will be
    // refused again on every retry: none of the rule's changes were made; the timeline says
    // why, and the rules after it still run. Anything else (the database went away) is retried.
    if (!(err instanceof HeardError)) throw err;
    // Said to agents on the timeline: the reasons, without the API's field paths.
    const reason = err instanceof Invalid ? err.errors.map((e) => e.reason).join('; ') : err.message;
    log.warn({ rule: rule.id, conversationId, reason: err.message }, 'rule could not be applied');
    await inTransaction(ctx, async (tx) => {
      const [fresh] = await tx.insert(ruleFirings).values(firing).onConflictDoNothing().returning({ id: ruleFirings.id });
      if (!fresh) return;
      await recordEvent(tx, {
        workspaceId: rule.workspaceId,
        conversationId,
        type: 'rule.failed',
        data: { ruleId: rule.id, ruleName: rule.name, trigger: rule.trigger, occasion, reason },
      });
    });
    return;
  }
  for (const url of webhooks) {
    const body = JSON.stringify({ event: 'rule.fired', rule: { id: rule.id, name: rule.name }, conversationId, occasion });
    // Called once, after the changes committed; a failure is logged, not retried (the changes stand).
    await postJson(url, body, {}, ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS).then(
      (r) => r.status >= 300 && log.warn({ rule: rule.id, status: r.status }, 'rule webhook refused'),
      (err) => log.warn({ err, rule: rule.id }, 'rule webhook failed'),
    );
  }
}

/** Events recorded inside `fn` carry the chain of rules that caused them (events.cause). */
async function withCause<T>(tx: Tx, ruleIds: string[], fn: () => Promise<T>): Promise<T> {
  await tx.execute(sql`select set_config('heard.cause', ${JSON.stringify({ ruleIds })}, true)`);
  const result = await fn();
  await tx.execute(sql`select set_config('heard.cause', '', true)`);
  return result;
}

/** How many conversations one time rule handles per pass; the rest wait for the next minute. */
const TIME_BATCH = 100;

/**
 * Time rules: each enabled one fires on the conversations its conditions match now, once
 * per state of the conversation (its last change), so a conversation still pending a day
 * later is not handled again unless something changed it. Any number of nodes may run
 * this: the firing record lets one of them apply each.
 */
export async function runTimeRules(ctx: Ctx, log: FastifyBaseLogger, online?: OnlineMembers) {
  const due = await ctx.db.select().from(rules).where(and(eq(rules.enabled, true), eq(rules.trigger, 'time'))).orderBy(asc(rules.workspaceId), asc(rules.position), asc(rules.createdAt));
  for (const rule of due) {
    const found = await conversationsMatching(ctx.db, rule.workspaceId, rule.conditions as Conditions, {
      narrow: (c) => sql`not exists (select 1 from ${ruleFirings} f where f.rule_id = ${rule.id} and f.occasion = 'time:' || ${c.id} || '@' || ${c.updatedAt}::text)`,
    }).limit(TIME_BATCH);
    for (const c of found) await fireRule(ctx, log, rule, c.id, `time:${c.id}@${c.occasion}`, [], online);
  }
}

/** Runs the time rules every minute on this node until stopped. */
export function startTimeRules(ctx: Ctx, log: FastifyBaseLogger, online?: OnlineMembers, everyMs = 60_000) {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= runTimeRules(ctx, log, online)
      .catch((err) => log.error({ err }, 'time rules failed'))
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
