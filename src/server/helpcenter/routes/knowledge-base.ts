import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { and, isNull } from 'drizzle-orm';
import { communityThreads, kbArticles, members, users } from '../../db/schema/index.js';
import { inTransaction } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import { listThreads } from '../../domains/community/service.js';
import { searchHelpCenter } from '../../domains/help-center/search.js';
import type { ViewCounter } from '../../domains/help-center/view-counter.js';
import {
  addFeedbackComment,
  deflectionOf,
  markSuggestionSolved,
  movedArticleSlug,
  popularArticles,
  publishedArticle,
  publishedCategories,
  publishedCategory,
  recordHelpful,
  recordSuggestionOpened,
  relatedArticles,
} from '../../domains/knowledge-base/published.js';
import { readForm } from '../form-body.js';
import { ArticlePage } from '../pages/article.js';
import { CategoryPage } from '../pages/category.js';
import { HomePage } from '../pages/home.js';
import { hitUrl, SEARCH_MAX_PAGES, SEARCH_PAGE_SIZE, SearchPage } from '../pages/search.js';
import { sendPage } from '../render.js';
import { threadItem } from './community.js';
import { type SignedCookies, signedCookies, siteOf, submitLimit } from './shared.js';

const FEEDBACK_COOKIE = 'heard_helpful';

