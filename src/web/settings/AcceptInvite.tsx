import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { t } from '../i18n';
import { api, setCsrfToken } from '../lib/api';
import { qk } from '../lib/queries';
import type { Me } from '../lib/types';
import { cls, ErrorNote } from './ui';

/**
 * The page an invitation link opens (/app/invite?token=…), before anyone is signed in:
 * the invited person chooses a name and a password, joins, and is signed in.
 * For src/web/App.tsx to route at /invite, outside the signed-in part, loaded lazily like the settings.
 */
export default function AcceptInvite() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ csrfToken?: string }>('/auth/accept-invite', { method: 'POST', body: { token, name, password } });
      setCsrfToken(r?.csrfToken);
      qc.clear();
      await qc.fetchQuery({ queryKey: qk.me, queryFn: () => api<Me>('/me') });
      navigate('/inbox/mine', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-full items-center justify-center bg-canvas p-6">
      <form onSubmit={submit} className="w-full max-w-sm rounded-xl border border-line bg-surface p-8 shadow-sm" aria-labelledby="invite-title">
        <h1 id="invite-title" className="mb-1 text-lg font-semibold">
          {t('settings.accept.title')}
        </h1>
        <p className="mb-6 text-sm text-ink-2">{t('settings.accept.intro')}</p>
        {!token && (
          <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
            {t('settings.accept.noToken')}
          </p>
        )}
        <label className={cls.label} htmlFor="accept-name">
          {t('settings.profile.name')}
        </label>
        <input id="accept-name" required autoComplete="name" className={`${cls.input} mb-4`} value={name} onChange={(e) => setName(e.target.value)} />
        <label className={cls.label} htmlFor="accept-password">
          {t('settings.accept.password')}
        </label>
        <input
          id="accept-password"
          type="password"
          required
          minLength={8}
          autoComplete="new-password"
          className={`${cls.input} mb-4`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorNote error={error} labels={{ token: t('settings.invites.link'), password: t('settings.accept.password'), name: t('settings.profile.name') }} />
        <button type="submit" disabled={busy || !token} className={`${cls.primary} w-full py-2`}>
          {t('settings.accept.submit')}
        </button>
      </form>
    </main>
  );
}
