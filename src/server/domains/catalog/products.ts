import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { products } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, type FieldError, Invalid, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';
import { type Attribute, attributeDefinitions, attributesText, checkValues } from './attributes.js';
import type { ProductInput, ProductUpdate } from './schema.js';

export type Product = typeof products.$inferSelect;

export function presentProduct(p: Pick<Product, 'id' | 'sku' | 'name' | 'description' | 'url' | 'price' | 'currency' | 'attributes' | 'createdAt' | 'updatedAt'>) {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    url: p.url,
    price: p.price === null ? null : Number(p.price),
    currency: p.currency,
    attributes: p.attributes,
    createdAt: new Date(p.createdAt),
    updatedAt: new Date(p.updatedAt),
  };
}
export type PresentedProduct = ReturnType<typeof presentProduct>;

async function productRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [p] = await db.select().from(products).where(and(eq(products.id, id), eq(products.workspaceId, actor.workspaceId)));
  if (!p) throw new NotFound('Product');
  return p;
}

export async function getProduct(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  return presentProduct(await productRow(db, actor, id));
}

/** The products of the workspace with these SKUs, by SKU. */
export async function productsBySku(db: Executor, workspaceId: string, skus: string[]) {
  const rows = skus.length ? await db.select().from(products).where(and(eq(products.workspaceId, workspaceId), inArray(products.sku, [...new Set(skus)]))) : [];
  return new Map(rows.map((p) => [p.sku, p]));
}

/** The row a product input makes, on top of what the product held (its attributes merged; a null value removes one). */
function rowOf(defs: Attribute[], input: ProductUpdate, before: Product | undefined, values: Record<string, unknown>) {
  const attributes = { ...(before?.attributes ?? {}) };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete attributes[k];
    else attributes[k] = v;
  }
  const pick = <K extends keyof ProductUpdate>(k: K, fallback: unknown) => (input[k] === undefined ? fallback : input[k]);
  return {
    sku: (pick('sku', before?.sku) as string) ?? '',
    name: (pick('name', before?.name) as string) ?? '',
    description: (pick('description', before?.description ?? '') as string) ?? '',
    url: (pick('url', before?.url ?? null) as string | null) ?? null,
    price: input.price === undefined ? (before?.price ?? null) : input.price === null ? null : input.price.toFixed(2),
    currency: (pick('currency', before?.currency ?? null) as string | null) ?? null,
    attributes,
    attributesText: attributesText(defs, attributes),
    updatedAt: new Date(),
  };
}

/** The value an upsert's insert brought, for its update. */
const sqlExcluded = (column: string) => sql.raw(`excluded."${column}"`);

/**
 * Creates or updates products by SKU, all or none: every input is checked first, and any
 * wrong value is named (`<prefix>.<n>.attributes.length`) before anything is written.
 * Fields an input leaves out keep what the product had; attributes are merged.
 */
export async function upsertProducts(tx: Executor, actor: Actor, inputs: ProductInput[], opts: { prefix?: string; audit?: string } = {}) {
  const prefix = opts.prefix ?? 'products';
  const seen = new Map<string, number>();
  const errors: FieldError[] = [];
  inputs.forEach((p, i) => {
    const first = seen.get(p.sku);
    if (first !== undefined) errors.push({ field: `${prefix}.${i}.sku`, reason: `repeats the SKU of ${prefix}.${first}` });
    else seen.set(p.sku, i);
  });
  const defs = await attributeDefinitions(tx, actor.workspaceId);
  const checked = inputs.map((p, i) => {
    const r = checkValues(defs, p.attributes ?? {}, `${prefix}.${i}.attributes`);
    errors.push(...r.errors);
    return r.values;
  });
  if (errors.length) throw new Invalid(errors);
  const existing = await productsBySku(tx, actor.workspaceId, inputs.map((p) => p.sku));
  const rows = inputs.map((p, i) => ({ workspaceId: actor.workspaceId, ...rowOf(defs, p, existing.get(p.sku), checked[i]) }));
  const saved: Product[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    saved.push(
      ...(await tx
        .insert(products)
        .values(chunk)
        .onConflictDoUpdate({
          target: [products.workspaceId, products.sku],
          set: {
            name: sqlExcluded('name'),
            description: sqlExcluded('description'),
            url: sqlExcluded('url'),
            price: sqlExcluded('price'),
            currency: sqlExcluded('currency'),
            attributes: sqlExcluded('attributes'),
            attributesText: sqlExcluded('attributes_text'),
            updatedAt: sqlExcluded('updated_at'),
          },
        })
        .returning()),
    );
  }
  const created = saved.filter((p) => !existing.has(p.sku)).length;
  await recordAudit(tx, actor, { action: opts.audit ?? 'product.upsert', targetType: 'product', targetId: null, data: { created, updated: saved.length - created } });
  return { created, updated: saved.length - created, items: saved.map(presentProduct) };
}

/** Adds one product (admins); its SKU must be new in the workspace. */
export async function createProduct(tx: Executor, actor: Actor, input: ProductInput) {
  const [dupe] = await tx.select({ id: products.id }).from(products).where(and(eq(products.workspaceId, actor.workspaceId), eq(products.sku, input.sku)));
  if (dupe) throw new Conflict(`A product with the SKU ${input.sku} exists`);
  const r = await upsertProducts(tx, actor, [input], { prefix: 'body', audit: 'product.create' }).catch((err: unknown) => {
    // One product: its fields are named as the body's, not as the first of a list.
    if (err instanceof Invalid) throw new Invalid(err.errors.map((e) => ({ ...e, field: e.field.replace(/^body\.0\./, '') })));
    throw err;
  });
  return r.items[0];
}

/** Changes a product (admins): the fields given; attributes are merged, null removes one. */
export async function updateProduct(tx: Executor, actor: Actor, id: string, input: ProductUpdate) {
  const before = await productRow(tx, actor, id);
  if (input.sku !== undefined && input.sku !== before.sku) {
    const [dupe] = await tx.select({ id: products.id }).from(products).where(and(eq(products.workspaceId, actor.workspaceId), eq(products.sku, input.sku)));
    if (dupe) throw new Conflict(`A product with the SKU ${input.sku} exists`);
  }
  const defs = await attributeDefinitions(tx, actor.workspaceId);
  const r = checkValues(defs, input.attributes ?? {});
  if (r.errors.length) throw new Invalid(r.errors);
  const [p] = await tx.update(products).set(rowOf(defs, input, before, r.values)).where(eq(products.id, before.id)).returning();
  await recordAudit(tx, actor, { action: 'product.update', targetType: 'product', targetId: p.id, data: { sku: p.sku } });
  return presentProduct(p);
}

/** Removes a product (admins); order lines that named it keep its SKU and name. */
export async function deleteProduct(tx: Executor, actor: Actor, id: string) {
  const p = await productRow(tx, actor, id);
  await tx.delete(products).where(eq(products.id, p.id));
  await recordAudit(tx, actor, { action: 'product.delete', targetType: 'product', targetId: p.id, data: { sku: p.sku } });
}
