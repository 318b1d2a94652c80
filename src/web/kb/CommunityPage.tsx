import { Link, useSearchParams } from 'react-router';
import { t } from '../i18n';
import { useHelpCenter } from '../lib/help-center';
import { useSession } from '../lib/session';
import { fullTime } from '../lib/time';
import { cls, ErrorNote, isAdminRole } from '../settings/ui';
import { type Thread, THREAD_FILTERS, type ThreadFilter, useThreads } from './data';
import { timeAgo } from './time-ago';
import { Badge, ExternalLink, KbPage, number, panelProps, Tabs, useTabsId } from './ui';

function ThreadRow({ thread }: { thread: Thread }) {
  return (
    <tr className="border-t border-line align-top hover:bg-hover/60">
      <td className={`${cls.td} max-w-0`}>
        <ExternalLink href={thread.url} className="max-w-full font-medium text-ink hover:underline">
          <span className="truncate">{thread.title}</span>
        </ExternalLink>
        <p className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-ink-3">
          <span>#{thread.number}</span>
          <span aria-hidden="true">·</span>
          <span>{t('kb.community.by', { name: thread.author.name || t('kb.community.aCustomer') })}</span>
          {thread.author.staff && <Badge tone="accent">{t('kb.community.staff')}</Badge>}
          {thread.accepted && <Badge tone="ok">{t('kb.community.badgeAnswered')}</Badge>}
          {thread.locked && <Badge tone="warn">{thread.lockedReason ? `${t('kb.community.locked')}: ${thread.lockedReason}` : t('kb.community.locked')}</Badge>}
          {thread.hidden && <Badge tone="warn">{thread.hiddenReason ? t('kb.community.hiddenWhy', { reason: thread.hiddenReason }) : t('kb.community.hidden')}</Badge>}
          {thread.articleId && (
            <Link to={`/kb/articles/${thread.articleId}`} className="text-accent underline" aria-label={t('kb.community.articleOf', { number: thread.number })}>
              {t('kb.community.article')}
            </Link>
          )}
        </p>
      </td>
      <td className={`${cls.td} text-right tabular-nums text-ink-2`}>{number.format(thread.answerCount)}</td>
      <td className={`${cls.td} text-right tabular-nums text-ink-2`}>{number.format(thread.score)}</td>
      <td className={`${cls.td} text-right tabular-nums text-ink-2`}>{number.format(thread.views)}</td>
      <td className={`${cls.td} whitespace-nowrap text-ink-2`}>
        <time dateTime={thread.lastActivityAt} title={fullTime(thread.lastActivityAt)}>
          {timeAgo(thread.lastActivityAt)}
        </time>
      </td>
    </tr>
  );
}

/** /app/kb/community: the community's questions, by filter; each opens on its public page, where staff answer, accept and moderate in place. */
export default function CommunityPage() {
  const me = useSession();
  const hc = useHelpCenter().data;
  const [params, setParams] = useSearchParams();
  const raw = params.get('filter') as ThreadFilter | null;
  const filter: ThreadFilter = raw && THREAD_FILTERS.includes(raw) ? raw : 'all';
  const q = useThreads(filter);
  const threads = q.data?.pages.flatMap((p) => p.items) ?? [];
  const tabs = useTabsId();
  return (
    <KbPage title={t('kb.community.title')} description={t('kb.community.intro')} back wide>
      {hc && !hc.communityEnabled && (
        <p className="mb-4 rounded-md bg-accent-soft px-3 py-2 text-sm text-ink-2">
          {t('kb.community.off')}{' '}
          {isAdminRole(me.member.role) && (
            <Link to="/settings/help-center" className="font-medium text-accent underline">
              {t('kb.community.offAdmin')}
            </Link>
          )}
        </p>
      )}
      <div className="mb-3">
        <Tabs
          idBase={tabs}
          label={t('kb.community.filter')}
          value={filter}
          onChange={(v) => setParams(v === 'all' ? {} : { filter: v }, { replace: true })}
          options={THREAD_FILTERS.map((f) => ({ value: f, label: t(`kb.community.${f}`) }))}
        />
      </div>
      <div {...panelProps(tabs, filter)} className={`${cls.card} overflow-x-auto`}>
        <table className="w-full min-w-[36rem] table-fixed" aria-label={t('kb.community.title')}>
          <colgroup>
            <col />
            <col className="w-24" />
            <col className="w-20" />
            <col className="w-20" />
            <col className="w-36" />
          </colgroup>
          <thead>
            <tr>
              <th className={cls.th}>{t('kb.community.col.question')}</th>
              <th className={`${cls.th} text-right`}>{t('kb.community.col.answers')}</th>
              <th className={`${cls.th} text-right`}>{t('kb.community.col.votes')}</th>
              <th className={`${cls.th} text-right`}>{t('kb.community.col.views')}</th>
              <th className={cls.th}>{t('kb.community.col.activity')}</th>
            </tr>
          </thead>
          <tbody>
            {q.isPending && (
              <tr>
                <td colSpan={5} role="status" className={`${cls.td} py-6 text-center text-ink-3`}>
                  {t('app.loading')}
                </td>
              </tr>
            )}
            {q.isSuccess && threads.length === 0 && (
              <tr>
                <td colSpan={5} className={`${cls.td} py-6 text-center text-ink-3`}>
                  {t('kb.community.empty')}
                </td>
              </tr>
            )}
            {threads.map((th) => (
              <ThreadRow key={th.id} thread={th} />
            ))}
          </tbody>
        </table>
      </div>
      <ErrorNote error={q.error} />
      {q.hasNextPage && (
        <div className="mt-3 flex justify-center">
          <button type="button" className={cls.secondary} disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
            {q.isFetchingNextPage ? t('app.loading') : t('kb.loadMore')}
          </button>
        </div>
      )}
    </KbPage>
  );
}
