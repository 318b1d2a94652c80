import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { outreachRules } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Invalid, mustRefer, NotFound } from '../../core/errors.js';
import { getBusinessHoursRow } from '../../core/business-hours/service.js';
import { recordAudit } from '../audit/service.js';
import { getMember } from '../members/service.js';
import { getTeam } from '../teams/service.js';
import type { OutreachRuleCreate, OutreachRuleUpdate } from './schema.js';

export type OutreachRule = typeof outreachRules.$inferSelect;

export function presentOutreachRule(r: OutreachRule) {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    eventType: r.eventType,
    productSku: r.productSku,
    delay: { amount: r.delayAmount, unit: r.delayUnit },
    businessHoursId: r.businessHoursId,
    teamId: r.teamId,
    assigneeId: r.assigneeId,
    instructions: r.instructions,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The rule's delay in minutes. */
export const delayMinutes = (r: Pick<OutreachRule, 'delayAmount' | 'delayUnit'>) => r.delayAmount * (r.delayUnit === 'days' ? 1440 : 60);

export async function listOutreachRules(db: Executor, actor: Pick<Actor, 'workspaceId'>) {
  const rows = await db.select().from(outreachRules).where(eq(outreachRules.workspaceId, actor.workspaceId)).orderBy(asc(outreachRules.name));
  return rows.map(presentOutreachRule);
}

/** Every enabled rule of every workspace: what the sweep follows up. */
export async function enabledOutreachRules(db: Executor) {
  return db.select().from(outreachRules).where(eq(outreachRules.enabled, true)).orderBy(asc(outreachRules.createdAt));
}

async function getRuleRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [r] = await db.select().from(outreachRules).where(and(eq(outreachRules.id, id), eq(outreachRules.workspaceId, actor.workspaceId)));
  if (!r) throw new NotFound('Outreach rule');
  return r;
}

/** Whom a rule names exists in the workspace: the team, the agent, the calendar. */
async function checkReferences(db: Executor, actor: Actor, r: { teamId?: string | null; assigneeId?: string | null; businessHoursId?: string | null }) {
  if (r.teamId) await mustRefer('teamId', 'no such team', () => getTeam(db, actor, r.teamId!));
  if (r.assigneeId) {
    await mustRefer('assigneeId', 'no such member', async () => {
      const m = await getMember(db, actor, r.assigneeId!);
      if (!m.active) throw new NotFound('Member');
    });
  }
  if (r.businessHoursId) await mustRefer('businessHoursId', 'no such business hours', () => getBusinessHoursRow(db, actor, r.businessHoursId!));
}

export async function createOutreachRule(tx: Executor, actor: Actor, input: OutreachRuleCreate) {
  await checkReferences(tx, actor, input);
  const [r] = await tx
    .insert(outreachRules)
    .values({
      workspaceId: actor.workspaceId,
      name: input.name,
      enabled: input.enabled,
      eventType: input.eventType,
      productSku: input.productSku,
      delayAmount: input.delay.amount,
      delayUnit: input.delay.unit,
      businessHoursId: input.businessHoursId,
      teamId: input.teamId,
      assigneeId: input.assigneeId,
      instructions: input.instructions,
    })
    .returning();
  await recordAudit(tx, actor, { action: 'outreach_rule.create', targetType: 'outreach_rule', targetId: r.id, data: { name: r.name } });
  return presentOutreachRule(r);
}

/** Changes a rule. Tasks it made stay as they are and are never made twice (one per rule and event). */
export async function updateOutreachRule(tx: Executor, actor: Actor, id: string, input: OutreachRuleUpdate) {
  const before = await getRuleRow(tx, actor, id);
  await checkReferences(tx, actor, input);
  const teamId = input.teamId !== undefined ? input.teamId : before.teamId;
  const assigneeId = input.assigneeId !== undefined ? input.assigneeId : before.assigneeId;
  if (!teamId && !assigneeId) throw new Invalid('teamId', 'give a team or an agent for the tasks');
  const { delay, ...rest } = input;
  const [r] = await tx
    .update(outreachRules)
    .set({ ...rest, ...(delay ? { delayAmount: delay.amount, delayUnit: delay.unit } : {}), updatedAt: new Date() })
    .where(eq(outreachRules.id, id))
    .returning();
  await recordAudit(tx, actor, { action: 'outreach_rule.update', targetType: 'outreach_rule', targetId: id, data: { fields: Object.keys(input) } });
  return presentOutreachRule(r);
}

/** Deletes a rule; the tasks it made stay, naming it as it was. */
export async function deleteOutreachRule(tx: Executor, actor: Actor, id: string) {
  const r = await getRuleRow(tx, actor, id);
  await tx.delete(outreachRules).where(eq(outreachRules.id, id));
  await recordAudit(tx, actor, { action: 'outreach_rule.delete', targetType: 'outreach_rule', targetId: id, data: { name: r.name } });
}
