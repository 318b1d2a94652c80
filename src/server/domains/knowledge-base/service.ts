import { and, asc, desc, eq, inArray, max, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { communityThreads, contacts, helpCenters, helpFiles, kbArticleRedirects, kbArticles, kbCategories, kbFeedback, members, users } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import type { FileStore } from '../../core/files/file-store.js';
import { sniffImage } from '../../core/files/content-types.js';
import { renderMarkdown } from '../../core/markdown.js';
import { slugify } from '../../../shared/slug.js';
import { recordAudit } from '../audit/service.js';
import { cleanFilename } from '../attachments/service.js';
import { ensureHelpCenter, helpCenterPath } from '../help-center/service.js';
import { helpCenterPolicy } from '../help-center/policy.js';
import { viewCounts } from '../help-center/view-counter.js';
import type { ArticleCreate, ArticleListQuery, ArticleUpdate, CategoryCreate, CategoryUpdate } from './schema.js';

export type Article = typeof kbArticles.$inferSelect;
export type Category = typeof kbCategories.$inferSelect;

export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/** Where the public reads an article. */
export const articlePath = (hc: { slug: string }, a: Pick<Article, 'slug'>) => `${helpCenterPath(hc)}/articles/${a.slug}`;
/** Where an uploaded image is served: under /help/files, so it survives a change of the help center's address. */
export const helpFilePath = (f: { id: string; filename: string }) => `/help/files/${f.id}/${encodeURIComponent(f.filename)}`;

export function presentCategory(c: Category, counts?: { articles: number; published: number }) {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    description: c.description,
    position: c.position,
    articleCount: counts?.articles ?? 0,
    publishedCount: counts?.published ?? 0,
    updatedAt: c.updatedAt,
  };
}

type Person = { id: string; name: string } | null;

/** An article as the team sees it: with its counts, and the body only when asked for (the editor). */
export function presentArticle(a: Article & { views: number }, hc: { slug: string }, people: { author?: Person; updatedBy?: Person } = {}, full = false) {
  return {
    id: a.id,
    slug: a.slug,
    title: a.title,
    status: a.status,
    categoryId: a.categoryId,
    excerpt: a.excerpt,
    ...(full ? { body: a.body, html: a.html } : {}),
    url: articlePath(hc, a),
    author: people.author ?? null,
    updatedBy: people.updatedBy ?? null,
    publishedAt: a.publishedAt,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    views: a.views,
    helpfulYes: a.helpfulYes,
    helpfulNo: a.helpfulNo,
    deflections: a.deflections,
    sourceThreadId: a.sourceThreadId,
  };
}

async function peopleOf(db: Executor, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((i): i is string => Boolean(i)))];
  if (!wanted.length) return new Map<string, { id: string; name: string }>();
  const rows = await db.select({ id: members.id, name: users.name }).from(members).innerJoin(users, eq(users.id, members.userId)).where(inArray(members.id, wanted));
  return new Map(rows.map((r) => [r.id, r]));
}

function requireWrite(actor: Actor) {
  if (!helpCenterPolicy.write(actor)) throw new Forbidden('Light members read the knowledge base; agents and admins write it');
}

async function checkCategory(db: Executor, workspaceId: string, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const [c] = await db.select({ id: kbCategories.id }).from(kbCategories).where(and(eq(kbCategories.id, categoryId), eq(kbCategories.workspaceId, workspaceId)));
  if (!c) throw new Invalid('categoryId', 'no such category');
}

/** A slug nobody else in the workspace uses for this kind of thing: the wanted one, or it with -2, -3… */
async function freeSlug(taken: (slug: string) => Promise<boolean>, base: string, fallback: string): Promise<string> {
  const root = slugify(base) || fallback;
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? root : `${root.slice(0, 75)}-${n}`;
    if (!(await taken(candidate))) return candidate;
  }
  throw new Conflict('no free address for this title; give a slug');
}

/** The unique index on slugs turned into a 422 naming the field, when two writers race for one. */
async function claimingSlug<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code === '23505') throw new Invalid('slug', 'is the address of another one; choose another');
    throw err;
  }
}

// Categories

