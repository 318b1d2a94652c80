import { t } from '../i18n';
import { messageTime } from './time';
import type { Message } from './types';

/**
 * Where a reply stands for the customer: not handed over yet (sending), handed to its
 * channel (sent), waiting for another attempt after one failed (retrying, with the next
 * try), given up (failed), or given up and sent by e-mail instead (replaced).
 */
export type DeliveryFate =
  | { state: 'sending'; again: boolean }
  | { state: 'retrying'; nextAt: string; attempts: number }
  | { state: 'failed'; attempts: number }
  | { state: 'replaced'; byId: string }
  | { state: 'sent' }
  | { state: 'other' };

export function deliveryFate(m: Pick<Message, 'deliveryStatus' | 'deliveryAttempts' | 'deliveryNextAt' | 'replacedById'>, now = Date.now()): DeliveryFate {
  const attempts = m.deliveryAttempts ?? 0;
  if (m.deliveryStatus === 'failed') return m.replacedById ? { state: 'replaced', byId: m.replacedById } : { state: 'failed', attempts };
  if (m.deliveryStatus === 'sent') return { state: 'sent' };
  if (m.deliveryStatus !== 'queued') return { state: 'other' };
  // Its next attempt is due (or "retry now" was pressed): being sent again.
  if (attempts > 0 && m.deliveryNextAt && new Date(m.deliveryNextAt).getTime() > now) return { state: 'retrying', nextAt: m.deliveryNextAt, attempts };
  return { state: 'sending', again: attempts > 0 };
}

/**
 * What went wrong, in words a person understands: the channel's own message (kept as the
 * detail beside it) sorted into the few things that happen to a delivery.
 */
export function plainReason(raw: string | null | undefined): string {
  const r = raw ?? '';
  const http = /HTTP (\d{3})/.exec(r);
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(r)) return t('delivery.reason.notFound');
  if (/ECONNREFUSED/.test(r)) return t('delivery.reason.refused');
  if (/ETIMEDOUT|timed? ?out|aborted|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT/i.test(r)) return t('delivery.reason.timeout');
  if (/ECONNRESET|socket hang up|EPIPE|other side closed/i.test(r)) return t('delivery.reason.reset');
  if (/certificate|CERT_|self[- ]signed|SSL|TLS/i.test(r)) return t('delivery.reason.tls');
  if (/private address|outgoing mail server is refused/.test(r)) return t('delivery.reason.private');
  if (/no callback URL/.test(r)) return t('delivery.reason.noCallback');
  if (/no outgoing mail server/.test(r)) return t('delivery.reason.noSmtp');
  if (/has no e-mail address/.test(r)) return t('delivery.reason.noAddress');
  if (/cannot be sent through a/.test(r)) return t('delivery.reason.unsupported');
  if (http) {
    const code = Number(http[1]);
    if (code >= 500) return t('delivery.reason.serverError', { code });
    if (code === 401 || code === 403) return t('delivery.reason.unauthorized', { code });
    if (code === 404 || code === 410) return t('delivery.reason.noEndpoint', { code });
    if (code === 429) return t('delivery.reason.tooMany', { code });
    return t('delivery.reason.rejected', { code });
  }
  if (/\b5\d\d\b|bounce|mailbox|recipient|rejected/i.test(r)) return t('delivery.reason.mailRejected');
  return t('delivery.reason.unknown');
}

/** When the next try is, counted down while it is near: "in 12 s", "in 4 min", else its time. */
export function nextTryText(nextAt: string, now = Date.now()): string {
  const s = Math.max(0, Math.ceil((new Date(nextAt).getTime() - now) / 1000));
  if (s < 60) return t('delivery.inSeconds', { n: s });
  if (s < 3600) return t('delivery.inMinutes', { n: Math.ceil(s / 60) });
  return t('delivery.atTime', { time: messageTime(nextAt, new Date(now)) });
}
