import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { communityPosts, communityThreads, communityVotes, contacts, helpCenters, kbArticles, members, users } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, Forbidden, Invalid, NotFound, RateLimited } from '../../core/errors.js';
import { renderMarkdown } from '../../core/markdown.js';
import { recordAudit } from '../audit/service.js';
import { helpCenterPolicy } from '../help-center/policy.js';
import type { HelpCenter } from '../help-center/service.js';
import { createArticle } from '../knowledge-base/service.js';
import type { Moderate, ThreadCreate, ThreadListQuery } from './schema.js';

export type Thread = typeof communityThreads.$inferSelect;
export type Post = typeof communityPosts.$inferSelect;

/** Who writes: a signed-in customer (the portal), or a member (the staff badge). */
export type Author = { contactId: string; displayName?: string } | { actor: Actor };
/** Who reads: staff see what moderation hid; a customer sees their own votes. */
export interface Reader {
  contactId?: string | null;
  staff?: Actor | null;
}

/** How many questions and answers one customer may post in an hour. */
export const POSTS_PER_HOUR = 10;

const isStaff = (a: Author): a is { actor: Actor } => 'actor' in a;

/** The next thread number of the help center: the row lock hands them out without gaps or repeats. */
async function nextThreadNumber(tx: Executor, workspaceId: string) {
  const [row] = await tx
    .update(helpCenters)
    .set({ lastThreadNumber: sql`${helpCenters.lastThreadNumber} + 1` })
    .where(eq(helpCenters.workspaceId, workspaceId))
    .returning({ n: helpCenters.lastThreadNumber });
  if (!row) throw new NotFound('Help center');
  return row.n;
}

/** "Maya Johnson" → "Maya J.": what the community shows of a customer who chose no name of their own. */
export function shortName(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 2) return parts[0] ?? '';
  return `${parts[0]} ${parts[parts.length - 1][0].toUpperCase()}.`;
}

/** The name a customer goes by in the community (kept in their contact's attributes), or '' when they have none yet. */
export const communityNameOf = (c: Pick<typeof contacts.$inferSelect, 'attributes'>): string =>
  typeof c.attributes.communityName === 'string' ? c.attributes.communityName : '';

/**
 * A customer posting: within the hourly limit, and with a name the community can show.
 * Never their address, and not their full name unless they choose it: the name they give
 * (or, without one, their first name and initial) is kept as their community name.
 */
async function checkCustomer(tx: Executor, workspaceId: string, author: { contactId: string; displayName?: string }) {
  const since = new Date(Date.now() - 3_600_000);
  const [{ n: threads }] = await tx
    .select({ n: count() })
    .from(communityThreads)
    .where(and(eq(communityThreads.workspaceId, workspaceId), eq(communityThreads.authorContactId, author.contactId), gt(communityThreads.createdAt, since)));
  const [{ n: posts }] = await tx.select({ n: count() }).from(communityPosts).where(and(eq(communityPosts.authorContactId, author.contactId), gt(communityPosts.createdAt, since)));
  if (threads + posts >= POSTS_PER_HOUR) throw new RateLimited(3600);
  const [c] = await tx.select().from(contacts).where(and(eq(contacts.id, author.contactId), eq(contacts.workspaceId, workspaceId)));
  if (!c) throw new NotFound('Contact');
  const name = (author.displayName?.trim() || communityNameOf(c) || shortName(c.name)).slice(0, 100);
  if (!name) throw new Invalid('displayName', 'is required: the name the community sees beside your posts');
  if (name !== communityNameOf(c)) {
    await tx
      .update(contacts)
      .set({ attributes: { ...c.attributes, communityName: name }, updatedAt: new Date() })
      .where(eq(contacts.id, c.id));
  }
}

function authorColumns(author: Author) {
  return isStaff(author) ? { authorMemberId: author.actor.memberId, authorContactId: null } : { authorContactId: author.contactId, authorMemberId: null };
}

