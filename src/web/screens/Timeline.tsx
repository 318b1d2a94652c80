import { memo, useState } from 'react';
import { Avatar } from '../components/Avatar';
import { Icon, channelIcon } from '../components/Icon';
import { t } from '../i18n';
import { api } from '../lib/api';
import { describeEvent } from '../lib/events';
import { cleanHtml } from '../lib/sanitize';
import { duration, fullTime, messageTime } from '../lib/time';
import type { Member, Message, TimelineItem } from '../lib/types';
import { EmailMessage } from './EmailDetails';

function Delivery({ m }: { m: Message }) {
  const [error, setError] = useState<string | null>(null);
  if (m.direction !== 'out') return null;
  const s = m.deliveryStatus;
  if (s === 'failed')
    return (
      <span className="flex items-center gap-1 text-danger" role="status">
        <Icon name="x" size={12} />
        {m.deliveryError ? t('msg.failed', { reason: m.deliveryError }) : t('msg.failedNoReason')}
      </span>
    );
  if (s === 'queued') return <span className="text-ink-3">{t('msg.queued')}</span>;
  if (s === 'scheduled')
    return (
      <span className="flex items-center gap-2 text-ink-3">
        {m.sendAt ? t('msg.scheduledFor', { time: fullTime(m.sendAt) }) : t('msg.scheduled')}
        <button
          type="button"
          className="text-danger underline"
          onClick={() => void api(`/messages/${m.id}`, { method: 'DELETE' }).catch((e: Error) => setError(e.message))}
        >
          {t('msg.cancelSchedule')}
        </button>
        {error && <span role="alert" className="text-danger">{error}</span>}
      </span>
    );
  if (s === 'cancelled') return <span className="text-ink-3">{t('msg.cancelled')}</span>;
  if (s === 'sent')
    return (
      <span className="flex items-center gap-1 text-ok">
        <Icon name="check" size={12} />
        {t('msg.sent')}
      </span>
    );
  return null;
}

const MessageBlock = memo(function MessageBlock({ m, contactName, avatarUrl }: { m: Message; contactName: string; avatarUrl?: string | null }) {
  const note = m.direction === 'note';
  const out = m.direction === 'out';
  // An e-mail says who wrote it: someone in copy may answer too.
  const author = m.direction === 'in' ? (m.email?.from ? m.email.from.name || m.email.from.address : contactName) : (m.authorName ?? t('event.system'));
  const tone = note ? 'border-note-line bg-note' : out ? 'border-line bg-accent-soft' : 'border-line bg-surface';
  return (
    <article className={`rounded-lg border ${tone} px-4 py-3`} aria-label={note ? `${t('msg.note')}: ${author}` : author}>
      <header className="mb-1.5 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-ink-3">
        <Avatar name={author} src={m.direction === 'in' ? null : avatarUrl} size={22} />
        <span className="text-[13px] font-semibold text-ink">{author}</span>
        {note ? (
          <span className="rounded bg-note-line/50 px-1.5 py-px font-medium text-ink">{t('msg.note')}</span>
        ) : (
          <span className="flex items-center gap-1">
            <Icon name={channelIcon[m.channel] ?? 'mail'} size={12} />
            {t('msg.via', { channel: t(`channel.${m.channel}`) })}
          </span>
        )}
        <time dateTime={m.createdAt} title={fullTime(m.createdAt)} className="ml-auto">
          {messageTime(m.createdAt)}
        </time>
      </header>
      {m.call && (
        <p className="mb-1 flex items-center gap-1.5 text-[13px] text-ink-2">
          <Icon name="phone" size={14} />
          {t('msg.call', {
            direction: m.direction === 'in' ? t('msg.callIn') : t('msg.callOut'),
            number: m.call.number ?? '',
            duration: m.call.durationSeconds !== undefined ? duration(m.call.durationSeconds) : '',
          })}
          {m.call.outcome && <span className="text-ink-3">· {t('msg.callOutcome', { outcome: m.call.outcome })}</span>}
        </p>
      )}
      {m.email ? (
        <EmailMessage m={m} email={m.email} />
      ) : m.html ? (
        <div className="message-html text-[14px] leading-relaxed break-words" dangerouslySetInnerHTML={{ __html: cleanHtml(m.html) }} />
      ) : (
        <div className="text-[14px] leading-relaxed break-words whitespace-pre-wrap">{m.text || m.call?.notes}</div>
      )}
      {m.attachments.length > 0 && (
        <ul className="mt-2 flex flex-wrap gap-2" aria-label={t('msg.attachments')}>
          {m.attachments.map((a) => (
            <li key={a.id}>
              <a
                href={`/api/v1/attachments/${a.id}/download`}
                download={a.filename}
                aria-label={t('msg.download', { name: a.filename })}
                className="inline-flex items-center gap-1.5 rounded-md border border-line bg-canvas px-2 py-1 text-xs hover:border-accent"
              >
                <Icon name="paperclip" size={12} />
                {a.filename}
                <span className="text-ink-3">{a.size > 1024 * 1024 ? `${(a.size / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(a.size / 1024)} KB`}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {out && (
        <footer className="mt-1.5 flex justify-end text-xs">
          <Delivery m={m} />
        </footer>
      )}
    </article>
  );
});

export function Timeline({ items, members, teams, contactName }: { items: TimelineItem[]; members: Member[]; teams: { id: string; name: string }[]; contactName: string }) {
  return (
    <ol className="flex flex-col gap-3" aria-label={t('conv.timeline')}>
      {items.map((it) =>
        it.type === 'message' ? (
          <li key={it.message.id}>
            <MessageBlock m={it.message} contactName={contactName} avatarUrl={members.find((x) => x.id === it.message.authorMemberId)?.avatarUrl} />
          </li>
        ) : (
          describeEvent(it.event, members, teams).map((line, i) => (
            <li key={`${it.event.id}-${i}`} className="flex items-center gap-2 px-2 text-xs text-ink-3">
              <span className="h-px flex-1 bg-line" aria-hidden="true" />
              <span>
                {line} · <time dateTime={it.at} title={fullTime(it.at)}>{messageTime(it.at)}</time>
              </span>
              <span className="h-px flex-1 bg-line" aria-hidden="true" />
            </li>
          ))
        ),
      )}
    </ol>
  );
}