export async function listCategories(db: Executor, actor: Pick<Actor, 'workspaceId'>) {
  const rows = await db.select().from(kbCategories).where(eq(kbCategories.workspaceId, actor.workspaceId)).orderBy(asc(kbCategories.position), asc(kbCategories.name));
  const counts = await db
    .select({ categoryId: kbArticles.categoryId, articles: sql<number>`count(*)::int`, published: sql<number>`(count(*) filter (where ${kbArticles.status} = 'published'))::int` })
    .from(kbArticles)
    .where(and(eq(kbArticles.workspaceId, actor.workspaceId), ne(kbArticles.status, 'archived')))
    .groupBy(kbArticles.categoryId);
  return rows.map((c) => presentCategory(c, counts.find((n) => n.categoryId === c.id)));
}

export async function createCategory(tx: Executor, actor: Actor, input: CategoryCreate) {
  requireWrite(actor);
  const taken = async (s: string) => (await tx.select({ id: kbCategories.id }).from(kbCategories).where(and(eq(kbCategories.workspaceId, actor.workspaceId), eq(kbCategories.slug, s)))).length > 0;
  if (input.slug && (await taken(input.slug))) throw new Invalid('slug', 'is the address of another category');
  const slug = input.slug ?? (await freeSlug(taken, input.name, 'category'));
  const [{ last }] = await tx.select({ last: max(kbCategories.position) }).from(kbCategories).where(eq(kbCategories.workspaceId, actor.workspaceId));
  const [row] = await claimingSlug(() =>
    tx
      .insert(kbCategories)
      .values({ workspaceId: actor.workspaceId, slug, name: input.name, description: input.description, position: input.position ?? (last ?? -1) + 1 })
      .returning(),
  );
  return presentCategory(row);
}

async function getCategoryRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [c] = await db.select().from(kbCategories).where(and(eq(kbCategories.id, id), eq(kbCategories.workspaceId, actor.workspaceId)));
  if (!c) throw new NotFound('Category');
  return c;
}

export async function updateCategory(tx: Executor, actor: Actor, id: string, input: CategoryUpdate) {
  requireWrite(actor);
  await getCategoryRow(tx, actor, id);
  if (input.slug) {
    const [other] = await tx.select({ id: kbCategories.id }).from(kbCategories).where(and(eq(kbCategories.workspaceId, actor.workspaceId), eq(kbCategories.slug, input.slug), ne(kbCategories.id, id)));
    if (other) throw new Invalid('slug', 'is the address of another category');
  }
  const [row] = await claimingSlug(() =>
    tx
      .update(kbCategories)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(kbCategories.id, id))
      .returning(),
  );
  return presentCategory(row);
}

/** Deletes a category (admins); its articles stay, without a category. */
export async function deleteCategory(tx: Executor, actor: Actor, id: string) {
  if (!helpCenterPolicy.delete(actor)) throw new Forbidden('Only admins delete categories (a token needs the admin scope)');
  const c = await getCategoryRow(tx, actor, id);
  await tx.delete(kbCategories).where(eq(kbCategories.id, id));
  await recordAudit(tx, actor, { action: 'kb.category.delete', targetType: 'kb_category', targetId: id, data: { name: c.name } });
}

// Articles

async function getArticleRow(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [a] = await db.select().from(kbArticles).where(and(eq(kbArticles.id, id), eq(kbArticles.workspaceId, actor.workspaceId)));
  if (!a) throw new NotFound('Article');
  return a;
}

async function present(db: Executor, rows: Article[], full = false) {
  if (!rows.length) return [];
  const [hc] = await db.select({ slug: helpCenters.slug }).from(helpCenters).where(eq(helpCenters.workspaceId, rows[0].workspaceId));
  const people = await peopleOf(db, rows.flatMap((a) => [a.authorMemberId, a.updatedByMemberId]));
  const person = (id: string | null) => (id ? (people.get(id) ?? null) : null);
  const views = await viewCounts(db, 'kb_articles', rows.map((a) => a.id));
  return rows.map((a) => presentArticle({ ...a, views: views.get(a.id) ?? 0 }, hc ?? { slug: '' }, { author: person(a.authorMemberId), updatedBy: person(a.updatedByMemberId) }, full));
}

/**
 * The list's cursor: the last row's change time to the microsecond, as PostgreSQL keeps it
 * (a JavaScript Date has milliseconds only, and rows changed within the same millisecond
 * as a page's last one would be skipped), and its id.
 */
