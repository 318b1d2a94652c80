import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { Field, inputCls, Modal } from '../components/Modal';
import { Button } from '../components/ui';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import {
  formatMoney,
  GOODWILL_KINDS,
  type GoodwillAction,
  type GoodwillKind,
  limitOf,
  minorDigits,
  parseAmount,
  useConversationGoodwill,
  useDecideGoodwill,
  useGiveGoodwill,
  useGoodwillLedger,
  useGoodwillSettings,
} from '../lib/goodwill';
import { useSession } from '../lib/session';
import { shortDate } from '../lib/time';

const CURRENCY_KEY = 'heard.goodwill.currency';

/** What a failed request says: the server's own words (a 403 here says why: own request, above one's limit), or the fields at fault. */
export function goodwillError(e: unknown): string | null {
  if (!e) return null;
  if (e instanceof ApiError) return e.errors.length ? e.errors.map((x) => `${x.field.replace(/^body\./, '')}: ${x.reason}`).join('; ') : e.detail;
  return (e as Error).message;
}

const stateTone: Record<GoodwillAction['state'], string> = {
  awaiting_approval: 'bg-warn/15 text-warn',
  approved: 'bg-ok/15 text-ok',
  denied: 'bg-danger-soft text-danger',
};

/** Where the action stands with the order system, in words. */
export function deliveryText(g: GoodwillAction): string | null {
  if (g.state !== 'approved') return null;
  const d = g.delivery;
  if (d.status === null) return t('goodwill.delivery.none');
  if (d.status === 'delivered') return d.externalRef ? t('goodwill.delivery.deliveredRef', { ref: d.externalRef }) : t('goodwill.delivery.delivered');
  if (d.status === 'failed') return t('goodwill.delivery.failed', { error: d.error ?? '' });
  return d.error ? t('goodwill.delivery.retrying', { error: d.error }) : t('goodwill.delivery.queued');
}

/**
 * One action: what, how much, why, its state and delivery; for a supervisor who did not ask
 * for it, Approve and Deny (with the reason); once approved, "Add to reply" with the customer's sentence.
 */
export function GoodwillCard({ g, onInsert, showConversation }: { g: GoodwillAction; onInsert?: (text: string) => void; showConversation?: boolean }) {
  const me = useSession();
  const decide = useDecideGoodwill();
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState('');
  const someone = t('event.someone');
  const supervisor = me.member.role === 'owner' || me.member.role === 'admin';
  const own = g.requestedByMemberId === me.member.id;
  const delivery = deliveryText(g);
  const deliveryTone = g.delivery.status === 'failed' ? 'text-danger' : g.delivery.status === 'delivered' ? 'text-ok' : 'text-ink-2';
  return (
    <li className="rounded-lg border border-line bg-surface p-3 text-[13px]" aria-label={`${t(`goodwill.kind.${g.kind}`)} ${formatMoney(g.amountMinor, g.currency)}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold text-ink">{formatMoney(g.amountMinor, g.currency)}</span>
        <span className="text-ink-2">{t(`goodwill.kind.${g.kind}`)}</span>
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${stateTone[g.state]}`}>{t(`goodwill.state.${g.state}`)}</span>
        <span className="ml-auto text-xs text-ink-3">{shortDate(g.createdAt)}</span>
      </div>
      <p className="mt-1 break-words whitespace-pre-wrap text-ink">{g.reason}</p>
      <p className="mt-1 text-xs text-ink-3">
        {t('goodwill.requestedBy', { name: g.requestedByName ?? someone })}
        {g.orderRef && <> · {g.orderRef}</>}
        {showConversation && g.conversationNumber !== null && (
          <>
            {' · '}
            <Link className="underline" to={`/inbox/all/${g.conversationNumber}`}>
              {t('conv.number', { number: g.conversationNumber })}
            </Link>
          </>
        )}
      </p>
      {g.decidedByMemberId && (
        <p className="mt-1 text-xs text-ink-2">
          {t('goodwill.decidedBy', { state: t(`goodwill.state.${g.state}`), name: g.decidedByName ?? someone })}
          {g.decisionReason && <>: {g.decisionReason}</>}
        </p>
      )}
      {delivery && (
        <p role="status" className={`mt-1 text-xs break-words ${deliveryTone}`}>
          {delivery}
        </p>
      )}
      {g.state === 'awaiting_approval' && supervisor && !own && (
        <div className="mt-2 grid gap-2">
          {denying ? (
            <form
              className="grid gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                decide.mutate({ id: g.id, approve: false, reason: reason.trim() });
              }}
            >
              <label className="text-xs font-medium text-ink-2" htmlFor={`deny-${g.id}`}>
                {t('goodwill.denyReason')}
              </label>
              <textarea id={`deny-${g.id}`} required rows={2} maxLength={1000} className={`${inputCls} h-auto py-1.5`} value={reason} onChange={(e) => setReason(e.target.value)} />
              <div className="flex gap-2">
                <Button type="submit" variant="danger" disabled={decide.isPending || !reason.trim()}>
                  {t('goodwill.confirmDeny')}
                </Button>
                <Button type="button" onClick={() => setDenying(false)}>
                  {t('feedback.cancel')}
                </Button>
              </div>
            </form>
          ) : (
            <div className="flex gap-2">
              <Button variant="primary" disabled={decide.isPending} onClick={() => decide.mutate({ id: g.id, approve: true })}>
                <Icon name="check" size={14} />
                {t('goodwill.approve')}
              </Button>
              <Button onClick={() => setDenying(true)}>{t('goodwill.deny')}</Button>
            </div>
          )}
        </div>
      )}
      {g.state === 'awaiting_approval' && supervisor && own && <p className="mt-1 text-xs text-ink-3">{t('goodwill.ownRequest')}</p>}
      {g.state === 'awaiting_approval' && onInsert && <p className="mt-1 text-xs text-ink-3">{t('goodwill.toldLater')}</p>}
      {g.customerText && onInsert && (
        <div className="mt-2 flex flex-wrap items-center gap-2 rounded-md bg-hover px-2 py-1.5">
          <span className="min-w-0 flex-1 text-ink-2 italic">“{g.customerText}”</span>
          <Button onClick={() => onInsert(g.customerText!)}>
            <Icon name="reply" size={14} />
            {t('goodwill.tellCustomer')}
          </Button>
        </div>
      )}
      {decide.error && (
        <p role="alert" className="mt-2 rounded-md bg-danger-soft px-2 py-1 text-xs text-danger">
          {goodwillError(decide.error)}
        </p>
      )}
    </li>
  );
}

