import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import { qk } from '../lib/queries';
import { useSession } from '../lib/session';
import { send, type SettingsInbox, useSettingsInboxes, useWrite } from './data';
import { cls, ErrorNote, formatDate, LoadState, ReadOnlyNote, SettingsPage, useIsAdmin } from './ui';

/** An email inbox's settings as GET /inboxes returns them: passwords never, `hasPassword` instead. */
export interface InboxEmailSettings {
  address: string;
  displayName?: string;
  signature?: string;
  smtp: { host: string; port: number; secure: boolean; user?: string; hasPassword: boolean } | null;
  imap: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    hasPassword: boolean;
    folder: string;
    afterFetch: 'seen' | 'move';
    moveTo?: string;
    lastPolledAt?: string | null;
    lastError?: string | null;
  } | null;
  autoAck?: { enabled: boolean; text: string; responseTime: string };
}

type EmailInbox = SettingsInbox & { email?: InboxEmailSettings };

const isAddress = (field: string) => /(^|\.)address$/.test(field);

/** The server's reason for one field (problem+json `errors[].field`, e.g. "email.smtp.host"); a clash of addresses is the address's. */
function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 409 && isAddress(field) && /address/i.test(error.detail)) return error.detail;
  return error.errors.find((e) => e.field.replace(/^body\./, '') === field)?.reason;
}

/** What is left for the note below a form: errors that belong to no field shown in it. */
function otherError(error: unknown, fields: string[]): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 409 && fields.some(isAddress) && /address/i.test(error.detail)) return null;
  if (error.errors.length && error.errors.every((e) => fields.includes(e.field.replace(/^body\./, '')))) return null;
  return error;
}

