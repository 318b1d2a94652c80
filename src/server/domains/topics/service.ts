import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { topicFields, topics } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { slugify } from '../../../shared/slug.js';
import { recordAudit } from '../audit/service.js';
import { customFieldsByIds } from '../custom-fields/service.js';
import type { TopicCreate, TopicUpdate } from './schema.js';

type TopicRow = typeof topics.$inferSelect;
type FieldDef = Awaited<ReturnType<typeof customFieldsByIds>>[number];

/** A field of a topic's intake form: the custom field's definition, and whether this topic requires it. */
export interface IntakeField {
  customFieldId: string;
  key: string;
  label: string;
  type: FieldDef['type'];
  options: string[];
  helpText: string;
  required: boolean;
}

export interface Topic {
  id: string;
  key: string;
  name: string;
  position: number;
  fields: IntakeField[];
}

/** The topics with their intake forms, in one read of each table. */
async function withFields(db: Executor, workspaceId: string, rows: TopicRow[]): Promise<Topic[]> {
  if (!rows.length) return [];
  const links = await db
    .select()
    .from(topicFields)
    .where(inArray(topicFields.topicId, rows.map((r) => r.id)))
    .orderBy(asc(topicFields.position));
  const defs = await customFieldsByIds(db, workspaceId, [...new Set(links.map((l) => l.customFieldId))]);
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    position: r.position,
    fields: links.flatMap((l) => {
      const f = l.topicId === r.id ? defs.find((d) => d.id === l.customFieldId) : undefined;
      return f ? [{ customFieldId: f.id, key: f.key, label: f.label, type: f.type, options: f.options, helpText: f.helpText, required: l.required }] : [];
    }),
  }));
}

/** Every topic of the workspace in its order, with its intake form. */
export async function listTopics(db: Executor, workspaceId: string): Promise<Topic[]> {
  const rows = await db.select().from(topics).where(eq(topics.workspaceId, workspaceId)).orderBy(asc(topics.position), asc(topics.createdAt));
  return withFields(db, workspaceId, rows);
}

/** The topic with this key (a form's or link's), or undefined. */
export async function topicByKey(db: Executor, workspaceId: string, key: string): Promise<Topic | undefined> {
  const rows = await db.select().from(topics).where(and(eq(topics.workspaceId, workspaceId), eq(topics.key, key)));
  return (await withFields(db, workspaceId, rows))[0];
}

/**
 * The topic a conversation is about: its `topic` holds the topic's name (what reports group
 * by), or a key. Undefined for a free topic no admin defined.
 */
export async function topicOfConversation(db: Executor, workspaceId: string, topic: string | null): Promise<Topic | undefined> {
  if (!topic) return undefined;
  const rows = await db
    .select()
    .from(topics)
    .where(and(eq(topics.workspaceId, workspaceId), sql`(lower(${topics.name}) = lower(${topic}) or ${topics.key} = ${topic})`))
    .orderBy(asc(topics.position))
    .limit(1);
  return (await withFields(db, workspaceId, rows))[0];
}

/**
 * The topic an e-mail is about, for a new conversation: the first (in the admins' order)
 * whose name the subject contains, ignoring case. Mail has no topic picker; the subject is
 * where a customer names their problem.
 */
export async function topicForSubject(db: Executor, workspaceId: string, subject: string): Promise<Topic | undefined> {
  const s = subject.toLowerCase();
  const rows = await db.select().from(topics).where(eq(topics.workspaceId, workspaceId)).orderBy(asc(topics.position), asc(topics.createdAt));
  const found = rows.find((r) => s.includes(r.name.toLowerCase()));
  return found ? (await withFields(db, workspaceId, [found]))[0] : undefined;
}

async function getRow(db: Executor, workspaceId: string, id: string) {
  const [t] = await db.select().from(topics).where(and(eq(topics.id, id), eq(topics.workspaceId, workspaceId)));
  if (!t) throw new NotFound('Topic');
  return t;
}

