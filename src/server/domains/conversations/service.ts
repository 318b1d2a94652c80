import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { attachments, contacts, conversations, events, inboxes, members, messages, teams, users } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { conversationPolicy } from './policy.js';
import type { ConversationListQuery, ConversationUpdate, MessageCreate } from './schema.js';

export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;

export function presentConversation(c: Conversation, extra: { contact?: { id: string; name: string }; preview?: string } = {}) {
  return {
    id: c.id,
    number: c.number,
    inboxId: c.inboxId,
    contactId: c.contactId,
    contact: extra.contact,
    subject: c.subject,
    status: c.status,
    priority: c.priority,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    tags: c.tags,
    topic: c.topic,
    customFields: c.customFields,
    preview: extra.preview,
    lastMessageAt: c.lastMessageAt,
    waitingSince: c.waitingSince,
    firstResponseAt: c.firstResponseAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function presentMessage(m: Message, files: (typeof attachments.$inferSelect)[] = []) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    channel: m.channel,
    authorMemberId: m.authorMemberId,
    contactId: m.contactId,
    text: m.text,
    html: m.html,
    deliveryStatus: m.deliveryStatus,
    deliveryError: m.deliveryError,
    deliveredAt: m.deliveredAt,
    attachments: files.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size })),
    createdAt: m.createdAt,
  };
}

/** The cursor is opaque to clients: the last row's sort key, base64url-encoded JSON. */
function encodeCursor(c: Conversation) {
  return Buffer.from(JSON.stringify([c.lastMessageAt.toISOString(), c.id])).toString('base64url');
}

function decodeCursor(s: string): [Date, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [string, string];
    const d = new Date(at);
    if (Number.isNaN(d.getTime()) || typeof id !== 'string') throw new Error('bad');
    return [d, id];
  } catch {
    throw new Invalid('querystring.cursor', 'is not a cursor this API gave out');
  }
}

/**
 * Lists conversations, most recent activity first, with keyset pagination: a page costs
 * the same at conversation 10 as at 100,000.
 */
export async function listConversations(db: Executor, actor: Actor, q: ConversationListQuery) {
  const c = conversations;
  const conds: (SQL | undefined)[] = [eq(c.workspaceId, actor.workspaceId)];
  if (q.status?.length) conds.push(inArray(c.status, q.status));
  if (q.assignee === 'me') conds.push(eq(c.assigneeId, actor.memberId));
  else if (q.assignee === 'none') conds.push(isNull(c.assigneeId));
  else if (q.assignee) conds.push(eq(c.assigneeId, q.assignee));
  if (q.team === 'none') conds.push(isNull(c.teamId));
  else if (q.team) conds.push(eq(c.teamId, q.team));
  if (q.inbox) conds.push(eq(c.inboxId, q.inbox));
  if (q.contact) conds.push(eq(c.contactId, q.contact));
  if (q.priority) conds.push(eq(c.priority, q.priority));
  if (q.tag) conds.push(sql`${c.tags} @> array[${q.tag}]::text[]`);
  if (q.q) {
    const query = sql`websearch_to_tsquery('simple', ${q.q})`;
    conds.push(
      or(
        sql`${c.search} @@ ${query}`,
        sql`exists (select 1 from ${messages} m where m.conversation_id = ${c.id} and m.search @@ ${query})`,
        /^#?\d+$/.test(q.q) ? eq(c.number, Number(q.q.replace('#', ''))) : undefined,
      ),
    );
  }
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    conds.push(or(lt(c.lastMessageAt, at), and(eq(c.lastMessageAt, at), lt(c.id, id))));
  }
  const rows = await db
    .select({ c, contactName: contacts.name })
    .from(c)
    .innerJoin(contacts, eq(contacts.id, c.contactId))
    .where(and(...conds))
    .orderBy(desc(c.lastMessageAt), desc(c.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const previews = await lastPreviews(db, page.map((r) => r.c.id));
  return {
    items: page.map((r) => presentConversation(r.c, { contact: { id: r.c.contactId, name: r.contactName }, preview: previews.get(r.c.id) })),
    nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1].c) : null,
  };
}

