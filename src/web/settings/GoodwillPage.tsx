import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { type MessageKey, t } from '../i18n';
import { api } from '../lib/api';
import {
  formatMoney,
  GOODWILL_KINDS,
  GOODWILL_ROLES,
  type GoodwillKind,
  type GoodwillLimit,
  type GoodwillRole,
  type GoodwillSettings,
  goodwillKeys,
  minorDigits,
  useGoodwillLedger,
  useGoodwillSettings,
} from '../lib/goodwill';
import { deliveryText, GoodwillCard, goodwillError } from '../screens/Goodwill';
import { cls, ErrorNote, formatDate, LoadState, SecretField, SettingsPage, SettingsTable, useIsAdmin } from './ui';

const roleLabel = (r: GoodwillRole) => t(`settings.role.${r}` as MessageKey);
const heading = 'mb-2 text-sm font-semibold text-ink';

/** A limit row as typed: the amount in the currency's main unit, empty for no limit. */
interface LimitDraft {
  role: GoodwillRole;
  kind: GoodwillKind;
  currency: string;
  limit: string;
}

const toDraft = (l: GoodwillLimit): LimitDraft => ({
  role: l.role,
  kind: l.kind,
  currency: l.currency,
  limit: l.limitMinor === null ? '' : String(l.limitMinor / 10 ** minorDigits(l.currency)),
});

function toLimit(d: LimitDraft): GoodwillLimit {
  const currency = d.currency.trim().toUpperCase();
  const text = d.limit.trim().replace(',', '.');
  return { role: d.role, kind: d.kind, currency, limitMinor: text === '' ? null : Math.round(Number(text) * 10 ** minorDigits(currency)) };
}

