import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { type Executor, selectRows } from '../../db/client.js';
import { companies, contactIdentities, contacts } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { recordAudit } from '../audit/service.js';
import type { ContactRef, ContactUpdate } from './schema.js';
import { validateCustomValues } from '../custom-fields/service.js';
import { moveContact } from '../conversations/commands.js';
import { moveGoodwillContact } from '../goodwill/service.js';
import { moveOrders } from '../catalog/orders.js';
import { conversationsOfContact } from '../conversations/queries.js';
import { satisfactionOfMany } from '../satisfaction/service.js';

type IdentityKind = (typeof contactIdentities.$inferSelect)['kind'];
export type Contact = typeof contacts.$inferSelect;
export type Identity = typeof contactIdentities.$inferSelect;

/** Identity values are compared normalised, so "Ann@X.com" and "ann@x.com" are one person. */
export function normalizeIdentity(kind: IdentityKind, value: string): string {
  const v = value.trim();
  if (kind === 'email') return v.toLowerCase();
  if (kind === 'phone') return (v.startsWith('+') ? '+' : '') + v.replace(/\D/g, '');
  return v;
}

function refIdentities(ref: ContactRef): { kind: IdentityKind; value: string }[] {
  const list: { kind: IdentityKind; value: string }[] = [];
  if (ref.externalId) list.push({ kind: 'external', value: ref.externalId });
  if (ref.email) list.push({ kind: 'email', value: ref.email });
  if (ref.phone) list.push({ kind: 'phone', value: ref.phone });
  if (ref.handle) list.push({ kind: 'handle', value: ref.handle });
  return list.map((i) => ({ kind: i.kind, value: normalizeIdentity(i.kind, i.value) }));
}

async function findByIdentity(tx: Executor, workspaceId: string, kind: IdentityKind, value: string) {
  const [row] = await tx
    .select({ contactId: contactIdentities.contactId })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.kind, kind), eq(contactIdentities.value, value)));
  return row?.contactId;
}

/** The contact that holds an identity, read (and, with `lock`, locked) in the same statement. */
async function contactByIdentity(tx: Executor, workspaceId: string, kind: IdentityKind, value: string, lock: boolean): Promise<Contact | undefined> {
  const q = tx
    .select(contactColumns)
    .from(contactIdentities)
    .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
    .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.kind, kind), eq(contactIdentities.value, value)));
  const [row] = lock ? await q.for('update', { of: contacts }) : await q;
  return row;
}

/** A contact's columns, of the table or of a CTE that returned its rows: a column added to contacts must be added here (the Contact type says so). */
const columnsOf = <T extends Record<keyof Contact, unknown>>(t: T): Pick<T, keyof Contact> => ({
  id: t.id,
  workspaceId: t.workspaceId,
  name: t.name,
  companyId: t.companyId,
  attributes: t.attributes,
  mergedIntoId: t.mergedIntoId,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});
const contactColumns = columnsOf(contacts);

/**
 * Finds the contact a channel names (external id first, then e-mail, phone, handle), or
 * creates one. Identities the contact did not have yet are added, unless another
 * contact owns them. Safe under concurrency: the unique index on identities decides
 * who created a new person, and the loser adopts the winner's contact.
 * With `lock`, a contact found is row-locked for the rest of the transaction (ingest
 * threads one contact's messages one at a time); a contact created is invisible to other
 * transactions until commit and needs none.
 */
