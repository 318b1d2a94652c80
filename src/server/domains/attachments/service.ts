import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { Executor } from '../../db/client.js';
import { attachments } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { FileStore, StoredFile } from '../../core/files/file-store.js';
import { safeContentType } from '../../core/files/content-types.js';

type AttachmentRow = typeof attachments.$inferSelect;

export function presentAttachment(a: AttachmentRow) {
  return { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size };
}

/** A file name safe to store and to send back in a header: no path, no control characters, at most 255 characters. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 255);
  return clean && clean !== '.' && clean !== '..' ? clean : 'file';
}

/**
 * Records uploaded files as the workspace's pending attachments: stored, but not on any
 * message until a reply or note names them in attachmentIds.
 */
export async function addPendingAttachments(tx: Executor, actor: Actor, files: (StoredFile & { filename: string; contentType: string })[]) {
  if (!files.length) throw new Invalid('file', 'send at least one file');
  const rows = await tx
    .insert(attachments)
    .values(
      files.map((f) => ({
        workspaceId: actor.workspaceId,
        messageId: null,
        uploadedByMemberId: actor.memberId,
        filename: f.filename,
        contentType: f.contentType,
        size: f.size,
        sha256: f.sha256,
      })),
    )
    .returning();
  return rows.map(presentAttachment);
}

/**
 * Puts pending attachments on a new message, in the message's transaction. Each must be
 * the workspace's and not yet on a message; otherwise nothing is attached (422).
 */
export async function attachToMessage(tx: Executor, actor: Pick<Actor, 'workspaceId'>, messageId: string, ids: string[]) {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const rows = await tx
    .update(attachments)
    .set({ messageId })
    .where(and(eq(attachments.workspaceId, actor.workspaceId), inArray(attachments.id, unique), isNull(attachments.messageId)))
    .returning();
  if (rows.length !== unique.length) {
    const missing = unique.filter((id) => !rows.some((r) => r.id === id));
    throw new Invalid('attachmentIds', `unknown or already sent: ${missing.join(', ')}`);
  }
  return rows;
}

/** An attachment of the workspace, for download: its bytes and the headers that keep a browser from running it. */
export async function openAttachment(db: Executor, actor: Actor, store: FileStore, id: string): Promise<{ stream: Readable; filename: string; contentType: string; size: number }> {
  const [a] = await db.select().from(attachments).where(and(eq(attachments.id, id), eq(attachments.workspaceId, actor.workspaceId)));
  if (!a) throw new NotFound('Attachment');
  return { stream: await store.get(a.sha256), filename: a.filename, contentType: safeContentType(a.contentType), size: a.size };
}

const SHOWN_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * Sends a conversation's file to a customer's browser (the widget, the portal): raster
 * images shown, everything else downloaded, with a safe type, no sniffing, and a CSP that
 * runs nothing even if a browser tried.
 */
export function sendCustomerFile(reply: FastifyReply, file: { contentType: string; filename: string }, stream: Readable, opts: { cacheControl: string; crossOrigin?: boolean }) {
  const type = safeContentType(file.contentType);
  reply
    .type(type)
    .header('content-disposition', SHOWN_IMAGES.has(type) ? 'inline' : attachmentDisposition(file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', opts.cacheControl);
  if (opts.crossOrigin) reply.header('cross-origin-resource-policy', 'cross-origin');
  return reply.send(stream);
}

/** A Content-Disposition that always downloads, with the UTF-8 name (RFC 6266/5987) and an ASCII fallback. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Forgets uploads that never went out with a message (a draft abandoned, a tab closed):
 * pending attachments older than `olderThan`. Their bytes stay in the content-addressed
 * store, where the same file may serve another message.
 */
export async function forgetPendingAttachments(db: Executor, olderThan: Date): Promise<number> {
  const gone = await db
    .delete(attachments)
    .where(and(isNull(attachments.messageId), lt(attachments.createdAt, olderThan)))
    .returning({ id: attachments.id });
  return gone.length;
}

/** On worker nodes: every hour, forget pending attachments left for more than a day. Safe on every node at once. */
export function startPendingAttachmentCleanup(db: Executor, log: { warn(o: object, m: string): void }): { stop(): void } {
  const run = () =>
    void forgetPendingAttachments(db, new Date(Date.now() - 24 * 3_600_000)).catch((err: unknown) => log.warn({ err }, 'forgetting old pending attachments failed'));
  const timer = setInterval(run, 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
