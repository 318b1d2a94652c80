import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { api } from '../lib/api';
import { deliveryFate, nextTryText } from '../lib/delivery';
import { channelLook } from '../lib/network';
import { fullTime, messageTime } from '../lib/time';
import type { DeliveryProblem } from '../lib/types';
import { useNow } from '../lib/use-now';
import { DeliveryActions, deliveryProblemsKey, DeliveryReason } from './DeliveryState';

interface ProblemsPage {
  items: DeliveryProblem[];
  failed: number;
  nextCursor: { createdAt: string; id: string } | null;
}

function ProblemRow({ p, now }: { p: DeliveryProblem; now: number }) {
  const fate = deliveryFate(p.message, now);
  const look = channelLook(p.channel);
  const title = p.conversation.subject || t('delivery.open', { number: p.conversation.number });
  return (
    <li aria-label={`#${p.conversation.number} ${title}`} className="rounded-lg border border-line bg-surface px-4 py-3 text-sm">
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <Link to={`/inbox/open/${p.conversation.number}`} className="min-w-0 font-semibold text-accent hover:underline">
          #{p.conversation.number} {p.conversation.subject}
        </Link>
        <span className="flex items-center gap-1 text-xs text-ink-3">
          <Icon name={look.icon} size={12} />
          {look.label}
          {' · '}
          {t('delivery.recipient')} {p.recipient.name}
          {p.recipient.address && p.recipient.address !== p.recipient.name ? ` (${p.recipient.address})` : ''}
        </span>
        <time dateTime={p.message.createdAt} title={fullTime(p.message.createdAt)} className="ml-auto text-xs text-ink-3">
          {t('delivery.when')} {messageTime(p.message.createdAt)}
        </time>
      </header>
      <p className={`mt-1 flex items-center gap-1 text-xs font-semibold ${fate.state === 'failed' ? 'text-danger' : 'text-warn'}`}>
        <Icon name={fate.state === 'failed' ? 'alert' : 'clock'} size={12} />
        {fate.state === 'failed'
          ? t('delivery.failed', { n: p.attempts })
          : fate.state === 'retrying'
            ? t('delivery.retrying', { n: p.attempts, time: nextTryText(fate.nextAt, now) })
            : t('delivery.sendingAgain')}
      </p>
      <div className="mt-1 flex flex-col gap-1 text-xs">
        <DeliveryReason raw={p.reason} />
        <blockquote className="line-clamp-2 border-l-2 border-line pl-2 text-ink-2">{p.message.text}</blockquote>
        <DeliveryActions m={p.message} retryable={p.canRetry && fate.state !== 'sending'} emailFallback={p.canEmailInstead} />
      </div>
    </li>
  );
}

/**
 * Delivery problems at /app/delivery: every reply of the workspace that has not reached
 * its customer, failed or waiting to be retried, newest first, with what to do about it.
 */
export default function DeliveryProblemsPage() {
  const now = useNow(1_000);
  const q = useInfiniteQuery({
    queryKey: deliveryProblemsKey,
    initialPageParam: null as ProblemsPage['nextCursor'],
    queryFn: ({ pageParam }) =>
      api<ProblemsPage>('/delivery-problems', { query: { limit: 50, ...(pageParam ? { beforeCreatedAt: pageParam.createdAt, beforeId: pageParam.id } : {}) } }),
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 30_000,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="delivery-title" className="min-w-0 flex-1 overflow-y-auto bg-canvas">
      <div className="mx-auto w-full max-w-4xl px-4 py-6 sm:px-6">
        <header className="mb-5">
          <h1 id="delivery-title" className="text-lg font-semibold text-ink">
            {t('delivery.title')}
          </h1>
          <p className="mt-1 text-sm text-ink-2">{t('delivery.description')}</p>
        </header>
        {q.isError && (
          <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
            {q.error.message}
          </p>
        )}
        {q.isPending && (
          <ul aria-busy="true" aria-label={t('app.loading')} className="space-y-2">
            {[0, 1, 2].map((i) => (
              <li key={i} className="h-24 animate-pulse rounded-lg border border-line bg-surface" />
            ))}
          </ul>
        )}
        {q.isSuccess && items.length === 0 && <p className="rounded-lg border border-dashed border-line px-4 py-6 text-center text-sm text-ink-3">{t('delivery.empty')}</p>}
        {items.length > 0 && (
          <ul className="space-y-2" aria-label={t('delivery.title')}>
            {items.map((p) => (
              <ProblemRow key={p.message.id} p={p} now={now} />
            ))}
          </ul>
        )}
        {q.hasNextPage && (
          <button type="button" className="mt-3 text-sm text-accent underline" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
            {t('delivery.more')}
          </button>
        )}
      </div>
    </section>
  );
}
