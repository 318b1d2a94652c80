import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { t } from '../i18n';
import { api } from '../lib/api';
import { useHelpCenter } from '../lib/help-center';
import type { FeedbackItem, FeedbackState } from '../lib/types';
import { cls, ErrorNote, formatDate, LoadState, SettingsPage, useIsAdmin } from './ui';

const STATES: FeedbackState[] = ['consented', 'published', 'consent_requested', 'draft', 'declined', 'unpublished', 'withdrawn'];

const tone: Record<FeedbackState, string> = {
  draft: 'bg-hover text-ink-2',
  consent_requested: 'bg-accent-soft text-accent',
  consented: 'bg-ok/15 text-ok',
  declined: 'bg-hover text-ink-3',
  published: 'bg-ok text-canvas',
  withdrawn: 'bg-danger-soft text-danger',
  unpublished: 'bg-hover text-ink-2',
};

/** One proposed item: its words as the customer was shown them, its state, and (for admins) the response and Publish / Unpublish. */
function FeedbackRow({ item, admin }: { item: FeedbackItem; admin: boolean }) {
  const qc = useQueryClient();
  const [response, setResponse] = useState(item.response ?? '');
  const [saved, setSaved] = useState(false);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['feedback'] });
  const act = useMutation({
    mutationFn: (what: 'publish' | 'unpublish') => api<FeedbackItem>(`/feedback/${item.id}/${what}`, { method: 'POST' }),
    onSuccess: refresh,
  });
  const save = useMutation({
    mutationFn: () => api<FeedbackItem>(`/feedback/${item.id}`, { method: 'PATCH', body: { response: response.trim() || null } }),
    onSuccess: () => {
      setSaved(true);
      refresh();
    },
  });
  const editable = admin && item.state !== 'withdrawn';
  return (
    <li className={`${cls.card} p-4`} aria-label={`${t(item.kind === 'compliment' ? 'feedback.compliment' : 'feedback.complaint')}: ${item.displayName}`}>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
        <span className={`rounded px-1.5 py-0.5 font-semibold ${item.kind === 'compliment' ? 'bg-ok/15 text-ok' : 'bg-warn/15 text-warn'}`}>
          {t(item.kind === 'compliment' ? 'feedback.compliment' : 'feedback.complaint')}
        </span>
        <span className={`rounded px-1.5 py-0.5 font-medium ${tone[item.state]}`}>{t(`settings.feedback.state.${item.state}`)}</span>
        <span className="text-ink-3">{formatDate(item.publishedAt ?? item.consentedAt ?? item.createdAt)}</span>
      </div>
      <blockquote className="border-l-2 border-line pl-3 text-[14px] leading-relaxed break-words whitespace-pre-wrap text-ink">“{item.quote}”</blockquote>
      <p className="mt-1 text-[13px] font-medium text-ink-2">— {item.anonymous ? t('settings.feedback.anonymous') : item.displayName}</p>
      {editable ? (
        <form
          className="mt-3 grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <label className={cls.label} htmlFor={`response-${item.id}`}>
            {t('feedback.response')}
          </label>
          <textarea
            id={`response-${item.id}`}
            rows={2}
            maxLength={4000}
            className={cls.input}
            value={response}
            onChange={(e) => {
              setResponse(e.target.value);
              setSaved(false);
            }}
          />
          <div className="flex flex-wrap items-center gap-2">
            <button type="submit" className={cls.secondary} disabled={save.isPending || response === (item.response ?? '')}>
              {t('settings.feedback.saveResponse')}
            </button>
            {saved && (
              <span role="status" className="text-sm text-ok">
                {t('settings.feedback.saved')}
              </span>
            )}
            <span className="flex-1" />
            {(item.state === 'consented' || item.state === 'unpublished') && (
              <button type="button" className={cls.primary} disabled={act.isPending} onClick={() => act.mutate('publish')}>
                {t('settings.feedback.publish')}
              </button>
            )}
            {item.state === 'published' && (
              <button type="button" className={cls.danger} disabled={act.isPending} onClick={() => act.mutate('unpublish')}>
                {t('settings.feedback.unpublish')}
              </button>
            )}
          </div>
        </form>
      ) : (
        item.response && <p className="mt-3 rounded-md bg-hover px-3 py-2 text-[13px] whitespace-pre-wrap text-ink-2">{item.response}</p>
      )}
      <ErrorNote error={act.error ?? save.error} />
    </li>
  );
}

/** Settings › Feedback wall: what agents proposed, by state; admins publish what customers agreed to, and take it off again. */
export default function FeedbackWallPage() {
  const admin = useIsAdmin();
  const [state, setState] = useState<FeedbackState | ''>('');
  const q = useQuery({ queryKey: ['feedback', state], queryFn: () => api<{ items: FeedbackItem[] }>('/feedback', { query: state ? { state } : {} }) });
  const hc = useHelpCenter().data;
  return (
    <SettingsPage
      title={t('settings.feedback.title')}
      description={t('settings.feedback.intro')}
      actions={
        hc?.published ? (
          <a href={`${hc.url}/feedback`} target="_blank" rel="noreferrer" className={cls.secondary}>
            {t('settings.feedback.viewWall')}
          </a>
        ) : undefined
      }
    >
      <div className="mb-4 flex flex-wrap gap-1.5" role="group" aria-label={t('settings.feedback.filter')}>
        {(['', ...STATES] as const).map((s) => (
          <button
            key={s || 'all'}
            type="button"
            aria-pressed={state === s}
            onClick={() => setState(s)}
            className={`rounded-full border px-3 py-1 text-[13px] ${state === s ? 'border-accent bg-accent-soft font-medium text-accent' : 'border-line text-ink-2 hover:bg-hover'}`}
          >
            {t(s ? `settings.feedback.state.${s}` : 'settings.feedback.state.all')}
          </button>
        ))}
      </div>
      <LoadState error={q.error} loading={q.isPending} />
      {q.data &&
        (q.data.items.length ? (
          <ul className="grid gap-3">
            {q.data.items.map((item) => (
              <FeedbackRow key={`${item.id}-${item.state}`} item={item} admin={admin} />
            ))}
          </ul>
        ) : (
          <p className="rounded-lg border border-line bg-surface px-4 py-6 text-center text-sm text-ink-3">{t('settings.feedback.empty')}</p>
        ))}
    </SettingsPage>
  );
}
