import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Icon } from '../components/Icon';
import { Field, inputCls, Modal } from '../components/Modal';
import { Button } from '../components/ui';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import type { FeedbackItem, FeedbackKind, Message } from '../lib/types';

/** How the wall names a customer by default: first name and the initial of the last ("Maya J."), as the server does. */
export function defaultDisplayName(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length || parts[0].includes('@')) return t('feedback.customer');
  return parts.length > 1 ? `${parts[0]} ${parts[parts.length - 1][0].toUpperCase()}.` : parts[0];
}

/**
 * "Share as compliment / complaint" on a customer's message: the quote (their words,
 * shortened at most, cuts marked …), the name to show and the company's response; then the
 * customer is sent a link to agree. Nothing is shown before they do.
 */
export function ShareFeedbackDialog({ message, kind, contactName, onOpenChange }: { message: Message; kind: FeedbackKind; contactName: string; onOpenChange: (o: boolean) => void }) {
  const qc = useQueryClient();
  const [quote, setQuote] = useState(message.text.replace(/\s+/g, ' ').trim().slice(0, 2000));
  const [displayName, setDisplayName] = useState(defaultDisplayName(contactName));
  const [response, setResponse] = useState('');
  const ask = useMutation({
    mutationFn: async () => {
      const item = await api<FeedbackItem>('/feedback', { method: 'POST', body: { kind, messageId: message.id, quote, displayName, response: response.trim() || undefined } });
      return api<FeedbackItem>(`/feedback/${item.id}/request-consent`, { method: 'POST' });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void qc.invalidateQueries({ queryKey: ['feedback'] });
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