export async function identifyContact(tx: Executor, workspaceId: string, ref: ContactRef, opts: { lock?: boolean } = {}): Promise<{ contact: Contact; created: boolean }> {
  const ids = refIdentities(ref);
  if (!ids.length) throw new Invalid('contact', 'needs at least one of externalId, email, phone or handle');
  const lock = opts.lock === true;
  let found: Contact | undefined;
  // The identity already stored for the contact (found or just inserted): not inserted again below.
  let stored: (typeof ids)[number] | undefined;
  for (const i of ids) {
    found = await contactByIdentity(tx, workspaceId, i.kind, i.value, lock);
    if (found) {
      stored = i;
      break;
    }
  }
  if (!found) {
    // The contact and its first identity in one statement; the identity's unique index picks the winner of a race.
    const [first] = ids;
    const id = uuidv7();
    const c = tx.$with('c').as(tx.insert(contacts).values({ id, workspaceId, name: ref.name ?? '' }).returning());
    const won = tx.$with('won').as(
      tx.insert(contactIdentities).values({ workspaceId, contactId: id, kind: first.kind, value: first.value }).onConflictDoNothing().returning({ id: contactIdentities.id }),
    );
    const [row] = await tx
      .with(c, won)
      .select({ ...columnsOf(c), won: sql<boolean>`exists (select 1 from ${won})` })
      .from(c);
    stored = first;
    if (row.won) {
      const { won: _, ...created } = row;
      for (const i of ids) {
        if (i !== stored) await tx.insert(contactIdentities).values({ workspaceId, contactId: id, kind: i.kind, value: i.value }).onConflictDoNothing();
      }
      // A contact created just now is the row the insert returned: named, not merged.
      return { contact: created, created: true };
    }
    await tx.delete(contacts).where(eq(contacts.id, id));
    found = await contactByIdentity(tx, workspaceId, first.kind, first.value, lock);
    if (!found) throw new Conflict('contact identity changed during the request; retry');
  }
  for (const i of ids) {
    if (i === stored) continue;
    await tx.insert(contactIdentities).values({ workspaceId, contactId: found.id, kind: i.kind, value: i.value }).onConflictDoNothing();
  }
  let contact = found;
  if (contact.mergedIntoId) {
    const q = tx.select().from(contacts).where(eq(contacts.id, contact.mergedIntoId));
    [contact] = lock ? await q.for('update') : await q;
  }
  if (!contact.name && ref.name) [contact] = await tx.update(contacts).set({ name: ref.name }).where(eq(contacts.id, contact.id)).returning();
  return { contact, created: false };
}

/** A contact's attributes (what SLA policies and rules match on); empty for one not found. */
export async function contactAttributes(db: Executor, contactId: string): Promise<Record<string, unknown>> {
  const [c] = await db.select({ attributes: contacts.attributes }).from(contacts).where(eq(contacts.id, contactId));
  return (c?.attributes as Record<string, unknown> | undefined) ?? {};
}

/** A contact's first e-mail address, or null: what an intake form need not ask again. */
export async function contactEmail(db: Executor, contactId: string): Promise<string | null> {
  const [i] = await db
    .select({ value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.contactId, contactId), eq(contactIdentities.kind, 'email')))
    .orderBy(asc(contactIdentities.createdAt))
    .limit(1);
  return i?.value ?? null;
}

export async function getContactRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [c] = await db.select().from(contacts).where(and(eq(contacts.id, id), eq(contacts.workspaceId, actor.workspaceId)));
  if (!c) throw new NotFound('Contact');
  return c;
}