const cursorAt = sql<string>`to_char(${kbArticles.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/.test(at ?? '') || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id ?? '')) {
    throw new Invalid('querystring.cursor', 'is not a cursor this list gave');
  }
  return { at, id };
}

/** The workspace's articles, most recently changed first; `q` matches titles (typos tolerated) and the words of the text, in the article's language. */
export async function listArticles(db: Executor, actor: Pick<Actor, 'workspaceId'>, query: ArticleListQuery) {
  const where = [eq(kbArticles.workspaceId, actor.workspaceId)];
  if (query.status) where.push(eq(kbArticles.status, query.status));
  if (query.categoryId) where.push(eq(kbArticles.categoryId, query.categoryId));
  if (query.q) {
    where.push(
      sql`(${kbArticles.title} ilike ${`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} or ${query.q} <% ${kbArticles.title} or ${kbArticles.search} @@ websearch_to_tsquery(${kbArticles.language}, ${query.q}))`,
    );
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(sql`(${kbArticles.updatedAt}, ${kbArticles.id}) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await db
    .select({ a: kbArticles, at: cursorAt })
    .from(kbArticles)
    .where(and(...where))
    .orderBy(desc(kbArticles.updatedAt), desc(kbArticles.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: await present(db, page.map((r) => r.a)), nextCursor: rows.length > query.limit ? encodeCursor(last.at, last.a.id) : null };
}

export async function getArticle(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string) {
  const [a] = await present(db, [await getArticleRow(db, actor, id)], true);
  return a;
}

function articleSlugTaken(db: Executor, workspaceId: string, except?: string) {
  return async (s: string) =>
    (await db.select({ id: kbArticles.id }).from(kbArticles).where(and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.slug, s), except ? ne(kbArticles.id, except) : undefined))).length > 0;
}

/** Writes an article: the Markdown is rendered to safe HTML once, here, so every page view serves stored HTML. */
export async function createArticle(tx: Executor, actor: Actor, input: ArticleCreate, extra: { sourceThreadId?: string } = {}) {
  requireWrite(actor);
  await checkCategory(tx, actor.workspaceId, input.categoryId);
  const hc = await ensureHelpCenter(tx, actor.workspaceId);
  const taken = articleSlugTaken(tx, actor.workspaceId);
  if (input.slug && (await taken(input.slug))) throw new Invalid('slug', 'is the address of another article');
  const slug = input.slug ?? (await freeSlug(taken, input.title, 'article'));
  const rendered = renderMarkdown(input.body, 'staff');
  const now = new Date();
  // An address that used to lead to another article leads to this one now.
  await tx.delete(kbArticleRedirects).where(and(eq(kbArticleRedirects.workspaceId, actor.workspaceId), eq(kbArticleRedirects.slug, slug)));
  const [row] = await claimingSlug(() =>
    tx
      .insert(kbArticles)
      .values({
        workspaceId: actor.workspaceId,
        categoryId: input.categoryId ?? null,
        slug,
        title: input.title,
        body: input.body,
        ...rendered,
        status: input.status,
        authorMemberId: actor.memberId,
        updatedByMemberId: actor.memberId,
        publishedAt: input.status === 'published' ? now : null,
        language: hc.language,
        sourceThreadId: extra.sourceThreadId ?? null,
      })
      .returning(),
  );
  const [a] = await present(tx, [row], true);
  return a;
}

/**
 * Changes an article. Given the version it was made to (baseUpdatedAt), a change to an
 * article someone saved since is refused, naming them, so nobody's edit is lost unseen.
 * A new address keeps the old one leading here.
 */
export async function updateArticle(tx: Executor, actor: Actor, id: string, input: ArticleUpdate) {
  requireWrite(actor);
  await getArticleRow(tx, actor, id);
  // Locked until commit: two saves of one article are checked one after the other.
  const [before] = await tx.select().from(kbArticles).where(eq(kbArticles.id, id)).for('update');
  if (input.baseUpdatedAt && new Date(input.baseUpdatedAt).getTime() !== before.updatedAt.getTime()) {
    const [who] = before.updatedByMemberId ? [...(await peopleOf(tx, [before.updatedByMemberId])).values()] : [];
    throw new Conflict(`${who?.name ?? 'Someone'} saved this article after you opened it; reload it to see their changes before saving yours`);
  }
  await checkCategory(tx, actor.workspaceId, input.categoryId);
  if (input.slug && input.slug !== before.slug && (await articleSlugTaken(tx, actor.workspaceId, id)(input.slug))) throw new Invalid('slug', 'is the address of another article');
  const patch: Partial<typeof kbArticles.$inferInsert> = { updatedAt: new Date(), updatedByMemberId: actor.memberId };
  if (input.title !== undefined) patch.title = input.title;
  if (input.slug !== undefined && input.slug !== before.slug) {
    patch.slug = input.slug;
    await tx.delete(kbArticleRedirects).where(and(eq(kbArticleRedirects.workspaceId, actor.workspaceId), eq(kbArticleRedirects.slug, input.slug)));
    await tx
      .insert(kbArticleRedirects)
      .values({ workspaceId: actor.workspaceId, slug: before.slug, articleId: id })
      .onConflictDoUpdate({ target: [kbArticleRedirects.workspaceId, kbArticleRedirects.slug], set: { articleId: id, createdAt: new Date() } });
  }
  if (input.categoryId !== undefined) patch.categoryId = input.categoryId;
  if (input.body !== undefined) Object.assign(patch, { body: input.body, ...renderMarkdown(input.body, 'staff') });
  if (input.status !== undefined) {
    patch.status = input.status;
    if (input.status === 'published' && !before.publishedAt) patch.publishedAt = new Date();
  }
  const [row] = await claimingSlug(() => tx.update(kbArticles).set(patch).where(eq(kbArticles.id, id)).returning());
  const [a] = await present(tx, [row], true);
  return a;
}

/** Deletes an article for good (admins); others archive it. */
export async function deleteArticle(tx: Executor, actor: Actor, id: string) {
  if (!helpCenterPolicy.delete(actor)) throw new Forbidden('Only admins delete articles (a token needs the admin scope); archive it instead');
  const a = await getArticleRow(tx, actor, id);
  await tx.update(communityThreads).set({ articleId: null }).where(eq(communityThreads.articleId, id));
  await tx.delete(kbArticles).where(eq(kbArticles.id, id));
  await recordAudit(tx, actor, { action: 'kb.article.delete', targetType: 'kb_article', targetId: id, data: { title: a.title } });
}

/** What readers said of an article: every "was this helpful?" answer with its comment, newest first. */
export async function listArticleFeedback(db: Executor, actor: Pick<Actor, 'workspaceId'>, id: string, opts: { withComments?: boolean; limit?: number } = {}) {
  const a = await getArticleRow(db, actor, id);
  const rows = await db
    .select({ f: kbFeedback, contactName: contacts.name })
    .from(kbFeedback)
    .leftJoin(contacts, eq(contacts.id, kbFeedback.contactId))
    .where(and(eq(kbFeedback.articleId, a.id), opts.withComments ? sql`${kbFeedback.comment} is not null` : undefined))
    .orderBy(desc(kbFeedback.createdAt))
    .limit(opts.limit ?? 100);
  return {
    helpfulYes: a.helpfulYes,
    helpfulNo: a.helpfulNo,
    items: rows.map((r) => ({
      id: r.f.id,
      helpful: r.f.helpful,
      comment: r.f.comment,
      contact: r.f.contactId ? { id: r.f.contactId, name: r.contactName ?? '' } : null,
      createdAt: r.f.createdAt,
    })),
  };
}

/** An image for an article: PNG, JPEG, WebP or GIF (never SVG, which can carry script), recognised by its bytes. */
export async function uploadArticleImage(tx: Executor, actor: Actor, store: FileStore, bytes: Buffer, filename: string) {
  requireWrite(actor);
  if (bytes.length > IMAGE_MAX_BYTES) throw new Invalid('file', 'must be at most 5 MB');
  const type = sniffImage(bytes);
  if (!type) throw new Invalid('file', 'must be a PNG, JPEG, WebP or GIF image');
  const stored = await store.put(bytes);
  const name = cleanFilename(filename || 'image');
  const [f] = await tx
    .insert(helpFiles)
    .values({ workspaceId: actor.workspaceId, sha256: stored.sha256, contentType: type, filename: name, size: stored.size, uploadedByMemberId: actor.memberId })
    .returning();
  const url = helpFilePath(f);
  const alt = name.replace(/\.[a-z0-9]+$/i, '').replace(/[[\]]/g, '');
  return { id: f.id, url, contentType: type, size: f.size, markdown: `![${alt}](${url})` };
}

/** An uploaded image, for anyone who has its address (articles are public). */
export async function openHelpFile(db: Executor, store: FileStore, id: string) {
  const [f] = await db.select().from(helpFiles).where(eq(helpFiles.id, id));
  if (!f) throw new NotFound('File');
  return { ...f, stream: await store.get(f.sha256) };
}
