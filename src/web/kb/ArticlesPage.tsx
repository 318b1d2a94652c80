import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Icon } from '../components/Icon';
import { t, tn } from '../i18n';
import { useHelpCenter } from '../lib/help-center';
import { fullTime } from '../lib/time';
import { cls, ErrorNote, isAdminRole } from '../settings/ui';
import { useSession } from '../lib/session';
import { type Article, ARTICLE_STATUSES, type ArticleStatus, type Category, useArticles, useCategories, useHelpStats } from './data';
import { helpfulness } from './helpfulness';
import { timeAgo } from './time-ago';
import { ExternalLink, Figure, KbPage, number, panelProps, StatusBadge, Tabs, useCanWrite, useTabsId } from './ui';

type Tab = 'all' | ArticleStatus;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function Helpfulness({ yes, no }: { yes: number; no: number }) {
  const h = helpfulness(yes, no);
  if (!h)
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="sr-only">{t('kb.noVotes')}</span>
      </>
    );
  return <>{tn('kb.helpful', h.votes, { percent: h.percent })}</>;
}

/** The figures from GET /help-center/stats: what is read, whether it helps, what it spares the team, what waits. */
function Figures() {
  const stats = useHelpStats().data;
  if (!stats) return null;
  const { articles, suggestionsLast30Days: suggestions, community } = stats;
  const h = helpfulness(articles.helpfulYes, articles.helpfulNo);
  return (
    <dl aria-label={t('kb.stats.label')} className="mb-5 grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-5">
      <Figure label={t('kb.stats.published')} value={number.format(articles.published)} hint={tn('kb.stats.drafts', articles.drafts)} />
      <Figure label={t('kb.stats.views')} value={number.format(articles.views)} hint={t('kb.stats.viewsHint')} />
      <Figure label={t('kb.stats.helpful')} value={h ? `${h.percent}%` : '—'} hint={h ? tn('kb.stats.votes', h.votes) : t('kb.stats.noVotes')} />
      <Figure label={t('kb.stats.solved')} value={number.format(suggestions.solved)} hint={t('kb.stats.solvedHint', { opened: number.format(suggestions.opened) })} />
      <Figure label={t('kb.stats.unanswered')} value={number.format(community.unanswered)} hint={t('kb.stats.unansweredHint', { threads: number.format(community.threads) })} />
    </dl>
  );
}

/** What a new workspace sees instead of an empty table: the three steps to a knowledge base. */
function EmptyState({ admin, canWrite }: { admin: boolean; canWrite: boolean }) {
  return (
    <div className={`${cls.card} px-6 py-8`}>
      <Icon name="book" size={28} className="text-accent" />
      <h2 className="mt-3 text-base font-semibold text-ink">{t('kb.empty.title')}</h2>
      <p className="mt-1 text-sm text-ink-2">{t('kb.empty.intro')}</p>
      <ol className="mt-3 list-decimal space-y-1.5 pl-5 text-sm text-ink-2">
        <li>{admin ? t('kb.empty.publish') : t('kb.empty.publishAgent')}</li>
        <li>{t('kb.empty.write')}</li>
        <li>{t('kb.empty.categories')}</li>
      </ol>
      <div className="mt-5 flex flex-wrap gap-2">
        {canWrite && (
          <Link to="/kb/articles/new" className={cls.primary}>
            {t('kb.newArticle')}
          </Link>
        )}
        {admin && (
          <Link to="/settings/help-center" className={cls.secondary}>
            {t('kb.empty.settings')}
          </Link>
        )}
      </div>
    </div>
  );
}

function ArticleRow({ article, category }: { article: Article; category: Category | undefined }) {
  const updated = timeAgo(article.updatedAt);
  return (
    <tr className="border-t border-line hover:bg-hover/60">
      <td className={`${cls.td} max-w-0`}>
        <Link to={`/kb/articles/${article.id}`} className="block truncate font-medium text-ink hover:underline">
          {article.title}
        </Link>
        <p className="mt-0.5 truncate text-xs text-ink-3">
          {category?.name ?? t('kb.uncategorised')}
          {' · '}
          <time dateTime={article.updatedAt} title={fullTime(article.updatedAt)}>
            {article.updatedBy ? t('kb.row.updated', { time: updated, name: article.updatedBy.name }) : t('kb.row.updatedNoOne', { time: updated })}
          </time>
        </p>
      </td>
      <td className={cls.td}>
        <StatusBadge status={article.status} />
      </td>
      <td className={`${cls.td} text-right tabular-nums text-ink-2`}>{number.format(article.views)}</td>
      <td className={`${cls.td} whitespace-nowrap text-ink-2`}>
        <Helpfulness yes={article.helpfulYes} no={article.helpfulNo} />
      </td>
      <td className={`${cls.td} text-right tabular-nums text-ink-2`}>{number.format(article.deflections)}</td>
    </tr>
  );
}