/** The limits per role, kind and currency: a row each; what has no row takes the defaults. */
function Limits({ settings, admin }: { settings: GoodwillSettings; admin: boolean }) {
  const qc = useQueryClient();
  const [rows, setRows] = useState<LimitDraft[]>(() => settings.limits.map(toDraft));
  const [saved, setSaved] = useState(false);
  useEffect(() => setRows(settings.limits.map(toDraft)), [settings.limits]);
  const save = useMutation({
    mutationFn: () => api<GoodwillSettings>('/goodwill/settings', { method: 'PUT', body: { limits: rows.map(toLimit) } }),
    onSuccess: (s) => {
      qc.setQueryData(goodwillKeys.settings, s);
      setSaved(true);
    },
  });
  const change = (i: number, patch: Partial<LimitDraft>) => {
    setSaved(false);
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  return (
    <section className="mb-8" aria-labelledby="goodwill-limits">
      <h2 id="goodwill-limits" className={heading}>
        {t('settings.goodwill.limits')}
      </h2>
      <p className="mb-3 text-sm text-ink-2">{t('settings.goodwill.limitsIntro')}</p>
      <div className="overflow-x-auto [contain:inline-size]">
        <SettingsTable columns={[t('settings.goodwill.role'), t('goodwill.kind'), t('goodwill.currency'), t('settings.goodwill.limit'), '']} isEmpty={!rows.length} empty={t('settings.goodwill.noLimit')}>
          {rows.map((r, i) => (
            <tr key={i} className="border-t border-line">
              <td className={cls.td}>
                <select aria-label={t('settings.goodwill.role')} className={cls.select} disabled={!admin} value={r.role} onChange={(e) => change(i, { role: e.target.value as GoodwillRole })}>
                  {GOODWILL_ROLES.map((x) => (
                    <option key={x} value={x}>
                      {roleLabel(x)}
                    </option>
                  ))}
                </select>
              </td>
              <td className={cls.td}>
                <select aria-label={t('goodwill.kind')} className={cls.select} disabled={!admin} value={r.kind} onChange={(e) => change(i, { kind: e.target.value as GoodwillKind })}>
                  {GOODWILL_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`goodwill.kind.${k}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td className={cls.td}>
                <input aria-label={t('goodwill.currency')} maxLength={3} className={`${cls.inputSized} w-16 uppercase`} disabled={!admin} value={r.currency} onChange={(e) => change(i, { currency: e.target.value })} />
              </td>
              <td className={cls.td}>
                <input
                  aria-label={t('settings.goodwill.limit')}
                  inputMode="decimal"
                  placeholder={t('settings.goodwill.noLimit')}
                  className={`${cls.inputSized} w-28`}
                  disabled={!admin}
                  value={r.limit}
                  onChange={(e) => change(i, { limit: e.target.value })}
                />
              </td>
              <td className={`${cls.td} text-right`}>
                {admin && (
                  <button type="button" className={cls.danger} onClick={() => (setSaved(false), setRows(rows.filter((_, j) => j !== i)))}>
                    {t('settings.goodwill.removeLimit')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </SettingsTable>
      </div>
      <ErrorNote error={save.error} />
      {admin && (
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <button type="button" className={cls.secondary} onClick={() => (setSaved(false), setRows([...rows, { role: 'agent', kind: 'credit', currency: rows.at(-1)?.currency ?? 'EUR', limit: '50' }]))}>
            {t('settings.goodwill.addLimit')}
          </button>
          <button type="button" className={cls.primary} disabled={save.isPending} onClick={() => save.mutate()}>
            {t('settings.goodwill.saveLimits')}
          </button>
          {saved && (
            <span role="status" className="text-sm text-ok">
              {t('settings.goodwill.saved')}
            </span>
          )}
        </div>
      )}
    </section>
  );
}

/** Where approved actions go: the order system's webhook URL, and the secret it verifies the signature with. */
function OrderSystem({ settings }: { settings: GoodwillSettings }) {
  const qc = useQueryClient();
  const [url, setUrl] = useState(settings.orderWebhookUrl ?? '');
  const [shown, setShown] = useState(false);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: { orderWebhookUrl?: string | null; rotateSecret?: boolean }) => api<GoodwillSettings>('/goodwill/settings', { method: 'PUT', body }),
    onSuccess: (s) => {
      qc.setQueryData(goodwillKeys.settings, s);
      setSaved(true);
    },
  });
  return (
    <section className="mb-8" aria-labelledby="goodwill-order-system">
      <h2 id="goodwill-order-system" className={heading}>
        {t('settings.goodwill.orderSystem')}
      </h2>
      <p className="mb-3 text-sm text-ink-2">{t('settings.goodwill.orderSystemIntro')}</p>
      <form
        className={`${cls.card} grid gap-3 p-4`}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ orderWebhookUrl: url.trim() || null });
        }}
      >
        <div>
          <label className={cls.label} htmlFor="goodwill-webhook">
            {t('settings.goodwill.webhookUrl')}
          </label>
          <input
            id="goodwill-webhook"
            type="url"
            className={cls.input}
            placeholder="https://shop.example/heard/goodwill"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setSaved(false);
            }}
          />
        </div>
        {settings.orderWebhookSecret && (
          <div>
            <span className={cls.label}>{t('settings.goodwill.secret')}</span>
            <SecretField
              value={settings.orderWebhookSecret}
              label={t('settings.goodwill.secret')}
              shown={shown}
              setShown={setShown}
              rotating={save.isPending}
              onRotate={() => save.mutate({ rotateSecret: true }, { onSuccess: () => setShown(true) })}
              rotateLabel={t('settings.goodwill.rotate')}
            />
          </div>
        )}
        <ErrorNote error={save.error} labels={{ orderWebhookUrl: t('settings.goodwill.webhookUrl') }} />
        <div className="flex items-center gap-2">
          <button type="submit" className={cls.primary} disabled={save.isPending || url.trim() === (settings.orderWebhookUrl ?? '')}>
            {t('settings.goodwill.saveWebhook')}
          </button>
          {saved && (
            <span role="status" className="text-sm text-ok">
              {t('settings.goodwill.saved')}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

/** Everything given in the workspace: the sums per currency and kind, each action, and the CSV. */
function Ledger() {
  const q = useGoodwillLedger({ limit: '200' });
  const l = q.data;
  return (
    <section aria-labelledby="goodwill-ledger">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="goodwill-ledger" className={heading}>
          {t('settings.goodwill.ledger')}
        </h2>
        <a className={`${cls.secondary} inline-flex items-center gap-1.5`} href="/api/v1/goodwill/ledger?format=csv&limit=10000" download>
          <Icon name="download" size={14} />
          {t('settings.goodwill.csv')}
        </a>
      </div>
      <LoadState error={q.error} loading={q.isPending} />
      {l && l.given.length > 0 && (
        <ul className="mb-3 flex flex-wrap gap-2" aria-label={t('goodwill.given')}>
          {l.given.map((s) => (
            <li key={`${s.currency}-${s.kind}`} className="rounded-md border border-line bg-surface px-3 py-1.5 text-sm">
              <span className="font-semibold">{formatMoney(s.amountMinor, s.currency)}</span> <span className="text-ink-2">{t(`goodwill.kind.${s.kind}`)}</span>{' '}
              <span className="text-xs text-ink-3">×{s.count}</span>
            </li>
          ))}
        </ul>
      )}
      {l && (
        <div className="overflow-x-auto [contain:inline-size]">
          <SettingsTable
            columns={[t('settings.goodwill.when'), t('goodwill.kind'), t('goodwill.amount'), t('settings.goodwill.status'), t('settings.goodwill.conversation')]}
            isEmpty={!l.items.length}
            empty={t('goodwill.ledgerEmpty')}
          >
            {l.items.map((g) => (
              <tr key={g.id} className="border-t border-line">
                <td className={`${cls.td} whitespace-nowrap text-ink-2`}>{formatDate(g.createdAt)}</td>
                <td className={cls.td}>
                  {t(`goodwill.kind.${g.kind}`)}
                  <p className="max-w-64 truncate text-xs text-ink-3" title={g.reason}>
                    {g.reason}
                  </p>
                </td>
                <td className={`${cls.td} whitespace-nowrap`}>{formatMoney(g.amountMinor, g.currency)}</td>
                <td className={cls.td}>
                  {t(`goodwill.state.${g.state}`)}
                  {g.delivery.status && <p className="text-xs text-ink-3">{deliveryText(g)}</p>}
                </td>
                <td className={cls.td}>{g.conversationNumber !== null && <Link className="text-accent underline" to={`/inbox/all/${g.conversationNumber}`}>#{g.conversationNumber}</Link>}</td>
              </tr>
            ))}
          </SettingsTable>
        </div>
      )}
    </section>
  );
}

/** Settings › Goodwill: what waits for approval, the limits per role, the order system, and the ledger. */
export default function GoodwillPage() {
  const admin = useIsAdmin();
  const settings = useGoodwillSettings();
  const waiting = useGoodwillLedger({ state: 'awaiting_approval', limit: '100' });
  return (
    <SettingsPage title={t('settings.goodwill.title')} description={t('settings.goodwill.intro')}>
      <section className="mb-8" aria-labelledby="goodwill-awaiting">
        <h2 id="goodwill-awaiting" className={heading}>
          {t('settings.goodwill.awaiting')}
        </h2>
        {waiting.error ? <p className="text-sm text-danger">{goodwillError(waiting.error)}</p> : null}
        {waiting.data?.items.length ? (
          <ul className="grid grid-cols-1 gap-2">
            {waiting.data.items.map((g) => (
              <GoodwillCard key={`${g.id}-${g.state}`} g={g} showConversation />
            ))}
          </ul>
        ) : (
          <p className="rounded-lg border border-line bg-surface px-4 py-4 text-sm text-ink-3">{waiting.isPending ? t('app.loading') : t('settings.goodwill.awaitingEmpty')}</p>
        )}
      </section>
      <LoadState error={settings.error} loading={settings.isPending} />
      {settings.data && (
        <>
          <Limits settings={settings.data} admin={admin} />
          {admin && <OrderSystem settings={settings.data} />}
        </>
      )}
      <Ledger />
    </SettingsPage>
  );
}
