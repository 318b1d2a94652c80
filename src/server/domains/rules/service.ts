import { and, asc, eq, max } from 'drizzle-orm';
import type { Actor } from '../../core/actor.js';
import { canAdminister } from '../../core/actor.js';
import { Forbidden, mustRefer, NotFound } from '../../core/errors.js';
import type { Executor } from '../../db/client.js';
import { rules } from '../../db/schema/index.js';
import { getSharedCannedResponse } from '../canned-responses/service.js';
import { previewMatching } from '../conversations/match.js';
import { getInbox } from '../inboxes/service.js';
import { getMember } from '../members/service.js';
import { getTeam } from '../teams/service.js';
import { recordAudit } from '../audit/service.js';
import type { Action, Conditions, RuleCreate, RuleUpdate } from './schema.js';

type RuleRow = typeof rules.$inferSelect;

export function presentRule(r: RuleRow) {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled,
    trigger: r.trigger,
    conditions: r.conditions as Conditions,
    actions: r.actions as Action[],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export async function listRules(db: Executor, actor: Actor) {
  const rows = await db.select().from(rules).where(eq(rules.workspaceId, actor.workspaceId)).orderBy(asc(rules.position), asc(rules.createdAt));
  return rows.map(presentRule);
}

async function getRow(db: Executor, actor: Actor, id: string) {
  const [r] = await db.select().from(rules).where(and(eq(rules.id, id), eq(rules.workspaceId, actor.workspaceId)));
  if (!r) throw new NotFound('Rule');
  return r;
}

export async function getRule(db: Executor, actor: Actor, id: string) {
  return presentRule(await getRow(db, actor, id));
}

/** Members, teams, inboxes and templates a rule names must be the workspace's own. */
async function checkRefs(db: Executor, actor: Actor, conditions: Conditions | undefined, actions: Action[] | undefined) {
  const member = (field: string, id: string) => mustRefer(field, 'no such member', () => getMember(db, actor, id));
  const team = (field: string, id: string) => mustRefer(field, 'no such team', () => getTeam(db, actor, id));
  for (const [i, c] of (conditions?.conditions ?? []).entries()) {
    const field = `conditions.conditions.${i}.value`;
    if (c.field === 'inbox') await mustRefer(field, 'no such inbox', () => getInbox(db, actor, c.value));
    if (c.field === 'assignee' && c.value) await member(field, c.value);
    if (c.field === 'team' && c.value) await team(field, c.value);
  }
  for (const [i, a] of (actions ?? []).entries()) {
    const at = `actions.${i}`;
    if (a.type === 'assign_member' && a.memberId) await member(`${at}.memberId`, a.memberId);
    if ((a.type === 'assign_team' || a.type === 'assign_within_team') && a.teamId) await team(`${at}.teamId`, a.teamId);
    // A rule sends as the workspace: only a shared response, never someone's personal one.
    if (a.type === 'reply_template')
      await mustRefer(`${at}.cannedResponseId`, 'no such shared canned response', () => getSharedCannedResponse(db, actor.workspaceId, a.cannedResponseId));
  }
}

function mustAdminister(actor: Actor) {
  if (!canAdminister(actor)) throw new Forbidden('Only admins change rules');
}

export async function createRule(tx: Executor, actor: Actor, input: RuleCreate) {
  mustAdminister(actor);
  await checkRefs(tx, actor, input.conditions, input.actions);
  const [last] = await tx.select({ position: max(rules.position) }).from(rules).where(eq(rules.workspaceId, actor.workspaceId));
  const [r] = await tx
    .insert(rules)
    .values({
      workspaceId: actor.workspaceId,
      name: input.name,
      position: input.position ?? (last?.position ?? -1) + 1,
      enabled: input.enabled,
      trigger: input.trigger,
      conditions: input.conditions,
      actions: input.actions,
    })
    .returning();
  await recordAudit(tx, actor, { action: 'rule.create', targetType: 'rule', targetId: r.id, data: { name: r.name } });
  return presentRule(r);
}

export async function updateRule(tx: Executor, actor: Actor, id: string, input: RuleUpdate) {
  mustAdminister(actor);
  await getRow(tx, actor, id);
  await checkRefs(tx, actor, input.conditions, input.actions);
  const [r] = await tx
    .update(rules)
    .set({ ...input, updatedAt: new Date() })
    .where(eq(rules.id, id))
    .returning();
  await recordAudit(tx, actor, { action: 'rule.update', targetType: 'rule', targetId: id, data: { name: r.name } });
  return presentRule(r);
}

export async function deleteRule(tx: Executor, actor: Actor, id: string) {
  mustAdminister(actor);
  const r = await getRow(tx, actor, id);
  await tx.delete(rules).where(eq(rules.id, id));
  await recordAudit(tx, actor, { action: 'rule.delete', targetType: 'rule', targetId: id, data: { name: r.name } });
}

/** How many conversations a preview lists; the count covers them all. */
export const PREVIEW_LIMIT = 50;

/** Which of the workspace's conversations still being worked on the conditions match now; nothing is changed. */
export async function previewRule(db: Executor, actor: Actor, conditions: Conditions) {
  await checkRefs(db, actor, conditions, undefined);
  return previewMatching(db, actor.workspaceId, conditions, PREVIEW_LIMIT);
}
