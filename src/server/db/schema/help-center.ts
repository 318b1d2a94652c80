import { sql, type SQL } from 'drizzle-orm';
import { type AnyPgColumn, boolean, customType, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tsvector, updatedAt, workspaceId } from './columns.js';
import { contacts } from './contacts.js';
import { inboxes } from './inboxes.js';
import { members } from './workspaces.js';

/** A PostgreSQL text search configuration (english, german, simple, …): the language a help center's words are stemmed in. */
export const regconfig = customType<{ data: string }>({
  dataType() {
    return 'regconfig';
  },
});

/** A topic customers choose on the contact form; it becomes the conversation's topic. */
export interface HelpTopic {
  id: string;
  name: string;
}

/**
 * A workspace's public help center at /help/<slug>: its look, its language, and the
 * inbox where its contact form and portal replies land. One per workspace.
 */
export const helpCenters = pgTable(
  'help_centers',
  {
    workspaceId: uuid('workspace_id').primaryKey(),
    /** The path under /help; unique across the installation. */
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    /** Shown to the public: off until an admin turns it on (members still preview it). */
    published: boolean('published').notNull().default(false),
    color: text('color').notNull().default('#2563eb'),
    logoSha256: text('logo_sha256'),
    logoContentType: text('logo_content_type'),
    /** Markdown, rendered like an article's (footerHtml). */
    footer: text('footer').notNull().default(''),
    footerHtml: text('footer_html').notNull().default(''),
    /** The strings' catalog (src/server/helpcenter/i18n). */
    locale: text('locale').notNull().default('en'),
    /** The language of the content: search stems words in it. */
    language: regconfig('language').notNull().default(sql`'english'::regconfig`),
    portalInboxId: uuid('portal_inbox_id').references(() => inboxes.id, { onDelete: 'set null' }),
    topics: jsonb('topics').$type<HelpTopic[]>().notNull().default([]),
    communityEnabled: boolean('community_enabled').notNull().default(true),
    /** Addresses it had before: links to them still lead here (301), until another help center takes one. */
    previousSlugs: text('previous_slugs').array().notNull().default(sql`'{}'::text[]`),
    /** The last community thread number handed out (threads take the next under a row lock, like conversations). */
    lastThreadNumber: integer('last_thread_number').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('help_centers_slug_key').on(t.slug), index('help_centers_previous_slugs_idx').using('gin', t.previousSlugs)],
);

