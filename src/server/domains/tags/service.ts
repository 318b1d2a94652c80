import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations, tags } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';
import type { TagCreate, TagUpdate } from './schema.js';

export function presentTag(t: typeof tags.$inferSelect, count: number) {
  return { id: t.id, name: t.name, color: t.color, count, createdAt: t.createdAt };
}

async function usage(db: Executor, workspaceId: string) {
  const used = db
    .select({ name: sql<string>`unnest(${conversations.tags})`.as('name') })
    .from(conversations)
    .where(eq(conversations.workspaceId, workspaceId))
    .as('used');
  const rows = await db.select({ name: used.name, n: sql<number>`count(*)::int` }).from(used).groupBy(used.name);
  return new Map(rows.map((r) => [r.name, r.n]));
}

/**
 * The workspace's tags with how many conversations carry each, and under `unlisted` the
 * tags that conversations carry without being on the list.
 */
export async function listTags(db: Executor, actor: Actor) {
  const rows = await db.select().from(tags).where(eq(tags.workspaceId, actor.workspaceId)).orderBy(asc(sql`lower(${tags.name})`));
  const counts = await usage(db, actor.workspaceId);
  const listed = new Set(rows.map((t) => t.name));
  return {
    items: rows.map((t) => presentTag(t, counts.get(t.name) ?? 0)),
    unlisted: [...counts].filter(([name]) => !listed.has(name)).map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

async function getTagRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [t] = await db.select().from(tags).where(and(eq(tags.id, id), eq(tags.workspaceId, actor.workspaceId)));
  if (!t) throw new NotFound('Tag');
  return t;
}

async function assertNameFree(tx: Executor, actor: Actor, name: string, exceptId?: string) {
  const [dupe] = await tx
    .select({ id: tags.id })
    .from(tags)
    .where(and(eq(tags.workspaceId, actor.workspaceId), sql`lower(${tags.name}) = lower(${name})`, exceptId ? ne(tags.id, exceptId) : undefined));
  if (dupe) throw new Conflict(`A tag named ${name} exists`);
}

async function countOf(db: Executor, workspaceId: string, name: string) {
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), sql`${conversations.tags} @> array[${name}]::text[]`));
  return n;
}

/** Adds a tag to the workspace's list (admins); names are unique regardless of case. */
export async function createTag(tx: Executor, actor: Actor, input: TagCreate) {
  await assertNameFree(tx, actor, input.name);
  const [t] = await tx.insert(tags).values({ workspaceId: actor.workspaceId, name: input.name, color: input.color ?? null }).returning();
  await recordAudit(tx, actor, { action: 'tag.create', targetType: 'tag', targetId: t.id, data: { name: t.name } });
  return presentTag(t, await countOf(tx, actor.workspaceId, t.name));
}

/**
 * Renames or recolours a tag. A rename changes the tag on every conversation that carries
 * it, in the same transaction, merging it into the new name where a conversation has both.
 */
export async function updateTag(tx: Executor, actor: Actor, id: string, input: TagUpdate) {
  const t = await getTagRow(tx, actor, id);
  const patch: Partial<typeof tags.$inferInsert> = {};
  if (input.color !== undefined) patch.color = input.color;
  if (input.name !== undefined && input.name !== t.name) {
    await assertNameFree(tx, actor, input.name, t.id);
    patch.name = input.name;
    await tx
      .update(conversations)
      .set({
        tags: sql`case when ${conversations.tags} @> array[${input.name}]::text[] then array_remove(${conversations.tags}, ${t.name}) else array_replace(${conversations.tags}, ${t.name}, ${input.name}) end`,
        updatedAt: new Date(),
      })
      .where(and(eq(conversations.workspaceId, actor.workspaceId), sql`${conversations.tags} @> array[${t.name}]::text[]`));
  }
  const [updated] = Object.keys(patch).length ? await tx.update(tags).set(patch).where(eq(tags.id, t.id)).returning() : [t];
  await recordAudit(tx, actor, { action: 'tag.update', targetType: 'tag', targetId: t.id, data: { ...input, from: t.name } });
  return presentTag(updated, await countOf(tx, actor.workspaceId, updated.name));
}

/** Removes a tag from the list and from every conversation that carries it. */
export async function deleteTag(tx: Executor, actor: Actor, id: string) {
  const t = await getTagRow(tx, actor, id);
  await tx
    .update(conversations)
    .set({ tags: sql`array_remove(${conversations.tags}, ${t.name})`, updatedAt: new Date() })
    .where(and(eq(conversations.workspaceId, actor.workspaceId), sql`${conversations.tags} @> array[${t.name}]::text[]`));
  await tx.delete(tags).where(eq(tags.id, t.id));
  await recordAudit(tx, actor, { action: 'tag.delete', targetType: 'tag', targetId: t.id, data: { name: t.name } });
}
