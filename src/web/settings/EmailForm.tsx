import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import { qk } from '../lib/queries';
import { send, type SettingsInbox, useWrite } from './data';
import { cls, ErrorNote, useIsAdmin } from './ui';

// The pieces of the email inbox forms: fields that show the server's objections, sections saved on their own.

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

export type EmailInbox = SettingsInbox & { email?: InboxEmailSettings };

const isAddress = (field: string) => /(^|\.)address$/.test(field);

/** The server's reason for one field (problem+json `errors[].field`, e.g. "email.smtp.host"); a clash of addresses is the address's. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 409 && isAddress(field) && /address/i.test(error.detail)) return error.detail;
  return error.errors.find((e) => e.field.replace(/^body\./, '') === field)?.reason;
}

/** What is left for the note below a form: errors that belong to no field shown in it. */
export function otherError(error: unknown, fields: string[]): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.status === 409 && fields.some(isAddress) && /address/i.test(error.detail)) return null;
  if (error.errors.length && error.errors.every((e) => fields.includes(e.field.replace(/^body\./, '')))) return null;
  return error;
}

export function Field({ label, error, hint, children, className = '' }: { label: string; error?: string; hint?: string; className?: string; children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode }) {
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

export function Section({ title, description, children, onSubmit, saving, saved, dirty, error, fields, extra }: {
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
export function useSectionForm<T>(inbox: EmailInbox, initial: T, toBody: (v: T) => unknown) {
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

export function Choice({ name, checked, onChange, children }: { name: string; checked: boolean; onChange: () => void; children: ReactNode }) {
  return (
    <label className="flex items-center gap-2 text-sm text-ink">
      <input type="radio" name={name} checked={checked} onChange={onChange} className="accent-accent" />
      {children}
    </label>
  );
}

export function ServerFields({ prefix, error, value, set, hasPassword, tlsHint }: {
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
