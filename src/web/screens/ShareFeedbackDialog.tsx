import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Icon } from '../components/Icon';
import { Field, inputCls, Modal } from '../components/Modal';
import { Button } from '../components/ui';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { useConversation } from '../lib/queries';
import type { FeedbackItem, FeedbackKind } from '../lib/types';

/** The customer's words an item quotes: one of their messages, or the comment of their satisfaction survey. */
export type FeedbackSource = { messageId: string; text: string } | { surveyId: string; text: string };

/** How the wall names a customer by default: first name and the initial of the last ("Maya J."), as the server does. */
export function defaultDisplayName(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length || parts[0].includes('@')) return t('feedback.customer');
  return parts.length > 1 ? `${parts[0]} ${parts[parts.length - 1][0].toUpperCase()}.` : parts[0];
}

/**
 * "Share as compliment / complaint" on a customer's message or survey comment: the quote
 * (their words, shortened at most, cuts marked …), the name to show and the company's
 * response; then the customer is sent a link to agree. Nothing is shown before they do.
 */
export function ShareFeedbackDialog({ source, kind, contactName, onOpenChange }: { source: FeedbackSource; kind: FeedbackKind; contactName: string; onOpenChange: (o: boolean) => void }) {
  const qc = useQueryClient();
  const [quote, setQuote] = useState(source.text.replace(/\s+/g, ' ').trim().slice(0, 2000));
  // Until the agent types a name, it follows the contact's, which may still be loading when the dialog opens.
  const [typedName, setDisplayName] = useState<string | null>(null);
  const displayName = typedName ?? defaultDisplayName(contactName);
  const [response, setResponse] = useState('');
  const ask = useMutation({
    mutationFn: async () => {
      const from = 'surveyId' in source ? { surveyId: source.surveyId } : { messageId: source.messageId };
      const item = await api<FeedbackItem>('/feedback', { method: 'POST', body: { kind, ...from, quote, displayName, response: response.trim() || undefined } });
      return api<FeedbackItem>(`/feedback/${item.id}/request-consent`, { method: 'POST' });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void qc.invalidateQueries({ queryKey: ['feedback'] });
      void qc.invalidateQueries({ queryKey: ['reports', 'feedback'] });
      onOpenChange(false);
    },
  });
  const error = ask.error instanceof ApiError && ask.error.status === 403 ? t('error.forbidden') : (ask.error as Error | null)?.message;
  return (
    <Modal open onOpenChange={onOpenChange} title={t(kind === 'compliment' ? 'feedback.shareCompliment' : 'feedback.shareComplaint')} description={t('feedback.shareHint')} width="w-[min(36rem,94vw)]">
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          ask.mutate();
        }}
      >
        <Field label={t('feedback.quote')} htmlFor="feedback-quote" hint={t('feedback.quoteHint')}>
          <textarea id="feedback-quote" required rows={4} maxLength={2000} className={`${inputCls} h-auto py-2`} value={quote} onChange={(e) => setQuote(e.target.value)} />
        </Field>
        <Field label={t('feedback.displayName')} htmlFor="feedback-name" hint={t('feedback.displayNameHint')}>
          <input id="feedback-name" required maxLength={80} className={inputCls} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        <Field label={t('feedback.response')} htmlFor="feedback-response" hint={t('feedback.responseHint')}>
          <textarea id="feedback-response" rows={3} maxLength={4000} className={`${inputCls} h-auto py-2`} value={response} onChange={(e) => setResponse(e.target.value)} />
        </Field>
        {error && (
          <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button type="button" onClick={() => onOpenChange(false)}>
            {t('feedback.cancel')}
          </Button>
          <Button type="submit" variant="primary" disabled={ask.isPending}>
            <Icon name="mail" size={14} />
            {t('feedback.askConsent')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * The same for a satisfaction comment listed outside its conversation (Reports): the
 * conversation is read first, for its survey and its customer's name.
 */
export function ShareSurveyCommentDialog({ conversationId, kind, onOpenChange }: { conversationId: string; kind: FeedbackKind; onOpenChange: (o: boolean) => void }) {
  const c = useConversation(conversationId);
  const s = c.data?.satisfaction;
  if (s?.comment) return <ShareFeedbackDialog source={{ surveyId: s.surveyId, text: s.comment }} kind={kind} contactName={c.data?.contact?.name ?? ''} onOpenChange={onOpenChange} />;
  return (
    <Modal open onOpenChange={onOpenChange} title={t(kind === 'compliment' ? 'feedback.shareCompliment' : 'feedback.shareComplaint')} width="w-[min(36rem,94vw)]">
      {c.isError ? (
        <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
          {(c.error as Error).message}
        </p>
      ) : c.data ? (
        <p className="text-sm text-ink-2">{t('feedback.noComment')}</p>
      ) : (
        <p role="status" className="text-sm text-ink-3">
          {t('feedback.loading')}
        </p>
      )}
    </Modal>
  );
}
