import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { inTransaction } from '../../core/context.js';
import { Forbidden, HeardError, Invalid, NotFound } from '../../core/errors.js';
import { ModerateSchema, PostCreateSchema, ThreadCreateSchema } from '../../domains/community/schema.js';
import { acceptAnswer, answerThread, askQuestion, type AuthorView, listThreads, moderate, shortName, type Thread, threadToArticle, threadView, toggleVote } from '../../domains/community/service.js';
import type { ViewCounter } from '../../domains/help-center/view-counter.js';
import { deflectionOf } from '../../domains/knowledge-base/published.js';
import { fieldErrors, invalidToErrors, readForm } from '../form-body.js';
import type { SiteRequest } from '../context.js';
import { AskPage, type CommunityFilter, CommunityPage, type ThreadListItem, ThreadPage } from '../pages/community.js';
import { sendPage } from '../render.js';
import { siteOf, submitLimit } from './shared.js';

/** A thread as the lists show it. */
export function threadItem(i: { thread: Thread; author: AuthorView }): ThreadListItem {
  const t = i.thread;
  return {
    number: t.number,
    title: t.title,
    authorName: i.author.name,
    answerCount: t.answerCount,
    score: t.score,
    accepted: t.acceptedPostId !== null,
    locked: t.lockedAt !== null,
    hidden: t.hiddenAt !== null,
    lastActivityAt: t.lastActivityAt,
    createdAt: t.createdAt,
  };
}

/** Who writes: the signed-in customer, or the member (with the staff badge); nobody else. */
function authorOf(site: SiteRequest, displayName?: string) {
  if (site.member) return { actor: site.member };
  if (site.ctx.viewer.customer) return { contactId: site.ctx.viewer.customer.id, displayName };
  throw new HeardError(401, 'Unauthorized', 'sign in to post in the community');
}

const needsName = (site: SiteRequest) => Boolean(site.ctx.viewer.customer && !site.member && !site.ctx.viewer.customer.communityName);
/** A suggestion for the name field: first name and initial, never the whole name or the address. */
const suggestedName = (site: SiteRequest) => shortName(site.ctx.viewer.customer?.name ?? '');

const ListQuery = z.object({ filter: z.enum(['all', 'unanswered', 'answered', 'moderated']).catch('all').default('all'), page: z.coerce.number().int().min(1).max(1000).catch(1).default(1) });
const PER_PAGE = 20;

