import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Avatar } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { browserLocale, getLocale, LOCALES, type LocalePreference, t, type TimeFormat } from '../i18n';
import { api } from '../lib/api';
import { useAvailability } from '../lib/availability';
import { notificationsSupported, notificationsWanted, setNotificationsWanted } from '../lib/notifications';
import { qk } from '../lib/queries';
import { useSession } from '../lib/session';
import { send, useWrite } from './data';
import { cls, ErrorNote, SettingsPage } from './ui';

function Saved({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <span role="status" className="text-sm text-ok">
      {t('settings.saved')}
    </span>
  );
}

/** Your name and reply signature (PATCH /me). */
function NameAndSignature() {
  const me = useSession();
  const [name, setName] = useState(me.user.name);
  const [signature, setSignature] = useState(me.member.signature ?? '');
  const [saved, setSaved] = useState(false);
  const save = useWrite((body: { name: string; signature: string }) => send('PATCH', '/me', body), [qk.me, qk.members]);
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    save.mutate({ name, signature }, { onSuccess: () => setSaved(true) });
  }
  return (
    <form onSubmit={submit} aria-label={t('settings.profile.title')} className={`${cls.card} space-y-4 p-4`}>
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
        <Saved show={saved} />
      </div>
    </form>
  );
}

/** Your picture (POST/DELETE /me/avatar); without one, your initials. */
function Picture() {
  const me = useSession();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const avatarUrl = (me.user as { avatarUrl?: string | null }).avatarUrl;
  const upload = useWrite(
    (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api('/me/avatar', { method: 'POST', form });
    },
    [qk.me, qk.members],
  );
  const remove = useWrite(() => send('DELETE', '/me/avatar'), [qk.me, qk.members]);
  return (
    <div className={`${cls.card} p-4`}>
      <h2 className="mb-3 text-sm font-semibold">{t('settings.profile.avatar')}</h2>
      <div className="flex items-center gap-4">
        {avatarUrl ? <img src={avatarUrl} alt={t('settings.profile.avatarAlt')} width={56} height={56} className="h-14 w-14 rounded-full object-cover" /> : <Avatar name={me.user.name} size={56} />}
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          aria-label={t('settings.profile.avatarChoose')}
          className="hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) upload.mutate(file, { onSettled: () => void qc.invalidateQueries({ queryKey: qk.me }) });
            e.target.value = '';
          }}
        />
        <button type="button" className={cls.secondary} disabled={upload.isPending} onClick={() => input.current?.click()}>
          {t('settings.profile.avatarUpload')}
        </button>
        {avatarUrl && (
          <button type="button" className={cls.danger} disabled={remove.isPending} onClick={() => remove.mutate(undefined)}>
            {t('settings.profile.avatarRemove')}
          </button>
        )}
      </div>
      <p className="mt-2 text-xs text-ink-3">{t('settings.profile.avatarHint')}</p>
      <ErrorNote error={upload.error ?? remove.error} />
    </div>
  );
}

/** An afternoon time as the clock would show it, so each choice shows what it means. */
function clockExample(timeFormat: TimeFormat) {
  const at = new Date(2020, 0, 1, 14, 30);
  return new Intl.DateTimeFormat(getLocale(), { timeStyle: 'short', ...(timeFormat === 'auto' ? {} : { hour12: timeFormat === '12h' }) }).format(at);
}