export const kbCategories = pgTable(
  'kb_categories',
  {
    id: id(),
    workspaceId: workspaceId(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('kb_categories_slug_key').on(t.workspaceId, t.slug), index('kb_categories_position_idx').on(t.workspaceId, t.position)],
);

export const articleStatus = pgEnum('kb_article_status', ['draft', 'published', 'archived']);

/** A knowledge-base article: Markdown as written, and the safe HTML rendered from it when it is saved. */
export const kbArticles = pgTable(
  'kb_articles',
  {
    id: id(),
    workspaceId: workspaceId(),
    categoryId: uuid('category_id').references(() => kbCategories.id, { onDelete: 'set null' }),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    html: text('html').notNull().default(''),
    /** The first words as plain text: the meta description and the list's preview. */
    excerpt: text('excerpt').notNull().default(''),
    /** The whole body as plain text: what search indexes and highlights. */
    plain: text('plain').notNull().default(''),
    status: articleStatus('status').notNull().default('draft'),
    authorMemberId: uuid('author_member_id').references(() => members.id, { onDelete: 'set null' }),
    updatedByMemberId: uuid('updated_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    helpfulYes: integer('helpful_yes').notNull().default(0),
    helpfulNo: integer('helpful_no').notNull().default(0),
    /** Contact-form suggestions of this article that the customer said solved it. */
    deflections: integer('deflections').notNull().default(0),
    /** The community thread this article was made from. */
    sourceThreadId: uuid('source_thread_id'),
    language: regconfig('language').notNull().default(sql`'english'::regconfig`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    search: tsvector('search').generatedAlwaysAs(
      (): SQL => sql`setweight(to_tsvector(${kbArticles.language}, coalesce(${kbArticles.title}, '')), 'A') || setweight(to_tsvector(${kbArticles.language}, coalesce(${kbArticles.plain}, '')), 'B')`,
    ),
    /** The title's words alone: small enough to read for every match, where the whole text's vector is not (search picks what to rank by it). */
    titleSearch: tsvector('title_search').generatedAlwaysAs((): SQL => sql`to_tsvector(${kbArticles.language}, coalesce(${kbArticles.title}, ''))`),
  },
  (t) => [
    uniqueIndex('kb_articles_slug_key').on(t.workspaceId, t.slug),
    index('kb_articles_list_idx').on(t.workspaceId, t.status, t.updatedAt),
    index('kb_articles_category_idx').on(t.categoryId, t.status),
    index('kb_articles_search_idx').using('gin', t.search),
    index('kb_articles_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
  ],
);

/**
 * Every word of a workspace's published articles, with how many articles have it: the
 * vocabulary a misspelt query is corrected against ("refnd" → "refund", search.ts). Kept
 * by a trigger on kb_articles (migration 0035), in the same statement as the article, so
 * it never drifts: an edit adds and takes away only the words that changed.
 */
export const helpCenterWords = pgTable(
  'help_center_words',
  {
    workspaceId: workspaceId(),
    word: text('word').notNull(),
    articles: integer('articles').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.word] }), index('help_center_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
);

/*
 * How many readers opened each article and thread: kept apart from them because views
 * are added every few seconds. Updating an article's own row would compute its search
 * vectors again and add every one of its words to the search index again, each time;
 * and PGlite, which has no autovacuum, would keep the dead rows and index entries.
 * Triggers (migration 0016) give every article its row and copy its status and category
 * here, so the most read of a help center or a category are read off an index in order.
 */
export const kbArticleViews = pgTable(
  'kb_article_views',
  {
    articleId: uuid('article_id')
      .primaryKey()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    workspaceId: workspaceId(),
    /** The article's, kept equal by a trigger. */
    status: articleStatus('status').notNull(),
    /** The article's, kept equal by a trigger. */
    categoryId: uuid('category_id'),
    views: integer('views').notNull().default(0),
  },
  (t) => [
    index('kb_article_views_popular_idx').on(t.workspaceId, t.status, t.views.desc()),
    index('kb_article_views_category_popular_idx').on(t.workspaceId, t.status, t.categoryId, t.views.desc()),
  ],
);

export const communityThreadViews = pgTable('community_thread_views', {
  threadId: uuid('thread_id')
    .primaryKey()
    .references(() => communityThreads.id, { onDelete: 'cascade' }),
  views: integer('views').notNull().default(0),
});

/** An article's earlier addresses: a link to one still leads to the article (301). */
export const kbArticleRedirects = pgTable(
  'kb_article_redirects',
  {
    workspaceId: workspaceId(),
    slug: text('slug').notNull(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.slug] })],
);

/** "Was this helpful?": one answer, and the reader's comment when they left one; it reaches the team beside the article. */
export const kbFeedback = pgTable(
  'kb_feedback',
  {
    id: id(),
    workspaceId: workspaceId(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => kbArticles.id, { onDelete: 'cascade' }),
    helpful: boolean('helpful').notNull(),
    comment: text('comment'),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('kb_feedback_article_idx').on(t.articleId, t.createdAt)],
);

/** Images uploaded with articles (and the logo's bytes live in the file store too); served publicly under the help center. */
export const helpFiles = pgTable(
  'help_files',
  {
    id: id(),
    workspaceId: workspaceId(),
    sha256: text('sha256').notNull(),
    contentType: text('content_type').notNull(),
    filename: text('filename').notNull(),
    size: integer('size').notNull(),
    uploadedByMemberId: uuid('uploaded_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('help_files_workspace_idx').on(t.workspaceId, t.createdAt)],
);

/** A question in the community. Moderation keeps the row and says why (hidden, deleted), so nothing is silently lost. */
export const communityThreads = pgTable(
  'community_threads',
  {
    id: id(),
    workspaceId: workspaceId(),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    html: text('html').notNull(),
    plain: text('plain').notNull().default(''),
    authorContactId: uuid('author_contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    authorMemberId: uuid('author_member_id').references(() => members.id, { onDelete: 'set null' }),
    acceptedPostId: uuid('accepted_post_id'),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    lockedReason: text('locked_reason'),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenReason: text('hidden_reason'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedReason: text('deleted_reason'),
    score: integer('score').notNull().default(0),
    answerCount: integer('answer_count').notNull().default(0),
    /** The visible answers' text, so a search finds a question by its answer too. */
    answersPlain: text('answers_plain').notNull().default(''),
    /** The article this thread was turned into. */
    articleId: uuid('article_id').references((): AnyPgColumn => kbArticles.id, { onDelete: 'set null' }),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
    language: regconfig('language').notNull().default(sql`'english'::regconfig`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    search: tsvector('search').generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector(${communityThreads.language}, coalesce(${communityThreads.title}, '')), 'A') || setweight(to_tsvector(${communityThreads.language}, coalesce(${communityThreads.plain}, '')), 'B') || setweight(to_tsvector(${communityThreads.language}, coalesce(${communityThreads.answersPlain}, '')), 'C')`,
    ),
    titleSearch: tsvector('title_search').generatedAlwaysAs((): SQL => sql`to_tsvector(${communityThreads.language}, coalesce(${communityThreads.title}, ''))`),
  },
  (t) => [
    uniqueIndex('community_threads_number_key').on(t.workspaceId, t.number),
    index('community_threads_activity_idx').on(t.workspaceId, t.lastActivityAt),
    index('community_threads_search_idx').using('gin', t.search),
    index('community_threads_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
  ],
);

/** An answer in a community thread, by a customer or (with the staff badge) a member. */
export const communityPosts = pgTable(
  'community_posts',
  {
    id: id(),
    workspaceId: workspaceId(),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => communityThreads.id, { onDelete: 'cascade' }),
    authorContactId: uuid('author_contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    authorMemberId: uuid('author_member_id').references(() => members.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    html: text('html').notNull(),
    plain: text('plain').notNull().default(''),
    score: integer('score').notNull().default(0),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenReason: text('hidden_reason'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedReason: text('deleted_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('community_posts_thread_idx').on(t.threadId, t.createdAt), index('community_posts_author_idx').on(t.authorContactId, t.createdAt)],
);

/** One customer's up-vote on a question or an answer (targetId is either); voting again takes it back. */
export const communityVotes = pgTable(
  'community_votes',
  {
    workspaceId: workspaceId(),
    targetId: uuid('target_id').notNull(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.targetId, t.contactId] })],
);

/**
 * A one-time sign-in link for the customer portal: only the token's hash is kept, it is
 * valid for minutes and once. The contact is found (or made) when it is used, so an
 * address proves itself before it becomes anyone's.
 */
export const portalLinks = pgTable(
  'portal_links',
  {
    id: id(),
    workspaceId: workspaceId(),
    email: text('email').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Where to go once signed in (a path under the help center). */
    returnTo: text('return_to'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('portal_links_token_key').on(t.tokenHash), index('portal_links_email_idx').on(t.workspaceId, t.email, t.createdAt)],
);

/** A signed-in customer: a random token in an httpOnly cookie whose hash is this row, with the CSRF token of its forms. */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    id: id(),
    workspaceId: workspaceId(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('portal_sessions_token_key').on(t.tokenHash), index('portal_sessions_contact_idx').on(t.contactId)],
);

/** A suggestion the contact form showed and the customer opened; `solved` once they said it answered their question. */
export const helpDeflections = pgTable(
  'help_deflections',
  {
    id: id(),
    workspaceId: workspaceId(),
    articleId: uuid('article_id').references(() => kbArticles.id, { onDelete: 'cascade' }),
    threadId: uuid('thread_id').references(() => communityThreads.id, { onDelete: 'cascade' }),
    query: text('query').notNull().default(''),
    solved: boolean('solved').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('help_deflections_workspace_idx').on(t.workspaceId, t.createdAt)],
);