/** The last customer-visible message of each conversation, cut to a line, for lists. */
async function lastPreviews(db: Executor, ids: string[]) {
  const map = new Map<string, string>();
  if (!ids.length) return map;
  const rows = await db
    .selectDistinctOn([messages.conversationId], { conversationId: messages.conversationId, text: messages.text })
    .from(messages)
    .where(and(inArray(messages.conversationId, ids), sql`${messages.direction} <> 'note'`))
    .orderBy(messages.conversationId, desc(messages.createdAt));
  for (const r of rows) map.set(r.conversationId, r.text.replace(/\s+/g, ' ').slice(0, 160));
  return map;
}

export async function getConversationRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const byNumber = /^\d+$/.test(id);
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, actor.workspaceId), byNumber ? eq(conversations.number, Number(id)) : eq(conversations.id, id)));
  if (!row) throw new NotFound('Conversation');
  return row;
}

export async function getConversation(db: Executor, actor: Actor, id: string) {
  const c = await getConversationRow(db, actor, id);
  const [contact] = await db.select({ id: contacts.id, name: contacts.name }).from(contacts).where(eq(contacts.id, c.contactId));
  const previews = await lastPreviews(db, [c.id]);
  return presentConversation(c, { contact, preview: previews.get(c.id) });
}

async function checkRefs(db: Executor, actor: Actor, u: ConversationUpdate) {
  if (u.assigneeId) {
    const [m] = await db.select().from(members).where(and(eq(members.id, u.assigneeId), eq(members.workspaceId, actor.workspaceId)));
    if (!m) throw new Invalid('assigneeId', 'no such member');
    if (!m.active) throw new Invalid('assigneeId', 'that member is deactivated');
  }
  if (u.teamId) {
    const [t] = await db.select().from(teams).where(and(eq(teams.id, u.teamId), eq(teams.workspaceId, actor.workspaceId)));
    if (!t) throw new Invalid('teamId', 'no such team');
  }
}

/** Changes status, priority, assignee, team, tags, topic or custom fields, and records each change on the timeline. */
export async function updateConversation(tx: Executor, actor: Actor, id: string, u: ConversationUpdate) {
  const c = await getConversationRow(tx, actor, id);
  if (!conversationPolicy.update(actor, c)) throw new Forbidden('You can change only conversations assigned to you');
  await checkRefs(tx, actor, u);
  const patch: Partial<typeof conversations.$inferInsert> = {};
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set = <K extends keyof Conversation & keyof typeof patch>(k: K, v: Conversation[K]) => {
    if (JSON.stringify(c[k]) === JSON.stringify(v)) return;
    (patch as Record<string, unknown>)[k] = v;
    changes[k] = { from: c[k], to: v };
  };
  if (u.status !== undefined) set('status', u.status);
  if (u.priority !== undefined) set('priority', u.priority);
  if (u.assigneeId !== undefined) set('assigneeId', u.assigneeId);
  if (u.teamId !== undefined) set('teamId', u.teamId);
  if (u.subject !== undefined) set('subject', u.subject);
  if (u.topic !== undefined) set('topic', u.topic);
  if (u.tags || u.addTags || u.removeTags) {
    let tags = u.tags ?? [...c.tags, ...(u.addTags ?? [])];
    if (u.removeTags) tags = tags.filter((t) => !u.removeTags!.includes(t));
    set('tags', [...new Set(tags)]);
  }
  if (u.customFields) {
    const next: Record<string, unknown> = { ...c.customFields };
    for (const [k, v] of Object.entries(u.customFields)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    set('customFields', next);
  }
  if (!Object.keys(changes).length) return presentConversation(c);
  const [row] = await tx
    .update(conversations)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(conversations.id, c.id))
    .returning();
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'conversation.updated',
    actorMemberId: actor.memberId,
    data: { changes },
  });
  return presentConversation(row);
}