/** The app's language and clock for me (PATCH /me): applied as soon as chosen, no reload. */
function LanguageCard() {
  const me = useSession();
  const locale = (me.member.locale ?? 'auto') as LocalePreference;
  const timeFormat = (me.member.timeFormat ?? 'auto') as TimeFormat;
  const save = useWrite((body: { locale?: LocalePreference; timeFormat?: TimeFormat }) => send('PATCH', '/me', body), [qk.me]);
  return (
    <div className={`${cls.card} space-y-3 p-4`}>
      <h2 className="text-sm font-semibold">{t('settings.profile.language')}</h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label className={cls.label} htmlFor="profile-locale">
            {t('settings.profile.languageField')}
          </label>
          <select id="profile-locale" className={cls.input} value={locale} disabled={save.isPending} onChange={(e) => save.mutate({ locale: e.target.value as LocalePreference })}>
            <option value="auto">{t('settings.profile.languageAuto', { language: LOCALES[browserLocale()].name })}</option>
            {Object.entries(LOCALES).map(([code, l]) => (
              <option key={code} value={code} lang={code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className={cls.label} htmlFor="profile-time-format">
            {t('settings.profile.timeFormat')}
          </label>
          <select id="profile-time-format" className={cls.input} value={timeFormat} disabled={save.isPending} onChange={(e) => save.mutate({ timeFormat: e.target.value as TimeFormat })}>
            <option value="auto">{t('settings.profile.timeAuto', { example: clockExample('auto') })}</option>
            <option value="24h">{t('settings.profile.time24', { example: clockExample('24h') })}</option>
            <option value="12h">{t('settings.profile.time12', { example: clockExample('12h') })}</option>
          </select>
        </div>
      </div>
      <p className="text-xs text-ink-3">{t('settings.profile.languageHint')}</p>
      <ErrorNote error={save.error} labels={{ locale: t('settings.profile.languageField'), timeFormat: t('settings.profile.timeFormat') }} />
    </div>
  );
}

/** Available or away (the same switch as in the user menu): while away, automatic assignment passes me by. */
function AvailabilityCard() {
  const { availability, set, pending, error } = useAvailability();
  return (
    <div className={`${cls.card} p-4`}>
      <h2 id="availability-title" className="mb-2 text-sm font-semibold">
        {t('settings.profile.availability')}
      </h2>
      <div role="radiogroup" aria-labelledby="availability-title" className="flex gap-4">
        {(['available', 'away'] as const).map((a) => (
          <label key={a} className="flex items-center gap-2 text-sm">
            <input type="radio" name="availability" className="h-4 w-4 accent-accent" checked={availability === a} disabled={pending} onChange={() => set(a)} />
            <span className={`h-2.5 w-2.5 rounded-full ${a === 'away' ? 'bg-warn' : 'bg-ok'}`} aria-hidden="true" />
            {t(a === 'away' ? 'nav.away' : 'nav.available')}
          </label>
        ))}
      </div>
      <p className="mt-2 text-xs text-ink-3">{t('settings.profile.availabilityHint')}</p>
      <ErrorNote error={error} />
    </div>
  );
}

/** A new password (POST /me/password): the current one is asked again; other sessions end. */
function Password() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [saved, setSaved] = useState(false);
  const change = useWrite((body: { currentPassword: string; newPassword: string }) => send('POST', '/me/password', body), []);
  const mismatch = repeat !== '' && next !== repeat;
  function submit(e: FormEvent) {
    e.preventDefault();
    if (mismatch) return;
    setSaved(false);
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setSaved(true);
          setCurrent('');
          setNext('');
          setRepeat('');
        },
      },
    );
  }
  return (
    <form onSubmit={submit} aria-label={t('settings.profile.password')} className={`${cls.card} space-y-3 p-4`}>
      <h2 className="text-sm font-semibold">{t('settings.profile.password')}</h2>
      <div>
        <label className={cls.label} htmlFor="password-current">
          {t('settings.profile.passwordCurrent')}
        </label>
        <input id="password-current" type="password" autoComplete="current-password" required className={cls.input} value={current} onChange={(e) => setCurrent(e.target.value)} />
      </div>
      <div className="grid grid-cols-2 gap-3">
        <div>
          <label className={cls.label} htmlFor="password-new">
            {t('settings.profile.passwordNew')}
          </label>
          <input id="password-new" type="password" autoComplete="new-password" minLength={8} required className={cls.input} value={next} onChange={(e) => setNext(e.target.value)} />
        </div>
        <div>
          <label className={cls.label} htmlFor="password-repeat">
            {t('settings.profile.passwordRepeat')}
          </label>
          <input
            id="password-repeat"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={mismatch}
            className={cls.input}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </div>
      </div>
      {mismatch && <p className="text-sm text-danger">{t('settings.profile.passwordMismatch')}</p>}
      <ErrorNote error={change.error} labels={{ currentPassword: t('settings.profile.passwordCurrent'), newPassword: t('settings.profile.passwordNew') }} />
      <p className="text-xs text-ink-3">{t('settings.profile.passwordHint')}</p>
      <div className="flex items-center gap-3">
        <button type="submit" className={cls.primary} disabled={change.isPending || mismatch}>
          {t('settings.profile.passwordSubmit')}
        </button>
        <Saved show={saved} />
      </div>
    </form>
  );
}

/** Opt-in browser notifications for conversations assigned to me and mentions (this browser only). */
function Notifications() {
  const me = useSession();
  const [on, setOn] = useState(() => notificationsWanted(me.member.id) && notificationsSupported() && Notification.permission === 'granted');
  const [note, setNote] = useState<string | null>(notificationsSupported() ? null : t('notify.unsupported'));
  const [busy, setBusy] = useState(false);
  async function toggle(want: boolean) {
    setBusy(true);
    const permission = await setNotificationsWanted(me.member.id, want);
    setBusy(false);
    setOn(want && permission === 'granted');
    setNote(permission === 'unsupported' ? t('notify.unsupported') : want && permission === 'denied' ? t('notify.denied') : null);
  }
  return (
    <div className={`${cls.card} p-4`}>
      <h2 className="mb-2 flex items-center gap-2 text-sm font-semibold">
        <Icon name="bell" size={15} />
        {t('notify.title')}
      </h2>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5 h-4 w-4 accent-accent" checked={on} disabled={busy || !notificationsSupported()} onChange={(e) => void toggle(e.target.checked)} />
        <span>{t('notify.toggle')}</span>
      </label>
      <p className="mt-1 pl-6 text-xs text-ink-3">{t('notify.hint')}</p>
      {note && (
        <p role="alert" className="mt-2 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
          {note}
        </p>
      )}
    </div>
  );
}

export default function ProfilePage() {
  const me = useSession();
  return (
    <SettingsPage title={t('settings.profile.title')} description={t('settings.profile.description', { email: me.user.email })}>
      <div className="max-w-xl space-y-5">
        <NameAndSignature />
        <LanguageCard />
        <AvailabilityCard />
        <Picture />
        <Notifications />
        <Password />
      </div>
    </SettingsPage>
  );
}