export function presentContact(c: Contact, identities: Identity[], company: { id: string; name: string } | null) {
  return {
    id: c.id,
    name: c.name,
    company,
    attributes: c.attributes,
    identities: identities.map((i) => ({ id: i.id, kind: i.kind, value: i.value })),
    mergedIntoId: c.mergedIntoId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

async function hydrate(db: Executor, rows: Contact[]) {
  if (!rows.length) return [];
  const ids = await db.select().from(contactIdentities).where(inArray(contactIdentities.contactId, rows.map((r) => r.id))).orderBy(asc(contactIdentities.createdAt));
  const companyIds = [...new Set(rows.map((r) => r.companyId).filter((x): x is string => !!x))];
  const comps = companyIds.length ? await db.select().from(companies).where(inArray(companies.id, companyIds)) : [];
  return rows.map((c) => {
    const comp = comps.find((x) => x.id === c.companyId);
    return presentContact(c, ids.filter((i) => i.contactId === c.id), comp ? { id: comp.id, name: comp.name } : null);
  });
}

/** Lists contacts, newest first, or those matching `q` in name or any identity (trigram similarity, so typos still match). */
export async function listContacts(db: Executor, actor: Actor, opts: { q?: string; limit: number; offset: number }) {
  const q = opts.q?.trim();
  const listed = and(eq(contacts.workspaceId, actor.workspaceId), isNull(contacts.mergedIntoId));
  if (!q) {
    const rows = await db.select().from(contacts).where(listed).orderBy(desc(contacts.createdAt), desc(contacts.id)).limit(opts.limit).offset(opts.offset);
    return hydrate(db, rows);
  }
  const like = '%' + q.replace(/[%_\\]/g, '\\$&') + '%';
  /*
   * Names and identities are looked up each by its own trigram index, each match ranked by
   * its own similarity as it is found, and the best of a contact's matches ranks it: best
   * match first, whether the name or an identity (an exact e-mail address) is what matched.
   * An OR across the two tables could use neither index and read every contact; ranking
   * afterwards, by looking up every match's identities again, was most of a search's time.
   * The workspace is checked on the few contacts left: inside, its index would be taken
   * over the trigram ones.
   */
  const page = (ex: Executor) =>
    selectRows<{ id: string }>(
      ex,
      sql`
      select k.id from (
        select m.id, max(m.r) as r from (
          select n.id, similarity(n.name, ${q}) as r from ${contacts} n where n.name ilike ${like} or n.name % ${q}
          union all
          select ci.contact_id, similarity(ci.value, ${q}) from ${contactIdentities} ci where ci.value ilike ${like} or ci.value % ${q}
        ) m group by m.id
      ) k join ${contacts} c on c.id = k.id
      where c.workspace_id = ${actor.workspaceId} and c.merged_into_id is null
      order by k.r desc, k.id desc limit ${opts.limit} offset ${opts.offset}`,
    );
  // The planner prices a trigram match like a plain comparison, so at 100,000 contacts it
  // judged reading every contact as cheap as the trigram indexes: 160 ms against 12 ms.
  const ids = (
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return page(tx);
    })
  ).map((r) => r.id);
  if (!ids.length) return [];
  const byId = new Map((await db.select().from(contacts).where(inArray(contacts.id, ids))).map((c) => [c.id, c]));
  return hydrate(db, ids.flatMap((id) => byId.get(id) ?? []));
}

/** A contact with every conversation they had, on every channel, newest first. */
/** A contact as another system is told of it: name, and the first e-mail, phone and external id. */
export async function contactCard(db: Executor, workspaceId: string, id: string) {
  const c = await getContactRow(db, { workspaceId }, id);
  const identities = await db.select().from(contactIdentities).where(eq(contactIdentities.contactId, c.id)).orderBy(asc(contactIdentities.createdAt));
  const pick = (kind: string) => identities.find((i) => i.kind === kind)?.value ?? null;
  return { id: c.id, name: c.name, email: pick('email'), phone: pick('phone'), externalId: pick('external') };
}

export async function getContact(db: Executor, actor: Actor, id: string) {
  const c = await getContactRow(db, actor, id);
  const [view] = await hydrate(db, [c]);
  const conversations = await conversationsOfContact(db, actor.workspaceId, c.id);
  // The customer's rating of each, where they gave one: their history says how each went.
  const ratings = await satisfactionOfMany(db, actor.workspaceId, conversations.map((x) => x.id));
  return { ...view, conversations: conversations.map((x) => ({ ...x, rating: ratings.get(x.id)?.rating ?? null })) };
}

