import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { businessHours, type SlaConditions, slaAlerts, slaPolicies, SLA_TARGETS, type SlaTarget, type SlaTargetSpec } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';
import type { TargetClock } from './compute-sla.js';
import type { SlaPolicyCreate, SlaPolicyUpdate } from './schema.js';

type Row = typeof slaPolicies.$inferSelect;

export function presentSlaPolicy(p: Row) {
  return {
    id: p.id,
    name: p.name,
    position: p.position,
    enabled: p.enabled,
    conditions: p.conditions,
    targets: p.targets,
    warnBeforeMinutes: p.warnBeforeMinutes,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export async function listSlaPolicies(db: Executor, actor: Pick<Actor, 'workspaceId'>) {
  const rows = await db.select().from(slaPolicies).where(eq(slaPolicies.workspaceId, actor.workspaceId)).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
  return { items: rows.map(presentSlaPolicy) };
}

export async function getSlaPolicyRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [p] = await db.select().from(slaPolicies).where(and(eq(slaPolicies.id, id), eq(slaPolicies.workspaceId, actor.workspaceId)));
  if (!p) throw new NotFound('SLA policy');
  return p;
}

type TargetsInput = SlaPolicyCreate['targets'];

/** The targets as stored, each calendar checked to be the workspace's own. */
async function storedTargets(tx: Executor, actor: Actor, targets: TargetsInput) {
  const out: Partial<Record<SlaTarget, SlaTargetSpec>> = {};
  for (const t of SLA_TARGETS) {
    const spec = targets[t];
    if (!spec) continue;
    if (spec.businessHoursId) {
      const [cal] = await tx
        .select({ id: businessHours.id })
        .from(businessHours)
        .where(and(eq(businessHours.id, spec.businessHoursId), eq(businessHours.workspaceId, actor.workspaceId)));
      if (!cal) throw new Invalid(`targets.${t}.businessHoursId`, 'is not a business-hours calendar of this workspace');
    }
    out[t] = { minutes: spec.minutes, businessHoursId: spec.businessHoursId ?? null };
  }
  return out;
}

/** Puts `id` at `position` in the workspace's order and numbers the policies 0, 1, 2 … again. */
async function reorder(tx: Executor, workspaceId: string, id: string, position: number | undefined) {
  const rows = await tx.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.workspaceId, workspaceId)).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt)).for('update');
  const order = rows.map((r) => r.id).filter((x) => x !== id);
  order.splice(Math.min(position ?? order.length, order.length), 0, id);
  for (const [i, pid] of order.entries()) await tx.update(slaPolicies).set({ position: i }).where(eq(slaPolicies.id, pid));
}

/** Adds a policy (admins), last in the order unless a position is given. */
export async function createSlaPolicy(tx: Executor, actor: Actor, input: SlaPolicyCreate) {
  const [p] = await tx
    .insert(slaPolicies)
    .values({
      workspaceId: actor.workspaceId,
      name: input.name,
      position: 1_000_000,
      enabled: input.enabled,
      conditions: input.conditions as SlaConditions,
      targets: await storedTargets(tx, actor, input.targets),
      warnBeforeMinutes: input.warnBeforeMinutes ?? null,
    })
    .returning();
  await reorder(tx, actor.workspaceId, p.id, input.position);
  await recordAudit(tx, actor, { action: 'sla_policy.create', targetType: 'sla_policy', targetId: p.id, data: { name: p.name } });
  return presentSlaPolicy(await getSlaPolicyRow(tx, actor, p.id));
}

/** Changes a policy; conversations follow at their next event (docs/sla.md). */
export async function updateSlaPolicy(tx: Executor, actor: Actor, id: string, input: SlaPolicyUpdate) {
  await getSlaPolicyRow(tx, actor, id);
  const patch: Partial<typeof slaPolicies.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.enabled !== undefined) patch.enabled = input.enabled;
  if (input.conditions !== undefined) patch.conditions = input.conditions as SlaConditions;
  if (input.targets !== undefined) patch.targets = await storedTargets(tx, actor, input.targets);
  if (input.warnBeforeMinutes !== undefined) patch.warnBeforeMinutes = input.warnBeforeMinutes;
  await tx.update(slaPolicies).set(patch).where(eq(slaPolicies.id, id));
  if (input.position !== undefined) await reorder(tx, actor.workspaceId, id, input.position);
  await recordAudit(tx, actor, { action: 'sla_policy.update', targetType: 'sla_policy', targetId: id, data: { fields: Object.keys(input) } });
  return presentSlaPolicy(await getSlaPolicyRow(tx, actor, id));
}