/** Asks a question in the community. */
export async function askQuestion(tx: Executor, hc: HelpCenter, author: Author, input: ThreadCreate): Promise<Thread> {
  if (!hc.communityEnabled) throw new Forbidden('the community of this help center is closed');
  if (isStaff(author) && !helpCenterPolicy.write(author.actor)) throw new Forbidden();
  if (!isStaff(author)) await checkCustomer(tx, hc.workspaceId, author);
  const rendered = renderMarkdown(input.body, 'customer');
  const [t] = await tx
    .insert(communityThreads)
    .values({
      workspaceId: hc.workspaceId,
      number: await nextThreadNumber(tx, hc.workspaceId),
      title: input.title,
      body: input.body,
      html: rendered.html,
      plain: rendered.plain,
      language: hc.language,
      ...authorColumns(author),
    })
    .returning();
  return t;
}

async function threadRow(db: Executor, workspaceId: string, where: { id: string } | { number: number }) {
  const [t] = await db
    .select()
    .from(communityThreads)
    .where(and(eq(communityThreads.workspaceId, workspaceId), 'id' in where ? eq(communityThreads.id, where.id) : eq(communityThreads.number, where.number)));
  if (!t) throw new NotFound('Thread');
  return t;
}

/** The visible answers' count and text on the thread (search finds a question by its answers). */
async function refreshThread(tx: Executor, threadId: string, activity = false) {
  const visible = await tx
    .select({ plain: communityPosts.plain })
    .from(communityPosts)
    .where(and(eq(communityPosts.threadId, threadId), isNull(communityPosts.hiddenAt), isNull(communityPosts.deletedAt)))
    .orderBy(asc(communityPosts.createdAt));
  await tx
    .update(communityThreads)
    .set({
      answerCount: visible.length,
      answersPlain: visible
        .map((p) => p.plain)
        .join('\n')
        .slice(0, 100_000),
      updatedAt: new Date(),
      ...(activity ? { lastActivityAt: new Date() } : {}),
    })
    .where(eq(communityThreads.id, threadId));
}

/** Answers a question; a locked, hidden or deleted thread takes no answers. */
export async function answerThread(tx: Executor, hc: HelpCenter, threadId: string, author: Author, body: string): Promise<Post> {
  if (isStaff(author) && !helpCenterPolicy.write(author.actor)) throw new Forbidden();
  await threadRow(tx, hc.workspaceId, { id: threadId });
  // One answer at a time per thread (its count and text are rewritten from the visible answers),
  // and none past a lock that lands at the same moment: the row is locked before it is looked at.
  const [t] = await tx.select().from(communityThreads).where(eq(communityThreads.id, threadId)).for('update');
  if (t.deletedAt || (t.hiddenAt && !isStaff(author))) throw new NotFound('Thread');
  if (t.lockedAt) throw new Conflict(`this thread is locked${t.lockedReason ? `: ${t.lockedReason}` : ''}`);
  if (!isStaff(author)) await checkCustomer(tx, hc.workspaceId, author);
  const rendered = renderMarkdown(body, 'customer');
  const [p] = await tx
    .insert(communityPosts)
    .values({ workspaceId: hc.workspaceId, threadId: t.id, body, html: rendered.html, plain: rendered.plain, ...authorColumns(author) })
    .returning();
  await refreshThread(tx, t.id, true);
  return p;
}

