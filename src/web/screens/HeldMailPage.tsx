import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Icon } from '../components/Icon';
import { Button } from '../components/ui';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { formatSize } from '../lib/email';
import { heldMailKey, type MailHold, useHeldMail } from '../lib/held-mail';
import { qk, refreshLists, useInboxes } from '../lib/queries';
import { useSession } from '../lib/session';
import { fullTime, messageTime } from '../lib/time';
import type { Conversation } from '../lib/types';

type Action = 'link' | 'new_conversation' | 'discard' | 'reprocess';
interface Outcome {
  hold: MailHold;
  result?: { outcome: string; conversationId?: string; detail?: string };
}

const conversationPath = (number: number) => `/inbox/open/${number}`;

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={fullTime(iso)}>
      {messageTime(iso)}
    </time>
  );
}

function errorOf(e: unknown) {
  if (e instanceof ApiError && e.status === 403) return t('error.forbidden');
  if (e instanceof ApiError && e.errors.length) return e.errors.map((x) => x.reason).join('; ');
  return e instanceof Error ? e.message : String(e);
}

/**
 * Held mail at /app/held: replies from people who are neither the conversation's customer
 * nor in copy, waiting for an agent to add them or open a conversation of their own; and,
 * for admins, the quarantine of mail that could not be read, to download and reprocess.
 */