/** The knowledge base's pages: home, categories, articles (with "was this helpful?"), search, and the contact form's suggestions. */
export const knowledgeBasePages: FastifyPluginAsync<{ views: ViewCounter }> = async (app, { views }) => {
  const limit = submitLimit(app);

  app.get('/:site', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const [categories, popular, threads] = await Promise.all([
      publishedCategories(app.ctx.db, hc.workspaceId),
      popularArticles(app.ctx.db, hc.workspaceId),
      hc.communityEnabled ? listThreads(app.ctx.db, hc, { filter: 'all', limit: 5, page: 1 }) : Promise.resolve({ items: [], hasMore: false }),
    ]);
    return sendPage(reply, h(HomePage, { ctx, data: { categories, popular, threads: threads.items.map(threadItem) } }));
  });

  app.get('/:site/categories/:slug', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const { category, articles } = await publishedCategory(app.ctx.db, hc.workspaceId, (req.params as { slug: string }).slug, { preview: Boolean(siteOf(req).member) });
    return sendPage(reply, h(CategoryPage, { ctx, category, articles }));
  });

  /** An article's page; `comment` is a comment to show again in its box (sent too quickly). */
  const articlePage = async (req: FastifyRequest, reply: FastifyReply, opts: { comment?: string; status?: number } = {}) => {
    const { hc, ctx, member } = siteOf(req);
    const query = req.query as { deflection?: string; commented?: string };
    // Members see drafts and archived articles at their address too (the editor's "preview").
    const { article, category } = await publishedArticle(app.ctx.db, hc.workspaceId, (req.params as { slug: string }).slug, { preview: Boolean(member) });
    const [related, [author]] = await Promise.all([
      relatedArticles(app.ctx.db, hc, article),
      article.authorMemberId ? app.ctx.db.select({ name: users.name }).from(members).innerJoin(users, eq(users.id, members.userId)).where(eq(members.id, article.authorMemberId)) : Promise.resolve([]),
    ]);
    if (req.method === 'GET' && article.status === 'published' && !member) views.count('kb_articles', article.id, req.headers['user-agent']);
    const given = feedbackGiven(signedCookies(app, req, reply, ctx.base).read<Given[]>(FEEDBACK_COOKIE), article.id);
    const deflection = query.deflection && /^[0-9a-f-]{36}$/i.test(query.deflection) ? await deflectionOf(app.ctx.db, hc.workspaceId, query.deflection) : null;
    return sendPage(
      reply,
      h(ArticlePage, {
        ctx,
        data: {
          article,
          category,
          authorName: author?.name ?? null,
          related,
          feedback: given ? { helpful: given.helpful, id: given.id, commented: query.commented === '1' || given.commented, again: opts.comment } : undefined,
          deflection: deflection && deflection.articleId === article.id ? { id: deflection.id, solved: deflection.solved } : undefined,
        },
      }),
      opts.status,
    );
  };

  app.get('/:site/articles/:slug', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    try {
      return await articlePage(req, reply);
    } catch (err) {
      // An article that moved to another address: links to the old one still arrive.
      const moved = err instanceof NotFound ? await movedArticleSlug(app.ctx.db, siteOf(req).hc.workspaceId, (req.params as { slug: string }).slug) : null;
      if (!moved) throw err;
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return reply.redirect(`${siteOf(req).ctx.base}/articles/${moved}${query}`, 301);
    }
  });

  app.post('/:site/articles/:slug/feedback', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const { fields, form } = readForm(app, req);
    const slug = (req.params as { slug: string }).slug;
    const { article } = await publishedArticle(app.ctx.db, hc.workspaceId, slug);
    const back = `${ctx.base}/articles/${article.slug}#feedback`;
    // One click is all a person needs here, so only the trap (not the clock) tells a bot.
    if (form.trapped || (fields.helpful !== 'yes' && fields.helpful !== 'no')) return reply.redirect(back, 303);
    const cookies = signedCookies(app, req, reply, ctx.base);
    const list = cookies.read<Given[]>(FEEDBACK_COOKIE);
    // One answer per reader and article: a second click changes nothing.
    if (!feedbackGiven(list, article.id)) {
      const f = await inTransaction(app.ctx, (tx) => recordHelpful(tx, hc.workspaceId, article.id, fields.helpful === 'yes', ctx.viewer.customer?.id ?? null));
      rememberFeedback(cookies, list, { articleId: article.id, id: f.id, helpful: f.helpful });
    }
    return reply.redirect(back, 303);
  });

  app.post('/:site/articles/:slug/feedback/:id/comment', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const { fields, form } = readForm(app, req);
    const { slug, id } = req.params as { slug: string; id: string };
    const cookies = signedCookies(app, req, reply, ctx.base);
    const list = cookies.read<Given[]>(FEEDBACK_COOKIE);
    const given = feedbackGiven(list, undefined, id);
    // Only the reader who answered may comment on that answer.
    if (!given) throw new NotFound('Feedback');
    const comment = (fields.comment ?? '').trim().slice(0, 2000);
    // Quicker than anyone types: shown again with its words, asking to send it once more (a bot in the trap is thanked).
    if (comment && form.tooFast && !form.trapped) return articlePage(req, reply, { comment });
    if (comment && !form.spam) await inTransaction(app.ctx, (tx) => addFeedbackComment(tx, hc.workspaceId, id, comment)).catch((err) => {
      if (!(err instanceof NotFound)) throw err;
    });
    rememberFeedback(cookies, list, { ...given, commented: true });
    return reply.redirect(`${ctx.base}/articles/${slug}?commented=1#feedback`, 303);
  });

  // What a reader types goes in the address: anything is a query (cut to length), never an error page.
  const queryText = z.string().catch('').transform((s) => s.slice(0, 500));
  const SearchQuery = z.object({ q: queryText, page: z.coerce.number().int().min(1).max(SEARCH_MAX_PAGES).catch(1).default(1) });
  app.get('/:site/search', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const { q, page } = SearchQuery.parse(req.query);
    const match = (req.query as { match?: string }).match === 'any' ? 'any' : 'all';
    const found = await searchHelpCenter(app.ctx.db, hc, q, { limit: SEARCH_PAGE_SIZE, offset: (page - 1) * SEARCH_PAGE_SIZE, match });
    // The next pages of results that have only some of the words are asked for as such.
    const result = { ...found, relaxed: found.relaxed || (match === 'any' && found.hits.length > 0) };
    return sendPage(reply, h(SearchPage, { ctx, q: q.trim(), page, result }));
  });

  // The suggestions script asks here as people type (search box, ask form, contact form).
  const SuggestQuery = z.object({
    q: queryText,
    limit: z.coerce.number().int().min(1).max(10).catch(5).default(5),
    kinds: z.enum(['article', 'thread']).optional().catch(undefined),
  });
  app.get('/:site/search.json', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const { q, limit: n, kinds } = SuggestQuery.parse(req.query);
    // Suggestions match any of the words: people type sentences ("tent pole broke") into these boxes.
    const result = q.trim().length < 3 ? { hits: [], total: 0 } : await searchHelpCenter(app.ctx.db, hc, q, { limit: n, kinds: kinds ? [kinds] : undefined, match: 'any' });
    reply.header('cache-control', 'private, max-age=30');
    return {
      total: result.total,
      items: result.hits.map((hit) => ({
        kind: hit.kind,
        title: hit.title,
        titleHighlight: hit.titleHighlight,
        snippet: hit.snippet,
        url: hitUrl(ctx.base, hit),
        // Opened from the contact form: through here, so it is counted and the page asks if it solved it.
        suggestionUrl: `${ctx.base}/suggestions/${hit.kind}/${hit.id}?q=${encodeURIComponent(q.slice(0, 200))}`,
      })),
    };
  });

  app.get('/:site/suggestions/:kind/:id', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const { kind, id } = req.params as { kind: string; id: string };
    const q = String((req.query as { q?: string }).q ?? '');
    if (!/^[0-9a-f-]{36}$/i.test(id) || (kind !== 'article' && kind !== 'thread')) throw new NotFound('Suggestion');
    if (kind === 'article') {
      const [a] = await app.ctx.db.select({ slug: kbArticles.slug }).from(kbArticles).where(and(eq(kbArticles.id, id), eq(kbArticles.workspaceId, hc.workspaceId), eq(kbArticles.status, 'published')));
      if (!a) throw new NotFound('Article');
      const d = await inTransaction(app.ctx, (tx) => recordSuggestionOpened(tx, hc.workspaceId, { articleId: id }, q));
      return reply.redirect(`${ctx.base}/articles/${a.slug}?deflection=${d.id}`, 303);
    }
    // Only a thread the public may read: a hidden or deleted one (or a closed community) is no suggestion, and is not counted as one.
    const [t] = hc.communityEnabled
      ? await app.ctx.db
          .select({ number: communityThreads.number })
          .from(communityThreads)
          .where(and(eq(communityThreads.id, id), eq(communityThreads.workspaceId, hc.workspaceId), isNull(communityThreads.hiddenAt), isNull(communityThreads.deletedAt)))
      : [];
    if (!t) throw new NotFound('Thread');
    const d = await inTransaction(app.ctx, (tx) => recordSuggestionOpened(tx, hc.workspaceId, { threadId: id }, q));
    return reply.redirect(`${ctx.base}/community/${t.number}?deflection=${d.id}`, 303);
  });

  app.post('/:site/suggestions/:id/solved', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const { form } = readForm(app, req);
    const id = (req.params as { id: string }).id;
    const d = /^[0-9a-f-]{36}$/i.test(id) ? await deflectionOf(app.ctx.db, hc.workspaceId, id) : null;
    if (!d) throw new NotFound('Suggestion');
    if (!form.trapped) await inTransaction(app.ctx, (tx) => markSuggestionSolved(tx, hc.workspaceId, id));
    // Back to the page the question was answered on, which now says so.
    const [article] = d.articleId ? await app.ctx.db.select({ slug: kbArticles.slug }).from(kbArticles).where(eq(kbArticles.id, d.articleId)) : [];
    const [thread] = d.threadId ? await app.ctx.db.select({ number: communityThreads.number }).from(communityThreads).where(eq(communityThreads.id, d.threadId)) : [];
    return reply.redirect(
      article ? `${ctx.base}/articles/${article.slug}?deflection=${id}` : thread ? `${ctx.base}/community/${thread.number}?deflection=${id}` : `${ctx.base}/community`,
      303,
    );
  });
};

interface Given {
  articleId: string;
  id: string;
  helpful: boolean;
  commented?: boolean;
}

/** The reader's recent "was this helpful?" answers (the last 50), in a signed cookie of theirs: enough to thank them and to take their comment on their own answer only. */
function feedbackGiven(list: Given[] | null, articleId?: string, feedbackId?: string): Given | undefined {
  return list?.find((g) => (articleId ? g.articleId === articleId : g.id === feedbackId));
}

function rememberFeedback(cookies: SignedCookies, list: Given[] | null, g: Given) {
  cookies.write(FEEDBACK_COOKIE, [g, ...(list ?? []).filter((x) => x.articleId !== g.articleId)].slice(0, 50));
}
