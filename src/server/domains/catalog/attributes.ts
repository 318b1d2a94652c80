import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { catalogAttributes, products } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';
import type { AttributeCreate, AttributeUpdate } from './schema.js';

export type Attribute = typeof catalogAttributes.$inferSelect;

const DEFAULT_AXES = ['length', 'width', 'height'];

export function presentAttribute(a: Attribute) {
  return { id: a.id, key: a.key, label: a.label, type: a.type, unit: a.unit, options: a.options, axes: a.axes, position: a.position, createdAt: a.createdAt };
}

/** The workspace's attribute definitions, in their order. */
export async function attributeDefinitions(db: Executor, workspaceId: string) {
  return db.select().from(catalogAttributes).where(eq(catalogAttributes.workspaceId, workspaceId)).orderBy(asc(catalogAttributes.position), asc(catalogAttributes.createdAt));
}

export async function listAttributes(db: Executor, actor: Pick<Actor, 'workspaceId'>) {
  return (await attributeDefinitions(db, actor.workspaceId)).map(presentAttribute);
}

async function attributeRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [a] = await db.select().from(catalogAttributes).where(and(eq(catalogAttributes.id, id), eq(catalogAttributes.workspaceId, actor.workspaceId)));
  if (!a) throw new NotFound('Attribute');
  return a;
}

/** Defines a product attribute (admins); a key is defined once per workspace. */
export async function createAttribute(tx: Executor, actor: Actor, input: AttributeCreate) {
  const [dupe] = await tx
    .select({ id: catalogAttributes.id })
    .from(catalogAttributes)
    .where(and(eq(catalogAttributes.workspaceId, actor.workspaceId), eq(catalogAttributes.key, input.key)));
  if (dupe) throw new Conflict(`An attribute with the key ${input.key} exists`);
  const [{ next }] = await tx
    .select({ next: sql<number>`coalesce(max(${catalogAttributes.position}) + 1, 0)::int` })
    .from(catalogAttributes)
    .where(eq(catalogAttributes.workspaceId, actor.workspaceId));
  const [a] = await tx
    .insert(catalogAttributes)
    .values({
      workspaceId: actor.workspaceId,
      key: input.key,
      label: input.label,
      type: input.type,
      unit: input.unit ?? null,
      options: input.options ?? [],
      axes: input.type === 'dimensions' ? (input.axes?.length ? input.axes : DEFAULT_AXES) : [],
      position: next,
    })
    .returning();
  await recordAudit(tx, actor, { action: 'catalog_attribute.create', targetType: 'catalog_attribute', targetId: a.id, data: { key: a.key, type: a.type } });
  return presentAttribute(a);
}

/** Changes an attribute's label, unit, options or position (admins). Values already stored stay as they are. */
export async function updateAttribute(tx: Executor, actor: Actor, id: string, input: AttributeUpdate) {
  const a = await attributeRow(tx, actor, id);
  if (input.options !== undefined && a.type !== 'choice') throw new Invalid('options', 'only a choice attribute has options');
  if (input.options !== undefined && !input.options.length) throw new Invalid('options', 'a choice attribute needs at least one option');
  if (input.unit && a.type !== 'number' && a.type !== 'dimensions') throw new Invalid('unit', 'only numbers and dimensions have a unit');
  const patch: Partial<typeof catalogAttributes.$inferInsert> = {};
  if (input.label !== undefined) patch.label = input.label;
  if (input.unit !== undefined) patch.unit = input.unit;
  if (input.options !== undefined) patch.options = input.options;
  if (input.position !== undefined) patch.position = input.position;
  const [updated] = Object.keys(patch).length ? await tx.update(catalogAttributes).set(patch).where(eq(catalogAttributes.id, a.id)).returning() : [a];
  await recordAudit(tx, actor, { action: 'catalog_attribute.update', targetType: 'catalog_attribute', targetId: a.id, data: input });
  return presentAttribute(updated);
}

/** Removes an attribute (admins) and its value from every product, in one transaction. */
export async function deleteAttribute(tx: Executor, actor: Actor, id: string) {
  const a = await attributeRow(tx, actor, id);
  await tx.delete(catalogAttributes).where(eq(catalogAttributes.id, a.id));
  await tx
    .update(products)
    .set({ attributes: sql`${products.attributes} - ${a.key}::text` })
    .where(and(eq(products.workspaceId, actor.workspaceId), sql`${products.attributes} ? ${a.key}::text`));
  await recordAudit(tx, actor, { action: 'catalog_attribute.delete', targetType: 'catalog_attribute', targetId: a.id, data: { key: a.key } });
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;
const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

/** A number as written, with the attribute's unit after it or not ("1200", "1200 mm"); undefined when it is none. */
function numberOf(a: Pick<Attribute, 'unit'>, v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) < 1e12 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  let s = v.trim();
  if (a.unit && s.toLowerCase().endsWith(a.unit.toLowerCase())) s = s.slice(0, -a.unit.length).trim();
  return NUMBER.test(s) && s.length <= 20 ? Number(s) : undefined;
}

