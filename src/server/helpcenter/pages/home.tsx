/** @jsxImportSource preact */
import type { ListedArticle } from '../../domains/knowledge-base/published.js';
import { plural } from '../i18n/index.js';
import { formatDate, Layout, SearchForm } from '../layout.js';
import type { PageContext } from '../page-context.js';
import type { ThreadListItem } from './community.js';

export interface HomeData {
  categories: { category: { slug: string; name: string; description: string }; count: number; top: ListedArticle[] }[];
  popular: ListedArticle[];
  threads: ThreadListItem[];
}

/** The help center's front page: one search box, the categories with their most read articles, the community, and the way to a person. */
export function HomePage({ ctx, data }: { ctx: PageContext; data: HomeData }) {
  const { t, base, hc } = ctx;
  return (
    <Layout ctx={ctx} meta={{ canonical: base, description: t('home.lead'), section: 'kb', hideHeaderSearch: true }}>
      <section class="hero">
        <h1>{t('home.heading')}</h1>
        <p class="lead">{t('home.lead')}</p>
        <SearchForm ctx={ctx} />
      </section>
      {data.categories.length === 0 && data.popular.length === 0 && <p class="empty">{t('home.empty')}</p>}
      {data.categories.length > 0 && (
        <section aria-labelledby="categories-h">
          <h2 id="categories-h">{t('home.categories')}</h2>
          <ul class="cards">
            {data.categories.map(({ category, count, top }) => (
              <li class="card">
                <h3>
                  <a href={`${base}/categories/${category.slug}`}>{category.name}</a>
                </h3>
                {category.description && <p class="muted">{category.description}</p>}
                <ul class="links">
                  {top.map((a) => (
                    <li>
                      <a href={`${base}/articles/${a.slug}`}>{a.title}</a>
                    </li>
                  ))}
                </ul>
                {count > top.length && (
                  <a class="more" href={`${base}/categories/${category.slug}`}>
                    {t('category.all', { count })}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div class="columns">
        {data.popular.length > 0 && (
          <section aria-labelledby="popular-h">
            <h2 id="popular-h">{t('home.popular')}</h2>
            <ul class="list">
              {data.popular.map((a) => (
                <li>
                  <a href={`${base}/articles/${a.slug}`}>{a.title}</a>
                  {a.excerpt && <p class="muted small">{a.excerpt}</p>}
                </li>
              ))}
            </ul>
          </section>
        )}
        {hc.communityEnabled && (
          <section aria-labelledby="community-h">
            <h2 id="community-h">{t('home.community')}</h2>
            {data.threads.length ? (
              <ul class="list">
                {data.threads.map((th) => (
                  <li>
                    <a href={`${base}/community/${th.number}`}>{th.title}</a>
                    <p class="muted small">
                      {th.accepted && <span class="badge badge-ok">{t('community.answered')}</span>} {plural(t, 'community.answers', th.answerCount)} ·{' '}
                      {formatDate(ctx.lang, th.lastActivityAt)}
                    </p>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">{t('community.empty')}</p>
            )}
            <p>
              <a href={`${base}/community`}>{t('home.communityAll')}</a> · <a href={`${base}/community/ask`}>{t('community.ask')}</a>
            </p>
          </section>
        )}
      </div>
      <section class="contact-cta" aria-labelledby="contact-h">
        <h2 id="contact-h">{t('home.contactHeading')}</h2>
        <p>{t('home.contactLead')}</p>
        <a class="button" href={`${base}/contact`}>
          {t('nav.contact')}
        </a>
      </section>
    </Layout>
  );
}