/**
 * The Goodwill dialog of a conversation: a new action (what, how much, why, which order), with
 * the agent's limit said before they give, and the conversation's actions with their state.
 */
export function GoodwillDialog({ conversationId, canGive, onInsert, onOpenChange }: { conversationId: string; canGive: boolean; onInsert: (text: string) => void; onOpenChange: (o: boolean) => void }) {
  const me = useSession();
  const settings = useGoodwillSettings().data;
  const list = useConversationGoodwill(conversationId);
  const give = useGiveGoodwill(conversationId);
  const [kind, setKind] = useState<GoodwillKind>('credit');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(() => localStorage.getItem(CURRENCY_KEY) ?? 'EUR');
  const [reason, setReason] = useState('');
  const [orderRef, setOrderRef] = useState('');
  const [touched, setTouched] = useState(false);
  const code = currency.trim().toUpperCase();
  const minor = parseAmount(amount, code);
  const limit = settings && /^[A-Z]{3}$/.test(code) ? limitOf(settings, me.member.role, kind, code) : undefined;
  const over = minor !== null && limit !== undefined && limit !== null && minor > limit;
  const amountError = touched && amount && minor === null ? t('goodwill.badAmount', { digits: minorDigits(code) }) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (minor === null) return;
    localStorage.setItem(CURRENCY_KEY, code);
    give.mutate(
      { kind, amountMinor: minor, currency: code, reason: reason.trim(), ...(orderRef.trim() ? { orderRef: orderRef.trim() } : {}) },
      {
        onSuccess: () => {
          setAmount('');
          setReason('');
          setOrderRef('');
          setTouched(false);
        },
      },
    );
  }

  return (
    <Modal open onOpenChange={onOpenChange} title={t('goodwill.title')} description={t('goodwill.intro')} width="w-[min(38rem,94vw)]">
      {canGive && (
        <form className="grid gap-3" onSubmit={submit} aria-label={t('goodwill.title')}>
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-[minmax(0,1fr)_8rem_6rem]">
            <Field label={t('goodwill.kind')} htmlFor="goodwill-kind">
              <select id="goodwill-kind" className={inputCls} value={kind} onChange={(e) => setKind(e.target.value as GoodwillKind)}>
                {GOODWILL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`goodwill.kind.${k}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('goodwill.amount')} htmlFor="goodwill-amount">
              <input id="goodwill-amount" required inputMode="decimal" autoComplete="off" className={inputCls} value={amount} aria-invalid={!!amountError} onChange={(e) => setAmount(e.target.value)} onBlur={() => setTouched(true)} />
            </Field>
            <Field label={t('goodwill.currency')} htmlFor="goodwill-currency">
              <input id="goodwill-currency" required maxLength={3} autoComplete="off" className={`${inputCls} uppercase`} value={currency} onChange={(e) => setCurrency(e.target.value)} />
            </Field>
          </div>
          {amountError && (
            <p role="alert" className="-mt-2 text-xs text-danger">
              {amountError}
            </p>
          )}
          {limit !== undefined && (
            <p className={`-mt-1 text-xs ${over ? 'font-medium text-warn' : 'text-ink-3'}`} role="status">
              {limit === null ? t('goodwill.noLimit') : over ? t('goodwill.needsApproval', { limit: formatMoney(limit, code) }) : t('goodwill.yourLimit', { limit: formatMoney(limit, code) })}
            </p>
          )}
          <Field label={t('goodwill.reason')} htmlFor="goodwill-reason" hint={t('goodwill.reasonHint')}>
            <textarea id="goodwill-reason" required rows={2} maxLength={1000} className={`${inputCls} h-auto py-2`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <Field label={t('goodwill.orderRef')} htmlFor="goodwill-order">
            <input id="goodwill-order" maxLength={200} className={inputCls} value={orderRef} onChange={(e) => setOrderRef(e.target.value)} />
          </Field>
          {give.error && (
            <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
              {goodwillError(give.error)}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" onClick={() => onOpenChange(false)}>
              {t('goodwill.close')}
            </Button>
            <Button type="submit" variant="primary" disabled={give.isPending || !reason.trim() || !amount}>
              <Icon name="gift" size={14} />
              {over ? t('goodwill.ask') : t('goodwill.give')}
            </Button>
          </div>
        </form>
      )}
      <h3 className="mt-4 mb-2 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('goodwill.history')}</h3>
      {list.data?.length ? (
        <ul className="grid grid-cols-1 gap-2" aria-label={t('goodwill.history')}>
          {list.data.map((g) => (
            <GoodwillCard key={g.id} g={g} onInsert={(text) => (onInsert(text), onOpenChange(false))} />
          ))}
        </ul>
      ) : (
        <p className="text-[13px] text-ink-3">{list.isPending ? t('app.loading') : t('goodwill.none')}</p>
      )}
    </Modal>
  );
}

/** How many of a conversation's actions wait for approval: the Goodwill button says so. */
export function useWaitingGoodwill(conversationId: string) {
  return useConversationGoodwill(conversationId).data?.filter((g) => g.state === 'awaiting_approval').length ?? 0;
}

/** The contact's goodwill ledger: what was given and what waits, per currency and kind, and each action. */
export function ContactGoodwill({ contactId }: { contactId: string }) {
  const q = useGoodwillLedger({ contactId, limit: '50' });
  const l = q.data;
  if (!l || !l.items.length) return null;
  const sums = (list: typeof l.given) => list.map((s) => `${formatMoney(s.amountMinor, s.currency)} ${t(`goodwill.noun.${s.kind}`)}`).join(' · ');
  return (
    <section className="border-t border-line p-4" aria-labelledby="contact-goodwill">
      <h3 id="contact-goodwill" className="mb-2 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">
        {t('goodwill.ledger')}
      </h3>
      {l.given.length > 0 && (
        <p className="text-[13px]">
          <span className="text-ink-3">{t('goodwill.given')}: </span>
          {sums(l.given)}
        </p>
      )}
      {l.awaiting.length > 0 && (
        <p className="text-[13px] text-warn">
          <span>{t('goodwill.waiting')}: </span>
          {sums(l.awaiting)}
        </p>
      )}
      <ul className="mt-2 flex flex-col gap-1 text-[12px]">
        {l.items.map((g) => (
          <li key={g.id} className="flex items-baseline gap-2" title={`${shortDate(g.createdAt)} · ${g.reason}`}>
            <span className="shrink-0 font-medium">{formatMoney(g.amountMinor, g.currency)}</span>
            <span className="min-w-0 flex-1 truncate text-ink-2">{t(`goodwill.noun.${g.kind}`)}</span>
            <span className={`shrink-0 rounded px-1 text-[11px] ${stateTone[g.state]}`}>{t(`goodwill.state.${g.state}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
