import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { businessHours } from '../../db/schema/index.js';
import type { Actor } from '../actor.js';
import { Conflict, NotFound } from '../errors.js';
import { recordAudit } from '../../domains/audit/service.js';
import { slaPoliciesCountingIn } from '../../domains/sla/service.js';
import type { BusinessHoursCreate, BusinessHoursUpdate } from './schema.js';

type Row = typeof businessHours.$inferSelect;

export function presentBusinessHours(r: Row) {
  return { id: r.id, name: r.name, timeZone: r.timeZone, hours: r.hours, holidays: r.holidays, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

export async function listBusinessHours(db: Executor, actor: Pick<Actor, 'workspaceId'>) {
  const rows = await db.select().from(businessHours).where(eq(businessHours.workspaceId, actor.workspaceId)).orderBy(asc(businessHours.name));
  return { items: rows.map(presentBusinessHours) };
}

/** One calendar of the actor's workspace, or NotFound (another workspace's is not found either). */
export async function getBusinessHoursRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [r] = await db.select().from(businessHours).where(and(eq(businessHours.id, id), eq(businessHours.workspaceId, actor.workspaceId)));
  if (!r) throw new NotFound('Business hours');
  return r;
}

export async function createBusinessHours(tx: Executor, actor: Actor, input: BusinessHoursCreate) {
  const [r] = await tx.insert(businessHours).values({ workspaceId: actor.workspaceId, ...input }).returning();
  await recordAudit(tx, actor, { action: 'business_hours.create', targetType: 'business_hours', targetId: r.id, data: { name: r.name } });
  return presentBusinessHours(r);
}

/** Changes a calendar; conversations' due times follow at their next event (docs/sla.md). */
export async function updateBusinessHours(tx: Executor, actor: Actor, id: string, input: BusinessHoursUpdate) {
  await getBusinessHoursRow(tx, actor, id);
  const [r] = await tx
    .update(businessHours)
    .set({ ...input, updatedAt: new Date() })
    .where(eq(businessHours.id, id))
    .returning();
  await recordAudit(tx, actor, { action: 'business_hours.update', targetType: 'business_hours', targetId: id, data: { fields: Object.keys(input) } });
  return presentBusinessHours(r);
}

/** Deletes a calendar no SLA policy counts in; one in use is a conflict naming the policies. */
export async function deleteBusinessHours(tx: Executor, actor: Actor, id: string) {
  const r = await getBusinessHoursRow(tx, actor, id);
  const users = await slaPoliciesCountingIn(tx, actor.workspaceId, id);
  if (users.length) throw new Conflict(`Business hours ${r.name} are used by the SLA policies ${users.join(', ')}`);
  await tx.delete(businessHours).where(eq(businessHours.id, id));
  await recordAudit(tx, actor, { action: 'business_hours.delete', targetType: 'business_hours', targetId: id, data: { name: r.name } });
}