/**
 * An agent's reply or internal note. A reply is stored as `queued` and handed to its
 * channel after commit (the outbound processor); a note never leaves Heard.
 */
export async function addAgentMessage(tx: Executor, actor: Actor, id: string, input: MessageCreate) {
  const c = await getConversationRow(tx, actor, id);
  const allowed = input.kind === 'note' ? conversationPolicy.note(actor) : conversationPolicy.reply(actor, c);
  if (!allowed) throw new Forbidden(input.kind === 'note' ? 'Your token cannot write' : 'You can reply only to conversations assigned to you');
  // A status set along with the message is a change like PATCH, under the same rule.
  if (input.status && input.status !== c.status && !conversationPolicy.update(actor, c)) {
    throw new Forbidden('You can change only conversations assigned to you');
  }
  const [inbox] = await tx.select().from(inboxes).where(eq(inboxes.id, c.inboxId));
  const now = new Date();
  const [m] = await tx
    .insert(messages)
    .values({
      workspaceId: actor.workspaceId,
      conversationId: c.id,
      inboxId: c.inboxId,
      direction: input.kind === 'note' ? 'note' : 'out',
      channel: inbox.channel,
      authorMemberId: actor.memberId,
      contactId: c.contactId,
      text: input.text,
      deliveryStatus: input.kind === 'note' ? 'sent' : 'queued',
    })
    .returning();
  const patch: Partial<typeof conversations.$inferInsert> = { updatedAt: now };
  if (input.kind === 'reply') {
    patch.lastMessageAt = now;
    patch.waitingSince = null;
    if (!c.firstResponseAt) patch.firstResponseAt = now;
  }
  if (input.status && input.status !== c.status) patch.status = input.status;
  await tx.update(conversations).set(patch).where(eq(conversations.id, c.id));
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    conversationId: c.id,
    type: 'message.created',
    actorMemberId: actor.memberId,
    data: { messageId: m.id, direction: m.direction, deliveryStatus: m.deliveryStatus },
  });
  if (patch.status) {
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      conversationId: c.id,
      type: 'conversation.updated',
      actorMemberId: actor.memberId,
      data: { changes: { status: { from: c.status, to: patch.status } } },
    });
  }
  return presentMessage(m);
}

/**
 * The case history in one ordered list: every message and note with its attachments,
 * and every change (status, assignment, delivery) with who made it.
 */
export async function getTimeline(db: Executor, actor: Actor, id: string) {
  const c = await getConversationRow(db, actor, id);
  const msgs = await db.select().from(messages).where(eq(messages.conversationId, c.id)).orderBy(asc(messages.createdAt), asc(messages.id));
  const files = msgs.length ? await db.select().from(attachments).where(inArray(attachments.messageId, msgs.map((m) => m.id))) : [];
  const evts = await db
    .select({ e: events, actorName: users.name })
    .from(events)
    .leftJoin(members, eq(members.id, events.actorMemberId))
    .leftJoin(users, eq(users.id, members.userId))
    .where(and(eq(events.conversationId, c.id), sql`${events.type} <> 'message.created'`))
    .orderBy(asc(events.seq));
  const authors = await db
    .select({ id: members.id, name: users.name })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.workspaceId, actor.workspaceId));
  const items = [
    ...msgs.map((m) => ({
      type: 'message' as const,
      at: m.createdAt,
      message: { ...presentMessage(m, files.filter((f) => f.messageId === m.id)), authorName: authors.find((a) => a.id === m.authorMemberId)?.name ?? null },
    })),
    ...evts.map(({ e, actorName }) => ({
      type: 'event' as const,
      at: e.createdAt,
      event: { id: e.id, type: e.type, actorMemberId: e.actorMemberId, actorName, data: e.data },
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return { conversation: presentConversation(c), items };
}