function Field({ label, error, hint, children, className = '' }: { label: string; error?: string; hint?: string; className?: string; children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label className={cls.label} htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-ink-3">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

function Section({ title, description, children, onSubmit, saving, saved, dirty, error, fields, extra }: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  onSubmit: () => void;
  saving: boolean;
  saved: boolean;
  dirty: boolean;
  error: unknown;
  fields: string[];
  extra?: ReactNode;
}) {
  const admin = useIsAdmin();
  const id = useId();
  return (
    <form
      aria-labelledby={id}
      className={`${cls.card} mb-5 p-4`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h2 id={id} className="font-semibold text-ink">
        {title}
      </h2>
      {description && <div className="mt-1 text-sm text-ink-2">{description}</div>}
      <fieldset disabled={!admin} className="mt-3 space-y-3">
        {children}
      </fieldset>
      <ErrorNote error={otherError(error, fields)} />
      {admin && (
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <button type="submit" className={cls.primary} disabled={saving || !dirty}>
            {t('settings.save')}
          </button>
          {saved && !dirty && (
            <span role="status" className="text-sm text-ok">
              {t('settings.saved')}
            </span>
          )}
          <span className="flex-1" />
          {extra}
        </div>
      )}
    </form>
  );
}

/** A section's form: its values, whether they differ from the saved ones, and saving them with PATCH /inboxes/:id. */
function useSectionForm<T>(inbox: EmailInbox, initial: T, toBody: (v: T) => unknown) {
  const [value, setValue] = useState(initial);
  const [saved, setSaved] = useState(false);
  // When the server answers with what it saved, the form starts again from that (a typed password is not kept).
  const initialJson = JSON.stringify(initial);
  const [base, setBase] = useState(initialJson);
  if (base !== initialJson) {
    setBase(initialJson);
    setValue(initial);
  }
  const write = useWrite((body: unknown) => send('PATCH', `/inboxes/${inbox.id}`, body), [qk.inboxes]);
  const dirty = JSON.stringify(value) !== initialJson;
  const set = (patch: Partial<T>) => {
    setSaved(false);
    setValue((v) => ({ ...v, ...patch }));
  };
  const save = () => write.mutate(toBody(value), { onSuccess: () => setSaved(true) });
  return { value, set, dirty, save, saving: write.isPending, saved, error: write.error };
}

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

type Check = Record<string, { ok: boolean; error?: string }>;

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
          {Object.entries(check.data ?? {}).map(([part, r]) => (
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

function Choice({ name, checked, onChange, children }: { name: string; checked: boolean; onChange: () => void; children: ReactNode }) {
  return (
    <label className="flex items-center gap-2 text-sm text-ink">
      <input type="radio" name={name} checked={checked} onChange={onChange} className="accent-accent" />
      {children}
    </label>
  );
}

function ServerFields({ prefix, error, value, set, hasPassword, tlsHint }: {
  prefix: string;
  error: unknown;
  value: { host: string; port: string; secure: boolean; user: string; password: string };
  set: (p: Partial<{ host: string; port: string; secure: boolean; user: string; password: string }>) => void;
  hasPassword: boolean;
  tlsHint: string;
}) {
  return (
    <>
      <div className="grid grid-cols-[3fr_1fr] gap-3">
        <Field label={t('email.settings.host')} error={fieldError(error, `${prefix}.host`)}>
          {(p) => <input {...p} required className={cls.input} value={value.host} placeholder="mail.example.com" onChange={(e) => set({ host: e.target.value })} />}
        </Field>
        <Field label={t('email.settings.port')} error={fieldError(error, `${prefix}.port`)}>
          {(p) => <input {...p} required type="number" min={1} max={65535} className={cls.input} value={value.port} onChange={(e) => set({ port: e.target.value })} />}
        </Field>
      </div>
      <label className="flex items-baseline gap-2 text-sm text-ink">
        <input type="checkbox" checked={value.secure} onChange={(e) => set({ secure: e.target.checked })} />
        <span>
          {t('email.settings.tls')} <span className="text-xs text-ink-3">{tlsHint}</span>
        </span>
      </label>
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('email.settings.user')} error={fieldError(error, `${prefix}.user`)}>
          {(p) => <input {...p} autoComplete="off" className={cls.input} value={value.user} onChange={(e) => set({ user: e.target.value })} />}
        </Field>
        <Field label={t('email.settings.password')} error={fieldError(error, `${prefix}.password`)} hint={hasPassword ? t('email.settings.passwordKept') : undefined}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              className={cls.input}
              value={value.password}
              placeholder={hasPassword ? t('email.settings.unchanged') : ''}
              onChange={(e) => set({ password: e.target.value })}
            />
          )}
        </Field>
      </div>
    </>
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
                {(p) => <input {...p} required className={cls.input} value={f.value.moveTo} placeholder="Archive" onChange={(e) => f.set({ moveTo: e.target.value })} />}
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
    </SettingsPage>
  );
}

/** Settings › Inboxes: the form that creates an email inbox (name, address, display name), then opens its settings. */
export function NewEmailInbox() {
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', address: '', displayName: '' });
  const create = useWrite(
    (body: typeof form) => send<SettingsInbox>('POST', '/inboxes', { channel: 'email', name: body.name, address: body.address, ...(body.displayName.trim() ? { displayName: body.displayName } : {}) }),
    [qk.inboxes],
  );
  return (
    <form
      aria-label={t('email.settings.create')}
      className={`${cls.card} mb-5 grid grid-cols-[1fr_1.3fr_1fr_auto] items-start gap-3 p-4`}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(form, { onSuccess: (inbox) => navigate(`/settings/inboxes/${inbox.id}`) });
      }}
    >
      <Field label={t('settings.inboxes.name')} error={fieldError(create.error, 'name')}>
        {(p) => <input {...p} required className={cls.input} value={form.name} placeholder={t('email.settings.namePlaceholder')} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
      </Field>
      <Field label={t('email.settings.address')} error={fieldError(create.error, 'address') ?? fieldError(create.error, 'email.address')}>
        {(p) => <input {...p} required type="email" className={cls.input} value={form.address} placeholder="support@example.com" onChange={(e) => setForm({ ...form, address: e.target.value })} />}
      </Field>
      <Field label={t('email.settings.displayNameOptional')} error={fieldError(create.error, 'displayName')}>
        {(p) => <input {...p} className={cls.input} value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />}
      </Field>
      <button type="submit" className={`${cls.primary} mt-6`} disabled={create.isPending}>
        {t('email.settings.create')}
      </button>
      <div className="col-span-4 empty:hidden">
        <ErrorNote error={otherError(create.error, ['name', 'address', 'displayName', 'email.address'])} />
      </div>
    </form>
  );
}
