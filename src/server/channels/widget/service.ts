import { and, asc, desc, eq, gte, inArray, isNotNull, max, ne, sql } from 'drizzle-orm';
import { surveyLinks } from '../../domains/satisfaction/survey-links.js';
import type { Executor } from '../../db/client.js';
import { contactIdentities, contacts, conversationReads, conversations, inboxes, members, messages, teamMembers, teams, users, type VisitorContext, widgetVisitors } from '../../db/schema/index.js';
import { type Calendar, isOpen } from '../../core/business-hours/calendar.js';
import { findCalendar } from '../../core/business-hours/service.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { contactEmail, identifyContact, normalizeIdentity } from '../../domains/contacts/service.js';
import { readIntakeAnswers } from '../../domains/topics/intake.js';
import { listTopics, topicByKey } from '../../domains/topics/service.js';
import { recordEvent } from '../../core/events/record-event.js';
import { moveContact, recordSeen } from '../../domains/conversations/commands.js';
import { ingest } from '../../domains/conversations/ingest.js';
import { WIDGET_LOCALES, type WidgetLocale, type WidgetSettings } from '../../domains/inboxes/schema.js';
import type { Inbox } from '../../domains/inboxes/service.js';
import { uuidv7 } from 'uuidv7';
import { widgetWords } from '../../../shared/widget-words.js';
import { readTicket, type VisitorFile, visitorFiles } from './attachments.js';
import { verifyIdentityHash, verifyVisitorToken, visitorToken } from './visitor-token.js';

export type WidgetConfig = WidgetSettings & { publicKey: string; identitySecret: string };
export type Visitor = typeof widgetVisitors.$inferSelect;

export const widgetSettings = (inbox: Pick<Inbox, 'config'>) => inbox.config as unknown as WidgetConfig;

/** The widget inbox a script tag names; an archived one is gone for visitors. */
export async function widgetByKey(db: Executor, publicKey: string): Promise<Inbox> {
  const [inbox] = await db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.channel, 'widget'), sql`${inboxes.config}->>'publicKey' = ${publicKey}`));
  if (!inbox || inbox.archivedAt) throw new NotFound('Widget');
  return inbox;
}

/** The allow-list of sites: empty allows any; a request without Origin is not from a browser page and is let through (it proves nothing either way). */
export function originAllowed(inbox: Inbox, origin: string | undefined): boolean {
  const allowed = widgetSettings(inbox).allowedOrigins ?? [];
  if (!allowed.length || !origin) return true;
  return allowed.includes(origin);
}

/** Whether `now` falls in the widget's business-hours calendar (open hours in its time zone, not on a holiday); no calendar means always. */
export function withinBusinessHours(calendar: Calendar | null, now = new Date()): boolean {
  return calendar ? isOpen(calendar, now) : true;
}

/**
 * How long visitors wait for a first answer here, from the last 14 days' conversations
 * of this inbox (the median), or null when there are too few to say.
 */
