import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversationOrders, orderLines, orders } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Forbidden, NotFound } from '../../core/errors.js';
import { getContactRow, identifyContact } from '../contacts/service.js';
import { recordOrderLinked } from '../conversations/commands.js';
import { conversationPolicy } from '../conversations/policy.js';
import { getConversationRow } from '../conversations/service.js';
import { productsBySku } from './products.js';
import type { OrderInput } from './schema.js';

type Order = typeof orders.$inferSelect;
type Line = typeof orderLines.$inferSelect;

export function presentOrder(o: Order, lines: Line[], linked?: boolean) {
  return {
    id: o.id,
    externalId: o.externalId,
    contactId: o.contactId,
    status: o.status,
    currency: o.currency,
    total: Number(o.total),
    placedAt: o.placedAt,
    lines: lines.map((l) => ({ sku: l.sku, productId: l.productId, name: l.name, qty: l.qty, price: Number(l.price) })),
    ...(linked === undefined ? {} : { linked }),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

async function withLines(db: Executor, rows: Order[], linkedTo?: string) {
  if (!rows.length) return [];
  const ids = rows.map((o) => o.id);
  const lines = await db.select().from(orderLines).where(inArray(orderLines.orderId, ids)).orderBy(asc(orderLines.orderId), asc(orderLines.position));
  const linked = linkedTo
    ? new Set(
        (await db.select({ orderId: conversationOrders.orderId }).from(conversationOrders).where(and(eq(conversationOrders.conversationId, linkedTo), inArray(conversationOrders.orderId, ids)))).map(
          (l) => l.orderId,
        ),
      )
    : undefined;
  return rows.map((o) => presentOrder(o, lines.filter((l) => l.orderId === o.id), linked?.has(o.id)));
}

/**
 * Saves an order from the shop's system, once per external id: the contact is found or
 * created from what the order names, each line is matched to the catalog by SKU, and
 * sending the same order again replaces its status and lines (so a retry changes nothing).
 */
export async function upsertOrder(tx: Executor, actor: Actor, input: OrderInput) {
  const { contact } = await identifyContact(tx, actor.workspaceId, input.contact);
  const bySku = await productsBySku(tx, actor.workspaceId, input.lines.map((l) => l.sku));
  const total = input.lines.reduce((sum, l) => sum + Math.round(l.price * 100) * l.qty, 0) / 100;
  const values = { contactId: contact.id, status: input.status, currency: input.currency ?? null, total: total.toFixed(2), placedAt: new Date(input.placedAt), updatedAt: new Date() };
  const [before] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.workspaceId, actor.workspaceId), eq(orders.externalId, input.externalId)))
    .for('update');
  const [o] = before
    ? await tx.update(orders).set(values).where(eq(orders.id, before.id)).returning()
    : await tx
        .insert(orders)
        .values({ workspaceId: actor.workspaceId, externalId: input.externalId, ...values })
        .onConflictDoUpdate({ target: [orders.workspaceId, orders.externalId], set: values })
        .returning();
  await tx.delete(orderLines).where(eq(orderLines.orderId, o.id));
  const lines = await tx
    .insert(orderLines)
    .values(
      input.lines.map((l, i) => {
        const p = bySku.get(l.sku);
        return { orderId: o.id, position: i, sku: l.sku, productId: p?.id ?? null, name: l.name ?? p?.name ?? '', qty: l.qty, price: l.price.toFixed(2) };
      }),
    )
    .returning();
  return { created: !before, order: presentOrder(o, lines) };
}

export async function getOrder(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [o] = await db.select().from(orders).where(and(eq(orders.id, id), eq(orders.workspaceId, actor.workspaceId)));
  if (!o) throw new NotFound('Order');
  return (await withLines(db, [o]))[0];
}

/** A contact's orders with their lines, newest first (at most 50); `linked` says which are linked to `conversationId`. */
export async function ordersOfContact(db: Executor, actor: Pick<Actor, 'workspaceId'>, contactId: string, conversationId?: string) {
  const contact = await getContactRow(db, actor, contactId);
  const rows = await db
    .select()
    .from(orders)
    .where(and(eq(orders.workspaceId, actor.workspaceId), eq(orders.contactId, contact.id)))
    .orderBy(desc(orders.placedAt))
    .limit(50);
  return withLines(db, rows, conversationId);
}

/** The orders of a conversation's customer, each saying whether it is linked to the conversation. */
export async function ordersOfConversation(db: Executor, actor: Actor, conversationId: string) {
  const c = await getConversationRow(db, actor, conversationId);
  return ordersOfContact(db, actor, c.contactId, c.id);
}

/**
 * Links one of the customer's orders to a conversation (who may change the conversation
 * may): the link is kept, and the timeline records `order.linked`. Linking it again changes nothing.
 */
export async function linkOrder(tx: Executor, actor: Actor, conversationId: string, orderId: string) {
  const c = await getConversationRow(tx, actor, conversationId);
  if (!conversationPolicy.update(actor, c)) throw new Forbidden('A light member links orders only to conversations assigned to them');
  const [o] = await tx.select().from(orders).where(and(eq(orders.id, orderId), eq(orders.workspaceId, actor.workspaceId)));
  if (!o) throw new NotFound('Order');
  const added = await tx.insert(conversationOrders).values({ conversationId: c.id, orderId: o.id, workspaceId: actor.workspaceId, linkedByMemberId: actor.memberId }).onConflictDoNothing().returning();
  if (added.length) await recordOrderLinked(tx, c, actor.memberId, o);
  return { linked: added.length > 0, order: (await withLines(tx, [o], c.id))[0] };
}

/** A contact merged into another: its orders are the kept contact's from now on. */
export async function moveOrders(tx: Executor, workspaceId: string, fromContactId: string, toContactId: string) {
  await tx
    .update(orders)
    .set({ contactId: toContactId, updatedAt: sql`now()` })
    .where(and(eq(orders.workspaceId, workspaceId), eq(orders.contactId, fromContactId)));
}
