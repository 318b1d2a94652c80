import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { customFields } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, type FieldError, Invalid, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';
import type { CustomFieldCreate, CustomFieldUpdate } from './schema.js';

type CustomFieldRow = typeof customFields.$inferSelect;
export type CustomFieldEntity = CustomFieldRow['entity'];

export function presentCustomField(f: CustomFieldRow) {
  return { id: f.id, entity: f.entity, key: f.key, label: f.label, type: f.type, options: f.options, required: f.required, helpText: f.helpText, createdAt: f.createdAt };
}

export async function listCustomFields(db: Executor, actor: Actor, opts: { entity?: CustomFieldEntity } = {}) {
  const rows = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, actor.workspaceId), opts.entity ? eq(customFields.entity, opts.entity) : undefined))
    .orderBy(asc(customFields.entity), asc(customFields.createdAt));
  return rows.map(presentCustomField);
}

async function getRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [f] = await db.select().from(customFields).where(and(eq(customFields.id, id), eq(customFields.workspaceId, actor.workspaceId)));
  if (!f) throw new NotFound('Custom field');
  return f;
}

/** Defines a custom field for conversations or contacts (admins); a key is defined once per kind. */
export async function createCustomField(tx: Executor, actor: Actor, input: CustomFieldCreate) {
  const [dupe] = await tx
    .select({ id: customFields.id })
    .from(customFields)
    .where(and(eq(customFields.workspaceId, actor.workspaceId), eq(customFields.entity, input.entity), eq(customFields.key, input.key)));
  if (dupe) throw new Conflict(`A ${input.entity} field with the key ${input.key} exists`);
  const [f] = await tx
    .insert(customFields)
    .values({ workspaceId: actor.workspaceId, entity: input.entity, key: input.key, label: input.label, type: input.type, options: input.options ?? [], required: input.required, helpText: input.helpText ?? '' })
    .returning();
  await recordAudit(tx, actor, { action: 'custom_field.create', targetType: 'custom_field', targetId: f.id, data: { entity: f.entity, key: f.key, type: f.type } });
  return presentCustomField(f);
}

/** Changes a field's label, options or whether it is required (admins). Values already stored are left as they are. */
export async function updateCustomField(tx: Executor, actor: Actor, id: string, input: CustomFieldUpdate) {
  const f = await getRow(tx, actor, id);
  if (input.options !== undefined && f.type !== 'select') throw new Invalid('options', 'only a select field has options');
  if (input.options !== undefined && input.options.length === 0) throw new Invalid('options', 'a select field needs at least one option');
  const patch: Partial<typeof customFields.$inferInsert> = {};
  if (input.label !== undefined) patch.label = input.label;
  if (input.options !== undefined) patch.options = input.options;
  if (input.required !== undefined) patch.required = input.required;
  if (input.helpText !== undefined) patch.helpText = input.helpText;
  const [updated] = Object.keys(patch).length ? await tx.update(customFields).set(patch).where(eq(customFields.id, f.id)).returning() : [f];
  await recordAudit(tx, actor, { action: 'custom_field.update', targetType: 'custom_field', targetId: f.id, data: input });
  return presentCustomField(updated);
}

/** Removes a definition (admins); values stored under its key stay on records, unchecked from then on. */
export async function deleteCustomField(tx: Executor, actor: Actor, id: string) {
  const f = await getRow(tx, actor, id);
  await tx.delete(customFields).where(eq(customFields.id, f.id));
  await recordAudit(tx, actor, { action: 'custom_field.delete', targetType: 'custom_field', targetId: f.id, data: { entity: f.entity, key: f.key } });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ORDER_NUMBER = /^[A-Za-z0-9][A-Za-z0-9#/._-]{0,99}$/;

/** The conversation custom fields with these ids, for a topic's intake form. */
export async function customFieldsByIds(db: Executor, workspaceId: string, ids: string[]) {
  if (!ids.length) return [];
  const rows = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), eq(customFields.entity, 'conversation'), inArray(customFields.id, ids)));
  return rows.map(presentCustomField);
}

/** The workspace's conversation custom fields, for asking a customer (an agent's request for more information). */
export async function conversationFieldDefs(db: Executor, workspaceId: string) {
  const rows = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), eq(customFields.entity, 'conversation')))
    .orderBy(asc(customFields.createdAt));
  return rows.map(presentCustomField);
}

/**
 * A value typed as text (a form's field, a line of an e-mail) as the field stores it: a
 * number for a number field, true/false for a checkbox, trimmed text for the others; null when
 * nothing was typed, undefined when the text cannot be one (the check then names the field).
 */
export function valueFromText(f: Pick<CustomFieldRow, 'type'>, text: string): unknown {
  const v = text.trim();
  if (!v) return null;
  if (f.type === 'number') {
    const n = Number(v.replace(',', '.'));
    return Number.isFinite(n) ? n : v;
  }
  if (f.type === 'checkbox') return /^(yes|true|on|1|ja)$/i.test(v) ? true : /^(no|false|off|0|nein)$/i.test(v) ? false : v;
  return v;
}

/** Why `value` does not fit field `f`, or null when it does. Null means removing the value. */
export function problemWith(f: Pick<CustomFieldRow, 'type' | 'label' | 'required' | 'options'>, value: unknown): string | null {
  if (value === null || value === '') return f.required ? `${f.label} is required` : null;
  switch (f.type) {
    case 'text':
    case 'long_text':
      return typeof value === 'string' && value.length <= 10_000 ? null : 'must be text of at most 10,000 characters';
    case 'email':
      return typeof value === 'string' && value.length <= 320 && EMAIL.test(value) ? null : 'must be an e-mail address';
    case 'order_number':
      return typeof value === 'string' && ORDER_NUMBER.test(value) ? null : 'must be an order number (letters, digits, - / # .)';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
        ? null
        : 'must be a date like 2026-01-31';
    case 'select':
      return typeof value === 'string' && f.options.includes(value) ? null : `must be one of ${f.options.join(', ')}`;
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'must be true or false';
  }
}

/**
 * Checks custom values (a conversation's customFields, a contact's attributes) against
 * the workspace's definitions: a key with a definition must hold a value of its type
 * (and one of its options), and a required one cannot be emptied. Keys without a
 * definition are free. Throws Invalid naming each wrong key.
 */
export async function validateCustomValues(db: Executor, actor: Pick<Actor, 'workspaceId'>, entity: CustomFieldEntity, values: Record<string, unknown>) {
  const keys = Object.keys(values);
  if (!keys.length) return;
  const defs = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, actor.workspaceId), eq(customFields.entity, entity), inArray(customFields.key, keys)));
  const prefix = entity === 'conversation' ? 'customFields' : 'attributes';
  const errors: FieldError[] = [];
  for (const f of defs) {
    const problem = problemWith(f, values[f.key]);
    if (problem) errors.push({ field: `${prefix}.${f.key}`, reason: problem });
  }
  if (errors.length) throw new Invalid(errors);
}
