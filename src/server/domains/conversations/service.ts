import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { attachments, contacts, conversations, events, inboxes, members, messages, slaPolicies, teams, users } from '../../db/schema/index.js';
import { type Actor, eventActor, isSystemActor, type SystemActor } from '../../core/actor.js';
import { Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { recordEvent } from '../../core/events/record-event.js';
import { lastPreviews, unreadFor } from './list-conversations.js';
import { visitorContextOf } from '../../channels/widget/service.js';
import { listParticipants } from './participants.js';
import { conversationPolicy } from './policy.js';
import { type Conversation, presentConversation, presentMessage } from './present.js';
import type { ConversationUpdate } from './schema.js';
import { validateCustomValues } from '../custom-fields/service.js';
import { satisfactionOf } from '../satisfaction/service.js';
import { infoRequestRounds } from './request-info.js';
import { emailFallbackPossible } from './delivery.js';

export type { Conversation, Message } from './present.js';
export { presentConversation, presentMessage } from './present.js';
export { addAgentMessage } from './add-message.js';

/**
 * The conversation by id or number in the actor's workspace; another workspace's is not found.
 * `lock`: held until the transaction ends, so a change computed from the row (tags added to its tags) is not lost to another made meanwhile.
 */
export async function getConversationRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string, opts: { lock?: boolean } = {}) {
  const byNumber = /^\d+$/.test(id);
  const query = db
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, actor.workspaceId), byNumber ? eq(conversations.number, Number(id)) : eq(conversations.id, id)));
  const [row] = opts.lock ? await query.for('update') : await query;
  if (!row) throw new NotFound('Conversation');
  return row;
}

/** One conversation as the caller sees it: with its contact, other participants, channel and their unread state. */
export async function getConversation(db: Executor, actor: Actor, id: string) {
  const row = await getConversationRow(db, actor, id);
  const [r] = await db
    .select({ contactName: contacts.name, channel: inboxes.channel, network: sql<string | null>`${inboxes.config}->>'network'`, unread: unreadFor(actor.memberId).mapWith(Boolean), slaPolicyName: slaPolicies.name })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .leftJoin(slaPolicies, eq(slaPolicies.id, conversations.slaPolicyId))
    .where(eq(conversations.id, row.id));
  const participants = await listParticipants(db, row.id);
  const previews = await lastPreviews(db, [row.id]);
  return {
    ...presentConversation(row, {
      contact: { id: row.contactId, name: r.contactName },
      preview: previews.get(row.id),
      channel: r.channel,
      network: r.network,
      unread: r.unread,
      participants,
      slaPolicyName: r.slaPolicyName,
    }),
    // A widget conversation: the page the visitor is on, their browser, language and time zone.
    visitor: r.channel === 'widget' ? await visitorContextOf(db, row.contactId) : undefined,
    satisfaction: await satisfactionOf(db, actor.workspaceId, row.id),
    /** How many times the team asked the customer for more information ("We need more information"). */
    infoRequests: await infoRequestRounds(db, row.id),
  };
}

async function checkRefs(db: Executor, actor: Pick<Actor, 'workspaceId'>, u: ConversationUpdate) {
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

/**
 * Changes status, priority, assignee, team, tags, topic or custom fields, and records each
 * change on the timeline, by a member or by a rule or job (a SystemActor, which no policy limits).
 */
export async function updateConversation(tx: Executor, actor: Actor | SystemActor, id: string, u: ConversationUpdate) {
  // Locked: two agents tagging at once both keep their tag, and one deleted meanwhile is not found rather than half-changed.
  const c = await getConversationRow(tx, actor, id, { lock: true });
  if (!isSystemActor(actor) && !conversationPolicy.update(actor, c)) throw new Forbidden('You can change only conversations assigned to you');
  await checkRefs(tx, actor, u);
  if (u.customFields) await validateCustomValues(tx, actor, 'conversation', u.customFields);
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
  if (u.snoozedUntil !== undefined) {
    const until = u.snoozedUntil === null ? null : new Date(u.snoozedUntil);
    if (until && until.getTime() <= Date.now()) throw new Invalid('snoozedUntil', 'must be in the future');
    set('snoozedUntil', until);
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
    ...eventActor(actor),
    data: { changes },
  });
  return presentConversation(row);
}

/**
 * The conversations merged into this one, and those merged into them: their events stay
 * where they were written (the timeline is append-only), and the target's timeline shows them.
 */
async function mergedSources(db: Executor, id: string) {
  const found: string[] = [];
  for (let next = [id]; next.length; ) {
    const rows = await db.select({ id: conversations.id }).from(conversations).where(inArray(conversations.mergedIntoId, next));
    next = rows.map((r) => r.id).filter((r) => r !== id && !found.includes(r));
    found.push(...next);
  }
  return found;
}

/** The conversation's opening shares its first message's transaction time; it reads first. */
const opensFirst = (i: { type: string; event?: { type: string } }) => (i.type === 'event' && i.event?.type === 'conversation.created' ? 1 : 0);

/**
 * The case history in one ordered list: every message and note with its attachments,
 * and every change (status, assignment, delivery) with who made it.
 */
export async function getTimeline(db: Executor, actor: Actor, id: string) {
  const c = await getConversationRow(db, actor, id);
  const sources = await mergedSources(db, c.id);
  const msgs = await db.select().from(messages).where(eq(messages.conversationId, c.id)).orderBy(asc(messages.createdAt), asc(messages.id));
  const files = msgs.length ? await db.select().from(attachments).where(inArray(attachments.messageId, msgs.map((m) => m.id))) : [];
  const evts = await db
    .select({ e: events, actorName: users.name })
    .from(events)
    .leftJoin(members, eq(members.id, events.actorMemberId))
    .leftJoin(users, eq(users.id, members.userId))
    // Messages are items of their own; an agent having read it is no part of the case history.
    .where(
      and(
        inArray(events.conversationId, [c.id, ...sources]),
        sql`${events.type} not in ('message.created', 'conversation.read')`,
        // A source's own closing by the merge: the target says it with its conversation.merged.
        sql`(${events.conversationId} = ${c.id} or ${events.data}->'changes'->'mergedIntoId' is null)`,
      ),
    )
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
      event: { id: e.id, conversationId: e.conversationId, type: e.type, actorMemberId: e.actorMemberId, actorContactId: e.actorContactId, actorName, actorSystem: e.actorSystem, data: e.data },
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || opensFirst(b) - opensFirst(a));
  const undelivered = msgs.some((m) => m.direction === 'out' && m.deliveryStatus === 'failed' && m.channel !== 'email' && !m.replacedById);
  // Only asked when there is a failed reply: "Send by e-mail instead" is offered where it can work.
  return { conversation: presentConversation(c), items, emailFallback: undelivered ? await emailFallbackPossible(db, actor, c.contactId) : false };
}