/** A customer's up-vote on a question or an answer; voting again takes it back. Nobody votes for their own. */
export async function toggleVote(tx: Executor, hc: HelpCenter, contactId: string, targetId: string) {
  const [thread] = await tx.select().from(communityThreads).where(and(eq(communityThreads.id, targetId), eq(communityThreads.workspaceId, hc.workspaceId)));
  const [post] = thread ? [] : await tx.select().from(communityPosts).where(and(eq(communityPosts.id, targetId), eq(communityPosts.workspaceId, hc.workspaceId)));
  const target = thread ?? post;
  if (!target || target.deletedAt || target.hiddenAt) throw new NotFound('Post');
  // An answer in a thread the public cannot see is not the public's to vote on.
  if (post) {
    const [parent] = await tx.select({ hiddenAt: communityThreads.hiddenAt, deletedAt: communityThreads.deletedAt }).from(communityThreads).where(eq(communityThreads.id, post.threadId));
    if (!parent || parent.hiddenAt || parent.deletedAt) throw new NotFound('Post');
  }
  if (target.authorContactId === contactId) throw new Invalid('targetId', 'you cannot vote for your own post');
  const removed = await tx
    .delete(communityVotes)
    .where(and(eq(communityVotes.targetId, targetId), eq(communityVotes.contactId, contactId)))
    .returning();
  if (!removed.length) await tx.insert(communityVotes).values({ workspaceId: hc.workspaceId, targetId, contactId }).onConflictDoNothing();
  const table = thread ? communityThreads : communityPosts;
  const [{ n }] = await tx.select({ n: count() }).from(communityVotes).where(eq(communityVotes.targetId, targetId));
  await tx.update(table).set({ score: n }).where(eq(table.id, targetId));
  return { voted: removed.length === 0, score: n, threadId: thread ? thread.id : post!.threadId };
}

/**
 * Marks an answer as the accepted one (or none, with postId null). Staff may, and so may
 * the customer who asked.
 */
export async function acceptAnswer(tx: Executor, hc: HelpCenter, threadId: string, postId: string | null, by: Author) {
  const t = await threadRow(tx, hc.workspaceId, { id: threadId });
  const allowed = isStaff(by) ? helpCenterPolicy.moderate(by.actor) : t.authorContactId === by.contactId;
  if (!allowed) throw new Forbidden('Only the person who asked, or staff, accept an answer');
  if (t.deletedAt) throw new NotFound('Thread');
  if (postId) {
    const [p] = await tx.select().from(communityPosts).where(and(eq(communityPosts.id, postId), eq(communityPosts.threadId, t.id)));
    if (!p || p.deletedAt || p.hiddenAt) throw new Invalid('postId', 'is not a visible answer in this thread');
  }
  const [row] = await tx.update(communityThreads).set({ acceptedPostId: postId, updatedAt: new Date() }).where(eq(communityThreads.id, t.id)).returning();
  if (isStaff(by)) await recordAudit(tx, by.actor, { action: postId ? 'community.accept' : 'community.unaccept', targetType: 'community_thread', targetId: t.id, data: { postId } });
  return row;
}

/**
 * Moderates a question or an answer: hide (only staff see it, with the reason), lock (a
 * thread takes no more answers), delete (its words are gone from every page; the reason
 * stays in their place). Every action is in the audit log.
 */
export async function moderate(tx: Executor, actor: Actor, target: { threadId: string } | { postId: string }, input: Moderate) {
  if (!helpCenterPolicy.moderate(actor)) throw new Forbidden('Light members do not moderate');
  const now = new Date();
  const reason = input.reason ?? null;
  const patch =
    input.action === 'hide'
      ? { hiddenAt: now, hiddenReason: reason }
      : input.action === 'unhide'
        ? { hiddenAt: null, hiddenReason: null }
        : input.action === 'delete'
          ? { deletedAt: now, deletedReason: reason }
          : undefined;
  if ('threadId' in target) {
    const t = await threadRow(tx, actor.workspaceId, { id: target.threadId });
    if (t.deletedAt) throw new Conflict('this thread is deleted');
    const set =
      input.action === 'lock' ? { lockedAt: now, lockedReason: reason } : input.action === 'unlock' ? { lockedAt: null, lockedReason: null } : patch!;
    const [row] = await tx.update(communityThreads).set({ ...set, updatedAt: now }).where(eq(communityThreads.id, t.id)).returning();
    await recordAudit(tx, actor, { action: `community.${input.action}`, targetType: 'community_thread', targetId: t.id, data: { title: t.title, reason } });
    return { thread: row };
  }
  if (input.action === 'lock' || input.action === 'unlock') throw new Invalid('action', 'answers are not locked; lock the thread');
  const [p] = await tx.select().from(communityPosts).where(and(eq(communityPosts.id, target.postId), eq(communityPosts.workspaceId, actor.workspaceId)));
  if (!p) throw new NotFound('Post');
  if (p.deletedAt) throw new Conflict('this answer is deleted');
  const [row] = await tx.update(communityPosts).set({ ...patch!, updatedAt: now }).where(eq(communityPosts.id, p.id)).returning();
  // An accepted answer that is hidden or deleted is accepted no more.
  if (input.action !== 'unhide') await tx.update(communityThreads).set({ acceptedPostId: null }).where(and(eq(communityThreads.id, p.threadId), eq(communityThreads.acceptedPostId, p.id)));
  await refreshThread(tx, p.threadId);
  await recordAudit(tx, actor, { action: `community.${input.action}`, targetType: 'community_post', targetId: p.id, data: { threadId: p.threadId, reason } });
  return { post: row };
}

