import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { type MessageKey, t } from '../i18n';
import { api } from '../lib/api';
import { send, useWrite } from './data';
import { cls, ErrorNote, formatDate, LoadState, SettingsPage, SettingsTable } from './ui';

/** What a processor could not do with an event (GET /api/v1/event-failures). */
export interface EventFailure {
  eventId: string;
  processor: string;
  eventType: string;
  conversationId: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  deadAt: string | null;
  createdAt: string;
}

const failuresKey = ['settings', 'event-failures'] as const;

/** The part of Heard that failed, in words; a processor this page does not know by its own name. */
export function processorName(name: string) {
  // An unknown key has no text: t() gives undefined for it.
  return (t(`settings.failures.processor.${name}` as MessageKey) as string | undefined) ?? name;
}

function FailureRow({ f }: { f: EventFailure }) {
  const retry = useWrite(() => send('POST', `/event-failures/${f.eventId}/${f.processor}/retry`), [failuresKey]);
  return (
    <tr className="border-t border-line align-top">
      <td className={`${cls.td} whitespace-nowrap text-ink-2`}>{formatDate(f.createdAt)}</td>
      <td className={cls.td}>
        <span className="font-medium">{processorName(f.processor)}</span>
        <span className="ml-2 text-xs text-ink-3">
          <code>{f.eventType}</code>
        </span>
        {f.lastError && <p className="mt-1 text-xs break-words text-danger">{f.lastError}</p>}
        {retry.error && <ErrorNote error={retry.error} />}
      </td>
      <td className={`${cls.td} text-ink-2`}>
        {f.deadAt ? t('settings.failures.gaveUp', { n: f.attempts }) : t('settings.failures.retrying', { n: f.attempts, at: formatDate(f.nextAttemptAt) })}
      </td>
      <td className={`${cls.td} text-right`}>
        {f.deadAt && (
          <button type="button" className={cls.secondary} disabled={retry.isPending || retry.isSuccess} onClick={() => retry.mutate(undefined)} aria-label={t('settings.failures.retryWhat', { what: processorName(f.processor) })}>
            {retry.isSuccess ? t('settings.failures.queued') : t('settings.failures.retry')}
          </button>
        )}
      </td>
    </tr>
  );
}

/**
 * Settings › Background failures (admins): events that a part of Heard could not handle,
 * still being retried or given up, each with its error and, once given up, a way to retry.
 */
export default function FailuresPage() {
  const q = useQuery({ queryKey: failuresKey, queryFn: () => api<{ items: EventFailure[] }>('/event-failures?limit=200').then((r) => r.items), retry: false, refetchInterval: 30_000 });
  return (
    <SettingsPage
      title={t('settings.failures.title')}
      description={t('settings.failures.description')}
      actions={
        // Replies that did not reach a customer are the team's to act on, on a page of their own.
        <Link to="/delivery" className="text-sm text-accent underline">
          {t('settings.failures.deliveryLink')}
        </Link>
      }
    >
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <SettingsTable
          columns={[t('settings.audit.when'), t('settings.failures.what'), t('settings.failures.state'), '']}
          empty={t('settings.failures.empty')}
          isEmpty={q.data.length === 0}
        >
          {q.data.map((f) => (
            <FailureRow key={`${f.eventId}:${f.processor}`} f={f} />
          ))}
        </SettingsTable>
      )}
    </SettingsPage>
  );
}
