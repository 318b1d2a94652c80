import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { qk } from '../lib/queries';
import { signIn } from '../lib/session';
import type { Me } from '../lib/types';

export function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const notice = (location.state as { notice?: string } | null)?.notice;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      qc.clear();
      await qc.fetchQuery({ queryKey: qk.me, queryFn: () => api<Me>('/me') });
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/inbox/mine', { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? t('login.rateLimited') : err instanceof ApiError && err.status === 0 ? t('error.network') : t('login.failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-full items-center justify-center bg-canvas p-6">
      <form onSubmit={submit} className="w-full max-w-sm rounded-xl border border-line bg-surface p-8 shadow-sm" aria-labelledby="login-title">
        <div className="mb-6 flex items-center gap-2">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={28} height={28} />
          <h1 id="login-title" className="text-lg font-semibold">
            {t('login.title')}
          </h1>
        </div>
        {notice && (
          <p role="status" className="mb-4 rounded-md bg-accent-soft px-3 py-2 text-sm text-ink">
            {notice}
          </p>
        )}
        <label className="mb-1 block text-sm font-medium text-ink-2" htmlFor="email">
          {t('login.email')}
        </label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className="mb-4 w-full rounded-md border border-line bg-canvas px-3 py-2 text-ink outline-none focus:border-accent"
        />
        <div className="mb-1 flex items-baseline justify-between gap-2">
          <label className="block text-sm font-medium text-ink-2" htmlFor="password">
            {t('login.password')}
          </label>
          <Link to="/forgot-password" state={{ email }} className="text-sm text-accent hover:underline">
            {t('login.forgot')}
          </Link>
        </div>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          className="mb-4 w-full rounded-md border border-line bg-canvas px-3 py-2 text-ink outline-none focus:border-accent"
        />
        {error && (
          <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} className="w-full rounded-md bg-accent px-3 py-2 font-medium text-accent-ink hover:opacity-90 disabled:opacity-60">
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