async function setFields(tx: Executor, workspaceId: string, topicId: string, fields: TopicCreate['fields']) {
  const defs = await customFieldsByIds(tx, workspaceId, fields.map((f) => f.customFieldId));
  const unknown = fields.findIndex((f) => !defs.some((d) => d.id === f.customFieldId));
  if (unknown >= 0) throw new Invalid(`fields.${unknown}.customFieldId`, 'is not a conversation custom field of this workspace');
  await tx.delete(topicFields).where(eq(topicFields.topicId, topicId));
  if (fields.length) await tx.insert(topicFields).values(fields.map((f, i) => ({ topicId, customFieldId: f.customFieldId, required: f.required, position: i })));
}

/** Numbers the topics 0, 1, 2… in their order, with `moved` put at `position`. */
async function renumber(tx: Executor, workspaceId: string, moved?: { id: string; position: number }) {
  const rows = await tx.select({ id: topics.id }).from(topics).where(eq(topics.workspaceId, workspaceId)).orderBy(asc(topics.position), asc(topics.createdAt));
  const ids = rows.map((r) => r.id).filter((id) => id !== moved?.id);
  if (moved) ids.splice(Math.min(moved.position, ids.length), 0, moved.id);
  for (const [i, id] of ids.entries()) await tx.update(topics).set({ position: i }).where(eq(topics.id, id));
}

/** Adds a topic at the end of the list (admins); a key is used once per workspace. */
export async function createTopic(tx: Executor, actor: Actor, input: TopicCreate) {
  const key = input.key ?? (slugify(input.name, 60) || 'topic');
  const [dupe] = await tx.select({ id: topics.id }).from(topics).where(and(eq(topics.workspaceId, actor.workspaceId), eq(topics.key, key)));
  if (dupe) throw new Conflict(`A topic with the key ${key} exists`);
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(topics).where(eq(topics.workspaceId, actor.workspaceId));
  const [t] = await tx.insert(topics).values({ workspaceId: actor.workspaceId, key, name: input.name, position: n }).returning();
  await setFields(tx, actor.workspaceId, t.id, input.fields);
  await recordAudit(tx, actor, { action: 'topic.create', targetType: 'topic', targetId: t.id, data: { key, name: t.name } });
  return (await withFields(tx, actor.workspaceId, [t]))[0];
}

/** Renames, moves or changes the intake form of a topic (admins). Conversations already about it keep their values. */
export async function updateTopic(tx: Executor, actor: Actor, id: string, input: TopicUpdate) {
  const t = await getRow(tx, actor.workspaceId, id);
  if (input.name !== undefined) await tx.update(topics).set({ name: input.name }).where(eq(topics.id, t.id));
  if (input.position !== undefined) await renumber(tx, actor.workspaceId, { id: t.id, position: input.position });
  if (input.fields !== undefined) await setFields(tx, actor.workspaceId, t.id, input.fields);
  await recordAudit(tx, actor, { action: 'topic.update', targetType: 'topic', targetId: t.id, data: input });
  return (await withFields(tx, actor.workspaceId, [await getRow(tx, actor.workspaceId, id)]))[0];
}

/** Removes a topic (admins); conversations keep its name as their topic. */
export async function deleteTopic(tx: Executor, actor: Actor, id: string) {
  const t = await getRow(tx, actor.workspaceId, id);
  await tx.delete(topics).where(eq(topics.id, t.id));
  await renumber(tx, actor.workspaceId);
  await recordAudit(tx, actor, { action: 'topic.delete', targetType: 'topic', targetId: t.id, data: { key: t.key, name: t.name } });
}

/**
 * The help center's contact form offers topics by key: each it names that the workspace
 * does not have yet becomes a workspace topic (at the end), so its intake form can be set.
 */
export async function ensureTopics(tx: Executor, workspaceId: string, offered: { id: string; name: string }[]) {
  if (!offered.length) return;
  const have = await tx.select({ key: topics.key }).from(topics).where(eq(topics.workspaceId, workspaceId));
  const missing = offered.filter((o) => !have.some((h) => h.key === o.id));
  if (!missing.length) return;
  await tx
    .insert(topics)
    .values(missing.map((o, i) => ({ workspaceId, key: o.id, name: o.name, position: have.length + i })))
    .onConflictDoNothing();
}
