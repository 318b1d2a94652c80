import { memo, useMemo, useState } from 'react';
import { Avatar } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { type MessageKey, t } from '../i18n';
import { api } from '../lib/api';
import { describeEvent } from '../lib/events';
import { channelLook } from '../lib/network';
import { cleanHtml } from '../lib/sanitize';
import { duration, fullTime, messageTime } from '../lib/time';
import type { FeedbackKind, Member, Message, TimelineEvent, TimelineItem } from '../lib/types';
import { DeliveryState } from './DeliveryState';
import { EmailMessage } from './EmailDetails';
import type { FeedbackSource } from './ShareFeedbackDialog';

/** The thumbs that propose words for the feedback wall, as a compliment or a complaint. */
function ShareButtons({ onShare, labels, className }: { onShare: (kind: FeedbackKind) => void; labels: Record<FeedbackKind, string>; className: string }) {
  return (['compliment', 'complaint'] as const).map((kind) => (
    <button key={kind} type="button" onClick={() => onShare(kind)} aria-label={labels[kind]} title={labels[kind]} className={`flex items-center gap-1 rounded px-1.5 py-0.5 text-ink-3 hover:bg-hover hover:text-ink ${className}`}>
      <Icon name={kind === 'compliment' ? 'thumbUp' : 'thumbDown'} size={12} />
      <span className="hidden xl:inline">{t(kind === 'compliment' ? 'feedback.compliment' : 'feedback.complaint')}</span>
    </button>
  ));
}

const messageShareLabels = { compliment: t('feedback.shareAsCompliment'), complaint: t('feedback.shareAsComplaint') };
const ratingShareLabels = { compliment: t('feedback.shareRatingAsCompliment'), complaint: t('feedback.shareRatingAsComplaint') };

function Delivery({ m, emailFallback }: { m: Message; emailFallback?: boolean }) {
  const [error, setError] = useState<string | null>(null);
  if (m.direction !== 'out') return null;
  const s = m.deliveryStatus;
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
  return <DeliveryState m={m} emailFallback={emailFallback} />;
}

/** A logged phone call: which way, with which number, how long, how it ended, who logged it; the notes below. */
function CallBlock({ m, contactName }: { m: Message; contactName: string }) {
  const call = m.call!;
  const inbound = m.direction === 'in';
  const direction = inbound ? t('msg.callIn') : t('msg.callOut');
  const facts = [
    call.durationSeconds ? duration(call.durationSeconds) : null,
    call.outcome ? t(`call.outcome.${call.outcome}` as MessageKey) : null,
    m.authorName ? t('msg.callLoggedBy', { name: m.authorName }) : null,
  ].filter(Boolean);
  return (
    <article className="rounded-lg border border-line bg-surface px-4 py-3" aria-label={t('msg.callWith', { direction, name: contactName })}>
      <header className="flex items-center gap-3">
        <span className={`flex h-8 w-8 shrink-0 items-center justify-center rounded-full ${inbound ? 'bg-accent-soft text-accent' : 'bg-hover text-ok'}`}>
          <Icon name={inbound ? 'phoneIn' : 'phoneOut'} size={16} />
        </span>
        <div className="min-w-0 flex-1">
          <p className="text-[13px] text-ink">
            <span className="font-semibold">{t('msg.callWith', { direction, name: contactName })}</span>
            <span className="text-ink-2"> · {call.number || t('msg.callNoNumber')}</span>
          </p>
          <p className="text-xs text-ink-3">{facts.join(' · ')}</p>
        </div>
        <time dateTime={m.createdAt} title={fullTime(m.createdAt)} className="self-start text-xs text-ink-3">
          {messageTime(m.createdAt)}
        </time>
      </header>
      {call.notes && <div className="mt-2 border-t border-line pt-2 text-[14px] leading-relaxed break-words whitespace-pre-wrap">{call.notes}</div>}
    </article>
  );
}

