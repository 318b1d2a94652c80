import { useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { t } from '../i18n';
import { useSession } from '../lib/session';
import { Choice, type EmailInbox, Field, fieldError, type InboxEmailSettings, Section, ServerFields, useSectionForm } from './EmailForm';
import { send, useSettingsInboxes, useWrite } from './data';
import { SatisfactionSection } from './SatisfactionSection';
import { cls, ErrorNote, formatDate, LoadState, ReadOnlyNote, SettingsPage, useIsAdmin } from './ui';

function HowMailArrives({ inbox, email }: { inbox: EmailInbox; email: InboxEmailSettings }) {
  const mimeUrl = `${window.location.origin}/api/v1/inboxes/${inbox.id}/mime`;
  return (
    <div className="mb-5 rounded-lg border border-line bg-surface p-4 text-sm text-ink-2">
      <h2 className="font-semibold text-ink">{t('email.settings.howTitle', { address: email.address })}</h2>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>{t('email.settings.howSmtp')}</li>
        <li>
          {t('email.settings.howMime')} <code className="rounded bg-canvas px-1 py-0.5 font-mono text-xs break-all">POST {mimeUrl}</code>
        </li>
        <li>{t('email.settings.howImap')}</li>
      </ul>
    </div>
  );
}

function IdentitySection({ inbox, email }: { inbox: EmailInbox; email: InboxEmailSettings }) {
  const f = useSectionForm(inbox, { name: inbox.name, address: email.address, displayName: email.displayName ?? '', signature: email.signature ?? '' }, (v) => ({
    name: v.name,
    email: { address: v.address, displayName: v.displayName, signature: v.signature },
  }));
  const fields = ['name', 'email.address', 'email.displayName', 'email.signature'];
  return (
    <Section title={t('email.settings.identity')} onSubmit={f.save} saving={f.saving} saved={f.saved} dirty={f.dirty} error={f.error} fields={fields}>
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('settings.inboxes.name')} error={fieldError(f.error, 'name')}>
          {(p) => <input {...p} required className={cls.input} value={f.value.name} onChange={(e) => f.set({ name: e.target.value })} />}
        </Field>
        <Field label={t('email.settings.address')} error={fieldError(f.error, 'email.address')}>
          {(p) => <input {...p} type="email" required className={cls.input} value={f.value.address} onChange={(e) => f.set({ address: e.target.value })} />}
        </Field>
      </div>
      <Field label={t('email.settings.displayName')} hint={t('email.settings.displayNameHint')} error={fieldError(f.error, 'email.displayName')}>
        {(p) => <input {...p} className={cls.input} value={f.value.displayName} placeholder={inbox.name} onChange={(e) => f.set({ displayName: e.target.value })} />}
      </Field>
      <Field label={t('email.settings.signature')} hint={t('email.settings.signatureHint')} error={fieldError(f.error, 'email.signature')}>
        {(p) => <textarea {...p} rows={3} className={cls.input} value={f.value.signature} onChange={(e) => f.set({ signature: e.target.value })} />}
      </Field>
    </Section>
  );
}

/** Per part (smtp, imap); a part the inbox does not use (no IMAP mailbox) is null. */
type Check = Record<string, { ok: boolean; error?: string } | null>;

/** "Check connection" and "Send test e-mail": what the server answered, per part. */
function ConnectionChecks({ inbox, dirty }: { inbox: EmailInbox; dirty: boolean }) {
  const me = useSession();
  const [to, setTo] = useState('');
  const toId = useId();
  const check = useWrite(() => send<Check>('POST', `/inboxes/${inbox.id}/email/check`), []);
  const test = useWrite(() => send<{ ok: boolean; error?: string }>('POST', `/inboxes/${inbox.id}/email/test`, to.trim() ? { to: to.trim() } : {}), []);
  const label = (part: string) => (part === 'smtp' ? t('email.settings.smtpShort') : part === 'imap' ? t('email.settings.imapShort') : part);
  return (
    <div className={`${cls.card} mb-5 p-4`}>
      <h2 className="font-semibold text-ink">{t('email.settings.checks')}</h2>
      <p className="mt-1 text-sm text-ink-2">{dirty ? t('email.settings.checksUnsaved') : t('email.settings.checksHint')}</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <button type="button" className={cls.secondary} disabled={check.isPending} onClick={() => check.mutate(undefined)}>
          {check.isPending ? t('email.settings.checking') : t('email.settings.check')}
        </button>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <button type="button" className={cls.secondary} disabled={test.isPending} onClick={() => test.mutate(undefined)}>
          {test.isPending ? t('email.settings.sending') : t('email.settings.test')}
        </button>
        <label htmlFor={toId} className="text-sm text-ink-2">
          {t('email.settings.testToShort')}
        </label>
        <span className="w-64">
          <input id={toId} aria-label={t('email.settings.testTo')} type="email" className={cls.input} value={to} placeholder={me.user.email} onChange={(e) => setTo(e.target.value)} />
        </span>
      </div>
      {(check.data || test.data) && (
        <ul role="status" aria-label={t('email.settings.results')} className="mt-3 space-y-1 text-sm">
          {Object.entries(check.data ?? {}).flatMap(([part, r]) => (r ? [[part, r] as const] : [])).map(([part, r]) => (
            <li key={part} className={r.ok ? 'text-ok' : 'text-danger'}>
              {r.ok ? t('email.settings.resultOk', { part: label(part) }) : t('email.settings.resultError', { part: label(part), error: r.error ?? '' })}
            </li>
          ))}
          {test.data && (
            <li className={test.data.ok ? 'text-ok' : 'text-danger'}>
              {test.data.ok ? t('email.settings.testSent', { to: to.trim() || me.user.email }) : t('email.settings.testFailed', { error: test.data.error ?? '' })}
            </li>
          )}
        </ul>
      )}
      <ErrorNote error={check.error ?? test.error} />
    </div>
  );
}

