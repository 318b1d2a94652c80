import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { goodwillActions, goodwillLimits, goodwillSettings } from '../../db/schema/index.js';
import { type Actor, canAdminister, hasScope, isAdmin, type Role, ROLES } from '../../core/actor.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { randomToken } from '../../core/ids.js';
import { refusedHost } from '../../core/net/outbound-guard.js';
import { catalog } from '../../helpcenter/i18n/index.js';
import { recordAudit } from '../audit/service.js';
import { recordGoodwill } from '../conversations/commands.js';
import { conversationPolicy } from '../conversations/policy.js';
import { conversationBriefs } from '../conversations/queries.js';
import { getConversationRow } from '../conversations/service.js';
import { helpCenterOf } from '../help-center/service.js';
import { memberNames } from '../members/service.js';
import { decimalAmount, formatAmount, minorDigits } from './money.js';
import { type GoodwillCreate, type GoodwillKind, type GoodwillListQuery, type GoodwillSettingsUpdate } from './schema.js';

export type GoodwillAction = typeof goodwillActions.$inferSelect;

/** Who gives goodwill: a member who may write (on a conversation they may answer: see createGoodwill). */
export const mayGive = (a: Actor) => hasScope(a, 'write');
/** Who approves or denies what waits: a supervisor, i.e. an admin or owner, never on their own request. */
export const mayApprove = (a: Actor) => isAdmin(a) && hasScope(a, 'write');

/**
 * The most one action may be worth without approval, per role, in the currency's main unit,
 * where the workspace set no limit of its own: owners have none, light members none at all.
 */
export const DEFAULT_LIMITS: Record<Role, number | null> = { owner: null, admin: 500, agent: 50, light: 0 };

/** A role's limit for one kind of action in one currency, in minor units; null for no limit. */
export async function limitFor(db: Executor, workspaceId: string, role: Role, kind: GoodwillKind, currency: string): Promise<number | null> {
  const [row] = await db
    .select({ limitMinor: goodwillLimits.limitMinor })
    .from(goodwillLimits)
    .where(and(eq(goodwillLimits.workspaceId, workspaceId), eq(goodwillLimits.role, role), eq(goodwillLimits.kind, kind), eq(goodwillLimits.currency, currency)));
  if (row) return row.limitMinor;
  const major = DEFAULT_LIMITS[role];
  return major === null ? null : major * 10 ** minorDigits(currency);
}

/** The language the customer is written to in: the help center's (English without one). */
async function customerLocale(db: Executor, workspaceId: string) {
  return (await helpCenterOf(db, workspaceId))?.locale ?? 'en';
}

/**
 * The sentence that tells the customer, in their language, for the agent's reply: only for
 * an approved action, so no customer hears of a credit that then waits or is denied.
 */
export function customerText(g: Pick<GoodwillAction, 'kind' | 'amountMinor' | 'currency' | 'orderRef' | 'state'>, locale: string): string | null {
  if (g.state !== 'approved') return null;
  const t = catalog(locale);
  const line = t(`goodwill.told.${g.kind}`, { amount: formatAmount(g.amountMinor, g.currency, locale) });
  return g.orderRef ? `${line} ${t('goodwill.told.order', { order: g.orderRef })}` : line;
}

