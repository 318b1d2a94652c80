import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { t } from '../i18n';
import { api } from '../lib/api';
import { cls, ErrorNote } from '../settings/ui';

const card = 'w-full max-w-sm rounded-xl border border-line bg-surface p-8 shadow-sm';
const backLink = 'mt-4 block text-center text-sm text-accent hover:underline';

/** "Forgot password?" (/app/forgot-password): asks for the e-mail, then says to check the mail, whether or not it has an account. */
export function ForgotPassword() {
  const location = useLocation();
  const [email, setEmail] = useState((location.state as { email?: string } | null)?.email ?? '');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/auth/password-reset', { method: 'POST', body: { email } });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-full items-center justify-center bg-canvas p-6">
      {sent ? (
        <section className={card} aria-labelledby="forgot-sent-title">
          <h1 id="forgot-sent-title" className="mb-2 text-lg font-semibold">
            {t('reset.sent.title')}
          </h1>
          <p className="text-sm text-ink-2">{t('reset.sent.body', { email })}</p>
          <Link to="/login" className={backLink}>
            {t('reset.backToSignIn')}
          </Link>
        </section>
      ) : (
        <form onSubmit={submit} className={card} aria-labelledby="forgot-title">
          <h1 id="forgot-title" className="mb-1 text-lg font-semibold">
            {t('reset.forgot.title')}
          </h1>
          <p className="mb-6 text-sm text-ink-2">{t('reset.forgot.intro')}</p>
          <label className={cls.label} htmlFor="forgot-email">
            {t('login.email')}
          </label>
          <input id="forgot-email" type="email" required autoFocus autoComplete="username" className={`${cls.input} mb-4`} value={email} onChange={(e) => setEmail(e.target.value)} />
          <ErrorNote error={error} labels={{ email: t('login.email') }} />
          <button type="submit" disabled={busy} className={`${cls.primary} w-full py-2`}>
            {busy ? t('reset.forgot.sending') : t('reset.forgot.submit')}
          </button>
          <Link to="/login" className={backLink}>
            {t('reset.backToSignIn')}
          </Link>
        </form>
      )}
    </main>
  );
}

/** The page a reset link opens (/app/reset-password?token=…): a new password, then back to sign-in with a notice. */
export function ResetPassword() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/auth/password-reset/confirm', { method: 'POST', body: { token, password } });
      navigate('/login', { replace: true, state: { notice: t('reset.done') } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-full items-center justify-center bg-canvas p-6">
      <form onSubmit={submit} className={card} aria-labelledby="reset-title">
        <h1 id="reset-title" className="mb-1 text-lg font-semibold">
          {t('reset.new.title')}
        </h1>
        <p className="mb-6 text-sm text-ink-2">{t('reset.new.intro')}</p>
        {!token && (
          <p role="alert" className="mb-4 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
            {t('reset.new.noToken')}
          </p>
        )}
        <label className={cls.label} htmlFor="reset-password">
          {t('reset.new.password')}
        </label>
        <input
          id="reset-password"
          type="password"
          required
          minLength={8}
          autoFocus
          autoComplete="new-password"
          className={`${cls.input} mb-4`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorNote error={error} labels={{ token: t('reset.new.link'), password: t('reset.new.password') }} />
        <button type="submit" disabled={busy || !token} className={`${cls.primary} w-full py-2`}>
          {busy ? t('reset.new.saving') : t('reset.new.submit')}
        </button>
        <Link to="/forgot-password" className={backLink}>
          {t('reset.new.askAgain')}
        </Link>
      </form>
    </main>
  );
}
