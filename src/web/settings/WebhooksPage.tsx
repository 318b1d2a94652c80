import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { t, tn } from '../i18n';
import { Field, fieldError, otherError } from './EmailForm';
import { send, sk, useWebhookKinds, useWebhooks, useWrite, type WebhookEndpoint } from './data';
import { cls, ErrorNote, formatDate, LoadState, SecretOnce, SettingsPage } from './ui';

/** What an endpoint receives, in a few words: "All events", the one kind, or how many. */
export function kindsSummary(types: string[]) {
  if (types.includes('all')) return t('settings.webhooks.all');
  return types.length === 1 ? types[0] : tn('settings.webhooks.kindsCount', types.length);
}

/**
 * The kinds an endpoint receives: "all" (every kind, present and future), or a choice among
 * the kinds the server lists (every typed event, so a new kind shows up here by itself).
 */
export function EventKindsPicker({ value, onChange, idPrefix }: { value: string[]; onChange: (v: string[]) => void; idPrefix: string }) {
  const kinds = useWebhookKinds();
  const all = value.includes('all');
  const listed = (kinds.data ?? []).filter((k) => k !== 'all');
  return (
    <fieldset>
      <legend className={cls.label}>{t('settings.webhooks.events')}</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={all} onChange={(e) => onChange(e.target.checked ? ['all'] : [])} />
        {t('settings.webhooks.allEvents')}
      </label>
      <LoadState error={kinds.error} loading={false} />
      {!all && (
        <div className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-2 lg:grid-cols-3">
          {listed.map((k) => (
            <label key={k} htmlFor={`${idPrefix}-${k}`} className="flex min-w-0 items-center gap-2 text-sm">
              <input
                id={`${idPrefix}-${k}`}
                type="checkbox"
                checked={value.includes(k)}
                onChange={(e) => onChange(e.target.checked ? [...value, k] : value.filter((x) => x !== k))}
              />
              <code className="truncate text-xs">{k}</code>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

export const FIELDS = ['url', 'description', 'eventTypes'];

/** An endpoint's URL, description and kinds, each with the server's objection beside it. */
export function EndpointFields({
  value,
  onChange,
  error,
  idPrefix,
}: {
  value: { url: string; description: string; eventTypes: string[] };
  onChange: (v: { url: string; description: string; eventTypes: string[] }) => void;
  error: unknown;
  idPrefix: string;
}) {
  const kindsError = fieldError(error, 'eventTypes') ?? fieldError(error, 'eventTypes.0');
  return (
    <>
      <div className="flex flex-wrap gap-3">
        <Field label={t('settings.webhooks.url')} error={fieldError(error, 'url')} className="min-w-0 grow-[2] basis-60">
          {(p) => <input {...p} type="url" required className={cls.input} placeholder={t('settings.webhooks.urlHint')} value={value.url} onChange={(e) => onChange({ ...value, url: e.target.value })} />}
        </Field>
        <Field label={t('settings.webhooks.describe')} error={fieldError(error, 'description')} className="min-w-0 grow basis-48">
          {(p) => <input {...p} className={cls.input} maxLength={500} value={value.description} onChange={(e) => onChange({ ...value, description: e.target.value })} />}
        </Field>
      </div>
      <EventKindsPicker value={value.eventTypes} onChange={(eventTypes) => onChange({ ...value, eventTypes })} idPrefix={idPrefix} />
      {kindsError && <p className="text-xs text-danger">{kindsError}</p>}
    </>
  );
}

/** An endpoint's state as a short label: on, off, switched off by Heard, or on but failing. */
export function EndpointState({ e }: { e: WebhookEndpoint }) {
  if (!e.enabled) return <span className={e.disabledAt ? 'text-danger' : 'text-ink-3'}>{e.disabledAt ? t('settings.webhooks.autoOff') : t('settings.webhooks.off')}</span>;
  if (e.failingSince) return <span className="text-danger">{t('settings.webhooks.failing', { at: formatDate(e.failingSince) })}</span>;
  return <span className="text-ink-2">{t('settings.webhooks.on')}</span>;
}

/** Settings › Webhooks (admins): the workspace's endpoints, and a form to add one. */
export default function WebhooksPage() {
  const q = useWebhooks();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>(['all']);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useWrite((body: { url: string; description: string; eventTypes: string[] }) => send<WebhookEndpoint>('POST', '/webhooks', body), [sk.webhooks]);
  const labels = { eventTypes: t('settings.webhooks.events') };
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { url, description, eventTypes },
      {
        onSuccess: (r) => {
          setSecret(r.secret ?? null);
          setUrl('');
          setDescription('');
          setEventTypes(['all']);
        },
      },
    );
  }
  if (q.error) {
    return (
      <SettingsPage title={t('settings.webhooks.title')}>
        <LoadState error={q.error} loading={false} />
      </SettingsPage>
    );
  }
  return (
    <SettingsPage title={t('settings.webhooks.title')} description={t('settings.webhooks.description')}>
      <form onSubmit={submit} aria-label={t('settings.webhooks.add')} className={`${cls.card} mb-5 space-y-3 p-4`}>
        <EndpointFields value={{ url, description, eventTypes }} onChange={(v) => (setUrl(v.url), setDescription(v.description), setEventTypes(v.eventTypes))} error={create.error} idPrefix="new-webhook" />
        <ErrorNote error={otherError(create.error, FIELDS)} labels={labels} />
        <button type="submit" className={cls.primary} disabled={create.isPending || eventTypes.length === 0}>
          {t('settings.webhooks.add')}
        </button>
      </form>
      {secret && <SecretOnce message={t('settings.webhooks.shownOnce')} label={t('settings.webhooks.secret')} secret={secret} onDone={() => setSecret(null)} />}
      <LoadState error={null} loading={q.isPending} />
      {q.data && q.data.length === 0 && <p className={`${cls.card} px-4 py-3 text-sm text-ink-3`}>{t('settings.webhooks.empty')}</p>}
      {q.data && q.data.length > 0 && (
        <ul aria-label={t('settings.webhooks.title')} className={`${cls.card} divide-y divide-line`}>
          {q.data.map((e) => (
            <li key={e.id} className="flex items-center gap-3 px-4 py-3">
              <div className="min-w-0 flex-1">
                <div className="truncate font-mono text-xs" title={e.url}>
                  {e.url}
                </div>
                {e.description && <div className="truncate text-sm font-medium">{e.description}</div>}
                <div className="text-xs">
                  <span className="text-ink-2">{kindsSummary(e.eventTypes)}</span> · <EndpointState e={e} />
                </div>
              </div>
              <Link to={`/settings/webhooks/${e.id}`} className={`${cls.secondary} shrink-0`} aria-label={t('settings.webhooks.openFor', { url: e.url })}>
                {t('settings.webhooks.open')}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </SettingsPage>
  );
}