function SmtpSection({ inbox, email, onDirty }: { inbox: EmailInbox; email: InboxEmailSettings; onDirty: (d: boolean) => void }) {
  const s = email.smtp;
  const f = useSectionForm(
    inbox,
    { own: !!s, host: s?.host ?? '', port: String(s?.port ?? 587), secure: s?.secure ?? false, user: s?.user ?? '', password: '' },
    (v) => ({
      email: {
        smtp: v.own ? { host: v.host.trim(), port: Number(v.port), secure: v.secure, user: v.user.trim() || undefined, password: v.password || undefined } : null,
      },
    }),
  );
  useEffect(() => onDirty(f.dirty), [f.dirty, onDirty]);
  const name = useId();
  return (
    <Section
      title={t('email.settings.smtp')}
      description={t('email.settings.smtpHint')}
      onSubmit={f.save}
      saving={f.saving}
      saved={f.saved}
      dirty={f.dirty}
      error={f.error}
      fields={['email.smtp.host', 'email.smtp.port', 'email.smtp.user', 'email.smtp.password']}
    >
      <div className="space-y-1.5" role="radiogroup" aria-label={t('email.settings.smtp')}>
        <Choice name={name} checked={!f.value.own} onChange={() => f.set({ own: false })}>
          {t('email.settings.smtpDefault')}
        </Choice>
        <Choice name={name} checked={f.value.own} onChange={() => f.set({ own: true })}>
          {t('email.settings.smtpOwn')}
        </Choice>
      </div>
      {f.value.own && (
        <div className="space-y-3 border-l-2 border-line pl-4">
          <ServerFields prefix="email.smtp" error={f.error} value={f.value} set={f.set} hasPassword={!!s?.hasPassword} tlsHint={t('email.settings.smtpTlsHint')} />
        </div>
      )}
    </Section>
  );
}

function ImapSection({ inbox, email }: { inbox: EmailInbox; email: InboxEmailSettings }) {
  const s = email.imap;
  const f = useSectionForm(
    inbox,
    {
      on: !!s,
      host: s?.host ?? '',
      port: String(s?.port ?? 993),
      secure: s?.secure ?? true,
      user: s?.user ?? '',
      password: '',
      folder: s?.folder ?? 'INBOX',
      afterFetch: s?.afterFetch ?? ('seen' as 'seen' | 'move'),
      moveTo: s?.moveTo ?? '',
    },
    (v) => ({
      email: {
        imap: v.on
          ? {
              host: v.host.trim(),
              port: Number(v.port),
              secure: v.secure,
              user: v.user.trim(),
              password: v.password || undefined,
              folder: v.folder.trim() || 'INBOX',
              afterFetch: v.afterFetch,
              moveTo: v.afterFetch === 'move' ? v.moveTo.trim() : undefined,
            }
          : null,
      },
    }),
  );
  const name = useId();
  const prefix = 'email.imap';
  return (
    <Section
      title={t('email.settings.imap')}
      description={t('email.settings.imapHint')}
      onSubmit={f.save}
      saving={f.saving}
      saved={f.saved}
      dirty={f.dirty}
      error={f.error}
      fields={['host', 'port', 'user', 'password', 'folder', 'afterFetch', 'moveTo'].map((x) => `${prefix}.${x}`)}
    >
      <div className="space-y-1.5" role="radiogroup" aria-label={t('email.settings.imap')}>
        <Choice name={name} checked={!f.value.on} onChange={() => f.set({ on: false })}>
          {t('email.settings.imapNone')}
        </Choice>
        <Choice name={name} checked={f.value.on} onChange={() => f.set({ on: true })}>
          {t('email.settings.imapOn')}
        </Choice>
      </div>
      {f.value.on && (
        <div className="space-y-3 border-l-2 border-line pl-4">
          <ServerFields prefix={prefix} error={f.error} value={f.value} set={f.set} hasPassword={!!s?.hasPassword} tlsHint={t('email.settings.imapTlsHint')} />
          <div className="grid grid-cols-3 gap-3">
            <Field label={t('email.settings.folder')} error={fieldError(f.error, `${prefix}.folder`)}>
              {(p) => <input {...p} className={cls.input} value={f.value.folder} onChange={(e) => f.set({ folder: e.target.value })} />}
            </Field>
            <Field label={t('email.settings.afterFetch')} error={fieldError(f.error, `${prefix}.afterFetch`)}>
              {(p) => (
                <select {...p} className={`${cls.select} w-full`} value={f.value.afterFetch} onChange={(e) => f.set({ afterFetch: e.target.value as 'seen' | 'move' })}>
                  <option value="seen">{t('email.settings.afterSeen')}</option>
                  <option value="move">{t('email.settings.afterMove')}</option>
                </select>
              )}
            </Field>
            {f.value.afterFetch === 'move' && (
              <Field label={t('email.settings.moveTo')} error={fieldError(f.error, `${prefix}.moveTo`)}>
                {(p) => <input {...p} required className={cls.input} value={f.value.moveTo} placeholder={t('email.settings.moveToPlaceholder')} onChange={(e) => f.set({ moveTo: e.target.value })} />}
              </Field>
            )}
          </div>
        </div>
      )}
      {s && (s.lastPolledAt !== undefined || s.lastError) && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 rounded-md bg-canvas px-3 py-2 text-sm" aria-label={t('email.settings.imapStatus')}>
          <dt className="text-ink-3">{t('email.settings.lastPolled')}</dt>
          <dd>{formatDate(s.lastPolledAt)}</dd>
          {s.lastError && (
            <>
              <dt className="text-ink-3">{t('email.settings.lastError')}</dt>
              <dd className="break-words text-danger">{s.lastError}</dd>
            </>
          )}
        </dl>
      )}
    </Section>
  );
}

