/** @jsxImportSource preact */
import { RANKED_CANDIDATES, type SearchResult } from '../../domains/help-center/search.js';
import { plural } from '../i18n/index.js';
import { formatDate, Layout, SearchForm } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { Highlighted } from '../render.js';

export const SEARCH_PAGE_SIZE = 10;
/** The pages of results offered: as many as the ranked candidates of articles fill (deeper ones are the broadest queries' tail). */
export const SEARCH_MAX_PAGES = RANKED_CANDIDATES / SEARCH_PAGE_SIZE;

/** Where a hit leads. */
export const hitUrl = (base: string, h: { kind: 'article' | 'thread'; slug: string; number: number | null }) =>
  h.kind === 'article' ? `${base}/articles/${h.slug}` : `${base}/community/${h.number}`;

/** Search results over articles and community threads, with the matched words highlighted. */
export function SearchPage({ ctx, q, page, result }: { ctx: PageContext; q: string; page: number; result: SearchResult }) {
  const { t, base } = ctx;
  const pages = Math.min(Math.ceil(result.total / SEARCH_PAGE_SIZE), SEARCH_MAX_PAGES);
  const link = (p: number) => `${base}/search?q=${encodeURIComponent(q)}${result.relaxed ? '&match=any' : ''}${p > 1 ? `&page=${p}` : ''}`;
  return (
    <Layout ctx={ctx} meta={{ title: q ? t('search.titleFor', { q }) : t('search.title'), noindex: true, section: 'kb', hideHeaderSearch: true }}>
      <h1>{t('search.title')}</h1>
      <SearchForm ctx={ctx} value={q} />
      {!q ? (
        <p class="muted">{t('search.empty')}</p>
      ) : result.hits.length === 0 ? (
        <div class="empty">
          <p>{t('search.none', { q })}</p>
          <p class="muted">{t('search.noneHint')}</p>
          <p>
            <a href={`${base}/contact`}>{t('nav.contact')}</a>
            {ctx.hc.communityEnabled && (
              <>
                {' · '}
                <a href={`${base}/community/ask`}>{t('community.ask')}</a>
              </>
            )}
          </p>
        </div>
      ) : (
        <>
          <p class="muted" role="status">
            {result.corrected
              ? plural(t, 'search.corrected', result.total, { q, corrected: result.corrected })
              : result.fuzzy
                ? t('search.fuzzy', { q })
                : result.relaxed
                  ? plural(t, 'search.relaxed', result.total, { q })
                  : result.capped
                    ? t('search.resultsMore', { count: new Intl.NumberFormat(ctx.lang).format(result.total), q })
                    : plural(t, 'search.results', result.total, { q })}
          </p>
          <ol class="results">
            {result.hits.map((h) => (
              <li>
                <p class="kind">
                  <span class={`badge ${h.kind === 'article' ? '' : 'badge-community'}`}>{t(`search.kind.${h.kind}`)}</span>
                  {h.answered && <span class="badge badge-ok">{t('search.answered')}</span>}
                </p>
                <h2 class="h3">
                  <a href={hitUrl(base, h)}>
                    <Highlighted text={h.titleHighlight} />
                  </a>
                </h2>
                <p class="snippet">
                  <Highlighted text={h.snippet} />
                </p>
                <p class="muted small">{formatDate(ctx.lang, h.updatedAt)}</p>
              </li>
            ))}
          </ol>
          {pages > 1 && (
            <nav aria-label={t('search.pages')} class="pager">
              {page > 1 && <a href={link(page - 1)}>{t('search.prev')}</a>}
              <span>
                {page} / {pages}
              </span>
              {page < pages && <a href={link(page + 1)}>{t('search.next')}</a>}
            </nav>
          )}
        </>
      )}
    </Layout>
  );
}
