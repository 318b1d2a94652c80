import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { t, tn } from '../i18n';
import { send, sk, useWebhookDeliveries, useWebhooks, useWrite, type WebhookAttempt, type WebhookDelivery, type WebhookEndpoint } from './data';
import { otherError } from './EmailForm';
import { EndpointFields, EndpointState, FIELDS } from './WebhooksPage';
import { cls, ErrorNote, formatDate, LoadState, SecretOnce, SettingsPage, Switch } from './ui';

const PAGE = 25;

/** An attempt in a few words: "HTTP 200 · 35 ms", or the error when nothing answered. */
function attemptText(a: WebhookAttempt) {
  const answer = a.statusCode !== null ? t('settings.webhooks.http', { code: a.statusCode }) : (a.error ?? t('settings.webhooks.noAnswer'));
  return `${answer} · ${t('settings.webhooks.ms', { ms: a.durationMs })}`;
}

function StatusLabel({ d }: { d: WebhookDelivery }) {
  const tone = d.status === 'delivered' ? 'text-ok' : d.status === 'failed' ? 'text-danger' : 'text-warn';
  return <span className={`font-medium ${tone}`}>{t(`settings.webhooks.status.${d.status}`)}</span>;
}

function Pre({ label, text }: { label: string; text: string }) {
  return (
    <div className="mt-2">
      <div className="text-xs font-semibold text-ink-3">{label}</div>
      <pre className="mt-1 max-h-48 overflow-auto rounded-md bg-canvas p-2 font-mono text-xs whitespace-pre">{text}</pre>
    </div>
  );
}

function DeliveryRow({ endpointId, d }: { endpointId: string; d: WebhookDelivery }) {
  const again = useWrite(() => send<WebhookDelivery>('POST', `/webhooks/${endpointId}/deliveries/${d.id}/redeliver`), [sk.webhooks]);
  const last = d.attempts[0];
  let pretty = d.requestBody;
  try {
    pretty = JSON.stringify(JSON.parse(d.requestBody), null, 2);
  } catch {
    // Shown as sent.
  }
  return (
    <li className="px-4 py-3">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <div className="flex flex-wrap items-baseline gap-x-3">
            <code className="text-sm">{d.eventType}</code>
            <StatusLabel d={d} />
          </div>
          <div className="text-xs text-ink-2">
            {formatDate(d.createdAt)}
            {last && ` · ${attemptText(last)}`}
          </div>
          <div className="text-xs text-ink-3">
            {tn('settings.webhooks.attempts', d.attempts.length)}
            {d.status === 'pending' && d.nextAttemptAt && ` · ${t('settings.webhooks.nextAt', { at: formatDate(d.nextAttemptAt) })}`}
          </div>
        </div>
        <button
          type="button"
          className={`${cls.secondary} shrink-0`}
          disabled={again.isPending}
          aria-label={t('settings.webhooks.redeliverWhat', { event: d.eventType, at: formatDate(d.createdAt) })}
          onClick={() => again.mutate(undefined)}
        >
          {t('settings.webhooks.redeliver')}
        </button>
      </div>
      <ErrorNote error={again.error} />
      <details className="mt-1">
        <summary className="cursor-pointer text-xs text-accent">{t('settings.webhooks.details')}</summary>
        <ol className="mt-2 space-y-2">
          {d.attempts.map((a) => (
            <li key={a.id} className="rounded-md border border-line p-2 text-xs break-words">
              <div>
                <span className="text-ink-2">{formatDate(a.createdAt)}</span> · {attemptText(a)}
                {a.manual && <span className="text-ink-3"> · {t('settings.webhooks.manual')}</span>}
              </div>
              {a.error && a.statusCode !== null && <div className="text-danger">{a.error}</div>}
              {a.responseBody && <Pre label={t('settings.webhooks.response')} text={a.responseBody} />}
            </li>
          ))}
        </ol>
        <Pre label={t('settings.webhooks.request')} text={pretty} />
      </details>
    </li>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const [limit, setLimit] = useState(PAGE);
  const q = useWebhookDeliveries(endpointId, limit);
  return (
    <section aria-labelledby="webhook-log" className="mt-6">
      <h2 id="webhook-log" className="mb-2 font-semibold text-ink">
        {t('settings.webhooks.log')}
      </h2>
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && q.data.length === 0 && <p className={`${cls.card} px-4 py-3 text-sm text-ink-3`}>{t('settings.webhooks.logEmpty')}</p>}
      {q.data && q.data.length > 0 && (
        <ul aria-label={t('settings.webhooks.log')} className={`${cls.card} divide-y divide-line`}>
          {q.data.map((d) => (
            <DeliveryRow key={d.id} endpointId={endpointId} d={d} />
          ))}
        </ul>
      )}
      {q.data?.length === limit && (
        <button type="button" className={`${cls.secondary} mt-3`} onClick={() => setLimit(limit + PAGE)}>
          {t('settings.webhooks.loadMore')}
        </button>
      )}
    </section>
  );
}

