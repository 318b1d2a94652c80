import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { t } from '../i18n';
import { qk } from '../lib/queries';
import { useSession } from '../lib/session';
import { send, useWrite } from './data';
import { cls, ErrorNote, SettingsPage } from './ui';

/** Your own name and reply signature (PATCH /members/:me). */
export default function ProfilePage() {
  const me = useSession();
  const qc = useQueryClient();
  const [name, setName] = useState(me.user.name);
  const [signature, setSignature] = useState(me.member.signature ?? '');
  const [saved, setSaved] = useState(false);
  const save = useWrite((body: { name: string; signature: string }) => send('PATCH', `/members/${me.member.id}`, body), [qk.members]);
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    save.mutate(
      { name, signature },
      {
        onSuccess: async () => {
          await qc.invalidateQueries({ queryKey: qk.me });
          setSaved(true);
        },
      },
    );
  }
  return (
    <SettingsPage title={t('settings.profile.title')} description={t('settings.profile.description', { email: me.user.email })}>
      <form onSubmit={submit} className={`${cls.card} max-w-xl space-y-4 p-4`}>
        <div>
          <label className={cls.label} htmlFor="profile-name">
            {t('settings.profile.name')}
          </label>
          <input id="profile-name" required className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label className={cls.label} htmlFor="profile-signature">
            {t('settings.profile.signature')}
          </label>
          <textarea id="profile-signature" rows={4} className={cls.input} value={signature} onChange={(e) => setSignature(e.target.value)} />
          <p className="mt-1 text-xs text-ink-3">{t('settings.profile.signatureHint')}</p>
        </div>
        <ErrorNote error={save.error} />
        <div className="flex items-center gap-3">
          <button type="submit" className={cls.primary} disabled={save.isPending}>
            {t('settings.save')}
          </button>
          {saved && (
            <span role="status" className="text-sm text-ok">
              {t('settings.saved')}
            </span>
          )}
        </div>
      </form>
    </SettingsPage>
  );
}