/**
 * Turns a resolved thread into a draft article: the question, then the accepted answer
 * (or the staff's answers), credited to the community. The thread links to the article
 * once it is published.
 */
export async function threadToArticle(tx: Executor, actor: Actor, threadId: string, opts: { categoryId?: string | null } = {}) {
  const t = await threadRow(tx, actor.workspaceId, { id: threadId });
  if (t.deletedAt) throw new NotFound('Thread');
  if (t.articleId) throw new Conflict('this thread has an article already');
  const posts = await tx
    .select({ p: communityPosts, staff: isNotNull(communityPosts.authorMemberId) })
    .from(communityPosts)
    .where(and(eq(communityPosts.threadId, t.id), isNull(communityPosts.hiddenAt), isNull(communityPosts.deletedAt)))
    .orderBy(asc(communityPosts.createdAt));
  const answers = t.acceptedPostId ? posts.filter((r) => r.p.id === t.acceptedPostId) : posts.filter((r) => r.p.authorMemberId);
  if (!answers.length) throw new Invalid('threadId', 'the thread has no accepted or staff answer to make an article of');
  const body = [t.body, '', '## Answer', '', ...answers.map((r) => r.p.body)].join('\n');
  const article = await createArticle(tx, actor, { title: t.title, body, categoryId: opts.categoryId ?? null, status: 'draft' }, { sourceThreadId: t.id });
  await tx.update(communityThreads).set({ articleId: article.id, updatedAt: new Date() }).where(eq(communityThreads.id, t.id));
  await recordAudit(tx, actor, { action: 'community.to_article', targetType: 'community_thread', targetId: t.id, data: { articleId: article.id } });
  return article;
}

export interface AuthorView {
  name: string;
  staff: boolean;
}

/** The names shown beside posts: a member's with the staff badge, a customer's as they gave it. */
async function authorsOf(db: Executor, rows: { authorContactId: string | null; authorMemberId: string | null }[]) {
  const contactIds = [...new Set(rows.map((r) => r.authorContactId).filter((x): x is string => Boolean(x)))];
  const memberIds = [...new Set(rows.map((r) => r.authorMemberId).filter((x): x is string => Boolean(x)))];
  const cs = contactIds.length ? await db.select({ id: contacts.id, attributes: contacts.attributes }).from(contacts).where(inArray(contacts.id, contactIds)) : [];
  const ms = memberIds.length ? await db.select({ id: members.id, name: users.name }).from(members).innerJoin(users, eq(users.id, members.userId)).where(inArray(members.id, memberIds)) : [];
  return (r: { authorContactId: string | null; authorMemberId: string | null }): AuthorView =>
    r.authorMemberId
      ? { name: ms.find((m) => m.id === r.authorMemberId)?.name ?? '', staff: true }
      : { name: communityNameOf(cs.find((c) => c.id === r.authorContactId) ?? { attributes: {} }), staff: false };
}

