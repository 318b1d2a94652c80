import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { tags } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, NotFound } from '../../core/errors.js';
import { recordAudit } from '../audit/service.js';
import { removeTagFromConversations, renameTagOnConversations } from '../conversations/commands.js';
import { countTagged, tagUsage } from '../conversations/queries.js';
import type { TagCreate, TagUpdate } from './schema.js';

export function presentTag(t: typeof tags.$inferSelect, count: number) {
  return { id: t.id, name: t.name, color: t.color, count, createdAt: t.createdAt };
}

/**
 * The workspace's tags with how many conversations carry each, and under `unlisted` the
 * tags that conversations carry without being on the list.
 */
export async function listTags(db: Executor, actor: Actor) {
  const rows = await db.select().from(tags).where(eq(tags.workspaceId, actor.workspaceId)).orderBy(asc(sql`lower(${tags.name})`));
  const counts = await tagUsage(db, actor.workspaceId);
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

/** Adds a tag to the workspace's list (admins); names are unique regardless of case. */
export async function createTag(tx: Executor, actor: Actor, input: TagCreate) {
  await assertNameFree(tx, actor, input.name);
  const [t] = await tx.insert(tags).values({ workspaceId: actor.workspaceId, name: input.name, color: input.color ?? null }).returning();
  await recordAudit(tx, actor, { action: 'tag.create', targetType: 'tag', targetId: t.id, data: { name: t.name } });
  return presentTag(t, await countTagged(tx, actor.workspaceId, t.name));
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
    await renameTagOnConversations(tx, actor.workspaceId, t.name, input.name);
  }
  const [updated] = Object.keys(patch).length ? await tx.update(tags).set(patch).where(eq(tags.id, t.id)).returning() : [t];
  await recordAudit(tx, actor, { action: 'tag.update', targetType: 'tag', targetId: t.id, data: { ...input, from: t.name } });
  return presentTag(updated, await countTagged(tx, actor.workspaceId, updated.name));
}

/** Removes a tag from the list and from every conversation that carries it. */
export async function deleteTag(tx: Executor, actor: Actor, id: string) {
  const t = await getTagRow(tx, actor, id);
  await removeTagFromConversations(tx, actor.workspaceId, t.name);
  await tx.delete(tags).where(eq(tags.id, t.id));
  await recordAudit(tx, actor, { action: 'tag.delete', targetType: 'tag', targetId: t.id, data: { name: t.name } });
}