/** An action as the API shows it, with its delivery to the order system and the line for the customer. */
export function presentGoodwill(g: GoodwillAction, locale = 'en', conversation?: { number: number; subject: string }, names = new Map<string, string>()) {
  return {
    id: g.id,
    conversationId: g.conversationId,
    conversationNumber: conversation?.number ?? null,
    contactId: g.contactId,
    kind: g.kind,
    amountMinor: g.amountMinor,
    currency: g.currency,
    amount: decimalAmount(g.amountMinor, g.currency),
    reason: g.reason,
    orderRef: g.orderRef,
    state: g.state,
    requestedByMemberId: g.requestedByMemberId,
    requestedByName: g.requestedByMemberId ? (names.get(g.requestedByMemberId) ?? null) : null,
    decidedByMemberId: g.decidedByMemberId,
    decidedByName: g.decidedByMemberId ? (names.get(g.decidedByMemberId) ?? null) : null,
    decidedAt: g.decidedAt,
    decisionReason: g.decisionReason,
    delivery: {
      status: g.deliveryStatus,
      error: g.deliveryError,
      attempts: g.deliveryAttempts,
      deliveredAt: g.deliveredAt,
      externalRef: g.externalRef,
    },
    customerText: customerText(g, locale),
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}

export type PresentedGoodwill = ReturnType<typeof presentGoodwill>;

/** Actions as the API shows them, each with its conversation's number and the customer's language. */
async function presentAll(db: Executor, workspaceId: string, rows: GoodwillAction[]) {
  const locale = await customerLocale(db, workspaceId);
  const briefs = await conversationBriefs(db, workspaceId, [...new Set(rows.map((g) => g.conversationId))]);
  const names = await memberNames(db, workspaceId, [...new Set(rows.flatMap((g) => [g.requestedByMemberId, g.decidedByMemberId]).filter((id): id is string => !!id))]);
  return rows.map((g) => presentGoodwill(g, locale, briefs.get(g.conversationId), names));
}

/** The workspace's order-system webhook, or undefined when none is configured. */
export async function orderSystemOf(db: Executor, workspaceId: string) {
  const [s] = await db.select().from(goodwillSettings).where(eq(goodwillSettings.workspaceId, workspaceId));
  return s?.orderWebhookUrl && s.orderWebhookSecret ? { url: s.orderWebhookUrl, secret: s.orderWebhookSecret } : undefined;
}

const eventOf = (g: GoodwillAction, reason?: string | null) => ({
  actionId: g.id,
  kind: g.kind,
  amountMinor: g.amountMinor,
  currency: g.currency,
  ...(reason ? { reason } : {}),
  ...(g.deliveryStatus === 'queued' ? { deliver: true } : {}),
});

/**
 * An agent gives goodwill from a conversation. Within their role's limit it is approved at
 * once (and queued for the order system when one is configured); above it, it waits for a
 * supervisor, who is told (the `goodwill.requested` event). Either way it is on the timeline.
 */
export async function createGoodwill(tx: Executor, actor: Actor, conversationId: string, input: GoodwillCreate) {
  if (!mayGive(actor)) throw new Forbidden('Read-only tokens cannot give goodwill');
  const c = await getConversationRow(tx, actor, conversationId);
  if (!conversationPolicy.reply(actor, c)) throw new Forbidden('A light member gives goodwill only on conversations assigned to them');
  const limit = await limitFor(tx, actor.workspaceId, actor.role, input.kind, input.currency);
  const within = limit === null || input.amountMinor <= limit;
  const deliver = within && (await orderSystemOf(tx, actor.workspaceId)) !== undefined;
  const now = new Date();
  const [g] = await tx
    .insert(goodwillActions)
    .values({
      workspaceId: actor.workspaceId,
      conversationId: c.id,
      contactId: c.contactId,
      kind: input.kind,
      amountMinor: input.amountMinor,
      currency: input.currency,
      reason: input.reason,
      orderRef: input.orderRef || null,
      state: within ? 'approved' : 'awaiting_approval',
      requestedByMemberId: actor.memberId,
      decidedAt: within ? now : null,
      deliveryStatus: deliver ? 'queued' : null,
    })
    .returning();
  await recordGoodwill(tx, { workspaceId: g.workspaceId, conversationId: g.conversationId, actorMemberId: actor.memberId, type: within ? 'goodwill.issued' : 'goodwill.requested', data: eventOf(g, g.reason) });
  await recordAudit(tx, actor, { action: within ? 'goodwill.issue' : 'goodwill.request', targetType: 'goodwill_action', targetId: g.id, data: { kind: g.kind, amountMinor: g.amountMinor, currency: g.currency } });
  return (await presentAll(tx, actor.workspaceId, [g]))[0];
}

async function actionRow(db: Executor, workspaceId: string, id: string, lock = false) {
  const q = db.select().from(goodwillActions).where(and(eq(goodwillActions.id, id), eq(goodwillActions.workspaceId, workspaceId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('Goodwill action');
  return row;
}

/**
 * A supervisor approves or denies an action that waits (denying needs a reason). Nobody
 * decides on their own request, and an approver's own limit must cover the amount (an
 * admin above theirs leaves it to an owner). An approval queues the delivery.
 */
export async function decideGoodwill(tx: Executor, actor: Actor, id: string, decision: { approve: boolean; reason?: string }) {
  if (!mayApprove(actor)) throw new Forbidden('Only an admin or owner approves or denies goodwill');
  const g = await actionRow(tx, actor.workspaceId, id, true);
  if (g.state !== 'awaiting_approval') throw new Conflict(`This action was ${g.state === 'approved' ? 'approved' : 'denied'} already`);
  if (g.requestedByMemberId === actor.memberId) throw new Forbidden('You cannot decide on your own request: another supervisor must');
  const reason = decision.reason?.trim() || null;
  if (!decision.approve && !reason) throw new Invalid('reason', 'must say why the action is denied');
  if (decision.approve) {
    const limit = await limitFor(tx, actor.workspaceId, actor.role, g.kind, g.currency);
    if (limit !== null && g.amountMinor > limit) {
      throw new Forbidden(`This is above your own limit of ${formatAmount(limit, g.currency)}: someone with a higher limit must approve it`);
    }
  }
  const deliver = decision.approve && (await orderSystemOf(tx, actor.workspaceId)) !== undefined;
  const now = new Date();
  const [row] = await tx
    .update(goodwillActions)
    .set({
      state: decision.approve ? 'approved' : 'denied',
      decidedByMemberId: actor.memberId,
      decidedAt: now,
      decisionReason: reason,
      deliveryStatus: deliver ? 'queued' : null,
      updatedAt: now,
    })
    .where(eq(goodwillActions.id, g.id))
    .returning();
  await recordGoodwill(tx, { workspaceId: row.workspaceId, conversationId: row.conversationId, actorMemberId: actor.memberId, type: decision.approve ? 'goodwill.approved' : 'goodwill.denied', data: eventOf(row, reason) });
  await recordAudit(tx, actor, { action: decision.approve ? 'goodwill.approve' : 'goodwill.deny', targetType: 'goodwill_action', targetId: g.id, data: { kind: g.kind, amountMinor: g.amountMinor, currency: g.currency, reason } });
  return (await presentAll(tx, actor.workspaceId, [row]))[0];
}

export async function getGoodwill(db: Executor, actor: Actor, id: string) {
  return (await presentAll(db, actor.workspaceId, [await actionRow(db, actor.workspaceId, id)]))[0];
}

function listFilter(actor: Actor, q: Partial<GoodwillListQuery>) {
  const day = 86_400_000;
  return and(
    eq(goodwillActions.workspaceId, actor.workspaceId),
    q.conversationId ? eq(goodwillActions.conversationId, q.conversationId) : undefined,
    q.contactId ? eq(goodwillActions.contactId, q.contactId) : undefined,
    q.state ? eq(goodwillActions.state, q.state) : undefined,
    q.from ? gte(goodwillActions.createdAt, new Date(q.from)) : undefined,
    q.to ? lt(goodwillActions.createdAt, new Date(new Date(q.to).getTime() + day)) : undefined,
  );
}

/** The workspace's actions, newest first: of a conversation, of a contact, by state, by day. */
export async function listGoodwill(db: Executor, actor: Actor, q: Partial<GoodwillListQuery> & { limit: number }) {
  const rows = await db.select().from(goodwillActions).where(listFilter(actor, q)).orderBy(desc(goodwillActions.createdAt), desc(goodwillActions.id)).limit(q.limit);
  return presentAll(db, actor.workspaceId, rows);
}

/**
 * The ledger of a contact or of the workspace: the actions (newest first) and, over all that
 * match (not only those listed), what was given (approved) and what waits, per currency and kind.
 */
export async function goodwillLedger(db: Executor, actor: Actor, q: GoodwillListQuery) {
  const sums = await db
    .select({
      state: goodwillActions.state,
      currency: goodwillActions.currency,
      kind: goodwillActions.kind,
      count: sql<number>`count(*)::int`,
      amountMinor: sql<string>`sum(${goodwillActions.amountMinor})`,
    })
    .from(goodwillActions)
    .where(listFilter(actor, { ...q, state: undefined }))
    .groupBy(goodwillActions.state, goodwillActions.currency, goodwillActions.kind)
    .orderBy(goodwillActions.currency, goodwillActions.kind);
  const totals = (state: 'approved' | 'awaiting_approval') =>
    sums.filter((s) => s.state === state).map((s) => ({ currency: s.currency, kind: s.kind, count: s.count, amountMinor: Number(s.amountMinor), amount: decimalAmount(Number(s.amountMinor), s.currency) }));
  return { given: totals('approved'), awaiting: totals('awaiting_approval'), items: await listGoodwill(db, actor, q) };
}

/** Settings › Goodwill as everyone reads it; the signing secret only for admins. */
export async function getGoodwillSettings(db: Executor, actor: Actor) {
  const [s] = await db.select().from(goodwillSettings).where(eq(goodwillSettings.workspaceId, actor.workspaceId));
  const limits = await db
    .select({ role: goodwillLimits.role, kind: goodwillLimits.kind, currency: goodwillLimits.currency, limitMinor: goodwillLimits.limitMinor })
    .from(goodwillLimits)
    .where(eq(goodwillLimits.workspaceId, actor.workspaceId))
    .orderBy(goodwillLimits.currency, goodwillLimits.role, goodwillLimits.kind);
  return {
    orderWebhookUrl: s?.orderWebhookUrl ?? null,
    orderWebhookSecret: canAdminister(actor) ? (s?.orderWebhookSecret ?? null) : undefined,
    limits,
    defaults: ROLES.map((role) => ({ role, limitMajor: DEFAULT_LIMITS[role] })),
  };
}

/**
 * Changes the order system's webhook (a secret is made with the first URL, and again on
 * request) and replaces the limits. A URL inside the network is refused here, not after days of retries.
 */
export async function updateGoodwillSettings(tx: Executor, actor: Actor, input: GoodwillSettingsUpdate, allowPrivate: boolean) {
  if (!canAdminister(actor)) throw new Forbidden('Only an admin changes goodwill settings');
  if (input.orderWebhookUrl && !allowPrivate && refusedHost(new URL(input.orderWebhookUrl).hostname)) {
    throw new Invalid('orderWebhookUrl', 'points to a private or loopback address; Heard only calls public addresses (HEARD_ALLOW_PRIVATE_WEBHOOKS=1 lifts this)');
  }
  if (input.limits) {
    const seen = new Set<string>();
    input.limits.forEach((l, i) => {
      const key = `${l.role}/${l.kind}/${l.currency}`;
      if (seen.has(key)) throw new Invalid(`limits.${i}`, `sets ${l.role} ${l.kind} in ${l.currency} twice`);
      seen.add(key);
    });
  }
  const [s] = await tx.select().from(goodwillSettings).where(eq(goodwillSettings.workspaceId, actor.workspaceId)).for('update');
  if (input.orderWebhookUrl !== undefined || input.rotateSecret) {
    const url = input.orderWebhookUrl !== undefined ? input.orderWebhookUrl : (s?.orderWebhookUrl ?? null);
    const secret = input.rotateSecret || !s?.orderWebhookSecret ? randomToken('whsec_', 24) : s.orderWebhookSecret;
    const values = { orderWebhookUrl: url, orderWebhookSecret: secret, updatedAt: new Date() };
    await tx
      .insert(goodwillSettings)
      .values({ workspaceId: actor.workspaceId, ...values })
      .onConflictDoUpdate({ target: goodwillSettings.workspaceId, set: values });
  }
  if (input.limits) {
    await tx.delete(goodwillLimits).where(eq(goodwillLimits.workspaceId, actor.workspaceId));
    if (input.limits.length) await tx.insert(goodwillLimits).values(input.limits.map((l) => ({ workspaceId: actor.workspaceId, ...l })));
  }
  await recordAudit(tx, actor, {
    action: 'goodwill.settings',
    targetType: 'workspace',
    targetId: actor.workspaceId,
    data: { orderWebhookUrl: input.orderWebhookUrl, rotateSecret: input.rotateSecret ?? false, limits: input.limits?.length },
  });
  return getGoodwillSettings(tx, actor);
}

/** A contact merged into another: its goodwill is the kept contact's from now on. */
export async function moveGoodwillContact(tx: Executor, workspaceId: string, fromContactId: string, toContactId: string) {
  await tx
    .update(goodwillActions)
    .set({ contactId: toContactId })
    .where(and(eq(goodwillActions.workspaceId, workspaceId), eq(goodwillActions.contactId, fromContactId)));
}

/** An action the delivery job reads (no actor: it acts for the workspace that approved it). */
export async function actionForDelivery(db: Executor, id: string) {
  const [row] = await db.select().from(goodwillActions).where(eq(goodwillActions.id, id));
  return row;
}

/**
 * What became of one delivery attempt: delivered (with the order system's reference), still
 * queued with the attempt's error, or failed for good. Only while queued, so a late outcome
 * never overwrites a newer one; delivered and failed are on the timeline.
 */
export async function recordGoodwillDelivery(
  tx: Executor,
  id: string,
  outcome: { status: 'queued' | 'delivered' | 'failed'; error: string | null; externalRef?: string | null },
) {
  const now = new Date();
  const [row] = await tx
    .update(goodwillActions)
    .set({
      deliveryStatus: outcome.status,
      deliveryError: outcome.error,
      deliveryAttempts: sql`${goodwillActions.deliveryAttempts} + 1`,
      deliveredAt: outcome.status === 'delivered' ? now : null,
      externalRef: outcome.externalRef ?? null,
      updatedAt: now,
    })
    .where(and(eq(goodwillActions.id, id), eq(goodwillActions.deliveryStatus, 'queued')))
    .returning();
  if (row && outcome.status !== 'queued') {
    await recordGoodwill(tx, {
      workspaceId: row.workspaceId,
      conversationId: row.conversationId,
      actorMemberId: null,
      type: 'goodwill.delivery',
      data: { actionId: row.id, deliveryStatus: outcome.status, deliveryError: row.deliveryError, externalRef: row.externalRef },
    });
  }
  return row;
}


/** The actions taken from one conversation (by id or number), newest first. */
export async function conversationGoodwill(db: Executor, actor: Actor, conversationId: string) {
  const c = await getConversationRow(db, actor, conversationId);
  return listGoodwill(db, actor, { conversationId: c.id, limit: 1000 });
}
