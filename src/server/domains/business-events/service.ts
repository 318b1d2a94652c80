import { type AnyColumn, and, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { businessEvents, businessEventSettings } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, Invalid, NotFound, Unauthorized } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { randomToken, sha256 } from '../../core/ids.js';
import { verifySignature } from '../../core/webhooks/signature.js';
import { recordAudit } from '../audit/service.js';
import { getContactRow, identifyContact } from '../contacts/service.js';
import type { BusinessEventCreate } from './schema.js';

export type BusinessEvent = typeof businessEvents.$inferSelect;

export function presentBusinessEvent(e: BusinessEvent) {
  return {
    id: e.id,
    externalId: e.externalId,
    contactId: e.contactId,
    type: e.type,
    occurredAt: e.occurredAt,
    product: e.productSku || e.productName ? { sku: e.productSku, name: e.productName } : null,
    amount: e.amount !== null && e.currency ? { value: Number(e.amount), currency: e.currency } : null,
    data: e.data,
    createdAt: e.createdAt,
  };
}
export type BusinessEventView = ReturnType<typeof presentBusinessEvent>;

/** JSON with object keys sorted, so that the same content always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The content of an event request as its hash: the same id sent with the same content is a retry. */
const contentHash = (input: BusinessEventCreate) => sha256(canonical({ ...input, occurredAt: new Date(input.occurredAt).toISOString() }));

async function byExternalId(db: Executor, workspaceId: string, externalId: string) {
  const [row] = await db.select().from(businessEvents).where(and(eq(businessEvents.workspaceId, workspaceId), eq(businessEvents.externalId, externalId)));
  return row;
}

function sameOrConflict(row: BusinessEvent, hash: string) {
  if (row.contentHash !== hash) throw new Conflict(`An event with id ${row.externalId} was already recorded with other content; send a new id for a new event`);
  return { event: presentBusinessEvent(row), created: false };
}

/**
 * Records a business event on its contact's history, once per caller's event id: the same id
 * with the same content again answers the first result (created: false), with other content
 * a Conflict. The contact is found by id, or found or created by e-mail / external id as a
 * channel does. Two requests racing with one id store one row (the unique key decides).
 */
export async function recordBusinessEvent(tx: Executor, actor: Pick<Actor, 'workspaceId'> & { memberId?: string }, input: BusinessEventCreate) {
  const hash = contentHash(input);
  const existing = await byExternalId(tx, actor.workspaceId, input.id);
  if (existing) return sameOrConflict(existing, hash);
  let contactId: string;
  if (input.contact.id) {
    const c = await getContactRow(tx, actor, input.contact.id).catch((err) => {
      if (err instanceof NotFound) throw new Invalid('contact.id', 'no such contact');
      throw err;
    });
    contactId = c.mergedIntoId ?? c.id;
  } else {
    const { contact } = await identifyContact(tx, actor.workspaceId, { email: input.contact.email, externalId: input.contact.externalId, name: input.contact.name });
    contactId = contact.id;
  }
  const [row] = await tx
    .insert(businessEvents)
    .values({
      workspaceId: actor.workspaceId,
      externalId: input.id,
      contactId,
      type: input.type,
      occurredAt: new Date(input.occurredAt),
      productSku: input.product?.sku ?? null,
      productName: input.product?.name ?? null,
      amount: input.amount ? String(input.amount.value) : null,
      currency: input.amount?.currency ?? null,
      data: input.data ?? {},
      contentHash: hash,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    // Another request with this id committed meanwhile.
    const winner = await byExternalId(tx, actor.workspaceId, input.id);
    if (!winner) throw new Conflict('The event was being recorded by another request; retry');
    return sameOrConflict(winner, hash);
  }
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    type: 'business_event.recorded',
    actorMemberId: actor.memberId ?? null,
    data: { businessEventId: row.id, contactId, type: row.type },
  });
  return { event: presentBusinessEvent(row), created: true };
}

