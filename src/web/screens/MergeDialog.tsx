import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { Icon, channelIcon } from '../components/Icon';
import { inputCls, Modal } from '../components/Modal';
import { Button, StatusPill } from '../components/ui';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { qk, refreshLists } from '../lib/queries';
import { shortAge } from '../lib/time';
import type { Conversation, Page } from '../lib/types';

/**
 * "Merge into…": pick the conversation to keep (by number, subject or customer; without a
 * search, the same customer's other conversations), say what will happen, then merge this
 * one into it (POST /conversations/:keptId/merge {sourceId}). The kept one opens.
 */
export function MergeDialog({
  conversation,
  contactName,
  open,
  onOpenChange,
  onMerged,
}: {
  conversation: Conversation;
  contactName: string;
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onMerged: (kept: Conversation) => void;
}) {
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [target, setTarget] = useState<Conversation | null>(null);
  const dq = useDeferredValue(q.trim());
  const found = useQuery({
    queryKey: ['merge-candidates', conversation.contactId, dq],
    queryFn: ({ signal }) => api<Page<Conversation>>('/conversations', { query: dq ? { q: dq, limit: 10 } : { contact: conversation.contactId, limit: 10 }, signal }),
    enabled: open,
    placeholderData: (prev) => prev,
  });
  const candidates = (found.data?.items ?? []).filter((c) => c.id !== conversation.id && !c.mergedIntoId);
  const merge = useMutation({
    mutationFn: (kept: Conversation) => api<Conversation>(`/conversations/${kept.id}/merge`, { method: 'POST', body: { sourceId: conversation.id } }),
    onSuccess: (kept) => {
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      onOpenChange(false);
      onMerged(kept);
    },
  });
  const close = (o: boolean) => {
    if (!o) {
      setTarget(null);
      setQ('');
      merge.reset();
    }
    onOpenChange(o);
  };

  return (
    <Modal open={open} onOpenChange={close} title={t('merge.title', { number: conversation.number })} description={target ? undefined : t('merge.description')} width="w-[min(36rem,94vw)]">
      {target ? (
        <div className="grid gap-3">
          <div className="flex items-center gap-3 rounded-lg border border-line bg-canvas p-3 text-[13px]">
            <span className="min-w-0 flex-1">
              <span className="text-ink-3">#{conversation.number}</span> <span className="font-medium">{conversation.subject || t('list.noSubject')}</span>
            </span>
            <Icon name="arrow" className="shrink-0 text-accent" />
            <span className="min-w-0 flex-1">
              <span className="text-ink-3">#{target.number}</span> <span className="font-medium">{target.subject || t('list.noSubject')}</span>
            </span>
          </div>
          <p className="font-medium">
            {t('merge.confirm', { from: conversation.number, fromSubject: conversation.subject || t('list.noSubject'), to: target.number, toSubject: target.subject || t('list.noSubject') })}
          </p>
          <p className="text-[13px] text-ink-2">{t('merge.explain', { from: conversation.number, to: target.number })}</p>
          {merge.isError && (
            <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
              {merge.error instanceof ApiError && merge.error.status === 403 ? t('error.forbidden') : (merge.error as Error).message}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setTarget(null)}>{t('merge.back')}</Button>
            <Button variant="primary" disabled={merge.isPending} onClick={() => merge.mutate(target)}>
              <Icon name="merge" size={14} />
              {t('merge.submit')}
            </Button>
          </div>
        </div>
      ) : (
        <div className="grid gap-2">
          <input autoFocus aria-label={t('merge.search')} placeholder={t('merge.search')} className={inputCls} value={q} onChange={(e) => setQ(e.target.value)} />
          <h3 className="mt-1 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{dq ? t('merge.results') : t('merge.sameContact', { name: contactName })}</h3>
          <ul aria-label={t('merge.results')} className="-mx-1 max-h-72 overflow-y-auto">
            {found.isSuccess && candidates.length === 0 && <li className="px-2 py-3 text-[13px] text-ink-3">{t('merge.none')}</li>}
            {candidates.map((c) => (
              <li key={c.id}>
                <button type="button" onClick={() => setTarget(c)} className="flex w-full items-center gap-3 rounded-md px-2 py-2 text-left hover:bg-hover">
                  <Icon name={channelIcon[c.channel ?? 'email'] ?? 'mail'} className="shrink-0 text-ink-3" />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-[13px]">
                      <span className="text-ink-3">#{c.number}</span> {c.subject || t('list.noSubject')}
                    </span>
                    <span className="block truncate text-xs text-ink-3">
                      {c.contact?.name}
                      {c.preview ? ` · ${c.preview}` : ''}
                    </span>
                  </span>
                  <StatusPill status={c.status} />
                  <span className="text-xs text-ink-3">{shortAge(c.lastMessageAt)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Modal>
  );
}