const MessageBlock = memo(function MessageBlock({
  m,
  contactName,
  network,
  avatarUrl,
  onSplit,
  onShare,
  emailFallback,
}: {
  m: Message;
  contactName: string;
  /** A failed reply may go by e-mail instead. */
  emailFallback?: boolean;
  /** The API inbox's network, named instead of "API". */
  network?: string;
  avatarUrl?: string | null;
  onSplit?: (m: Message) => void;
  onShare?: (source: FeedbackSource, kind: FeedbackKind) => void;
}) {
  if (m.call) return <CallBlock m={m} contactName={contactName} />;
  const note = m.direction === 'note';
  const out = m.direction === 'out';
  const scheduled = m.deliveryStatus === 'scheduled';
  // An e-mail says who wrote it: someone in copy may answer too.
  const author = m.direction === 'in' ? (m.email?.from ? m.email.from.name || m.email.from.address : contactName) : (m.authorName ?? t('event.system'));
  const tone = note ? 'border-note-line bg-note' : scheduled ? 'border-dashed border-ink-3 bg-surface' : out ? 'border-line bg-accent-soft' : 'border-line bg-surface';
  // A reply sent later stands at the time it goes out.
  const at = m.sendAt && m.deliveryStatus !== 'cancelled' ? m.sendAt : m.createdAt;
  return (
    <article className={`group rounded-lg border ${tone} px-4 py-3`} aria-label={note ? `${t('msg.note')}: ${author}` : author}>
      <header className="mb-1.5 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-ink-3">
        <Avatar name={author} src={m.direction === 'in' ? null : avatarUrl} size={22} />
        <span className="text-[13px] font-semibold text-ink">{author}</span>
        {note ? (
          <span className="rounded bg-note-line/50 px-1.5 py-px font-medium text-ink">{t('msg.note')}</span>
        ) : (
          <span className="flex items-center gap-1">
            <Icon name={channelLook(m.channel, network).icon} size={12} />
            {t('msg.via', { channel: channelLook(m.channel, network).label })}
          </span>
        )}
        {scheduled && (
          <span className="flex items-center gap-1 rounded bg-hover px-1.5 py-px font-medium text-ink-2">
            <Icon name="clock" size={12} />
            {t('msg.scheduledBadge')}
          </span>
        )}
        <span className="ml-auto flex items-center gap-2">
          {onShare && <ShareButtons onShare={(kind) => onShare({ messageId: m.id, text: m.text }, kind)} labels={messageShareLabels} className="opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 focus:opacity-100" />}
          {onSplit && (
            <button
              type="button"
              onClick={() => onSplit(m)}
              aria-label={t('msg.split')}
              title={t('msg.split')}
              className="flex items-center gap-1 rounded px-1.5 py-0.5 text-ink-3 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 hover:bg-hover hover:text-ink focus:opacity-100"
            >
              <Icon name="split" size={12} />
              <span className="hidden lg:inline">{t('msg.split')}</span>
            </button>
          )}
          <time dateTime={at} title={fullTime(at)}>
            {messageTime(at)}
          </time>
        </span>
      </header>
      {m.email ? (
        <EmailMessage m={m} email={m.email} />
      ) : m.html ? (
        <div className="message-html text-[14px] leading-relaxed break-words" dangerouslySetInnerHTML={{ __html: cleanHtml(m.html) }} />
      ) : (
        <div className="text-[14px] leading-relaxed break-words whitespace-pre-wrap">{m.text}</div>
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
          <Delivery m={m} emailFallback={emailFallback} />
        </footer>
      )}
    </article>
  );
});

/** Where an item stands in the history: a reply sent later at its send time, everything else when it happened. */
function placeOf(it: TimelineItem) {
  const m = it.type === 'message' ? it.message : null;
  return new Date(m?.sendAt && m.deliveryStatus !== 'cancelled' ? m.sendAt : it.at).getTime();
}

export function Timeline({
  items,
  members,
  teams,
  contactName,
  network,
  customers,
  onSplit,
  onShare,
  emailFallback,
}: {
  items: TimelineItem[];
  /** Failed replies here may go by e-mail instead ("Send by e-mail instead"). */
  emailFallback?: boolean;
  members: Member[];
  teams: { id: string; name: string }[];
  contactName: string;
  /** The API inbox's network (x, instagram…), named on its messages instead of "API". */
  network?: string;
  /** Names of the customers event lines may mention (the cc'd ones), by contact id. */
  customers?: Record<string, string>;
  /** Splits a customer message off into a new conversation; offered only while there is another message. */
  onSplit?: (m: Message) => void;
  /** Proposes a customer's message, or the comment of their satisfaction rating, for the public feedback wall, as a compliment or a complaint. */
  onShare?: (source: FeedbackSource, kind: FeedbackKind) => void;
}) {
  // Stable: items at the same instant keep the server's order.
  const placed = useMemo(() => items.map((it, i) => ({ it, i, at: placeOf(it) })).sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.it), [items]);
  const splittable = onSplit && items.filter((it) => it.type === 'message').length > 1;
  // Only the latest rating's comment is the customer's current word; an earlier one they may have taken back.
  const latestRating = useMemo(() => items.findLast((it): it is Extract<TimelineItem, { type: 'event' }> => it.type === 'event' && it.event.type === 'satisfaction.rated')?.event.id, [items]);
  const shareable = (e: TimelineEvent) => onShare && e.id === latestRating && typeof e.data.surveyId === 'string' && typeof e.data.comment === 'string' && e.data.comment.trim() !== '';
  return (
    <ol className="flex flex-col gap-3" aria-label={t('conv.timeline')}>
      {placed.map((it) =>
        it.type === 'message' ? (
          <li key={it.message.id}>
            <MessageBlock
              m={it.message}
              contactName={contactName}
              network={network}
              avatarUrl={members.find((x) => x.id === it.message.authorMemberId)?.avatarUrl}
              onSplit={splittable && it.message.direction === 'in' && !it.message.call ? onSplit : undefined}
              onShare={it.message.direction === 'in' && !it.message.call && it.message.text.trim() ? onShare : undefined}
              emailFallback={emailFallback}
            />
          </li>
        ) : (
          describeEvent(it.event, members, teams, customers).map((line, i) => (
            <li key={`${it.event.id}-${i}`} className="flex items-center gap-2 px-2 text-xs text-ink-3">
              <span className="h-px min-w-4 flex-1 bg-line" aria-hidden="true" />
              <span className="min-w-0 break-words">
                {line} · <time dateTime={it.at} title={fullTime(it.at)}>{messageTime(it.at)}</time>
              </span>
              {i === 0 && shareable(it.event) && (
                <span className="flex shrink-0 items-center" data-testid="share-rating">
                  <ShareButtons onShare={(kind) => onShare!({ surveyId: it.event.data.surveyId as string, text: it.event.data.comment as string }, kind)} labels={ratingShareLabels} className="" />
                </span>
              )}
              <span className="h-px min-w-4 flex-1 bg-line" aria-hidden="true" />
            </li>
          ))
        ),
      )}
    </ol>
  );
}
