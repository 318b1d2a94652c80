import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { api } from '../lib/api';
import { deliveryFate, nextTryText, plainReason } from '../lib/delivery';
import { qk } from '../lib/queries';
import { fullTime, messageTime } from '../lib/time';
import type { Message } from '../lib/types';
import { useNow } from '../lib/use-now';

export const deliveryProblemsKey = ['delivery-problems'] as const;

/** "Retry now" and "Send by e-mail instead" for one reply; what they change shows wherever the reply does. */
export function useDeliveryActions(messageId: string) {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['timeline'] });
    void qc.invalidateQueries({ queryKey: deliveryProblemsKey });
    void qc.invalidateQueries({ queryKey: qk.views });
  };
  const retry = useMutation({ mutationFn: () => api<Message>(`/messages/${messageId}/retry`, { method: 'POST' }), onSuccess: refresh });
  const email = useMutation({ mutationFn: () => api<{ message: Message; to: string }>(`/messages/${messageId}/send-by-email`, { method: 'POST' }), onSuccess: refresh });
  return { retry, email };
}

const button = 'rounded-md border border-line bg-surface px-2 py-1 text-xs font-medium text-ink hover:border-ink-3 disabled:opacity-60';

/** The buttons that get a reply to the customer after all, and what came of pressing them. */
export function DeliveryActions({ m, emailFallback, retryable = true }: { m: Message; emailFallback?: boolean; retryable?: boolean }) {
  const { retry, email } = useDeliveryActions(m.id);
  const error = retry.error ?? email.error;
  return (
    <span className="flex flex-wrap items-center gap-2">
      {retryable && (
        <button type="button" className={button} disabled={retry.isPending} onClick={() => retry.mutate()}>
          {retry.isPending ? t('msg.retryQueued') : t('msg.retryNow')}
        </button>
      )}
      {emailFallback && m.channel !== 'email' && !email.isSuccess && (
        <button type="button" className={button} disabled={email.isPending} onClick={() => email.mutate()}>
          {t('msg.sendByEmail')}
        </button>
      )}
      {email.isSuccess && <span className="text-ok">{t('msg.sendByEmailSent', { address: email.data.to })}</span>}
      {error && (
        <span role="alert" className="text-danger">
          {error.message}
        </span>
      )}
    </span>
  );
}

/** The reason in words, and the channel's own message folded away beneath it for whoever must fix it. */
export function DeliveryReason({ raw }: { raw: string | null }) {
  return (
    <>
      <p className="text-ink">{plainReason(raw)}</p>
      {raw && (
        <details className="text-ink-3">
          <summary className="cursor-pointer select-none">{t('msg.deliveryDetail')}</summary>
          <code className="block break-words whitespace-pre-wrap">{raw}</code>
        </details>
      )}
    </>
  );
}

/**
 * Where a reply stands for the customer, under it in the timeline: sending, sent (or seen),
 * retrying (why, and when the next try is), failed (why, with "Retry now" and, where it can
 * work, "Send by e-mail instead"), or sent by e-mail instead.
 */
export function DeliveryState({ m, emailFallback }: { m: Message; emailFallback?: boolean }) {
  const fate = deliveryFate(m);
  if (fate.state === 'retrying') return <Trouble m={m} />;
  if (fate.state === 'sending') return <span className="text-ink-3">{fate.again ? t('msg.sendingAgain') : t('msg.queued')}</span>;
  if (fate.state === 'sent')
    return (
      <span className="flex items-center gap-1 text-ok" title={m.seenAt ? fullTime(m.seenAt) : undefined}>
        <Icon name="check" size={12} />
        {m.seenAt ? t('msg.seen', { time: messageTime(m.seenAt) }) : t('msg.sent')}
      </span>
    );
  if (fate.state === 'replaced') return <span className="text-ink-3">{t('msg.replaced')}</span>;
  if (fate.state === 'failed') return <Trouble m={m} emailFallback={emailFallback} />;
  return null;
}

/** A reply in trouble: retrying (counted down to its next try) or failed, why, and what can be done. */
function Trouble({ m, emailFallback }: { m: Message; emailFallback?: boolean }) {
  // Each second only while it waits for its next try, so that the countdown and the switch to "Sending again" show.
  const now = useNow(m.deliveryStatus === 'queued' ? 1_000 : 60_000);
  const fate = deliveryFate(m, now);
  if (fate.state === 'sending') return <span className="text-ink-3">{t('msg.sendingAgain')}</span>;
  const retrying = fate.state === 'retrying';
  const attempts = retrying || fate.state === 'failed' ? fate.attempts : 0;
  return (
    <div role="status" className={`w-full rounded-md border px-3 py-2 text-left ${retrying ? 'border-warn/50 bg-warn/10' : 'border-danger/40 bg-danger-soft'}`}>
      <p className={`flex items-center gap-1 font-semibold ${retrying ? 'text-warn' : 'text-danger'}`}>
        <Icon name={retrying ? 'clock' : 'alert'} size={12} />
        {retrying ? t('msg.retryingAttempts', { n: attempts, time: nextTryText(fate.nextAt, now) }) : attempts > 1 ? t('msg.notDeliveredAfter', { n: attempts }) : t('msg.notDelivered')}
      </p>
      <div className="mt-1 flex flex-col gap-1">
        <DeliveryReason raw={m.deliveryError} />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <DeliveryActions m={m} emailFallback={!retrying && emailFallback} />
          <Link to="/delivery" className="text-accent underline">
            {t('msg.deliveryProblems')}
          </Link>
        </div>
      </div>
    </div>
  );
}