/** /app/kb: the articles, with the help center's figures above, filtered by status, category and title. */
export default function ArticlesPage() {
  const me = useSession();
  const admin = isAdminRole(me.member.role);
  const canWrite = useCanWrite();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const tab: Tab = ARTICLE_STATUSES.includes(raw as ArticleStatus) ? (raw as ArticleStatus) : 'all';
  const categoryId = params.get('category') ?? '';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim(), 250);
  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParam('q', q);
  }, [q]);

  const hc = useHelpCenter().data;
  const categories = useCategories().data ?? [];
  const list = useArticles({ status: tab === 'all' ? undefined : tab, categoryId: categoryId || undefined, q: q || undefined });
  const articles = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = tab !== 'all' || !!categoryId || !!q;
  const tabs = useTabsId();

  const actions = (
    <>
      {hc && (
        <ExternalLink href={`/help/${hc.slug}`} className={cls.secondary}>
          {t('kb.openHelpCenter')}
        </ExternalLink>
      )}
      <Link to="/kb/community" className={cls.secondary}>
        {t('kb.community')}
      </Link>
      <Link to="/kb/categories" className={cls.secondary}>
        {t('kb.categories')}
      </Link>
      {canWrite && (
        <Link to="/kb/articles/new" className={`${cls.primary} inline-flex items-center gap-1`}>
          <Icon name="plus" size={14} />
          {t('kb.newArticle')}
        </Link>
      )}
    </>
  );

  return (
    <KbPage title={t('kb.title')} description={t('kb.description')} actions={actions} wide>
      {hc && !hc.published && (
        <p className="mb-4 rounded-md bg-accent-soft px-3 py-2 text-sm text-ink-2">
          {t('kb.unpublished')}{' '}
          {admin ? (
            <Link to="/settings/help-center" className="font-medium text-accent underline">
              {t('kb.unpublishedAdmin')}
            </Link>
          ) : (
            t('kb.unpublishedAgent')
          )}
        </p>
      )}
      <Figures />
      {list.isSuccess && !filtered && articles.length === 0 ? (
        <EmptyState admin={admin} canWrite={canWrite} />
      ) : (
        <>
          <div className="mb-3 flex flex-wrap items-center gap-3">
            <Tabs
              idBase={tabs}
              label={t('kb.status')}
              value={tab}
              onChange={(v) => setParam('status', v === 'all' ? '' : v)}
              options={[
                { value: 'all', label: t('kb.status.all') },
                { value: 'published', label: t('kb.tab.published') },
                { value: 'draft', label: t('kb.tab.draft') },
                { value: 'archived', label: t('kb.tab.archived') },
              ]}
            />
            <span className="flex-1" />
            <select aria-label={t('kb.filter.category')} className={cls.select} value={categoryId} onChange={(e) => setParam('category', e.target.value)}>
              <option value="">{t('kb.filter.anyCategory')}</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <div className="relative w-60">
              <Icon name="search" size={14} className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-ink-3" />
              <input type="search" aria-label={t('kb.search')} placeholder={t('kb.search')} className={`${cls.input} pl-8`} value={search} onChange={(e) => setSearch(e.target.value)} />
            </div>
          </div>
          <div {...panelProps(tabs, tab)} className={`${cls.card} overflow-x-auto`}>
            <table className="w-full min-w-[36rem] table-fixed" aria-label={t('kb.list.label')}>
              <colgroup>
                <col />
                <col className="w-28" />
                <col className="w-20" />
                <col className="w-44" />
                <col className="w-24" />
              </colgroup>
              <thead>
                <tr>
                  <th className={cls.th}>{t('kb.col.article')}</th>
                  <th className={cls.th}>{t('kb.col.status')}</th>
                  <th className={`${cls.th} text-right`}>{t('kb.col.views')}</th>
                  <th className={cls.th}>{t('kb.col.helpful')}</th>
                  <th className={`${cls.th} text-right`} title={t('kb.col.solvedHint')}>
                    {t('kb.col.solved')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.isSuccess && articles.length === 0 && (
                  <tr>
                    <td colSpan={5} className={`${cls.td} py-6 text-center text-ink-3`}>
                      {t('kb.noMatch')}
                    </td>
                  </tr>
                )}
                {list.isPending && (
                  <tr>
                    <td colSpan={5} className={`${cls.td} py-6 text-center text-ink-3`} role="status">
                      {t('app.loading')}
                    </td>
                  </tr>
                )}
                {articles.map((a) => (
                  <ArticleRow key={a.id} article={a} category={categories.find((c) => c.id === a.categoryId)} />
                ))}
              </tbody>
            </table>
          </div>
          <ErrorNote error={list.error} />
          {list.hasNextPage && (
            <div className="mt-3 flex justify-center">
              <button type="button" className={cls.secondary} disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {list.isFetchingNextPage ? t('app.loading') : t('kb.loadMore')}
              </button>
            </div>
          )}
        </>
      )}
    </KbPage>
  );
}
