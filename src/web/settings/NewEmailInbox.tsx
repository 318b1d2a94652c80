import { useState } from 'react';
import { useNavigate } from 'react-router';
import { t } from '../i18n';
import { qk } from '../lib/queries';
import { Field, fieldError, otherError } from './EmailForm';
import { send, type SettingsInbox, useWrite } from './data';
import { cls, ErrorNote } from './ui';

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