export async function deleteSlaPolicy(tx: Executor, actor: Actor, id: string) {
  const p = await getSlaPolicyRow(tx, actor, id);
  await tx.delete(slaPolicies).where(eq(slaPolicies.id, id));
  const rest = await tx.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.workspaceId, actor.workspaceId)).orderBy(asc(slaPolicies.position));
  for (const [i, r] of rest.entries()) await tx.update(slaPolicies).set({ position: i }).where(eq(slaPolicies.id, r.id));
  await recordAudit(tx, actor, { action: 'sla_policy.delete', targetType: 'sla_policy', targetId: id, data: { name: p.name } });
}

/** The names of the workspace's policies with a target counted in a calendar (which may then not be deleted). */
export async function slaPoliciesCountingIn(db: Executor, workspaceId: string, businessHoursId: string) {
  const rows = await db.select({ name: slaPolicies.name, targets: slaPolicies.targets }).from(slaPolicies).where(eq(slaPolicies.workspaceId, workspaceId));
  return rows.filter((p) => SLA_TARGETS.some((t) => p.targets[t]?.businessHoursId === businessHoursId)).map((p) => p.name);
}

/** What a policy's conditions look at on a conversation. */
export interface SlaSubject {
  workspaceId: string;
  inboxId: string;
  teamId: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  tags: string[];
  contactAttributes: Record<string, unknown>;
}

/** Whether a policy's conditions all hold for a conversation. */
export function policyMatches(c: SlaConditions, s: SlaSubject): boolean {
  if (c.inboxIds && !c.inboxIds.includes(s.inboxId)) return false;
  if (c.teamIds && !(s.teamId && c.teamIds.includes(s.teamId))) return false;
  if (c.priorities && !c.priorities.includes(s.priority)) return false;
  if (c.tags && !c.tags.some((t) => s.tags.includes(t))) return false;
  if (c.contactAttribute && s.contactAttributes[c.contactAttribute.key] !== c.contactAttribute.value) return false;
  return true;
}

/**
 * The policy that applies to a conversation, the first enabled match in order, with its
 * targets' clocks (calendars loaded); null when none matches.
 */
/**
 * Whether the workspace has any enabled SLA policy (most have none, and need no more
 * look-ups), as a column of a query. `workspaceId` names the outer column in full
 * ("conversations"."workspace_id"): Drizzle leaves a one-table select's columns unqualified.
 */
export function slaPolicyExists(workspaceId: SQL) {
  return sql<boolean>`exists (select 1 from ${slaPolicies} p where p.workspace_id = ${workspaceId} and p.enabled)`;
}

export async function applicableSlaPolicy(db: Executor, s: SlaSubject) {
  const rows = await db
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.workspaceId, s.workspaceId), eq(slaPolicies.enabled, true)))
    .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
  const policy = rows.find((p) => policyMatches(p.conditions, s));
  if (!policy) return null;
  const ids = SLA_TARGETS.map((t) => policy.targets[t]?.businessHoursId).filter((x): x is string => !!x);
  const cals = ids.length ? await db.select().from(businessHours).where(inArray(businessHours.id, ids)) : [];
  const clocks: Partial<Record<SlaTarget, TargetClock>> = {};
  for (const t of SLA_TARGETS) {
    const spec = policy.targets[t];
    if (!spec) continue;
    const cal = spec.businessHoursId ? cals.find((c) => c.id === spec.businessHoursId) : undefined;
    clocks[t] = { minutes: spec.minutes, calendar: cal ? { timeZone: cal.timeZone, hours: cal.hours, holidays: cal.holidays } : null };
  }
  return { policy, clocks };
}

/** How long before a due time a target's warning fires: the policy's setting, or 15 minutes or a quarter of the target, whichever is less. */
export function warnBeforeMinutes(policy: Pick<Row, 'warnBeforeMinutes'>, target: SlaTargetSpec): number {
  return policy.warnBeforeMinutes ?? Math.min(15, target.minutes / 4);
}

/**
 * Records that a warning or breach was said for one run of a target; false when it was
 * already (another node, a retry): the row's key, not the queue, makes each alert once.
 */
export async function claimSlaAlert(tx: Executor, alert: { conversationId: string; target: SlaTarget; kind: 'warning' | 'breached'; cycleStartedAt: Date }) {
  const inserted = await tx.insert(slaAlerts).values(alert).onConflictDoNothing().returning({ id: slaAlerts.conversationId });
  return inserted.length > 0;
}