/**
 * A value for attribute `a`, as stored, from what the API or a CSV cell gave: text,
 * a number (also "1200 mm"), true/false (also yes/no), one of the options (in any case),
 * dimensions as { length: 1200, … } or "1200x400x300". `null` removes the value.
 */
export function normalizeValue(a: Attribute, v: unknown): { value: unknown } | { problem: string } {
  if (v === null || v === '') return { value: null };
  switch (a.type) {
    case 'text':
      return typeof v === 'string' && v.length <= 1000 ? { value: v.trim() } : { problem: 'must be text of at most 1,000 characters' };
    case 'number': {
      const n = numberOf(a, v);
      return n === undefined ? { problem: `must be a number${a.unit ? ` (in ${a.unit})` : ''}` } : { value: n };
    }
    case 'boolean': {
      if (typeof v === 'boolean') return { value: v };
      const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
      return TRUE.has(s) ? { value: true } : FALSE.has(s) ? { value: false } : { problem: 'must be yes or no' };
    }
    case 'choice': {
      const option = typeof v === 'string' ? a.options.find((o) => o.toLowerCase() === v.trim().toLowerCase()) : undefined;
      return option ? { value: option } : { problem: `must be one of ${a.options.join(', ')}` };
    }
    case 'dimensions': {
      const want = `${a.axes.join(' × ')}${a.unit ? ` in ${a.unit}` : ''}, like ${a.axes.map((_, i) => 1200 / (i + 1)).join('x')}`;
      let parts: unknown[] | undefined;
      if (typeof v === 'string') {
        const s = a.unit && v.trim().toLowerCase().endsWith(a.unit.toLowerCase()) ? v.trim().slice(0, -a.unit.length) : v;
        parts = s.split(/\s*[x×*]\s*/i);
      } else if (v && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        if (Object.keys(o).some((k) => !a.axes.includes(k))) return { problem: `must be ${want}` };
        parts = a.axes.map((axis) => o[axis]);
      }
      const numbers = parts?.length === a.axes.length ? parts.map((p) => numberOf({ unit: null }, p)) : [];
      if (!numbers.length || numbers.some((n) => n === undefined || n < 0)) return { problem: `must be ${want}` };
      return { value: Object.fromEntries(a.axes.map((axis, i) => [axis, numbers[i]])) };
    }
  }
}

/**
 * Checks and normalises a product's attribute values against the definitions; each
 * wrong key is named under `prefix` ("attributes.length"). Keys without a definition
 * are refused: attributes are typed.
 */
export function checkValues(defs: Attribute[], values: Record<string, unknown>, prefix = 'attributes') {
  const out: Record<string, unknown> = {};
  const errors: { field: string; reason: string }[] = [];
  for (const [k, v] of Object.entries(values)) {
    const a = defs.find((d) => d.key === k);
    if (!a) {
      errors.push({ field: `${prefix}.${k}`, reason: 'is no attribute of the catalog; define it first' });
      continue;
    }
    const r = normalizeValue(a, v);
    if ('problem' in r) errors.push({ field: `${prefix}.${k}`, reason: r.problem });
    else out[k] = r.value;
  }
  return { values: out, errors };
}

/** A product's attribute values as words for search: "Inner length 1200 mm Wheels Colour black". A boolean counts only when true. */
export function attributesText(defs: Attribute[], values: Record<string, unknown>) {
  const words: string[] = [];
  for (const a of defs) {
    const v = values[a.key];
    if (v === undefined || v === null || v === false) continue;
    if (v === true) words.push(a.label);
    else if (a.type === 'dimensions' && typeof v === 'object') {
      const sizes = a.axes.map((axis) => (v as Record<string, number>)[axis]);
      words.push(a.label, sizes.join('x'), ...sizes.map(String), a.unit ?? '');
    }
    else words.push(a.label, String(v), a.type === 'number' ? (a.unit ?? '') : '');
  }
  return words.filter(Boolean).join(' ').slice(0, 20_000);
}
