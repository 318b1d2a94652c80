import { and, asc, eq, isNull, ne, notInArray, sql } from 'drizzle-orm';
import { type Executor, selectRows } from '../../db/client.js';
import { communityThreads, helpDeflections, kbArticleRedirects, kbArticles, kbArticleViews, kbCategories, kbFeedback } from '../../db/schema/index.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { HelpCenter } from '../help-center/service.js';

/** What the public reads: only published articles, in categories that have some. */
const published = (workspaceId: string) => and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.status, 'published'));

/** Most read first, as the kb_article_views popularity indexes hold them (views desc nulls last): the planner reads their first rows instead of sorting. */
const byViews = sql`${kbArticleViews.views} desc nulls last`;

const listed = { id: kbArticles.id, slug: kbArticles.slug, title: kbArticles.title, excerpt: kbArticles.excerpt, updatedAt: kbArticles.updatedAt, categoryId: kbArticles.categoryId };
export type ListedArticle = { id: string; slug: string; title: string; excerpt: string; updatedAt: Date; categoryId: string | null };

/** The categories with published articles, in order, each with its count and its most read articles. */
export async function publishedCategories(db: Executor, workspaceId: string, perCategory = 5) {
  const cats = await db.select().from(kbCategories).where(eq(kbCategories.workspaceId, workspaceId)).orderBy(asc(kbCategories.position), asc(kbCategories.name));
  const counts = await db
    .select({ categoryId: kbArticles.categoryId, n: sql<number>`count(*)::int` })
    .from(kbArticles)
    .where(published(workspaceId))
    .groupBy(kbArticles.categoryId);
  // The most read few of each category, in one query.
  const top = await selectRows<ListedArticle>(
    db,
    sql`
    select t.* from kb_categories c cross join lateral (
      select a.id, a.slug, a.title, a.excerpt, a.updated_at as "updatedAt", a.category_id as "categoryId"
      from kb_article_views v join kb_articles a on a.id = v.article_id
      where v.workspace_id = ${workspaceId} and v.status = 'published' and v.category_id = c.id
      order by v.views desc nulls last limit ${perCategory}
    ) t where c.workspace_id = ${workspaceId}`,
  );
  return cats
    .map((c) => ({ category: c, count: counts.find((n) => n.categoryId === c.id)?.n ?? 0, top: top.filter((a) => a.categoryId === c.id).map((a) => ({ ...a, updatedAt: new Date(a.updatedAt) })) }))
    .filter((c) => c.count > 0);
}

/** The most read published articles. */
export async function popularArticles(db: Executor, workspaceId: string, limit = 6): Promise<ListedArticle[]> {
  return db
    .select(listed)
    .from(kbArticleViews)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleViews.articleId))
    .where(and(eq(kbArticleViews.workspaceId, workspaceId), eq(kbArticleViews.status, 'published')))
    .orderBy(byViews)
    .limit(limit);
}

/** A category and its published articles, by title. */
export async function publishedCategory(db: Executor, workspaceId: string, slug: string, opts: { preview?: boolean } = {}) {
  const [category] = await db.select().from(kbCategories).where(and(eq(kbCategories.workspaceId, workspaceId), eq(kbCategories.slug, slug)));
  if (!category) throw new NotFound('Category');
  const articles = await db.select(listed).from(kbArticles).where(and(published(workspaceId), eq(kbArticles.categoryId, category.id))).orderBy(asc(kbArticles.title)).limit(1000);
  // A category with nothing published is not the public's yet (the home page and the sitemap leave it out too).
  if (!articles.length && !opts.preview) throw new NotFound('Category');
  return { category, articles };
}

/** A published article by its slug, with its category. Drafts and archived ones are not found (members preview them by id). */
export async function publishedArticle(db: Executor, workspaceId: string, slug: string, opts: { preview?: boolean } = {}) {
  const [row] = await db
    .select({ a: kbArticles, c: kbCategories })
    .from(kbArticles)
    .leftJoin(kbCategories, eq(kbCategories.id, kbArticles.categoryId))
    .where(and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.slug, slug), opts.preview ? undefined : eq(kbArticles.status, 'published')));
  if (!row) throw new NotFound('Article');
  return { article: row.a, category: row.c };
}

/** Where an article's earlier address leads now (its current slug), when it had that address. */
export async function movedArticleSlug(db: Executor, workspaceId: string, slug: string): Promise<string | null> {
  const [row] = await db
    .select({ slug: kbArticles.slug })
    .from(kbArticleRedirects)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleRedirects.articleId))
    .where(and(eq(kbArticleRedirects.workspaceId, workspaceId), eq(kbArticleRedirects.slug, slug)));
  return row?.slug ?? null;
}

/** How many articles sharing words with a title are weighed for "related": the most read of them. A common word must not make every page rank the whole knowledge base. */
const RELATED_CANDIDATES = 200;

/**
 * Articles related to this one: those sharing words with its title, first in its own
 * category, ranked by how well their titles match (among the most read that share a
 * word), then, to fill up, the most read of its category.
 */
