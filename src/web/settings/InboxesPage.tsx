import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type MessageKey, t } from '../i18n';
import { KNOWN_NETWORKS, networkName } from '../lib/network';
import { qk } from '../lib/queries';
import { send, type SettingsInbox, useSettingsInboxes, useWrite } from './data';
import { NewEmailInbox } from './NewEmailInbox';
import { NewWidgetInbox } from './WidgetInboxSettings';
import { cls, ErrorNote, InboxSecret, LoadState, ReadOnlyNote, SettingsPage, useIsAdmin } from './ui';

function Secret({ inbox }: { inbox: SettingsInbox }) {
  const [shown, setShown] = useState(false);
  if (!inbox.signingSecret) return null;
  return (
    <div className="mt-3">
      <div className="mb-1 text-xs font-semibold tracking-wide text-ink-3 uppercase">{t('settings.inboxes.secret')}</div>
      <InboxSecret inboxId={inbox.id} value={inbox.signingSecret} label={t('settings.inboxes.secretOf', { name: inbox.name })} shown={shown} setShown={setShown} />
    </div>
  );
}

/** The known networks offered as the admin types; any other name is kept as written. */
function NetworkOptions() {
  return (
    <datalist id="known-networks">
      {KNOWN_NETWORKS.map((n) => (
        <option key={n} value={networkName(n)} />
      ))}
    </datalist>
  );
}

function InboxCard({ inbox, admin }: { inbox: SettingsInbox; admin: boolean }) {
  const [url, setUrl] = useState(inbox.callbackUrl ?? '');
  const storedNetwork = inbox.network ? networkName(inbox.network) : '';
  const [network, setNetwork] = useState(storedNetwork);
  const update = useWrite((body: { callbackUrl?: string; network?: string | null; archived?: boolean }) => send('PATCH', `/inboxes/${inbox.id}`, body), [qk.inboxes]);
  return (
    <li className={`${cls.card} p-4 ${inbox.archived ? 'opacity-70' : ''}`} aria-label={inbox.name}>
      <div className="flex items-center gap-2">
        <h2 className="flex-1 font-medium">
          {inbox.name}
          <span className="ml-2 rounded bg-hover px-1.5 py-0.5 text-xs text-ink-2">{t(`channel.${inbox.channel}` as MessageKey)}
            {inbox.network && ` · ${networkName(inbox.network)}`}
          </span>
          {inbox.archived && <span className="ml-2 text-xs text-ink-3">{t('settings.inboxes.archived')}</span>}
        </h2>
        {admin && (
          <button type="button" className={inbox.archived ? cls.secondary : cls.danger} disabled={update.isPending} onClick={() => update.mutate({ archived: !inbox.archived })}>
            {inbox.archived ? t('settings.inboxes.unarchive') : t('settings.inboxes.archive')}
          </button>
        )}
      </div>
      {inbox.address && <p className="mt-1 text-sm text-ink-2">{inbox.address}</p>}
      {inbox.channel === 'email' && (
        <Link to={`/settings/inboxes/${inbox.id}`} aria-label={t('email.settings.openFor', { name: inbox.name })} className={`${cls.secondary} mt-3 inline-block`}>
          {t('email.settings.open')}
        </Link>
      )}
      {inbox.channel === 'widget' && (
        <Link to={`/settings/inboxes/${inbox.id}/widget`} aria-label={t('widget.settings.openFor', { name: inbox.name })} className={`${cls.secondary} mt-3 inline-block`}>
          {t('widget.settings.open')}
        </Link>
      )}
      {inbox.channel === 'api' && admin && (
        <form
          className="mt-3 flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ callbackUrl: url, network: network.trim() || null });
          }}
        >
          <div className="min-w-48 flex-[2]">
            <label className={cls.label} htmlFor={`callback-${inbox.id}`}>
              {t('settings.inboxes.callbackUrl')}
            </label>
            <input id={`callback-${inbox.id}`} type="url" required className={cls.input} value={url} onChange={(e) => setUrl(e.target.value)} />
          </div>
          <div className="min-w-40 flex-1">
            <label className={cls.label} htmlFor={`network-${inbox.id}`}>
              {t('settings.inboxes.network')}
            </label>
            <input id={`network-${inbox.id}`} list="known-networks" maxLength={40} placeholder={t('settings.inboxes.networkPlaceholder')} className={cls.input} value={network} onChange={(e) => setNetwork(e.target.value)} />
          </div>
          <button type="submit" className={cls.secondary} disabled={update.isPending || (url === inbox.callbackUrl && network.trim() === storedNetwork)}>
            {t('settings.save')}
          </button>
        </form>
      )}
      <ErrorNote error={update.error} />
      {admin && inbox.channel !== 'widget' && <Secret inbox={inbox} />}
    </li>
  );
}

