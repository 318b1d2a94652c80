/** @jsxImportSource preact */
import type { kbArticles, kbCategories } from '../../db/schema/index.js';
import type { ListedArticle } from '../../domains/knowledge-base/published.js';
import { FormGuard, formatDate, Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { StoredHtml } from '../render.js';
import { SuggestionCheck } from './suggestion-check.js';

type Article = typeof kbArticles.$inferSelect;
type Category = typeof kbCategories.$inferSelect;

export interface ArticleData {
  article: Article;
  category: Category | null;
  authorName: string | null;
  related: ListedArticle[];
  /** After "was this helpful?": the answer given, and the feedback to comment on (when no comment yet). */
  feedback?: { helpful: boolean; id?: string; commented?: boolean; /** A comment that came quicker than a person types: shown again in its box, to send once more. */ again?: string };
  /** Opened from a contact-form suggestion that is not yet marked solved. */
  deflection?: { id: string; solved: boolean };
}

/** An article: its text, when it was updated and by whom, "was this helpful?", related articles and the way to a person. */
export function ArticlePage({ ctx, data }: { ctx: PageContext; data: ArticleData }) {
  const { t, base } = ctx;
  const { article: a, category } = data;
  const total = a.helpfulYes + a.helpfulNo;
  const path = `${base}/articles/${a.slug}`;
  return (
    <Layout ctx={ctx} meta={{ title: a.title, description: a.excerpt, canonical: a.status === 'published' ? path : undefined, noindex: a.status !== 'published', section: 'kb', ogType: 'article' }}>
      <nav aria-label={t('breadcrumb.label')} class="crumbs">
        <a href={base}>{t('nav.kb')}</a>
        {category && (
          <>
            {' › '}
            <a href={`${base}/categories/${category.slug}`}>{category.name}</a>
          </>
        )}
      </nav>
      {data.deflection && <SuggestionCheck ctx={ctx} deflection={data.deflection} />}
      <article class="article">
        {a.status !== 'published' && <p class="notice">{a.status === 'draft' ? t('article.draft') : t('article.archived')}</p>}
        <h1>{a.title}</h1>
        <p class="muted small">
          {t('article.updated', { date: formatDate(ctx.lang, a.updatedAt) })}
          {data.authorName && <> {t('article.by', { name: data.authorName })}</>}
        </p>
        <StoredHtml html={a.html} className="prose" />
        {a.sourceThreadId && <p class="muted small">{t('article.fromCommunity')}</p>}
      </article>

      <section class="helpful" id="feedback" aria-labelledby="helpful-h">
        {data.feedback ? (
          <>
            <h2 id="helpful-h" class="h3">
              {t('article.thanks')}
            </h2>
            {data.feedback.id && !data.feedback.commented && (
              <form method="post" action={`${path}/feedback/${data.feedback.id}/comment`} class="stack">
                <FormGuard ctx={ctx} />
                {data.feedback.again && (
                  <p class="notice notice-warn" role="alert">
                    {t('contact.tooFast')}
                  </p>
                )}
                <label for="comment">{t('article.commentLabel')}</label>
                <textarea id="comment" name="comment" rows={3} maxLength={2000} aria-describedby="comment-hint">
                  {data.feedback.again}
                </textarea>
                <p class="muted small" id="comment-hint">
                  {t('article.commentHint')}
                </p>
                <div>
                  <button type="submit">{t('article.commentSend')}</button>
                </div>
              </form>
            )}
            {data.feedback.commented && <p>{t('article.commentThanks')}</p>}
          </>
        ) : (
          <form method="post" action={`${path}/feedback`} class="inline-form">
            <FormGuard ctx={ctx} />
            <h2 id="helpful-h" class="h3">
              {t('article.helpful')}
            </h2>
            <button type="submit" name="helpful" value="yes">
              {t('article.yes')}
            </button>
            <button type="submit" name="helpful" value="no">
              {t('article.no')}
            </button>
          </form>
        )}
        {total > 0 && <p class="muted small">{t('article.helpfulCount', { yes: a.helpfulYes, total })}</p>}
      </section>

      <div class="columns">
        {data.related.length > 0 && (
          <section aria-labelledby="related-h">
            <h2 id="related-h" class="h3">
              {t('article.related')}
            </h2>
            <ul class="links">
              {data.related.map((r) => (
                <li>
                  <a href={`${base}/articles/${r.slug}`}>{r.title}</a>
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-labelledby="still-h">
          <h2 id="still-h" class="h3">
            {t('article.stillNeed')}
          </h2>
          <p>
            <a href={`${base}/contact`}>{t('article.contactLink')}</a>
            {ctx.hc.communityEnabled && (
              <>
                {' · '}
                <a href={`${base}/community/ask`}>{t('article.askLink')}</a>
              </>
            )}
          </p>
        </section>
      </div>
    </Layout>
  );
}
