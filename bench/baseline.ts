import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../src/server/db/client.js';
import type { MessageSpec } from './workload.js';

/**
 * The baseline: the rows ingest() stores for a message, written with plain parameterised
 * INSERTs and nothing else: no look-ups, no de-duplication, no threading, no workspace
 * counter lock, no conversation update. Ids are made here (UUIDv7, as the schema does) and
 * conversation numbers by a counter in this process.
 *
 * A message from a new contact writes a contact, its identities (external id, and the
 * e-mail when there is one), a conversation, a `conversation.created` event, the message
 * and its `message.created` event; a follow-up writes the message and its event into the
 * contact's conversation. These are the rows ingest() inserts for the same traffic.
 */
export type BaselineMode = 'tx' | 'stmt';

interface Row {
  table: 'contacts' | 'contact_identities' | 'conversations' | 'events' | 'messages';
  values: Record<string, unknown>;
}

export function baselineWriter(database: Database, workspaceId: string, inboxId: string, mode: BaselineMode) {
  let number = 0;

  function rowsFor(spec: MessageSpec) {
    const rows: Row[] = [];
    let contactId = spec.known?.contactId;
    let conversationId = spec.known?.conversationId;
    if (spec.kind === 'new' || !contactId || !conversationId) {
      contactId = uuidv7();
      conversationId = uuidv7();
      rows.push({ table: 'contacts', values: { id: contactId, workspace_id: workspaceId, name: spec.contact.name } });
      rows.push({ table: 'contact_identities', values: { id: uuidv7(), workspace_id: workspaceId, contact_id: contactId, kind: 'external', value: spec.contact.externalId } });
      if (spec.contact.email) {
        rows.push({ table: 'contact_identities', values: { id: uuidv7(), workspace_id: workspaceId, contact_id: contactId, kind: 'email', value: spec.contact.email } });
      }
      const n = ++number;
      const now = new Date().toISOString();
      rows.push({
        table: 'conversations',
        values: {
          id: conversationId,
          workspace_id: workspaceId,
          number: n,
          inbox_id: inboxId,
          contact_id: contactId,
          subject: spec.text.split('\n')[0].slice(0, 200),
          last_message_at: now,
          waiting_since: now,
        },
      });
      rows.push({ table: 'events', values: event(conversationId, 'conversation.created', contactId, { number: n, inboxId, channel: 'api' }) });
    }
    const messageId = uuidv7();
    rows.push({
      table: 'messages',
      values: {
        id: messageId,
        workspace_id: workspaceId,
        conversation_id: conversationId,
        inbox_id: inboxId,
        direction: 'in',
        channel: 'api',
        contact_id: contactId,
        text: spec.text,
        external_id: spec.clientMessageId,
        delivery_status: 'received',
      },
    });
    rows.push({ table: 'events', values: event(conversationId, 'message.created', contactId, { messageId, direction: 'in' }) });
    return { rows, contactId, conversationId };
  }

  function event(conversationId: string, type: string, contactId: string, data: Record<string, unknown>) {
    return { id: uuidv7(), workspace_id: workspaceId, conversation_id: conversationId, type, actor_contact_id: contactId, data: JSON.stringify(data) };
  }

  /** `insert into t (a, b) values ($1, $2)`, numbering parameters from `offset`. */
  function insert(row: Row, offset: number) {
    const cols = Object.keys(row.values);
    const params = cols.map((c, i) => `$${offset + i + 1}${c === 'data' ? '::jsonb' : ''}`);
    return { text: `insert into ${row.table} (${cols.join(', ')}) values (${params.join(', ')})`, values: Object.values(row.values) };
  }

  return async function write(spec: MessageSpec) {
    const { rows, contactId, conversationId } = rowsFor(spec);
    if (mode === 'tx') {
      // One INSERT per row, in one transaction: the round trips ingest() has for its writes.
      // The transaction is Drizzle's (as ingest's is) because database.raw cannot hold one:
      // on PostgreSQL each raw query may take another pooled connection, and on PGlite the
      // 16 concurrent writers share one connection, so a raw BEGIN would mix their rows.
      await database.db.transaction(async (tx) => {
        for (const row of rows) {
          const { text, values } = insert(row, 0);
          await tx.execute(paramSql(text, values));
        }
      });
    } else {
      // All rows in one statement (data-modifying CTEs): one round trip, one implicit transaction.
      const parts: string[] = [];
      const values: unknown[] = [];
      rows.forEach((row, i) => {
        const q = insert(row, values.length);
        values.push(...q.values);
        parts.push(i < rows.length - 1 ? `w${i} as (${q.text})` : q.text);
      });
      const text = parts.length > 1 ? `with ${parts.slice(0, -1).join(', ')} ${parts.at(-1)}` : parts[0];
      await database.raw.query(text, values);
    }
    return { contactId, conversationId };
  };
}

/** A Drizzle SQL object for `text` with `$n` placeholders bound to `values`. */
function paramSql(text: string, values: unknown[]) {
  const chunks = text.split(/\$(\d+)/);
  let q = sql.raw(chunks[0]);
  for (let i = 1; i < chunks.length; i += 2) {
    q = sql`${q}${values[Number(chunks[i]) - 1]}${sql.raw(chunks[i + 1])}`;
  }
  return q;
}