export default function HeldMailPage() {
  const me = useSession();
  const admin = me.member.role === 'owner' || me.member.role === 'admin';
  const canAct = me.member.role !== 'light';
  const held = useHeldMail(true, true);
  const inboxes = useInboxes().data ?? [];
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<{ text: string; to?: string } | null>(null);
  const items = held.data ?? [];
  const review = items.filter((h) => h.reason === 'unknown_sender');
  const quarantine = items.filter((h) => h.reason === 'unparseable');

  // The conversation each reply was for, by number (what agents say and type).
  const ids = [...new Set(review.flatMap((h) => (h.conversationId ? [h.conversationId] : [])))];
  const convs = useQueries({
    queries: ids.map((id) => ({ queryKey: ['conversation', id], queryFn: () => api<Conversation>(`/conversations/${id}`), staleTime: 60_000, retry: false })),
  });
  const conversationOf = (id: string | null) => (id ? convs[ids.indexOf(id)]?.data : undefined);

  const act = useMutation({
    mutationFn: ({ hold, action }: { hold: MailHold; action: Action }) => api<Outcome>(`/mail-holds/${hold.id}/${action}`, { method: 'POST' }),
    onSuccess: async (out, { hold, action }) => {
      void qc.invalidateQueries({ queryKey: heldMailKey });
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
      const target = out.result?.conversationId;
      if (action === 'link' && hold.conversationId) {
        const c = conversationOf(hold.conversationId) ?? (await api<Conversation>(`/conversations/${hold.conversationId}`));
        return navigate(conversationPath(c.number));
      }
      if (action === 'new_conversation' && target) return navigate(conversationPath((await api<Conversation>(`/conversations/${target}`)).number));
      if (action === 'discard') return setNotice({ text: t('held.discarded') });
      if (out.result?.outcome === 'held') return setNotice({ text: t('held.stillHeld', { detail: out.result.detail ?? '' }) });
      if (target) {
        const c = await api<Conversation>(`/conversations/${target}`);
        return setNotice({ text: t('held.reprocessed', { number: c.number }), to: conversationPath(c.number) });
      }
      setNotice({ text: t('held.reprocessedOther', { outcome: out.result?.outcome ?? '' }) });
    },
  });
  const run = (hold: MailHold, action: Action) => {
    setNotice(null);
    if (action === 'discard' && !window.confirm(t('held.confirmDiscard'))) return;
    act.mutate({ hold, action });
  };
  const busy = (h: MailHold) => act.isPending && act.variables?.hold.id === h.id;
  const inboxName = (id: string) => inboxes.find((i) => i.id === id)?.name ?? '';

  return (
    <section aria-labelledby="held-title" className="min-w-0 flex-1 overflow-y-auto bg-canvas">
      <div className="mx-auto w-full max-w-4xl px-6 py-6">
        <header className="mb-5">
          <h1 id="held-title" className="text-lg font-semibold text-ink">
            {t('held.title')}
          </h1>
          <p className="mt-1 text-sm text-ink-2">{admin ? t('held.descriptionAdmin') : t('held.description')}</p>
        </header>
        {notice && (
          <p role="status" className="mb-4 flex items-center gap-2 rounded-md bg-accent-soft px-3 py-2 text-sm">
            <span className="flex-1">{notice.text}</span>
            {notice.to && (
              <Link to={notice.to} className="text-accent underline">
                {t('held.open')}
              </Link>
            )}
          </p>
        )}
        {act.isError && (
          <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
            {errorOf(act.error)}
          </p>
        )}
        {held.isError && (
          <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
            {errorOf(held.error)}
          </p>
        )}
        {held.isPending && (
          <p role="status" className="text-sm text-ink-3">
            {t('app.loading')}
          </p>
        )}

        {held.isSuccess && (
          <section aria-labelledby="held-review" className="mb-8">
            <h2 id="held-review" className="mb-2 flex items-baseline gap-2 text-sm font-semibold text-ink">
              {t('held.review')}
              <span className="text-xs font-normal text-ink-3">{review.length}</span>
            </h2>
            <p className="mb-3 text-xs text-ink-3">{t('held.reviewHint')}</p>
            {review.length === 0 ? (
              <p className="rounded-lg border border-dashed border-line px-4 py-6 text-center text-sm text-ink-3">{t('held.reviewEmpty')}</p>
            ) : (
              <ul className="space-y-2">
                {review.map((h) => {
                  const c = conversationOf(h.conversationId);
                  return (
                    <li key={h.id} aria-label={h.fromAddress ?? t('held.unknownSender')} className="rounded-lg border border-line bg-surface px-4 py-3">
                      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
                        <span className="font-medium text-ink">{h.fromAddress ?? t('held.unknownSender')}</span>
                        <span className="min-w-0 flex-1 truncate text-sm text-ink-2">{h.subject || t('list.noSubject')}</span>
                        <span className="text-xs text-ink-3">
                          <When iso={h.createdAt} />
                        </span>
                      </div>
                      <p className="mt-1 text-xs text-ink-3">
                        {c ? (
                          <>
                            {t('held.repliedTo')}{' '}
                            <Link to={conversationPath(c.number)} className="text-accent hover:underline">
                              #{c.number}: {c.subject || t('list.noSubject')}
                            </Link>
                          </>
                        ) : h.conversationId ? (
                          t('held.repliedToUnknown')
                        ) : (
                          t('held.conversationGone')
                        )}
                        {inboxName(h.inboxId) && ` · ${inboxName(h.inboxId)}`}
                      </p>
                      {canAct && (
                        <div className="mt-2 flex flex-wrap gap-1.5">
                          {h.conversationId && (
                            <Button variant="primary" disabled={busy(h)} onClick={() => run(h, 'link')}>
                              {c ? t('held.link', { number: c.number }) : t('held.linkUnknown')}
                            </Button>
                          )}
                          <Button disabled={busy(h)} onClick={() => run(h, 'new_conversation')}>
                            {t('held.newConversation')}
                          </Button>
                          <Button variant="danger" disabled={busy(h)} onClick={() => run(h, 'discard')} aria-label={t('held.discardWhat', { what: h.fromAddress ?? h.id })}>
                            {t('held.discard')}
                          </Button>
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        )}

        {held.isSuccess && admin && (
          <section aria-labelledby="held-quarantine">
            <h2 id="held-quarantine" className="mb-2 flex items-baseline gap-2 text-sm font-semibold text-ink">
              {t('held.quarantine')}
              <span className="text-xs font-normal text-ink-3">{quarantine.length}</span>
            </h2>
            <p className="mb-3 text-xs text-ink-3">{t('held.quarantineHint')}</p>
            {quarantine.length === 0 ? (
              <p className="rounded-lg border border-dashed border-line px-4 py-6 text-center text-sm text-ink-3">{t('held.quarantineEmpty')}</p>
            ) : (
              <ul className="space-y-2">
                {quarantine.map((h) => (
                  <li key={h.id} aria-label={h.subject || h.fromAddress || t('held.unreadable')} className="rounded-lg border border-line bg-surface px-4 py-3">
                    <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
                      <span className="font-medium text-ink">{h.fromAddress ?? t('held.unknownSender')}</span>
                      <span className="min-w-0 flex-1 truncate text-sm text-ink-2">{h.subject || t('list.noSubject')}</span>
                      <span className="text-xs text-ink-3">
                        <When iso={h.createdAt} />
                      </span>
                    </div>
                    {h.detail && <p className="mt-1.5 rounded bg-canvas px-2 py-1 font-mono text-xs break-words text-danger">{h.detail}</p>}
                    <p className="mt-1 text-xs text-ink-3">
                      {t('held.facts', { size: formatSize(h.size), source: t(`held.source.${h.source}` as 'held.source.smtp') ?? h.source })}
                      {inboxName(h.inboxId) && ` · ${inboxName(h.inboxId)}`}
                    </p>
                    <div className="mt-2 flex flex-wrap gap-1.5">
                      <a
                        href={`/api/v1/mail-holds/${h.id}/raw`}
                        download={`held-${h.id}.eml`}
                        className="inline-flex h-8 items-center gap-1.5 rounded-md border border-line bg-surface px-2.5 text-[13px] font-medium text-ink hover:bg-hover"
                      >
                        <Icon name="file" size={14} />
                        {t('held.download')}
                      </a>
                      <Button disabled={busy(h)} onClick={() => run(h, 'reprocess')}>
                        {t('held.reprocess')}
                      </Button>
                      <Button variant="danger" disabled={busy(h)} onClick={() => run(h, 'discard')} aria-label={t('held.discardWhat', { what: h.subject || h.id })}>
                        {t('held.discard')}
                      </Button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
      </div>
    </section>
  );
}
