/** @jsxImportSource preact */
import type { kbCategories } from '../../db/schema/index.js';
import type { ListedArticle } from '../../domains/knowledge-base/published.js';
import { plural } from '../i18n/index.js';
import { Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

/** A category: its description and every published article in it. */
export function CategoryPage({ ctx, category, articles }: { ctx: PageContext; category: typeof kbCategories.$inferSelect; articles: ListedArticle[] }) {
  const { t, base } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: category.name, description: category.description || undefined, canonical: `${base}/categories/${category.slug}`, section: 'kb' }}>
      <nav aria-label={t('breadcrumb.label')} class="crumbs">
        <a href={base}>{t('nav.kb')}</a>
      </nav>
      <h1>{category.name}</h1>
      {category.description && <p class="lead">{category.description}</p>}
      <p class="muted small">{plural(t, 'category.count', articles.length)}</p>
      {articles.length ? (
        <ul class="list">
          {articles.map((a) => (
            <li>
              <a href={`${base}/articles/${a.slug}`}>{a.title}</a>
              {a.excerpt && <p class="muted small">{a.excerpt}</p>}
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">{t('category.empty')}</p>
      )}
    </Layout>
  );
}