export async function relatedArticles(db: Executor, hc: Pick<HelpCenter, 'workspaceId' | 'language'>, article: { id: string; title: string; categoryId: string | null }, limit = 5): Promise<ListedArticle[]> {
  const words = article.title
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2)
    .slice(0, 12);
  const found: ListedArticle[] = [];
  const byWords = async (categoryId: string | null) => {
    if (!words.length || found.length >= limit) return;
    const q = sql`to_tsquery(${hc.language}::regconfig, ${words.map((w) => `'${w}'`).join(' | ')})`;
    const rows = await selectRows<ListedArticle>(
      db,
      sql`
      select c.id, c.slug, c.title, c.excerpt, c.updated_at as "updatedAt", c.category_id as "categoryId" from (
        select a.id, a.slug, a.title, a.excerpt, a.updated_at, a.category_id, v.views from kb_articles a
        join kb_article_views v on v.article_id = a.id
        where a.workspace_id = ${hc.workspaceId} and a.status = 'published' and a.id <> ${article.id}
          ${categoryId ? sql`and a.category_id = ${categoryId}` : sql``}
          ${found.length ? sql`and a.id not in (${sql.join(found.map((f) => sql`${f.id}::uuid`), sql`, `)})` : sql``}
          and a.search @@ ${q}
        order by v.views desc nulls last limit ${RELATED_CANDIDATES}
      ) c
      order by ts_rank_cd(to_tsvector(${hc.language}::regconfig, c.title), ${q}) desc, c.views desc
      limit ${limit - found.length}`,
    );
    found.push(...rows.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt) })));
  };
  if (article.categoryId) await byWords(article.categoryId);
  await byWords(null);
  if (found.length >= limit || !article.categoryId) return found;
  const sameCategory = await db
    .select(listed)
    .from(kbArticleViews)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleViews.articleId))
    .where(and(eq(kbArticleViews.workspaceId, hc.workspaceId), eq(kbArticleViews.status, 'published'), eq(kbArticleViews.categoryId, article.categoryId), ne(kbArticles.id, article.id), found.length ? notInArray(kbArticles.id, found.map((a) => a.id)) : undefined))
    .orderBy(byViews)
    .limit(limit - found.length);
  return [...found, ...sameCategory];
}

/** A reader's "was this helpful?": counted on the article at once, kept with the reader when they are signed in. */
export async function recordHelpful(tx: Executor, workspaceId: string, articleId: string, helpful: boolean, contactId: string | null) {
  const [a] = await tx
    .update(kbArticles)
    .set(helpful ? { helpfulYes: sql`${kbArticles.helpfulYes} + 1` } : { helpfulNo: sql`${kbArticles.helpfulNo} + 1` })
    .where(and(published(workspaceId), eq(kbArticles.id, articleId)))
    .returning({ id: kbArticles.id });
  if (!a) throw new NotFound('Article');
  const [f] = await tx.insert(kbFeedback).values({ workspaceId, articleId, helpful, contactId }).returning();
  return f;
}

/** The comment a reader adds to their "was this helpful?" answer; it reaches the team with it. */
export async function addFeedbackComment(tx: Executor, workspaceId: string, feedbackId: string, comment: string) {
  const text = comment.trim();
  if (!text) throw new Invalid('comment', 'must not be empty');
  if (text.length > 2000) throw new Invalid('comment', 'must be at most 2,000 characters');
  const [f] = await tx
    .update(kbFeedback)
    .set({ comment: text })
    .where(and(eq(kbFeedback.id, feedbackId), eq(kbFeedback.workspaceId, workspaceId), isNull(kbFeedback.comment)))
    .returning();
  if (!f) throw new NotFound('Feedback');
  return f;
}

/** A suggestion the contact form showed was opened: counted, and the page it opens asks whether it solved the question. */
export async function recordSuggestionOpened(tx: Executor, workspaceId: string, target: { articleId: string } | { threadId: string }, query: string) {
  const [d] = await tx
    .insert(helpDeflections)
    .values({ workspaceId, ...target, query: query.slice(0, 200) })
    .returning();
  return d;
}

/** The customer said the suggestion solved it: no conversation needed. Counted once. */
export async function markSuggestionSolved(tx: Executor, workspaceId: string, deflectionId: string) {
  const [d] = await tx
    .update(helpDeflections)
    .set({ solved: true })
    .where(and(eq(helpDeflections.id, deflectionId), eq(helpDeflections.workspaceId, workspaceId), eq(helpDeflections.solved, false)))
    .returning();
  if (d?.articleId) await tx.update(kbArticles).set({ deflections: sql`${kbArticles.deflections} + 1` }).where(eq(kbArticles.id, d.articleId));
  return d ?? null;
}

export async function deflectionOf(db: Executor, workspaceId: string, id: string) {
  const [d] = await db.select().from(helpDeflections).where(and(eq(helpDeflections.id, id), eq(helpDeflections.workspaceId, workspaceId)));
  return d ?? null;
}

/** Everything a crawler should find: categories, articles and visible threads, with when they last changed. */
export async function sitemapEntries(db: Executor, workspaceId: string, communityEnabled: boolean) {
  const articles = await db.select({ slug: kbArticles.slug, updatedAt: kbArticles.updatedAt }).from(kbArticles).where(published(workspaceId)).orderBy(asc(kbArticles.slug)).limit(40_000);
  // Categories as the home page shows them: those with a published article (an empty one is no page to index).
  const cats = await db
    .selectDistinct({ slug: kbCategories.slug, updatedAt: kbCategories.updatedAt })
    .from(kbCategories)
    .innerJoin(kbArticles, and(eq(kbArticles.categoryId, kbCategories.id), eq(kbArticles.status, 'published')))
    .where(eq(kbCategories.workspaceId, workspaceId))
    .orderBy(asc(kbCategories.slug));
  const threads = communityEnabled
    ? await db
        .select({ number: communityThreads.number, updatedAt: communityThreads.lastActivityAt })
        .from(communityThreads)
        .where(and(eq(communityThreads.workspaceId, workspaceId), isNull(communityThreads.hiddenAt), isNull(communityThreads.deletedAt)))
        .orderBy(asc(communityThreads.number))
        .limit(40_000)
    : [];
  return { articles, categories: cats, threads };
}

