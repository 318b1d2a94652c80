import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { feedbackItems } from '../../db/schema/index.js';
import { type Actor, canAdminister, hasScope } from '../../core/actor.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { randomToken, sha256 } from '../../core/ids.js';
import { catalog } from '../../helpcenter/i18n/index.js';
import { recordAudit } from '../audit/service.js';
import { getContactRow } from '../contacts/service.js';
import { systemMessage } from '../conversations/commands.js';
import { customerMessage } from '../conversations/queries.js';
import { getConversationRow } from '../conversations/service.js';
import { helpCenterOf } from '../help-center/service.js';
import { getInbox } from '../inboxes/service.js';
import { surveyComment } from '../satisfaction/service.js';
import { consentMessage } from './consent-links.js';
import type { FeedbackCreate, FeedbackKind, FeedbackListQuery, FeedbackUpdate } from './schema.js';

export type FeedbackItem = typeof feedbackItems.$inferSelect;

/** A link token as randomToken makes it: 32 random bytes in URL-safe base64. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Who proposes items and asks for consent: a member who may reply (not a light member, not a read-only token). */
export const mayPropose = (a: Actor) => hasScope(a, 'write') && a.role !== 'light';

/** How the wall names a customer unless told otherwise: first name and the initial of the last ("Maya J."). */
export function defaultDisplayName(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length || parts[0].includes('@')) return 'Customer';
  return parts.length > 1 ? `${parts[0]} ${parts[parts.length - 1][0].toUpperCase()}.` : parts[0];
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Whether a quote is the customer's own words, shortened at most: the whole text, or pieces
 * of it in their order, cut with an ellipsis (… or ...). Nothing may be added or reworded.
 */
export function quoteFits(source: string, quote: string): boolean {
  const text = squash(source);
  const pieces = squash(quote)
    .split(/\s*(?:…|\.\.\.)\s*/)
    .filter(Boolean);
  if (!pieces.length) return false;
  let from = 0;
  for (const p of pieces) {
    const at = text.indexOf(p, from);
    if (at < 0) return false;
    from = at + p.length;
  }
  return true;
}

function checkQuote(source: string, quote: string) {
  if (!quoteFits(source, quote)) throw new Invalid('quote', 'must be what the customer wrote, or shortened with … where words are left out');
}

