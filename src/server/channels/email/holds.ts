import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { buffer } from 'node:stream/consumers';
import { inboxes, mailHolds } from '../../db/schema/index.js';
import { type Actor, isAdmin } from '../../core/actor.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import type { FileStore } from '../../core/files/file-store.js';
import { ParseFailed } from './parser-pool.js';
import { ingestParsed, mailParserFor, receiveEmail, type ReceiveResult } from './receive.js';

export type MailHold = typeof mailHolds.$inferSelect;

/** Admins see the quarantine (mail that could not be read); every member sees mail waiting for review. */
const visible = (actor: Actor, h: Pick<MailHold, 'reason'>) => h.reason === 'unknown_sender' || isAdmin(actor);

export function presentHold(h: MailHold) {
  return {
    id: h.id,
    inboxId: h.inboxId,
    reason: h.reason,
    source: h.source,
    size: h.size,
    fromAddress: h.fromAddress,
    subject: h.subject,
    detail: h.detail,
    conversationId: h.conversationId,
    resolvedAt: h.resolvedAt,
    resolution: h.resolution,
    createdAt: h.createdAt,
  };
}

export async function listHolds(ctx: Ctx, actor: Actor, opts: { reason?: MailHold['reason']; resolved: boolean; limit: number }) {
  const where: SQL[] = [eq(mailHolds.workspaceId, actor.workspaceId)];
  if (!opts.resolved) where.push(isNull(mailHolds.resolvedAt));
  if (opts.reason) where.push(eq(mailHolds.reason, opts.reason));
  if (!isAdmin(actor)) where.push(eq(mailHolds.reason, 'unknown_sender'));
  const rows = await ctx.db
    .select()
    .from(mailHolds)
    .where(and(...where))
    .orderBy(desc(mailHolds.createdAt))
    .limit(opts.limit);
  return rows.map(presentHold);
}

export async function getHold(ctx: Ctx, actor: Actor, id: string): Promise<MailHold> {
  const [h] = await ctx.db
    .select()
    .from(mailHolds)
    .where(and(eq(mailHolds.id, id), eq(mailHolds.workspaceId, actor.workspaceId)));
  if (!h || !visible(actor, h)) throw new NotFound('Held mail');
  return h;
}

export async function rawOfHold(files: FileStore, h: MailHold): Promise<Buffer> {
  return buffer(await files.get(h.rawSha256));
}

export type HoldAction = 'reprocess' | 'link' | 'new_conversation' | 'discard';

/**
 * What a person decided about held mail:
 * - reprocess (quarantine, admins): parse it again, e.g. after an upgrade of the parser;
 * - link (review): it belongs in the conversation it replied to; its sender joins in copy;
 * - new_conversation (review): it is a case of its own;
 * - discard: it is spam or noise (the raw message stays downloadable).
 */
export async function resolveHold(ctx: Ctx, files: FileStore, actor: Actor, id: string, action: HoldAction) {
  const h = await getHold(ctx, actor, id);
  if (h.resolvedAt) throw new Conflict(`this mail was resolved already (${h.resolution})`);
  if ((action === 'reprocess' || action === 'discard') && h.reason === 'unparseable' && !isAdmin(actor)) throw new Forbidden('Only admins handle the quarantine');
  if ((action === 'link' || action === 'new_conversation') && h.reason !== 'unknown_sender') throw new Invalid('action', 'only mail waiting for review can be linked or opened as a conversation');
  if (action === 'link' && !h.conversationId) throw new Invalid('action', 'the conversation it replied to is gone; open it as a new conversation');

  const [inbox] = await ctx.db.select().from(inboxes).where(eq(inboxes.id, h.inboxId));
  let result: ReceiveResult | undefined;
  if (action !== 'discard') {
    const raw = await rawOfHold(files, h);
    if (action === 'reprocess') {
      // The held copy is resolved first, so that a message that still fails is held again (not found held already).
      await mark(ctx, actor, h, 'reprocessed');
      try {
        result = await receiveEmail(ctx, files, { inboxId: h.inboxId, raw, source: h.source as 'smtp' | 'imap' | 'http' });
      } catch (err) {
        await ctx.db.update(mailHolds).set({ resolvedAt: null, resolution: null, resolvedByMemberId: null }).where(eq(mailHolds.id, h.id));
        throw err;
      }
      if (result.outcome === 'held' && result.holdId === h.id) {
        await ctx.db.update(mailHolds).set({ resolvedAt: null, resolution: null, resolvedByMemberId: null }).where(eq(mailHolds.id, h.id));
      }
      return { hold: presentHold((await getHold(ctx, actor, id)) as MailHold), result };
    }
    let mail;
    try {
      mail = await mailParserFor(ctx).parse(raw);
    } catch (err) {
      if (err instanceof ParseFailed) throw new Invalid('action', err.message);
      throw err;
    }
    result = await ingestParsed(ctx, files, inbox, mail, {
      externalId: mail.messageId ?? `sha256:${mail.contentHash}`,
      rawSha256: h.rawSha256,
      conversationId: action === 'link' ? h.conversationId! : undefined,
    });
  }
  await mark(ctx, actor, h, action === 'link' ? 'linked' : action === 'new_conversation' ? 'new_conversation' : 'discarded');
  return { hold: presentHold(await getHold(ctx, actor, id)), result };
}

async function mark(ctx: Ctx, actor: Actor, h: MailHold, resolution: string) {
  await inTransaction(ctx, async (tx) => {
    const done = await tx
      .update(mailHolds)
      .set({ resolvedAt: new Date(), resolvedByMemberId: actor.memberId, resolution })
      .where(and(eq(mailHolds.id, h.id), isNull(mailHolds.resolvedAt)))
      .returning({ id: mailHolds.id });
    if (!done.length) throw new Conflict('someone else resolved this mail just now');
  });
}
