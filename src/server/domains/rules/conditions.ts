import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { contactIdentities, contacts, conversations, inboxes } from '../../db/schema/index.js';
import type { Condition, Conditions } from './schema.js';

/**
 * Conditions as SQL over `conversations` joined with its `contacts` row and `inboxes` row: one definition
 * of what matches, used alike for a rule running on one conversation, a time rule
 * looking for conversations, and the preview.
 */
export function conditionsSql(c: Conditions): SQL {
  if (!c.conditions.length) return sql`true`;
  const parts = c.conditions.map(conditionSql);
  return (c.match === 'any' ? or(...parts) : and(...parts)) ?? sql`true`;
}

const negate = (op: string, s: SQL) => (op === 'is_not' || op === 'not_contains' ? sql`not coalesce(${s}, false)` : sql`coalesce(${s}, false)`);
const containsText = (column: SQL | typeof conversations.subject, v: string) => sql`position(lower(${v}) in lower(${column})) > 0`;
const olderThan = (column: typeof conversations.lastInboundAt | typeof conversations.updatedAt, op: 'more_than' | 'less_than', hours: number) =>
  op === 'more_than' ? sql`${column} < now() - make_interval(hours => ${hours})` : sql`${column} >= now() - make_interval(hours => ${hours})`;

// Identities hold e-mail addresses lower-cased.
const hasEmail = (test: SQL) =>
  sql`exists (select 1 from ${contactIdentities} i where i.contact_id = ${conversations.contactId} and i.kind = 'email' and ${test})`;

function conditionSql(c: Condition): SQL {
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
        containsText(sql`(select m.text from messages m where m.conversation_id = ${conversations.id} and m.direction = 'in' order by m.created_at desc limit 1)`, c.value),
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