/** The community's pages: the list, asking, a thread with its answers and votes, and the staff's moderation in place. */
export const communityPages: FastifyPluginAsync<{ views: ViewCounter }> = async (app, { views }) => {
  const limit = submitLimit(app);
  const open = (site: SiteRequest) => {
    if (!site.hc.communityEnabled) throw new NotFound('Community');
  };
  const threadPath = (site: SiteRequest, n: number) => `${site.ctx.base}/community/${n}`;
  const numberParam = (req: { params: unknown }) => {
    const n = Number((req.params as { number: string }).number);
    // Thread numbers are PostgreSQL integers: a larger one is no thread, not a query that fails.
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) throw new NotFound('Thread');
    return n;
  };

  app.get('/:site/community', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const site = siteOf(req);
    open(site);
    const q = ListQuery.parse(req.query);
    const filter: CommunityFilter = q.filter === 'moderated' && !site.member ? 'all' : q.filter;
    const { items, hasMore } = await listThreads(app.ctx.db, site.hc, { filter, limit: PER_PAGE, page: q.page }, { staff: site.member });
    return sendPage(reply, h(CommunityPage, { ctx: site.ctx, threads: items.map(threadItem), filter, page: q.page, hasMore }));
  });

  app.get('/:site/community/ask', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const site = siteOf(req);
    open(site);
    return sendPage(reply, h(AskPage, { ctx: site.ctx, form: { displayName: suggestedName(site) || undefined }, needsName: needsName(site) }));
  });

  app.post('/:site/community', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    open(site);
    const { fields, form } = readForm(app, req);
    const author = authorOf(site, fields.displayName);
    const again = (errors: Record<string, string>, status = 422) =>
      sendPage(reply, h(AskPage, { ctx: site.ctx, form: { title: fields.title, body: fields.body, displayName: fields.displayName, errors }, needsName: needsName(site) }), status);
    const parsed = ThreadCreateSchema.safeParse(fields, { reportInput: true });
    const errors = parsed.success ? {} : fieldErrors(parsed.error, site.ctx.t);
    if (needsName(site) && !fields.displayName?.trim()) errors.displayName = site.ctx.t('field.required');
    // Empty or wrong fields first: a person who sent too soon needs those more than "that was quick".
    if (!parsed.success || Object.keys(errors).length) return again(errors);
    if (form.spam) return again({ form: site.ctx.t('contact.tooFast') }, 200);
    try {
      const t = await inTransaction(app.ctx, (tx) => askQuestion(tx, site.hc, author, parsed.data));
      return reply.redirect(threadPath(site, t.number), 303);
    } catch (err) {
      const e = invalidToErrors(err, site.ctx.t);
      if (e) return again(e);
      throw err;
    }
  });

  app.get('/:site/community/:number', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const site = siteOf(req);
    open(site);
    const view = await threadView(app.ctx.db, site.hc, { number: numberParam(req) }, { staff: site.member, contactId: site.ctx.viewer.customer?.id });
    if (!site.member) views.count('community_threads', view.thread.id, req.headers['user-agent']);
    // Opened from a contact-form suggestion: the page asks whether it solved the question.
    const asked = (req.query as { deflection?: string }).deflection;
    const d = asked && /^[0-9a-f-]{36}$/i.test(asked) ? await deflectionOf(app.ctx.db, site.hc.workspaceId, asked) : null;
    const deflection = d && d.threadId === view.thread.id ? { id: d.id, solved: d.solved } : undefined;
    return sendPage(reply, h(ThreadPage, { ctx: site.ctx, view, needsName: needsName(site), answer: { displayName: suggestedName(site) || undefined }, deflection }));
  });

  app.post('/:site/community/:number/answers', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    open(site);
    const { fields, form } = readForm(app, req);
    const n = numberParam(req);
    const author = authorOf(site, fields.displayName);
    const view = await threadView(app.ctx.db, site.hc, { number: n }, { staff: site.member, contactId: site.ctx.viewer.customer?.id });
    const again = (errors: Record<string, string>, status = 422) =>
      sendPage(reply, h(ThreadPage, { ctx: site.ctx, view, needsName: needsName(site), answer: { body: fields.body, displayName: fields.displayName, errors } }), status);
    const parsed = PostCreateSchema.safeParse(fields, { reportInput: true });
    const errors = parsed.success ? {} : fieldErrors(parsed.error, site.ctx.t);
    if (needsName(site) && !fields.displayName?.trim()) errors.displayName = site.ctx.t('field.required');
    if (!parsed.success || Object.keys(errors).length) return again(errors);
    if (form.spam) return again({ body: site.ctx.t('contact.tooFast') }, 200);
    try {
      const p = await inTransaction(app.ctx, (tx) => answerThread(tx, site.hc, view.thread.id, author, parsed.data.body));
      return reply.redirect(`${threadPath(site, n)}#post-${p.id}`, 303);
    } catch (err) {
      const e = invalidToErrors(err, site.ctx.t);
      if (e) return again(e);
      throw err;
    }
  });

  app.post('/:site/community/votes', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    open(site);
    const { fields, form } = readForm(app, req);
    const customer = site.ctx.viewer.customer;
    if (!customer) throw new HeardError(401, 'Unauthorized', 'sign in to vote');
    const targetId = z.uuid().safeParse(fields.targetId);
    if (!targetId.success) throw new Invalid('targetId', 'is not a post');
    const r = form.trapped ? null : await inTransaction(app.ctx, (tx) => toggleVote(tx, site.hc, customer.id, targetId.data));
    const back = fields.return?.startsWith(`${site.ctx.base}/community/`) && !fields.return.includes('//') ? fields.return : `${site.ctx.base}/community`;
    return back === `${site.ctx.base}/community` && r ? redirectToThread(app, site, r.threadId, reply) : reply.redirect(back, 303);
  });

  app.post('/:site/community/:number/accept', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    open(site);
    const { fields } = readForm(app, req);
    const n = numberParam(req);
    const view = await threadView(app.ctx.db, site.hc, { number: n }, { staff: site.member });
    const by = site.member ? { actor: site.member } : site.ctx.viewer.customer ? { contactId: site.ctx.viewer.customer.id } : null;
    if (!by) throw new HeardError(401, 'Unauthorized', 'sign in first');
    const parsedPost = fields.postId ? z.uuid().safeParse(fields.postId) : null;
    if (parsedPost && !parsedPost.success) throw new Invalid('postId', 'is not an answer');
    const postId = parsedPost?.data ?? null;
    await inTransaction(app.ctx, (tx) => acceptAnswer(tx, site.hc, view.thread.id, postId, by));
    return reply.redirect(`${threadPath(site, n)}${postId ? `#post-${postId}` : ''}`, 303);
  });

  const staffOnly = (site: SiteRequest) => {
    if (!site.member) throw new Forbidden('Only the team moderates');
    return site.member;
  };

  app.post('/:site/community/:number/moderate', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    const actor = staffOnly(site);
    const { fields } = readForm(app, req);
    const n = numberParam(req);
    const input = ModerateSchema.safeParse({ action: fields.action, reason: fields.reason || undefined });
    if (!input.success) throw new Invalid(input.error.issues.map((i) => ({ field: String(i.path[0] ?? 'action'), reason: i.message })));
    const view = await threadView(app.ctx.db, site.hc, { number: n }, { staff: actor });
    await inTransaction(app.ctx, (tx) => moderate(tx, actor, { threadId: view.thread.id }, input.data));
    return reply.redirect(input.data.action === 'delete' ? `${site.ctx.base}/community` : threadPath(site, n), 303);
  });

  app.post('/:site/community/:number/posts/:postId/moderate', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    const actor = staffOnly(site);
    const { fields } = readForm(app, req);
    const n = numberParam(req);
    const postId = z.uuid().safeParse((req.params as { postId: string }).postId);
    if (!postId.success) throw new NotFound('Post');
    const input = ModerateSchema.safeParse({ action: fields.action, reason: fields.reason || undefined });
    if (!input.success) throw new Invalid(input.error.issues.map((i) => ({ field: String(i.path[0] ?? 'action'), reason: i.message })));
    await inTransaction(app.ctx, (tx) => moderate(tx, actor, { postId: postId.data }, input.data));
    return reply.redirect(`${threadPath(site, n)}#post-${postId.data}`, 303);
  });

  app.post('/:site/community/:number/article', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    const actor = staffOnly(site);
    readForm(app, req);
    const n = numberParam(req);
    const view = await threadView(app.ctx.db, site.hc, { number: n }, { staff: actor });
    const article = await inTransaction(app.ctx, (tx) => threadToArticle(tx, actor, view.thread.id));
    // On to the editor, where it is reviewed and published.
    return reply.redirect(`/app/kb/articles/${article.id}`, 303);
  });
};

async function redirectToThread(app: { ctx: { db: import('../../db/client.js').Db } }, site: SiteRequest, threadId: string, reply: FastifyReply) {
  const v = await threadView(app.ctx.db, site.hc, { id: threadId }, { staff: site.member });
  return reply.redirect(`${site.ctx.base}/community/${v.thread.number}`, 303);
}