/** A phone line: an inbox with nothing to configure, where agents log calls that open conversations. */
function AddPhoneLine() {
  const [name, setName] = useState('');
  const create = useWrite((body: { name: string }) => send<SettingsInbox>('POST', '/inboxes', { ...body, channel: 'phone' }), [qk.inboxes]);
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name }, { onSuccess: () => setName('') });
  }
  return (
    <form onSubmit={submit} aria-label={t('settings.inboxes.createPhone')} className={`${cls.card} mb-5 p-4`}>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-48 flex-1">
          <label className={cls.label} htmlFor="phone-line-name">
            {t('settings.inboxes.phoneName')}
          </label>
          <input id="phone-line-name" required placeholder={t('settings.inboxes.phonePlaceholder')} className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit" className={cls.secondary} disabled={create.isPending}>
          {t('settings.inboxes.createPhone')}
        </button>
      </div>
      <p className="mt-1 text-xs text-ink-3">{t('settings.inboxes.phoneHint')}</p>
      <ErrorNote error={create.error} />
    </form>
  );
}

export default function InboxesPage() {
  const admin = useIsAdmin();
  const q = useSettingsInboxes();
  const [form, setForm] = useState({ name: '', callbackUrl: '', network: '' });
  const [created, setCreated] = useState<SettingsInbox | null>(null);
  const [kind, setKind] = useState<'api' | 'email' | 'widget'>('api');
  const create = useWrite((body: typeof form) => send<SettingsInbox>('POST', '/inboxes', { ...body, network: body.network.trim() || undefined, channel: 'api' }), [qk.inboxes]);
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(form, {
      onSuccess: (inbox) => {
        setCreated(inbox);
        setForm({ name: '', callbackUrl: '', network: '' });
      },
    });
  }
  return (
    <SettingsPage title={t('settings.inboxes.title')} description={t('settings.inboxes.description')}>
      {!admin && <ReadOnlyNote />}
      {admin && (
        <div role="radiogroup" aria-label={t('email.settings.newKind')} className="mb-2 flex gap-1 text-sm">
          {(['api', 'email', 'widget'] as const).map((k) => (
            <label key={k} className={`relative cursor-pointer rounded-md px-2.5 py-1 has-focus-visible:outline-2 has-focus-visible:outline-accent ${kind === k ? 'bg-selected font-medium text-ink' : 'text-ink-2 hover:bg-hover'}`}>
              <input type="radio" name="inbox-kind" className="absolute inset-0 m-0 cursor-pointer opacity-0" checked={kind === k} onChange={() => setKind(k)} />
              {k === 'api' ? t('email.settings.newApi') : k === 'email' ? t('email.settings.newEmail') : t('widget.settings.newWidget')}
            </label>
          ))}
        </div>
      )}
      {admin && kind === 'email' && <NewEmailInbox />}
      {admin && kind === 'widget' && <NewWidgetInbox />}
      {admin && kind === 'api' && (
        <form onSubmit={submit} aria-label={t('settings.inboxes.create')} className={`${cls.card} mb-5 grid grid-cols-1 items-end gap-3 p-4 sm:grid-cols-[1fr_1fr_2fr_auto]`}>
          <div>
            <label className={cls.label} htmlFor="inbox-name">
              {t('settings.inboxes.name')}
            </label>
            <input id="inbox-name" required className={cls.input} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </div>
          <div>
            <label className={cls.label} htmlFor="inbox-network">
              {t('settings.inboxes.network')}
            </label>
            <input
              id="inbox-network"
              list="known-networks"
              maxLength={40}
              placeholder={t('settings.inboxes.networkPlaceholder')}
              className={cls.input}
              value={form.network}
              onChange={(e) => setForm({ ...form, network: e.target.value })}
            />
          </div>
          <div>
            <label className={cls.label} htmlFor="inbox-callback">
              {t('settings.inboxes.callbackUrl')}
            </label>
            <input
              id="inbox-callback"
              type="url"
              required
              placeholder="https://bridge.example.com/heard"
              className={cls.input}
              value={form.callbackUrl}
              onChange={(e) => setForm({ ...form, callbackUrl: e.target.value })}
            />
          </div>
          <button type="submit" className={cls.primary} disabled={create.isPending}>
            {t('settings.inboxes.create')}
          </button>
          <div className="sm:col-span-4">
            <ErrorNote error={create.error} />
          </div>
        </form>
      )}
      {admin && <NetworkOptions />}
      {admin && <AddPhoneLine />}
      {created && (
        <p role="status" className="mb-4 rounded-md bg-accent-soft px-3 py-2 text-sm">
          {t('settings.inboxes.created', { name: created.name, id: created.id })}
        </p>
      )}
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <ul className="space-y-3">
          {q.data.length === 0 && <li className="text-sm text-ink-3">{t('settings.inboxes.empty')}</li>}
          {q.data.map((inbox) => (
            <InboxCard key={inbox.id} inbox={inbox} admin={admin} />
          ))}
        </ul>
      )}
    </SettingsPage>
  );
}