/** A page of threads, most recently active first. Staff also see hidden ones (the moderated filter lists only those). */
export async function listThreads(db: Executor, hc: Pick<HelpCenter, 'workspaceId'>, query: ThreadListQuery, reader: Reader = {}) {
  const staff = Boolean(reader.staff);
  const where = [eq(communityThreads.workspaceId, hc.workspaceId), isNull(communityThreads.deletedAt)];
  if (!staff) where.push(isNull(communityThreads.hiddenAt));
  if (query.filter === 'unanswered') where.push(isNull(communityThreads.acceptedPostId));
  if (query.filter === 'answered') where.push(isNotNull(communityThreads.acceptedPostId));
  if (query.filter === 'moderated' && staff) where.push(or(isNotNull(communityThreads.hiddenAt), isNotNull(communityThreads.lockedAt))!);
  const rows = await db
    .select()
    .from(communityThreads)
    .where(and(...where))
    .orderBy(...(query.filter === 'unanswered' ? [asc(communityThreads.answerCount), desc(communityThreads.lastActivityAt)] : [desc(communityThreads.lastActivityAt)]), desc(communityThreads.id))
    .limit(query.limit + 1)
    .offset((query.page - 1) * query.limit);
  const page = rows.slice(0, query.limit);
  const author = await authorsOf(db, page);
  return { items: page.map((t) => ({ thread: t, author: author(t) })), hasMore: rows.length > query.limit };
}

/** A thread as a reader sees it: its answers (accepted first, then by votes and age), authors, and the reader's votes. */
export async function threadView(db: Executor, hc: Pick<HelpCenter, 'workspaceId'>, where: { number: number } | { id: string }, reader: Reader = {}) {
  const t = await threadRow(db, hc.workspaceId, where);
  const staff = Boolean(reader.staff);
  if (t.deletedAt && !staff) throw new NotFound('Thread');
  if (t.hiddenAt && !staff) throw new NotFound('Thread');
  const posts = await db
    .select()
    .from(communityPosts)
    .where(and(eq(communityPosts.threadId, t.id), staff ? undefined : isNull(communityPosts.hiddenAt)))
    .orderBy(asc(communityPosts.createdAt));
  posts.sort((a, b) => Number(b.id === t.acceptedPostId) - Number(a.id === t.acceptedPostId) || b.score - a.score || a.createdAt.getTime() - b.createdAt.getTime());
  const author = await authorsOf(db, [t, ...posts]);
  const myVotes = reader.contactId
    ? new Set(
        (
          await db
            .select({ targetId: communityVotes.targetId })
            .from(communityVotes)
            .where(and(eq(communityVotes.contactId, reader.contactId), inArray(communityVotes.targetId, [t.id, ...posts.map((p) => p.id)])))
        ).map((v) => v.targetId),
      )
    : new Set<string>();
  const [article] = t.articleId ? await db.select({ slug: kbArticles.slug, status: kbArticles.status, title: kbArticles.title }).from(kbArticles).where(eq(kbArticles.id, t.articleId)) : [];
  return {
    thread: t,
    author: author(t),
    posts: posts.map((p) => ({ post: p, author: author(p), voted: myVotes.has(p.id), accepted: p.id === t.acceptedPostId })),
    voted: myVotes.has(t.id),
    article: article?.status === 'published' ? article : null,
    draftArticle: article && article.status !== 'published' ? article : null,
  };
}

/** What the team's list and the API show of a thread, with its views (viewCounts). */
export function presentThread(t: Thread, author: AuthorView, hcSlug: string, views: number) {
  return {
    id: t.id,
    number: t.number,
    title: t.title,
    url: `/help/${hcSlug}/community/${t.number}`,
    author,
    answerCount: t.answerCount,
    score: t.score,
    views,
    accepted: t.acceptedPostId !== null,
    locked: t.lockedAt !== null,
    hidden: t.hiddenAt !== null,
    hiddenReason: t.hiddenReason,
    lockedReason: t.lockedReason,
    articleId: t.articleId,
    lastActivityAt: t.lastActivityAt,
    createdAt: t.createdAt,
  };
}

export function presentPost(p: Post, author: AuthorView, accepted: boolean) {
  return {
    id: p.id,
    threadId: p.threadId,
    author,
    html: p.deletedAt ? '' : p.html,
    body: p.deletedAt ? '' : p.body,
    score: p.score,
    accepted,
    hidden: p.hiddenAt !== null,
    hiddenReason: p.hiddenReason,
    deleted: p.deletedAt !== null,
    deletedReason: p.deletedReason,
    createdAt: p.createdAt,
  };
}
