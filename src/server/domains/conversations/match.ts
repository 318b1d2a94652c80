import { and, count, desc, eq, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { contactIdentities, contacts, conversations, inboxes, messages } from '../../db/schema/index.js';
import type { Condition, Conditions } from '../rules/schema.js';

/**
 * Which conversations a rule's conditions match, for the rules domain: conditions compile
 * to SQL over a conversation joined with its contact and inbox, one definition of a match
 * used alike for a rule running on one conversation, a time rule looking for
 * conversations, and the preview.
 */

/** The columns a caller's own narrowing may refer to (e.g. "no firing recorded for this state"). */
export interface MatchColumns {
  id: typeof conversations.id;
  updatedAt: typeof conversations.updatedAt;
}
const matchColumns: MatchColumns = { id: conversations.id, updatedAt: conversations.updatedAt };

/**
 * The workspace's conversations (merged ones left out) the conditions match now, with
 * `occasion`: the state they are in (their last change), for once-per-state firing.
 * `notDone` leaves out solved and closed; `narrow` adds the caller's own test.
 */
export function conversationsMatching(db: Executor, workspaceId: string, c: Conditions, opts: { notDone?: boolean; narrow?: (cols: MatchColumns) => SQL } = {}) {
  return db
    .select({ id: conversations.id, number: conversations.number, subject: conversations.subject, status: conversations.status, occasion: sql<string>`${conversations.updatedAt}::text`.as('occasion') })
    .from(conversations)
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(
      and(
        eq(conversations.workspaceId, workspaceId),
        sql`${conversations.mergedIntoId} is null`,
        opts.notDone ? notInArray(conversations.status, ['solved', 'closed']) : undefined,
        opts.narrow?.(matchColumns),
        conditionsSql(c),
      ),
    );
}

/** How many conversations `conversationsMatching` finds. */
export async function countMatching(db: Executor, workspaceId: string, c: Conditions, opts: { notDone?: boolean } = {}) {
  const [{ n }] = await db.select({ n: count() }).from(conversationsMatching(db, workspaceId, c, opts).as('m'));
  return n;
}

/** How many conversations not solved or closed the conditions match now, and the first `limit` by number. */
export async function previewMatching(db: Executor, workspaceId: string, c: Conditions, limit: number) {
  const items = await conversationsMatching(db, workspaceId, c, { notDone: true }).orderBy(conversations.number).limit(limit);
  return { total: await countMatching(db, workspaceId, c, { notDone: true }), items: items.map(({ id, number, subject, status }) => ({ id, number, subject, status })) };
}

/** For each set of conditions, whether it holds for the conversation now: one query for them all. */
export async function whichHold(db: Executor, workspaceId: string, conversationId: string, sets: Conditions[]): Promise<boolean[]> {
  if (!sets.length) return [];
  // The customer's latest message is read once and given to every text condition as a
  // value: fifty rules on the message text would otherwise each look it up again.
  let lastInbound: SQL | undefined;
  if (sets.some((c) => c.conditions.some((x) => x.field === 'text'))) {
    const [m] = await db
      .select({ text: messages.text })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'in')))
      .orderBy(desc(messages.createdAt))
      .limit(1);
    lastInbound = sql`${m?.text ?? null}::text`;
  }
  const columns = Object.fromEntries(sets.map((c, i) => [`r${i}`, sql<boolean>`${conditionsSql(c, lastInbound)}`.as(`r${i}`)]));
  const [row] = await db
    .select(columns)
    .from(conversations)
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId), sql`${conversations.mergedIntoId} is null`));
  return sets.map((_, i) => row?.[`r${i}`] === true);
}

/**
 * Takes the conversation's row lock for the rest of the transaction: one automated change
 * at a time per conversation, each seeing the one before.
 */
export async function lockConversation(tx: Executor, conversationId: string) {
  await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversationId)).for('update');
}

/** `lastInbound`: the customer's latest message text when the caller has it, else looked up per conversation. */
function conditionsSql(c: Conditions, lastInbound?: SQL): SQL {
  if (!c.conditions.length) return sql`true`;
  const parts = c.conditions.map((x) => conditionSql(x, lastInbound));
  return (c.match === 'any' ? or(...parts) : and(...parts)) ?? sql`true`;
}

const negate = (op: string, s: SQL) => (op === 'is_not' || op === 'not_contains' ? sql`not coalesce(${s}, false)` : sql`coalesce(${s}, false)`);
const containsText = (column: SQL | typeof conversations.subject, v: string) => sql`position(lower(${v}) in lower(${column})) > 0`;
const olderThan = (column: typeof conversations.lastInboundAt | typeof conversations.updatedAt, op: 'more_than' | 'less_than', hours: number) =>
  op === 'more_than' ? sql`${column} < now() - make_interval(hours => ${hours})` : sql`${column} >= now() - make_interval(hours => ${hours})`;

// Identities hold e-mail addresses lower-cased.
const hasEmail = (test: SQL) =>
  sql`exists (select 1 from ${contactIdentities} i where i.contact_id = ${conversations.contactId} and i.kind = 'email' and ${test})`;

function conditionSql(c: Condition, lastInbound?: SQL): SQL {
  switch (c.field) {
    case 'inbox':
      return negate(c.operator, sql`${eq(conversations.inboxId, c.value)}`);
    case 'channel':
      return negate(c.operator, sql`${eq(inboxes.channel, c.value)}`);
    case 'status':
      return negate(c.operator, sql`${eq(conversations.status, c.value)}`);
    case 'priority':
      return negate(c.operator, sql`${eq(conversations.priority, c.value)}`);
    case 'assignee':
      return negate(c.operator, c.value === null ? sql`${conversations.assigneeId} is null` : sql`${eq(conversations.assigneeId, c.value)}`);
    case 'team':
      return negate(c.operator, c.value === null ? sql`${conversations.teamId} is null` : sql`${eq(conversations.teamId, c.value)}`);
    case 'tags':
      return negate(c.operator, sql`${c.value} = any(${conversations.tags})`);
    case 'subject':
      return negate(c.operator, containsText(conversations.subject, c.value));
    case 'text':
      return negate(
        c.operator,
        containsText(lastInbound ?? sql`(select m.text from messages m where m.conversation_id = ${conversations.id} and m.direction = 'in' order by m.created_at desc limit 1)`, c.value),
      );
    case 'contact.email':
      return negate(c.operator, hasEmail(sql`i.value = ${c.value}`));
    case 'contact.domain':
      return negate(c.operator, hasEmail(sql`split_part(i.value, '@', 2) = ${c.value}`));
    case 'contact.attribute':
      return negate(c.operator, sql`${contacts.attributes} ->> ${c.key} = ${c.value}`);
    case 'hours_since_customer_message':
      return sql`coalesce(${olderThan(conversations.lastInboundAt, c.operator, c.value)}, false)`;
    case 'hours_since_update':
      return sql`coalesce(${olderThan(conversations.updatedAt, c.operator, c.value)}, false)`;
  }
}