/** A contact's business events, newest first. */
export async function listContactEvents(db: Executor, actor: Pick<Actor, 'workspaceId'>, contactId: string, limit = 100) {
  await getContactRow(db, actor, contactId);
  const rows = await db
    .select()
    .from(businessEvents)
    .where(and(eq(businessEvents.workspaceId, actor.workspaceId), eq(businessEvents.contactId, contactId)))
    .orderBy(desc(businessEvents.occurredAt))
    .limit(limit);
  return rows.map(presentBusinessEvent);
}

/** Business events by id (of one workspace), for the tasks that name them. */
export async function businessEventsByIds(db: Executor, workspaceId: string, ids: string[]) {
  if (!ids.length) return new Map<string, BusinessEventView>();
  const rows = await db.select().from(businessEvents).where(and(eq(businessEvents.workspaceId, workspaceId), inArray(businessEvents.id, ids)));
  return new Map(rows.map((r) => [r.id, presentBusinessEvent(r)]));
}

/**
 * Events of a type (and product) whose time, `delayMinutes` after they occurred, fell between
 * `from` and `to`: what an outreach rule follows up. Oldest first, at most `limit`.
 */
export async function eventsDueBetween(
  db: Executor,
  q: { workspaceId: string; type: string; productSku: string | null; delayMinutes: number; from: Date; to: Date; excluding: (eventId: AnyColumn) => SQL; limit: number },
) {
  const due = sql`${businessEvents.occurredAt} + ${q.delayMinutes} * interval '1 minute'`;
  return db
    .select()
    .from(businessEvents)
    .where(
      and(
        eq(businessEvents.workspaceId, q.workspaceId),
        eq(businessEvents.type, q.type),
        q.productSku ? eq(businessEvents.productSku, q.productSku) : undefined,
        gte(due, q.from),
        lte(due, q.to),
        q.excluding(businessEvents.id),
      ),
    )
    .orderBy(businessEvents.occurredAt)
    .limit(q.limit);
}

/** The workspace's signing secret for incoming events, or null when events need no signature. */
export async function eventSigningSecret(db: Executor, workspaceId: string) {
  const [row] = await db.select().from(businessEventSettings).where(eq(businessEventSettings.workspaceId, workspaceId));
  return row?.signingSecret ?? null;
}

/**
 * With a signing secret set, an event must carry Heard-Timestamp and Heard-Signature over
 * its raw body (core/webhooks/signature.ts), as Heard signs what it sends: a leaked token
 * alone cannot then forge events. Without one, the token is enough.
 */
export async function checkEventSignature(db: Executor, workspaceId: string, rawBody: string, headers: { timestamp?: string; signature?: string }) {
  const secret = await eventSigningSecret(db, workspaceId);
  if (!secret) return;
  const result = verifySignature(secret, rawBody, headers.timestamp, headers.signature);
  if (!result.ok) throw new Unauthorized(`Event signature refused: ${result.reason}`);
}

/** Sets a new signing secret (from now on every event must be signed with it); returned here only. */
export async function rotateEventSigningSecret(tx: Executor, actor: Actor) {
  const secret = randomToken('heard_evs_', 32);
  await tx
    .insert(businessEventSettings)
    .values({ workspaceId: actor.workspaceId, signingSecret: secret })
    .onConflictDoUpdate({ target: businessEventSettings.workspaceId, set: { signingSecret: secret, updatedAt: new Date() } });
  await recordAudit(tx, actor, { action: 'events.signing_secret.rotate', targetType: 'workspace', targetId: actor.workspaceId });
  return { signed: true, signingSecret: secret };
}

/** Removes the signing secret: events need only the token again. */
export async function removeEventSigningSecret(tx: Executor, actor: Actor) {
  await tx.update(businessEventSettings).set({ signingSecret: null, updatedAt: new Date() }).where(eq(businessEventSettings.workspaceId, actor.workspaceId));
  await recordAudit(tx, actor, { action: 'events.signing_secret.remove', targetType: 'workspace', targetId: actor.workspaceId });
}