function EndpointForm({ e }: { e: WebhookEndpoint }) {
  const [url, setUrl] = useState(e.url);
  const [description, setDescription] = useState(e.description);
  const [eventTypes, setEventTypes] = useState(e.eventTypes);
  const save = useWrite((body: Partial<WebhookEndpoint>) => send<WebhookEndpoint>('PATCH', `/webhooks/${e.id}`, body), [sk.webhooks]);
  const labels = { eventTypes: t('settings.webhooks.events') };
  function submit(ev: FormEvent) {
    ev.preventDefault();
    save.mutate({ url, description, eventTypes });
  }
  return (
    <form onSubmit={submit} className={`${cls.card} space-y-3 p-4`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        {e.enabled && e.failingSince ? <EndpointState e={e} /> : <span />}
        <Switch on={e.enabled} label={t('settings.webhooks.enabled')} disabled={save.isPending} onChange={(on) => save.mutate({ enabled: on })}>
          {t('settings.webhooks.enabled')}
        </Switch>
      </div>
      {e.disabledAt && !e.enabled && (
        <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
          {t('settings.webhooks.disabledBecause', { at: formatDate(e.disabledAt), reason: e.disabledReason ?? '' })}
        </p>
      )}
      <EndpointFields value={{ url, description, eventTypes }} onChange={(v) => (setUrl(v.url), setDescription(v.description), setEventTypes(v.eventTypes))} error={save.error} idPrefix="edit-webhook" />
      <ErrorNote error={otherError(save.error, FIELDS)} labels={labels} />
      <div className="flex items-center gap-3">
        <button type="submit" className={cls.primary} disabled={save.isPending || eventTypes.length === 0}>
          {t('settings.save')}
        </button>
        {save.isSuccess && (
          <span role="status" className="text-sm text-ink-2">
            {t('settings.webhooks.saved')}
          </span>
        )}
      </div>
    </form>
  );
}

/** The actions beside an endpoint: send a test ping and see its result, rotate the secret, delete. */
function EndpointActions({ e }: { e: WebhookEndpoint }) {
  const navigate = useNavigate();
  const [secret, setSecret] = useState<string | null>(null);
  const test = useWrite(() => send<WebhookDelivery>('POST', `/webhooks/${e.id}/test`), [sk.webhooks]);
  const rotate = useWrite(() => send<WebhookEndpoint>('POST', `/webhooks/${e.id}/rotate-secret`), [sk.webhooks]);
  const remove = useWrite(() => send('DELETE', `/webhooks/${e.id}`), [sk.webhooks]);
  const result = test.data;
  return (
    <div className="mt-4">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={cls.primary} disabled={test.isPending} onClick={() => test.mutate(undefined)}>
          {test.isPending ? t('settings.webhooks.testing') : t('settings.webhooks.sendTest')}
        </button>
        <button
          type="button"
          className={cls.secondary}
          disabled={rotate.isPending}
          onClick={() => window.confirm(t('settings.webhooks.confirmRotate')) && rotate.mutate(undefined, { onSuccess: (r) => setSecret(r.secret ?? null) })}
        >
          {t('settings.webhooks.rotate')}
        </button>
        <button
          type="button"
          className={`${cls.danger} sm:ml-auto`}
          disabled={remove.isPending}
          onClick={() => window.confirm(t('settings.webhooks.confirmDelete')) && remove.mutate(undefined, { onSuccess: () => navigate('/settings/webhooks') })}
        >
          {t('settings.delete')}
        </button>
      </div>
      {result && (
        <p role="status" className={`mt-3 rounded-md px-3 py-2 text-sm ${result.status === 'delivered' ? 'border border-line bg-surface text-ok' : 'bg-danger-soft text-danger'}`}>
          {t('settings.webhooks.testResult', {
            result: `${t(`settings.webhooks.status.${result.status}`)}: ${result.attempts[0] ? attemptText(result.attempts[0]) : ''}`,
          })}
        </p>
      )}
      <ErrorNote error={test.error ?? rotate.error ?? remove.error} />
      {secret && (
        <div className="mt-3">
          <SecretOnce message={t('settings.webhooks.rotatedOnce')} label={t('settings.webhooks.secret')} secret={secret} onDone={() => setSecret(null)} />
        </div>
      )}
    </div>
  );
}

/** Settings › Webhooks › one endpoint: its settings, a test, and its delivery log with redelivery. */
export default function WebhookPage() {
  const { id } = useParams();
  const q = useWebhooks();
  const e = q.data?.find((x) => x.id === id);
  const back = (
    <Link to="/settings/webhooks" className="text-sm whitespace-nowrap text-accent underline">
      {t('settings.webhooks.back')}
    </Link>
  );
  if (!e)
    return (
      <SettingsPage title={t('settings.webhooks.title')} actions={back}>
        <LoadState error={q.error} loading={q.isPending} />
        {q.isSuccess && <p className="text-sm text-ink-2">{t('settings.webhooks.notFound')}</p>}
      </SettingsPage>
    );
  return (
    <SettingsPage title={e.description || e.url} actions={back}>
      <EndpointForm key={`${e.id}:${e.url}:${e.eventTypes.join()}`} e={e} />
      <EndpointActions e={e} />
      <DeliveryLog endpointId={e.id} />
    </SettingsPage>
  );
}