export async function updateContact(tx: Executor, actor: Actor, id: string, input: ContactUpdate) {
  const c = await getContactRow(tx, actor, id);
  if (input.attributes) await validateCustomValues(tx, actor, 'contact', input.attributes);
  const patch: Partial<typeof contacts.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.attributes !== undefined) patch.attributes = input.attributes;
  if (input.company !== undefined) {
    if (input.company === null || input.company === '') patch.companyId = null;
    else {
      await tx.insert(companies).values({ workspaceId: actor.workspaceId, name: input.company }).onConflictDoNothing();
      const [comp] = await tx
        .select()
        .from(companies)
        .where(and(eq(companies.workspaceId, actor.workspaceId), sql`lower(${companies.name}) = lower(${input.company})`));
      patch.companyId = comp.id;
    }
  }
  await tx.update(contacts).set(patch).where(eq(contacts.id, c.id));
  for (const [n, i] of (input.addIdentities ?? []).entries()) {
    const value = normalizeIdentity(i.kind, i.value);
    const owner = await findByIdentity(tx, actor.workspaceId, i.kind, value);
    if (owner && owner !== c.id) throw new Invalid(`addIdentities.${n}`, `${i.kind} ${value} belongs to another contact; merge the two instead`);
    if (!owner) await tx.insert(contactIdentities).values({ workspaceId: actor.workspaceId, contactId: c.id, kind: i.kind, value });
  }
  if (input.removeIdentities?.length) {
    await tx.delete(contactIdentities).where(and(eq(contactIdentities.contactId, c.id), inArray(contactIdentities.id, input.removeIdentities)));
  }
  await recordEvent(tx, { workspaceId: actor.workspaceId, type: 'contact.updated', actorMemberId: actor.memberId, data: { contactId: c.id } });
  return getContact(tx, actor, c.id);
}

/**
 * Merges `sourceId` into `targetId`: identities, conversations and messages move to the
 * target; the source is kept as a pointer so old links still resolve.
 */
export async function mergeContacts(tx: Executor, actor: Actor, targetId: string, sourceId: string) {
  if (targetId === sourceId) throw new Invalid('sourceId', 'cannot merge a contact into itself');
  const target = await getContactRow(tx, actor, targetId);
  const source = await getContactRow(tx, actor, sourceId);
  if (source.mergedIntoId) throw new Invalid('sourceId', 'was already merged');
  if (target.mergedIntoId) throw new Invalid('targetId', 'was merged into another contact');
  await tx.update(contactIdentities).set({ contactId: target.id }).where(eq(contactIdentities.contactId, source.id));
  await moveContact(tx, actor.workspaceId, source.id, target.id);
  await moveGoodwillContact(tx, actor.workspaceId, source.id, target.id);
  await moveOrders(tx, actor.workspaceId, source.id, target.id);
  await tx
    .update(contacts)
    .set({
      mergedIntoId: target.id,
      updatedAt: new Date(),
    })
    .where(eq(contacts.id, source.id));
  const patch: Partial<typeof contacts.$inferInsert> = { updatedAt: new Date(), attributes: { ...source.attributes, ...target.attributes } };
  if (!target.name && source.name) patch.name = source.name;
  if (!target.companyId && source.companyId) patch.companyId = source.companyId;
  await tx.update(contacts).set(patch).where(eq(contacts.id, target.id));
  await recordEvent(tx, { workspaceId: actor.workspaceId, type: 'contact.merged', actorMemberId: actor.memberId, data: { targetId, sourceId } });
  await recordAudit(tx, actor, { action: 'contact.merge', targetType: 'contact', targetId, data: { sourceId } });
  return getContact(tx, actor, target.id);
}

/** Contacts of a workspace by id, with their identities (for lists that name their customers). */
export async function contactsByIds(db: Executor, workspaceId: string, ids: string[]) {
  if (!ids.length) return new Map<string, ReturnType<typeof presentContact>>();
  const rows = await db.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, [...new Set(ids)])));
  return new Map((await hydrate(db, rows)).map((c) => [c.id, c]));
}
