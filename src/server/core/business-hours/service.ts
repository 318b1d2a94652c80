import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { businessHours } from '../../db/schema/index.js';
import type { Actor } from '../actor.js';
import { Conflict, NotFound } from '../errors.js';
import { recordAudit } from '../../domains/audit/service.js';
import { widgetsOpenIn } from '../../domains/inboxes/service.js';
import { slaPoliciesCountingIn } from '../../domains/sla/service.js';
import type { Calendar } from './calendar.js';
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

/** A calendar of the workspace for other domains to use (the widget's hours): its arithmetic's input, or null when the workspace has no calendar with that id. */
export async function findCalendar(db: Executor, workspaceId: string, id: string): Promise<(Calendar & { id: string; name: string }) | null> {
  const [r] = await db.select().from(businessHours).where(and(eq(businessHours.id, id), eq(businessHours.workspaceId, workspaceId)));
  return r ? { id: r.id, name: r.name, timeZone: r.timeZone, hours: r.hours, holidays: r.holidays } : null;
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

/** Deletes a calendar nothing counts in; one an SLA policy or a chat widget uses is a conflict naming them. */
export async function deleteBusinessHours(tx: Executor, actor: Actor, id: string) {
  const r = await getBusinessHoursRow(tx, actor, id);
  const policies = await slaPoliciesCountingIn(tx, actor.workspaceId, id);
  const widgets = await widgetsOpenIn(tx, actor.workspaceId, id);
  const users = [policies.length && `the SLA ${policies.length > 1 ? 'policies' : 'policy'} ${policies.join(', ')}`, widgets.length && `the chat ${widgets.length > 1 ? 'widgets' : 'widget'} of ${widgets.join(', ')}`].filter(Boolean);
  if (users.length) throw new Conflict(`Business hours ${r.name} are used by ${users.join(' and by ')}`);
  await tx.delete(businessHours).where(eq(businessHours.id, id));
  await recordAudit(tx, actor, { action: 'business_hours.delete', targetType: 'business_hours', targetId: id, data: { name: r.name } });
}