async function itemRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string, lock = false) {
  const q = db.select().from(feedbackItems).where(and(eq(feedbackItems.id, id), eq(feedbackItems.workspaceId, actor.workspaceId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('Feedback item');
  return row;
}

/** An item as the API shows it to the team. */
export function presentFeedback(f: FeedbackItem) {
  return {
    id: f.id,
    conversationId: f.conversationId,
    contactId: f.contactId,
    messageId: f.messageId,
    surveyId: f.surveyId,
    kind: f.kind,
    state: f.state,
    quote: f.quote,
    displayName: f.displayName,
    anonymous: f.anonymous,
    response: f.response,
    consentRequestedAt: f.consentRequestedAt,
    consentedAt: f.consentedAt,
    consentVia: f.consentVia,
    declinedAt: f.declinedAt,
    publishedAt: f.publishedAt,
    withdrawnAt: f.withdrawnAt,
    createdByMemberId: f.createdByMemberId,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
}

/** A draft from a customer's message (or survey comment): the quote defaults to all they wrote, the name to first name and initial. */
export async function createFeedback(tx: Executor, actor: Actor, b: FeedbackCreate) {
  if (!mayPropose(actor)) throw new Forbidden('Light members and read-only tokens cannot propose feedback for the wall');
  let source: { conversationId: string; contactId: string; text: string; messageId: string | null; surveyId: string | null };
  if (b.messageId) {
    const m = await customerMessage(tx, actor.workspaceId, b.messageId);
    if (!m) throw new Invalid('messageId', 'no such customer message');
    if (!m.byCustomer) throw new Invalid('messageId', 'only words of the conversation’s customer can be shared: they are the one asked');
    if (!m.text.trim()) throw new Invalid('messageId', 'the message has no text to quote');
    source = { conversationId: m.conversationId, contactId: m.contactId, text: m.text, messageId: m.id, surveyId: null };
  } else {
    const s = await surveyComment(tx, actor.workspaceId, b.surveyId!);
    if (!s) throw new Invalid('surveyId', 'no such survey with a comment');
    source = { conversationId: s.conversationId, contactId: s.contactId, text: s.comment, messageId: null, surveyId: s.id };
  }
  const quote = b.quote ?? squash(source.text).slice(0, 2000);
  checkQuote(source.text, quote);
  const contact = await getContactRow(tx, actor, source.contactId);
  const [row] = await tx
    .insert(feedbackItems)
    .values({
      workspaceId: actor.workspaceId,
      conversationId: source.conversationId,
      contactId: source.contactId,
      messageId: source.messageId,
      surveyId: source.surveyId,
      kind: b.kind,
      sourceText: source.text,
      quote,
      displayName: b.displayName ?? defaultDisplayName(contact.name),
      response: b.response || null,
      createdByMemberId: actor.memberId,
    })
    .returning();
  return presentFeedback(row);
}

/**
 * Changes what the team proposes. The quote, name and kind only while a draft: once asked,
 * the customer is agreeing to exactly that text. The company's response also later (by an
 * admin), until the customer withdraws.
 */
export async function updateFeedback(tx: Executor, actor: Actor, id: string, u: FeedbackUpdate) {
  if (!mayPropose(actor)) throw new Forbidden('Light members and read-only tokens cannot change feedback items');
  const f = await itemRow(tx, actor, id, true);
  const wording = u.quote !== undefined || u.displayName !== undefined || u.kind !== undefined;
  if (wording && f.state !== 'draft') throw new Conflict('The quote, name and kind cannot change once the customer was asked: they agree to exactly those');
  if (u.response !== undefined && f.state !== 'draft') {
    if (!canAdminister(actor)) throw new Forbidden('Only an admin changes the response once the customer was asked');
    if (f.state === 'withdrawn') throw new Conflict('The customer withdrew this item');
  }
  if (u.quote !== undefined) checkQuote(f.sourceText, u.quote);
  const [row] = await tx
    .update(feedbackItems)
    .set({
      ...(u.kind !== undefined ? { kind: u.kind } : {}),
      ...(u.quote !== undefined ? { quote: u.quote } : {}),
      ...(u.displayName !== undefined ? { displayName: u.displayName } : {}),
      ...(u.response !== undefined ? { response: u.response || null } : {}),
      updatedAt: new Date(),
    })
    .where(eq(feedbackItems.id, f.id))
    .returning();
  return presentFeedback(row);
}

/** Deletes a draft (nothing was asked yet); anything further stays, as a record of what the customer was asked. */
export async function deleteFeedback(tx: Executor, actor: Actor, id: string) {
  if (!mayPropose(actor)) throw new Forbidden('Light members and read-only tokens cannot delete feedback items');
  const f = await itemRow(tx, actor, id, true);
  if (f.state !== 'draft') throw new Conflict('Only a draft can be deleted');
  await tx.delete(feedbackItems).where(eq(feedbackItems.id, f.id));
}

/** Where the consent link leads. */
export const consentUrl = (publicUrl: string, token: string) => `${publicUrl}/feedback/consent/${token}`;

/**
 * Asks the customer, on the conversation's channel, whether their words may be shown: a
 * message with a link to a page that shows exactly what would appear. The link's token is
 * in that message only; the item keeps its hash.
 */
export async function requestConsent(tx: Executor, actor: Actor, id: string, publicUrl: string) {
  if (!mayPropose(actor)) throw new Forbidden('Light members and read-only tokens cannot ask for consent');
  const f = await itemRow(tx, actor, id, true);
  if (f.state !== 'draft') throw new Conflict('The customer was asked already');
  const c = await getConversationRow(tx, actor, f.conversationId);
  const inbox = await getInbox(tx, actor, c.inboxId);
  if (inbox.archivedAt) throw new Conflict('The conversation’s inbox is archived: nothing can be sent from it');
  const token = randomToken('', 32);
  const now = new Date();
  const [row] = await tx
    .update(feedbackItems)
    .set({ state: 'consent_requested', consentTokenHash: sha256(token), consentRequestedAt: now, updatedAt: now })
    .where(eq(feedbackItems.id, f.id))
    .returning();
  const hc = await helpCenterOf(tx, actor.workspaceId);
  const message = consentMessage(catalog(hc?.locale ?? 'en'), consentUrl(publicUrl, token), c);
  await systemMessage(tx, { workspaceId: c.workspaceId, conversationId: c.id, inboxId: inbox.id, contactId: c.contactId, channel: inbox.channel, ...message, consent: true });
  await recordEvent(tx, { workspaceId: f.workspaceId, conversationId: f.conversationId, type: 'feedback.requested', actorMemberId: actor.memberId, data: { feedbackId: f.id, kind: f.kind } });
  return presentFeedback(row);
}

/** Puts an item on the wall: an admin's act, only with the customer's recorded consent (the table's check says the same). */
export async function publishFeedback(tx: Executor, actor: Actor, id: string) {
  if (!canAdminister(actor)) throw new Forbidden('Only an admin publishes to the feedback wall');
  const f = await itemRow(tx, actor, id, true);
  if (f.state === 'published') return presentFeedback(f);
  if (f.state !== 'consented' && f.state !== 'unpublished') throw new Conflict('Only an item the customer agreed to show can be published');
  if (!f.consentedAt || f.withdrawnAt) throw new Conflict('The customer has not agreed to show this');
  const now = new Date();
  const [row] = await tx.update(feedbackItems).set({ state: 'published', publishedAt: now, updatedAt: now }).where(eq(feedbackItems.id, f.id)).returning();
  await recordEvent(tx, { workspaceId: f.workspaceId, conversationId: f.conversationId, type: 'feedback.published', actorMemberId: actor.memberId, data: { feedbackId: f.id, kind: f.kind } });
  await recordAudit(tx, actor, { action: 'feedback.publish', targetType: 'feedback_item', targetId: f.id, data: { kind: f.kind, conversationId: f.conversationId } });
  return presentFeedback(row);
}

/** Takes an item off the wall (moderation); the consent stands, so it may be published again. */
export async function unpublishFeedback(tx: Executor, actor: Actor, id: string) {
  if (!canAdminister(actor)) throw new Forbidden('Only an admin takes items off the feedback wall');
  const f = await itemRow(tx, actor, id, true);
  if (f.state !== 'published') throw new Conflict('The item is not on the wall');
  const [row] = await tx.update(feedbackItems).set({ state: 'unpublished', updatedAt: new Date() }).where(eq(feedbackItems.id, f.id)).returning();
  await recordEvent(tx, { workspaceId: f.workspaceId, conversationId: f.conversationId, type: 'feedback.unpublished', actorMemberId: actor.memberId, data: { feedbackId: f.id, kind: f.kind } });
  await recordAudit(tx, actor, { action: 'feedback.unpublish', targetType: 'feedback_item', targetId: f.id, data: { kind: f.kind, conversationId: f.conversationId } });
  return presentFeedback(row);
}

/** The workspace's items, newest first, by state or conversation. */
export async function listFeedback(db: Executor, actor: Actor, q: FeedbackListQuery) {
  const rows = await db
    .select()
    .from(feedbackItems)
    .where(
      and(
        eq(feedbackItems.workspaceId, actor.workspaceId),
        q.state ? eq(feedbackItems.state, q.state) : undefined,
        q.conversationId ? eq(feedbackItems.conversationId, q.conversationId) : undefined,
      ),
    )
    .orderBy(desc(feedbackItems.createdAt))
    .limit(q.limit);
  return rows.map(presentFeedback);
}

export async function getFeedback(db: Executor, actor: Actor, id: string) {
  return presentFeedback(await itemRow(db, actor, id));
}

/** The item a consent link's token opens; undefined for one never issued, or altered. Looked up by hash. */
export async function feedbackByToken(db: Executor, token: string): Promise<FeedbackItem | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const [row] = await db.select().from(feedbackItems).where(eq(feedbackItems.consentTokenHash, sha256(token)));
  return row;
}

export type ConsentOutcome = { kind: 'recorded' | 'unchanged'; item: FeedbackItem } | { kind: 'closed'; item: FeedbackItem };

/**
 * Records the customer's answer given on the consent page: yes (optionally without their
 * name), no, or, after a yes, withdraw, which takes the item off the wall at once and for
 * good. Under the row's lock, with an event on the timeline (and an audit entry for a
 * withdrawal). An unknown token is not found.
 */
export async function answerConsent(tx: Executor, token: string, answer: { answer: 'yes' | 'no' | 'withdraw'; anonymous?: boolean }, now = new Date()): Promise<ConsentOutcome> {
  const found = await feedbackByToken(tx, token);
  if (!found) throw new NotFound('Feedback');
  const [f] = await tx.select().from(feedbackItems).where(eq(feedbackItems.id, found.id)).for('update');
  if (f.state === 'withdrawn') return { kind: 'closed', item: f };
  const event = (type: 'feedback.consented' | 'feedback.declined' | 'feedback.withdrawn', extra: { anonymous?: boolean } = {}) =>
    recordEvent(tx, { workspaceId: f.workspaceId, conversationId: f.conversationId, type, actorContactId: f.contactId, data: { feedbackId: f.id, kind: f.kind, ...extra } as never });
  if (answer.answer === 'yes') {
    const anonymous = Boolean(answer.anonymous);
    if (f.state !== 'consent_requested' && f.state !== 'declined') return { kind: 'unchanged', item: f };
    const [row] = await tx
      .update(feedbackItems)
      .set({ state: 'consented', consentedAt: now, consentVia: 'link', anonymous, declinedAt: null, updatedAt: now })
      .where(eq(feedbackItems.id, f.id))
      .returning();
    await event('feedback.consented', { anonymous });
    return { kind: 'recorded', item: row };
  }
  if (answer.answer === 'no') {
    if (f.state !== 'consent_requested') return { kind: 'unchanged', item: f };
    const [row] = await tx.update(feedbackItems).set({ state: 'declined', declinedAt: now, updatedAt: now }).where(eq(feedbackItems.id, f.id)).returning();
    await event('feedback.declined');
    return { kind: 'recorded', item: row };
  }
  if (f.state !== 'consented' && f.state !== 'published' && f.state !== 'unpublished') return { kind: 'unchanged', item: f };
  const [row] = await tx.update(feedbackItems).set({ state: 'withdrawn', withdrawnAt: now, updatedAt: now }).where(eq(feedbackItems.id, f.id)).returning();
  await event('feedback.withdrawn');
  await recordAudit(tx, { workspaceId: f.workspaceId, memberId: null }, { action: 'feedback.withdraw', targetType: 'feedback_item', targetId: f.id, data: { kind: f.kind, conversationId: f.conversationId, by: 'customer', wasPublished: f.state === 'published' } });
  return { kind: 'recorded', item: row };
}

/** What the wall shows of an item: never the conversation, the contact or anything the customer did not agree to. */
export interface WallItem {
  id: string;
  kind: FeedbackKind;
  quote: string;
  /** Null when the customer chose to appear anonymous. */
  name: string | null;
  response: string | null;
  publishedAt: Date;
}

const onWall = (workspaceId: string) => and(eq(feedbackItems.workspaceId, workspaceId), eq(feedbackItems.state, 'published'));

/** The published items of a workspace, newest first; of one kind when asked. */
export async function wallItems(db: Executor, workspaceId: string, opts: { kind?: FeedbackKind; limit?: number } = {}): Promise<WallItem[]> {
  const rows = await db
    .select()
    .from(feedbackItems)
    .where(and(onWall(workspaceId), opts.kind ? eq(feedbackItems.kind, opts.kind) : undefined))
    .orderBy(desc(feedbackItems.publishedAt))
    .limit(opts.limit ?? 100);
  return rows.map((r) => ({ id: r.id, kind: r.kind, quote: r.quote, name: r.anonymous ? null : r.displayName, response: r.response, publishedAt: r.publishedAt! }));
}

/** Whether the workspace's wall has anything on it (the help center links to it only then). */
export async function hasWall(db: Executor, workspaceId: string): Promise<boolean> {
  const [r] = await db.select({ one: sql<number>`1` }).from(feedbackItems).where(onWall(workspaceId)).limit(1);
  return Boolean(r);
}
