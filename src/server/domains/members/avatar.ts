import { and, eq } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Executor } from '../../db/client.js';
import { members, users } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { FileStore } from '../../core/files/file-store.js';
import { sniffImage } from '../../core/files/content-types.js';

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** Where a member's avatar is served; the version changes with the picture, so it may be cached for long. */
export const avatarUrl = (memberId: string, avatarFileId: string | null) => (avatarFileId ? `/api/v1/members/${memberId}/avatar?v=${avatarFileId.slice(0, 16)}` : null);

/**
 * Sets the caller's avatar: a PNG, JPEG, WebP or GIF of at most 2 MB, recognised by its
 * bytes (the name and type the browser sends are not trusted). Stored in the file store.
 */
export async function setAvatar(tx: Executor, actor: Actor, store: FileStore, bytes: Buffer) {
  if (bytes.length > AVATAR_MAX_BYTES) throw new Invalid('file', `must be at most ${AVATAR_MAX_BYTES / 1024 / 1024} MB`);
  const type = sniffImage(bytes);
  if (!type) throw new Invalid('file', 'must be a PNG, JPEG, WebP or GIF image');
  const stored = await store.put(bytes);
  await tx.update(users).set({ avatarFileId: stored.sha256, avatarContentType: type }).where(eq(users.id, actor.userId));
  return { avatarUrl: avatarUrl(actor.memberId, stored.sha256) };
}

/** Removes the caller's avatar (the bytes stay in the store: other rows may share them). */
export async function removeAvatar(tx: Executor, actor: Actor) {
  await tx.update(users).set({ avatarFileId: null, avatarContentType: null }).where(eq(users.id, actor.userId));
}

/** A member's avatar: its bytes and image type. NotFound without one, or for another workspace's member. */
export async function getAvatar(db: Executor, actor: Pick<Actor, 'workspaceId'>, store: FileStore, memberId: string): Promise<{ stream: Readable; contentType: string; etag: string }> {
  const [r] = await db
    .select({ fileId: users.avatarFileId, contentType: users.avatarContentType })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.id, memberId), eq(members.workspaceId, actor.workspaceId)));
  if (!r?.fileId || !r.contentType) throw new NotFound('Avatar');
  return { stream: await store.get(r.fileId), contentType: r.contentType, etag: `"${r.fileId}"` };
}