function AutoAckSection({ inbox, email }: { inbox: EmailInbox; email: InboxEmailSettings }) {
  const a = email.autoAck;
  const f = useSectionForm(inbox, { enabled: a?.enabled ?? false, responseTime: a?.responseTime ?? '', text: a?.text ?? '' }, (v) => ({
    email: { autoAck: { enabled: v.enabled, ...(v.responseTime.trim() ? { responseTime: v.responseTime } : {}), ...(v.text.trim() ? { text: v.text } : {}) } },
  }));
  return (
    <Section
      title={t('email.settings.autoAck')}
      description={t('email.settings.autoAckHint')}
      onSubmit={f.save}
      saving={f.saving}
      saved={f.saved}
      dirty={f.dirty}
      error={f.error}
      fields={['email.autoAck.enabled', 'email.autoAck.responseTime', 'email.autoAck.text']}
    >
      <label className="flex items-center gap-2 text-sm text-ink">
        <input type="checkbox" checked={f.value.enabled} onChange={(e) => f.set({ enabled: e.target.checked })} />
        {t('email.settings.autoAckOn')}
      </label>
      <Field label={t('email.settings.responseTime')} error={fieldError(f.error, 'email.autoAck.responseTime')} className="max-w-xs">
        {(p) => <input {...p} className={cls.input} value={f.value.responseTime} placeholder={t('email.settings.responseTimeDefault')} onChange={(e) => f.set({ responseTime: e.target.value })} />}
      </Field>
      <Field label={t('email.settings.autoAckText')} hint={t('email.settings.autoAckVariables')} error={fieldError(f.error, 'email.autoAck.text')}>
        {(p) => <textarea {...p} rows={4} className={cls.input} value={f.value.text} placeholder={t('email.settings.autoAckDefault')} onChange={(e) => f.set({ text: e.target.value })} />}
      </Field>
    </Section>
  );
}

/** Settings › Inboxes › an email inbox: its address and name, outgoing and incoming mail, the acknowledgement, and checks. */
export default function EmailInboxSettings() {
  const { id } = useParams();
  const q = useSettingsInboxes();
  const admin = useIsAdmin();
  const [smtpDirty, setSmtpDirty] = useState(false);
  const inbox = (q.data as EmailInbox[] | undefined)?.find((i) => i.id === id);
  const email = inbox?.email;
  const back = (
    <Link to="/settings/inboxes" className="text-sm whitespace-nowrap text-accent underline">
      {t('email.settings.back')}
    </Link>
  );
  if (!inbox || !email)
    return (
      <SettingsPage title={t('email.settings.title')} actions={back}>
        <LoadState error={q.error} loading={q.isPending} />
        {q.isSuccess && <p className="text-sm text-ink-2">{t('email.settings.notFound')}</p>}
      </SettingsPage>
    );
  return (
    <SettingsPage title={inbox.name} description={t('email.settings.description', { address: email.address })} actions={back}>
      {!admin && <ReadOnlyNote />}
      <HowMailArrives inbox={inbox} email={email} />
      <IdentitySection inbox={inbox} email={email} />
      <SmtpSection inbox={inbox} email={email} onDirty={setSmtpDirty} />
      {admin && <ConnectionChecks inbox={inbox} dirty={smtpDirty} />}
      <ImapSection inbox={inbox} email={email} />
      <AutoAckSection inbox={inbox} email={email} />
      <SatisfactionSection inbox={inbox} />
    </SettingsPage>
  );
}