export async function expectedReplySeconds(db: Executor, inboxId: string): Promise<number | null> {
  const since = new Date(Date.now() - 14 * 86_400_000);
  const [row] = await db
    .select({
      n: sql<number>`count(*)::int`,
      median: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (${conversations.firstResponseAt} - ${conversations.createdAt})))`,
    })
    .from(conversations)
    .where(and(eq(conversations.inboxId, inboxId), gte(conversations.createdAt, since), isNotNull(conversations.firstResponseAt)));
  return row && row.n >= 3 && row.median !== null ? Math.max(0, Math.round(Number(row.median))) : null;
}

/** The people the widget shows: the inbox's chosen team, or its own team; their names and pictures only. */
async function shownPeople(db: Executor, inbox: Inbox) {
  const teamId = widgetSettings(inbox).showTeamId ?? inbox.teamId;
  if (!teamId) return { teamName: null, people: [] };
  const [team] = await db.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId));
  const people = await db
    .select({ memberId: members.id, name: users.name })
    .from(teamMembers)
    .innerJoin(members, eq(members.id, teamMembers.memberId))
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(members.active, true)))
    .limit(5);
  return { teamName: team?.name ?? null, people };
}

/** The first of the visitor's languages the widget speaks (their browser's order); English when none. */
export function visitorLocale(languages: readonly string[]): WidgetLocale {
  for (const l of languages) {
    const base = l.trim().toLowerCase().split(/[-_;]/)[0];
    const known = WIDGET_LOCALES.find((w) => w === base);
    if (known) return known;
  }
  return 'en';
}

/** What the widget shows before anyone writes. `online` is whether a member of the workspace has the agent app open now. */
export async function publicWidgetConfig(ctx: Ctx, inbox: Inbox, online: boolean, languages: readonly string[] = []) {
  const s = widgetSettings(inbox);
  const locale = visitorLocale(languages);
  const open = withinBusinessHours(s.businessHoursId ? await findCalendar(ctx.db, inbox.workspaceId, s.businessHoursId) : null);
  const { teamName, people } = await shownPeople(ctx.db, inbox);
  return {
    name: inbox.name,
    color: s.color,
    locale,
    ...widgetWords(s, locale),
    preChat: s.preChat,
    // What a visitor may say their question is about, each with the fields to ask before they write.
    topics: (await listTopics(ctx.db, inbox.workspaceId)).map((t) => ({
      key: t.key,
      name: t.name,
      fields: t.fields.map((f) => ({ key: f.key, label: f.label, type: f.type, options: f.options, helpText: f.helpText, required: f.required })),
    })),
    requireVerification: s.requireVerification,
    teamName,
    // First names only: enough to know a person answers, nothing more about them.
    people: people.map((p) => ({ name: p.name.split(' ')[0] })),
    online: online && open,
    withinBusinessHours: open,
    expectedReplySeconds: await expectedReplySeconds(ctx.db, inbox.id),
  };
}

export interface SessionInput {
  token?: string;
  identity?: { id: string; hash: string; email?: string; name?: string };
  context?: VisitorContext;
}

/**
 * Opens (or resumes) a visitor's session: their token names the visitor row; an identity
 * with a valid hash moves the visitor to the site user's contact, taking an anonymous
 * visitor's conversations along. A wrong hash is refused, never ignored.
 */
export async function openSession(ctx: Ctx, inbox: Inbox, input: SessionInput) {
  const s = widgetSettings(inbox);
  if (input.identity && !verifyIdentityHash(s.identitySecret, input.identity.id, input.identity.hash)) {
    throw new Forbidden('identity verification failed: hash must be the HMAC-SHA256 of the id with the inbox secret');
  }
  if (s.requireVerification && !input.identity) throw new Forbidden('this chat is for signed-in users: identify the visitor (Heard.identify) first');

  return inTransaction(ctx, async (tx) => {
    const known = verifyVisitorToken(ctx.secret, input.token);
    let visitor: Visitor | undefined = known
      ? (await tx.select().from(widgetVisitors).where(and(eq(widgetVisitors.id, known), eq(widgetVisitors.inboxId, inbox.id))))[0]
      : undefined;
    if (s.requireVerification && visitor && !input.identity) throw new Forbidden('this chat is for signed-in users');

    let contactId: string;
    if (input.identity) {
      const { contact } = await identifyContact(tx, inbox.workspaceId, {
        externalId: `site-user:${input.identity.id}`,
        email: input.identity.email,
        name: input.identity.name,
      });
      contactId = contact.id;
      // The anonymous visitor who just signed in: their conversations are this person's.
      if (visitor && visitor.contactId !== contactId && (await isAnonymous(tx, visitor.contactId))) {
        await moveContact(tx, inbox.workspaceId, visitor.contactId, contactId);
      } else if (visitor && visitor.contactId !== contactId) {
        // Another identified person on the same browser: a visitor of their own.
        visitor = undefined;
      }
    } else if (visitor) {
      contactId = visitor.contactId;
    } else {
      const [c] = await tx.insert(contacts).values({ workspaceId: inbox.workspaceId, name: '' }).returning();
      contactId = c.id;
    }

    const context = { ...(visitor?.context ?? {}), ...(input.context ?? {}) };
    if (visitor) {
      [visitor] = await tx.update(widgetVisitors).set({ contactId, context, lastSeenAt: new Date() }).where(eq(widgetVisitors.id, visitor.id)).returning();
    } else {
      [visitor] = await tx.insert(widgetVisitors).values({ workspaceId: inbox.workspaceId, inboxId: inbox.id, contactId, context }).returning();
      if (!input.identity) {
        await tx.insert(contactIdentities).values({ workspaceId: inbox.workspaceId, contactId, kind: 'external', value: normalizeIdentity('external', `visitor:${visitor.id}`) });
      }
    }
    return { token: visitorToken(ctx.secret, visitor.id), visitor, ...(await visitorState(tx, visitor, input.identity !== undefined)) };
  });
}

/** A contact that is only a browser: no e-mail, phone or site user id of its own. */
async function isAnonymous(db: Executor, contactId: string) {
  const ids = await db.select().from(contactIdentities).where(eq(contactIdentities.contactId, contactId));
  return ids.every((i) => i.kind === 'external' && i.value.startsWith('visitor:'));
}

/** The visitor as the widget sees them: what is known (so the pre-chat form asks only the rest) and their conversations. */
export async function visitorState(db: Executor, visitor: Visitor, verified: boolean) {
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, visitor.contactId));
  const ids = await db.select().from(contactIdentities).where(eq(contactIdentities.contactId, visitor.contactId));
  const convs = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.contactId, visitor.contactId), eq(conversations.inboxId, visitor.inboxId), sql`${conversations.mergedIntoId} is null`))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(20);
  const lastOut = convs.length
    ? await db
        .select({ conversationId: messages.conversationId, at: sql<Date>`max(${messages.createdAt})` })
        .from(messages)
        .where(and(inArray(messages.conversationId, convs.map((c) => c.id)), eq(messages.direction, 'out')))
        .groupBy(messages.conversationId)
    : [];
  return {
    contact: {
      name: contact.name || null,
      email: ids.find((i) => i.kind === 'email')?.value ?? null,
      phone: ids.find((i) => i.kind === 'phone')?.value ?? null,
      verified,
    },
    conversations: convs.map((c) => ({
      id: c.id,
      number: c.number,
      subject: c.subject,
      status: c.status,
      lastMessageAt: c.lastMessageAt,
      lastReplyAt: lastOut.find((l) => l.conversationId === c.id)?.at ?? null,
    })),
  };
}

export async function visitorFromToken(ctx: Ctx, inbox: Inbox, token: string | undefined): Promise<Visitor> {
  const id = verifyVisitorToken(ctx.secret, token);
  const [visitor] = id ? await ctx.db.select().from(widgetVisitors).where(and(eq(widgetVisitors.id, id), eq(widgetVisitors.inboxId, inbox.id))) : [];
  if (!visitor) throw new Forbidden('visitor token is missing or not valid for this widget');
  return visitor;
}

async function ownConversation(db: Executor, visitor: Visitor, conversationId: string) {
  const [c] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.contactId, visitor.contactId), eq(conversations.inboxId, visitor.inboxId)));
  // Another visitor's conversation reads as missing: nothing about it leaks.
  if (!c) throw new NotFound('Conversation');
  return c;
}

export interface VisitorMessageInput {
  clientMessageId: string;
  text: string;
  /** Tickets of files uploaded to POST /attachments. */
  attachments?: string[];
  conversationId?: string;
  /** Start a new conversation rather than continue the open one. */
  newConversation?: boolean;
  /** The pre-chat form's topic and its intake fields (key → text), for a new conversation. */
  intake?: { topic: string; fields: Record<string, string> };
}

/** The pre-chat intake, checked all at once (Invalid under `intake.fields.<key>`): the topic's name and the values to store. */
async function visitorIntake(db: Executor, workspaceId: string, contactId: string, intake: NonNullable<VisitorMessageInput['intake']>) {
  const topic = await topicByKey(db, workspaceId, intake.topic);
  if (!topic) throw new Invalid('intake.topic', 'is not a topic of this workspace');
  return { topic: topic.name, values: readIntakeAnswers(topic, intake.fields, { contactEmail: await contactEmail(db, contactId) }, 'intake.fields') };
}

/**
 * A visitor's message, through ingest(): the client's message id makes a retry after a
 * dropped connection return the stored message instead of a second one.
 */
export async function sendFromVisitor(ctx: Ctx, inbox: Inbox, visitor: Visitor, input: VisitorMessageInput) {
  if (input.conversationId) await ownConversation(ctx.db, visitor, input.conversationId);
  const files = (input.attachments ?? []).map((ticket) => {
    const t = readTicket(ctx.secret, ticket, visitor.id);
    return { id: uuidv7(), sha256: t.sha256, size: t.size, filename: t.filename, contentType: t.contentType };
  });
  if (!input.text.trim() && !files.length) throw new Invalid('text', 'must not be empty');
  const intake = input.intake && !input.conversationId ? await visitorIntake(ctx.db, inbox.workspaceId, visitor.contactId, input.intake) : undefined;
  const r = await ingest(ctx, {
    workspaceId: inbox.workspaceId,
    inboxId: inbox.id,
    contactId: visitor.contactId,
    contact: { externalId: `visitor:${visitor.id}` },
    text: input.text,
    externalId: `widget:${visitor.id}:${input.clientMessageId}`,
    conversationId: input.conversationId,
    threadByContact: !input.newConversation,
    attachments: files,
    allowEmpty: files.length > 0,
    // Used only if this message opens the conversation.
    topic: intake?.topic,
    customFields: intake?.values,
  });
  const [m] = await ctx.db.select().from(messages).where(eq(messages.id, r.messageId));
  const stored = await visitorFiles(ctx.db, ctx.secret, widgetSettings(inbox).publicKey, visitor.contactId, [m.id]);
  return { conversationId: r.conversationId, duplicate: r.duplicate, message: presentVisitorMessage(m, input.clientMessageId, undefined, stored.get(m.id)) };
}

/** What a visitor may see of a message: the words both ways, never notes, delivery internals or other customers' addresses. */
export function presentVisitorMessage(m: typeof messages.$inferSelect, clientMessageId?: string, authorName?: string | null, files: VisitorFile[] = []) {
  const prefix = m.externalId?.startsWith('widget:') ? m.externalId.split(':').slice(2).join(':') : undefined;
  return {
    id: m.id,
    conversationId: m.conversationId,
    clientMessageId: clientMessageId ?? prefix,
    from: m.direction === 'in' ? ('visitor' as const) : ('agent' as const),
    authorName: m.direction === 'out' ? (authorName ?? null) : null,
    text: m.text,
    /** A satisfaction survey: its words and three links, which the widget shows as buttons. */
    survey: m.email?.survey ? surveyLinks(m.text) : undefined,
    createdAt: m.createdAt,
    /** An agent's reply: when the visitor saw it. */
    seenAt: m.seenAt,
    /** Written by e-mail (the visitor answered an answer that reached them there), not in the widget. */
    byEmail: m.channel === 'email',
    attachments: files,
  };
}

/** The messages of a visitor's conversation, after the one they have (a reconnect's replay), oldest first. */
export async function visitorMessages(ctx: Ctx, publicKey: string, visitor: Visitor, conversationId: string, afterId?: string) {
  await ownConversation(ctx.db, visitor, conversationId);
  const where = [
    eq(messages.conversationId, conversationId),
    inArray(messages.direction, ['in', 'out']),
    // A reply not yet sent (scheduled) or cancelled is not the visitor's to see.
    ne(messages.deliveryStatus, 'scheduled'),
    ne(messages.deliveryStatus, 'cancelled'),
  ];
  if (afterId) {
    const [after] = await ctx.db.select({ createdAt: messages.createdAt }).from(messages).where(and(eq(messages.id, afterId), eq(messages.conversationId, conversationId)));
    if (!after) throw new Invalid('after', 'no such message in this conversation');
    where.push(sql`(${messages.createdAt}, ${messages.id}) > (select m.created_at, m.id from ${messages} m where m.id = ${afterId})`);
  }
  const rows = await ctx.db
    .select({ m: messages, authorName: users.name })
    .from(messages)
    .leftJoin(members, eq(members.id, messages.authorMemberId))
    .leftJoin(users, eq(users.id, members.userId))
    .where(and(...where))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(500);
  const files = await visitorFiles(ctx.db, ctx.secret, publicKey, visitor.contactId, rows.map((r) => r.m.id));
  return rows.map((r) => presentVisitorMessage(r.m, undefined, r.authorName?.split(' ')[0], files.get(r.m.id)));
}

/**
 * The visitor has seen the agents' replies up to `messageId`: they are marked seen, and the
 * agents get a `message.delivery` event with `seenUpTo`.
 */
export async function markSeenByVisitor(ctx: Ctx, visitor: Visitor, conversationId: string, messageId: string) {
  const c = await ownConversation(ctx.db, visitor, conversationId);
  return inTransaction(ctx, (tx) => recordSeen(tx, c, messageId));
}

/** When an agent last read the conversation (the widget's "Seen" under the visitor's messages), or null. */
export async function agentReadAt(db: Executor, conversationId: string): Promise<Date | null> {
  const [row] = await db.select({ at: max(conversationReads.lastReadAt) }).from(conversationReads).where(eq(conversationReads.conversationId, conversationId));
  return row?.at ?? null;
}

/** What the visitor tells about themselves (pre-chat form, the e-mail for an answer after they leave). */
export async function updateVisitorContact(ctx: Ctx, visitor: Visitor, fields: { name?: string; email?: string; phone?: string }) {
  return inTransaction(ctx, async (tx) => {
    if (fields.name) await tx.update(contacts).set({ name: fields.name, updatedAt: new Date() }).where(eq(contacts.id, visitor.contactId));
    for (const kind of ['email', 'phone'] as const) {
      const value = fields[kind];
      if (!value) continue;
      const normalized = normalizeIdentity(kind, value);
      const [owner] = await tx
        .select()
        .from(contactIdentities)
        .where(and(eq(contactIdentities.workspaceId, visitor.workspaceId), eq(contactIdentities.kind, kind), eq(contactIdentities.value, normalized)));
      // An address someone else holds is not taken over by whoever types it into a widget.
      if (owner && owner.contactId !== visitor.contactId) continue;
      if (!owner) await tx.insert(contactIdentities).values({ workspaceId: visitor.workspaceId, contactId: visitor.contactId, kind, value: normalized }).onConflictDoNothing();
    }
    return visitorState(tx, visitor, false);
  });
}

/** Recent visitors' context for the agent: where the customer is, in what language and time. */
export async function visitorContextOf(db: Executor, contactId: string) {
  const [v] = await db.select().from(widgetVisitors).where(eq(widgetVisitors.contactId, contactId)).orderBy(desc(widgetVisitors.lastSeenAt)).limit(1);
  return v ? { ...v.context, lastSeenAt: v.lastSeenAt } : null;
}
