import { useId, useMemo, useState } from 'react';
import { t } from '../i18n';
import { type EmailAddress, formatAddress, type MessageEmail } from '../lib/email';
import { cleanEmailHtml } from '../lib/email-html';

interface EmailMessageLike {
  direction: string;
  text: string;
  html: string | null;
}

function AddressLine({ label, list }: { label: string; list: EmailAddress[] | undefined }) {
  if (!list?.length) return null;
  return (
    <div className="flex min-w-0 gap-1.5">
      <dt className="shrink-0 text-ink-3">{label}</dt>
      <dd className="min-w-0 break-words text-ink-2">{list.map(formatAddress).join(', ')}</dd>
    </div>
  );
}

/** Who an e-mail came from and went to, compact, with what kind of mail it is. */
function EmailHeader({ email, out }: { email: MessageEmail; out: boolean }) {
  return (
    <div className="mb-2 text-xs">
      {(email.automated || email.autoAck || email.tls === false) && (
        <p className="mb-1 flex flex-wrap gap-1.5">
          {email.automated && (
            <span className="rounded bg-hover px-1.5 py-px font-medium text-warn" title={t('email.automatedWhy', { why: email.automated })}>
              {t('email.automated')}
            </span>
          )}
          {email.autoAck && <span className="rounded bg-hover px-1.5 py-px font-medium text-ink-2">{t(email.survey ? 'email.survey' : email.consent ? 'email.consent' : 'email.autoAck')}</span>}
          {email.tls === false && (
            <span className="rounded bg-hover px-1.5 py-px font-medium text-ink-2" title={t('email.unencryptedWhy')}>
              {t('email.unencrypted')}
            </span>
          )}
        </p>
      )}
      <dl aria-label={t('email.headers')} className="space-y-0.5">
        <AddressLine label={t('email.from')} list={email.from ? [email.from] : undefined} />
        <AddressLine label={t('email.to')} list={email.to} />
        <AddressLine label={t('email.cc')} list={email.cc} />
        {out && <AddressLine label={t('email.bcc')} list={email.bcc} />}
      </dl>
    </div>
  );
}

function Html({ html, className = '' }: { html: string; className?: string }) {
  const clean = useMemo(() => cleanEmailHtml(html), [html]);
  return (
    <>
      <div className={`message-html text-[14px] leading-relaxed break-words ${className}`} dangerouslySetInnerHTML={{ __html: clean.html }} />
      {clean.blockedImages > 0 && <p className="mt-1 text-xs text-ink-3">{t('email.imagesBlocked', { count: clean.blockedImages })}</p>}
    </>
  );
}

/** The quoted history and signature cut off the new text, behind a toggle. */
function Quoted({ email }: { email: MessageEmail }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!email.quotedHtml && !email.quotedText) return null;
  return (
    <div className="mt-2">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        className="rounded border border-line px-1.5 text-xs leading-5 text-ink-2 hover:bg-hover hover:text-ink"
      >
        {open ? t('email.hideQuoted') : t('email.showQuoted')}
      </button>
      {open && (
        <div id={id} className="mt-2 border-l-2 border-line pl-3 text-ink-2">
          {email.quotedHtml ? <Html html={email.quotedHtml} className="text-[13px]" /> : <div className="text-[13px] leading-relaxed break-words whitespace-pre-wrap">{email.quotedText}</div>}
        </div>
      )}
    </div>
  );
}

/** An e-mail in the timeline: its header, its new text (sanitised again here), and the quoted history on demand. */
export function EmailMessage({ m, email }: { m: EmailMessageLike; email: MessageEmail }) {
  return (
    <>
      <EmailHeader email={email} out={m.direction === 'out'} />
      {m.html ? <Html html={m.html} /> : <div className="text-[14px] leading-relaxed break-words whitespace-pre-wrap">{m.text}</div>}
      <Quoted email={email} />
    </>
  );
}
