import { ContactGoodwill } from './Goodwill';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useDeferredValue, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Avatar } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { Button, StatusPill } from '../components/ui';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { qk, refreshLists, useContact, useConversation } from '../lib/queries';
import { useSession } from '../lib/session';
import { slaLines } from '../lib/sla';
import { numberFormat, shortAge, shortDate } from '../lib/time';
import { useNow } from '../lib/use-now';
import type { Contact, Conversation, Participant, Rating } from '../lib/types';
import { ConversationDetails } from './ConversationDetails';
import { VisitorDetails } from './VisitorDetails';
import { useContactEvents } from '../lib/outreach';
import { OrdersPanel, ProductsPanel } from '../catalog/CatalogPanels';

function show(v: unknown) {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

const ratingLook = { good: ['faceGood', 'text-ok'], okay: ['faceOkay', 'text-warn'], bad: ['faceBad', 'text-danger'] } as const;

/** The customer's rating of a conversation, as a face in its colour; named for screen readers and on hover. */
function RatingMark({ rating }: { rating: Rating }) {
  const [icon, tone] = ratingLook[rating];
  const label = t('rating.label', { rating: t(`rating.${rating}`) });
  return (
    <span role="img" aria-label={label} title={label} data-rating={rating} className={`shrink-0 ${tone}`}>
      <Icon name={icon} size={15} />
    </span>
  );
}

const lineTone = { met: 'text-ok', calm: 'text-ink-2', warn: 'text-warn', breached: 'text-danger' } as const;

/** Where each target of the conversation's SLA stands, kept current as the minutes pass. */
function SlaPanel({ sla }: { sla: NonNullable<Conversation['sla']> }) {
  const lines = slaLines(sla, useNow());
  if (!lines.length) return null;
  return (
    <section className="border-t border-line p-4 text-[13px]" aria-labelledby="sla-title">
      <h3 id="sla-title" className="mb-1 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">
        {t('sla.panel')}
      </h3>
      {sla.policy.name && <p className="mb-1.5 text-xs text-ink-3">{t('sla.policy', { name: sla.policy.name })}</p>}
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5" data-testid="sla-panel">
        {lines.map((l) => (
          <div key={l.target} className="contents">
            <dt className="text-ink-3">{l.name}</dt>
            <dd className={`min-w-0 font-medium ${lineTone[l.tone]}`} data-tone={l.tone}>
              {l.state}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const IDENTITY_KINDS = ['email', 'phone', 'handle', 'external'] as const;
/** An identity's kind in the member's language (the API's word for a kind this app does not know yet). */
const kindLabel = (kind: string) => ((IDENTITY_KINDS as readonly string[]).includes(kind) ? t(`contact.kind.${kind as (typeof IDENTITY_KINDS)[number]}`) : kind);

/** Who the customer is: identities, company, attributes and their other conversations; editable. Beside a conversation, also who is cc'd on it. */
export function ContactSidebar({ contactId, currentNumber, conversation, canChange = false }: { contactId: string; currentNumber?: number; conversation?: Conversation; canChange?: boolean }) {
  const q = useContact(contactId);
  // GET /conversations/:id carries the widget visitor's context (the timeline's copy does not).
  const full = useConversation(conversation?.id).data;
  const visitor = full?.visitor;
  // Earlier conversations open beside the list the agent is working in.
  const view = useParams().view ?? 'open';
  const me = useSession();
  const [editing, setEditing] = useState(false);
  const c = q.data;
  if (!c) return <aside className="w-72 shrink-0 border-l border-line bg-surface p-4 text-sm text-ink-3">{q.isError ? (q.error as Error).message : t('app.loading')}</aside>;
  const canEdit = me.member.role !== 'light';
  return (
    <aside aria-label={t('contact.panel')} className="flex w-64 shrink-0 flex-col overflow-y-auto border-l border-line bg-surface 2xl:w-72">
      <div className="flex items-start gap-3 border-b border-line p-4">
        <Avatar name={c.name} size={40} />
        <div className="min-w-0 flex-1">
          <h2 className="truncate font-semibold">{c.name}</h2>
          {c.company && <p className="truncate text-[13px] text-ink-2">{c.company.name}</p>}
          <p className="text-xs text-ink-3">{t('contact.since', { date: shortDate(c.createdAt) })}</p>
        </div>
      </div>
      {editing ? (
        <ContactForm c={c} onDone={() => setEditing(false)} />
      ) : (
        <div className="flex flex-col items-start gap-4 p-4 text-[13px] [&>section]:w-full">
          <section>
            <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('contact.identities')}</h3>
            <ul className="flex flex-col gap-0.5">
              {c.identities.map((i) => (
                <li key={i.id} className="flex gap-2">
                  <span className="w-16 shrink-0 text-ink-3">{kindLabel(i.kind)}</span>
                  <span className="min-w-0 truncate select-all" title={i.value}>
                    {i.value}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          {Object.keys(c.attributes).length > 0 && (
            <section>
              <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('contact.attributes')}</h3>
              <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5">
                {Object.entries(c.attributes).map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-ink-3">{k}</dt>
                    <dd className="min-w-0 truncate" title={show(v)}>
                      {show(v)}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          )}
          {canEdit && (
            <Button onClick={() => setEditing(true)}>
              {t('contact.edit')}
            </Button>
          )}
        </div>
      )}
      {conversation?.sla && <SlaPanel sla={conversation.sla} />}
      {conversation && <ConversationDetails conversation={{ ...conversation, ...full }} canChange={canChange} />}
      {conversation && visitor && <VisitorDetails visitor={visitor} />}
      {conversation && <Participants conversation={conversation} canChange={canChange} />}
      <ContactGoodwill contactId={c.id} />
      <ContactEvents contactId={contactId} />
      <OrdersPanel conversationId={conversation?.id} contactId={contactId} canLink={canChange} />
      {conversation && <ProductsPanel />}
      <section className="border-t border-line p-4">
        <h3 className="mb-2 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('contact.conversations')}</h3>
        <ul className="flex flex-col gap-1">
          {(c.conversations ?? []).map((cv) => (
            <li key={cv.id}>
              <Link
                to={`/inbox/${view}/${cv.number}`}
                aria-current={cv.number === currentNumber ? 'page' : undefined}
                className={`flex items-center gap-2 rounded-md px-2 py-1.5 text-[13px] ${cv.number === currentNumber ? 'bg-selected' : 'hover:bg-hover'}`}
              >
                <span className="text-ink-3">#{cv.number}</span>
                <span className="min-w-0 flex-1 truncate">{cv.subject || t('list.noSubject')}</span>
                {cv.rating && <RatingMark rating={cv.rating} />}
                <StatusPill status={cv.status} />
                <span className="text-[11px] text-ink-3">{shortAge(cv.lastMessageAt)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </aside>
  );
}

function ContactForm({ c, onDone }: { c: Contact; onDone: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState(c.name);
  const [company, setCompany] = useState(c.company?.name ?? '');
  const [attrs, setAttrs] = useState<[string, string][]>(Object.entries(c.attributes).map(([k, v]) => [k, show(v)]));
  const [removed, setRemoved] = useState<string[]>([]);
  const [added, setAdded] = useState<{ kind: string; value: string }[]>([]);
  const save = useMutation({
    mutationFn: () =>
      api<Contact>(`/contacts/${c.id}`, {
        method: 'PATCH',
        body: {
          name: name.trim(),
          company: company.trim() || null,
          attributes: Object.fromEntries(attrs.filter(([k]) => k.trim()).map(([k, v]) => [k.trim(), v])),
          ...(removed.length ? { removeIdentities: removed } : {}),
          ...(added.some((i) => i.value.trim()) ? { addIdentities: added.filter((i) => i.value.trim()).map((i) => ({ kind: i.kind, value: i.value.trim() })) } : {}),
        },
      }),
    onSuccess: (updated) => {
      qc.setQueryData(qk.contact(c.id), { ...c, ...updated, conversations: c.conversations });
      void refreshLists(qc);
      onDone();
    },
  });
  const input = 'h-8 w-full rounded-md border border-line bg-canvas px-2 text-[13px]';
  return (
    <form
      className="grid gap-3 p-4 text-[13px]"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label className="grid gap-1 text-xs text-ink-2">
        {t('contact.name')}
        <input className={input} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>
      <label className="grid gap-1 text-xs text-ink-2">
        {t('contact.company')}
        <input className={input} value={company} placeholder={t('contact.noCompany')} onChange={(e) => setCompany(e.target.value)} />
      </label>
      <fieldset className="grid gap-1">
        <legend className="mb-1 text-xs text-ink-2">{t('contact.identities')}</legend>
        {c.identities
          .filter((i) => !removed.includes(i.id))
          .map((i) => (
            <div key={i.id} className="flex items-center gap-1">
              <span className="w-16 shrink-0 text-xs text-ink-3">{kindLabel(i.kind)}</span>
              <span className="min-w-0 flex-1 truncate">{i.value}</span>
              <button type="button" aria-label={t('contact.removeIdentity', { value: i.value })} className="px-1 text-ink-3 hover:text-danger" onClick={() => setRemoved([...removed, i.id])}>
                <Icon name="x" size={12} />
              </button>
            </div>
          ))}
        {added.map((i, n) => (
          <div key={n} className="flex gap-1">
            <select
              aria-label={t('contact.identityKind')}
              className="h-8 rounded-md border border-line bg-canvas px-1 text-[13px]"
              value={i.kind}
              onChange={(e) => setAdded(added.map((a, j) => (j === n ? { ...a, kind: e.target.value } : a)))}
            >
              {IDENTITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
            <input aria-label={t('contact.identityValue')} className={input} value={i.value} onChange={(e) => setAdded(added.map((a, j) => (j === n ? { ...a, value: e.target.value } : a)))} />
          </div>
        ))}
        <Button variant="ghost" className="justify-self-start" onClick={() => setAdded([...added, { kind: 'email', value: '' }])}>
          + {t('contact.addIdentity')}
        </Button>
      </fieldset>
      <fieldset className="grid gap-1">
        <legend className="mb-1 text-xs text-ink-2">{t('contact.attributes')}</legend>
        {attrs.map(([k, v], i) => (
          <div key={i} className="flex gap-1">
            <input aria-label={t('contact.attributeKey')} className={input} value={k} onChange={(e) => setAttrs(attrs.map((a, j) => (j === i ? [e.target.value, a[1]] : a)))} />
            <input aria-label={t('contact.attributeValue')} className={input} value={v} onChange={(e) => setAttrs(attrs.map((a, j) => (j === i ? [a[0], e.target.value] : a)))} />
            <button type="button" aria-label={t('contact.removeAttribute', { key: k })} className="px-1 text-ink-3 hover:text-danger" onClick={() => setAttrs(attrs.filter((_, j) => j !== i))}>
              <Icon name="x" size={12} />
            </button>
          </div>
        ))}
        <Button variant="ghost" className="justify-self-start" onClick={() => setAttrs([...attrs, ['', '']])}>
          + {t('contact.addAttribute')}
        </Button>
      </fieldset>
      {save.isError && (
        <p role="alert" className="text-danger">
          {(save.error as Error).message}
        </p>
      )}
      <div className="flex gap-2">
        <Button variant="primary" type="submit" disabled={save.isPending}>
          {t('contact.save')}
        </Button>
        <Button onClick={onDone}>{t('contact.cancel')}</Button>
      </div>
    </form>
  );
}

/** The further customers on a conversation (cc): listed, added (an existing contact, or by e-mail) and removed. */
function Participants({ conversation, canChange }: { conversation: Conversation; canChange: boolean }) {
  const qc = useQueryClient();
  const list = useConversation(conversation.id).data?.participants ?? [];
  const [adding, setAdding] = useState(false);
  const change = useMutation({
    mutationFn: (op: { add: Record<string, string> } | { remove: string }) =>
      'add' in op
        ? api<{ participants: Participant[] }>(`/conversations/${conversation.id}/participants`, { method: 'POST', body: op.add })
        : api<{ participants: Participant[] }>(`/conversations/${conversation.id}/participants/${op.remove}`, { method: 'DELETE' }),
    onSuccess: (r, op) => {
      qc.setQueryData<Conversation>(qk.conversation(conversation.id), (old) => (old ? { ...old, participants: r.participants } : old));
      void qc.invalidateQueries({ queryKey: ['timeline'], predicate: (q) => (q.state.data as { conversation?: { id: string } } | undefined)?.conversation?.id === conversation.id });
      if ('add' in op) setAdding(false);
    },
  });
  const error = change.error instanceof ApiError ? (change.error.errors.map((e) => e.reason).join('; ') || change.error.detail) : change.error?.message;
  return (
    <section className="border-t border-line p-4" aria-labelledby="cc-title">
      <div className="mb-1 flex items-center">
        <h3 id="cc-title" className="flex-1 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">
          {t('cc.title')}
        </h3>
        {canChange && !adding && (
          <button type="button" className="rounded px-1.5 py-0.5 text-xs text-accent hover:bg-hover" onClick={() => setAdding(true)}>
            + {t('cc.add')}
          </button>
        )}
      </div>
      <ul className="flex flex-col gap-0.5 text-[13px]" aria-label={t('cc.title')}>
        {list.length === 0 && !adding && <li className="text-xs text-ink-3">{t('cc.empty')}</li>}
        {list.map((p) => (
          <li key={p.contactId} className="flex items-center gap-2">
            <Avatar name={p.name || '?'} size={20} />
            <span className="min-w-0 flex-1 truncate">{p.name || t('msg.customer')}</span>
            {canChange && (
              <button
                type="button"
                aria-label={t('cc.remove', { name: p.name || t('msg.customer') })}
                title={t('cc.remove', { name: p.name || t('msg.customer') })}
                disabled={change.isPending}
                className="rounded p-1 text-ink-3 hover:bg-hover hover:text-danger"
                onClick={() => change.mutate({ remove: p.contactId })}
              >
                <Icon name="x" size={12} />
              </button>
            )}
          </li>
        ))}
      </ul>
      {adding && <AddParticipant exclude={[conversation.contactId, ...list.map((p) => p.contactId)]} busy={change.isPending} onAdd={(body) => change.mutate({ add: body })} onCancel={() => setAdding(false)} />}
      {error && (
        <p role="alert" className="mt-2 text-xs text-danger">
          {error}
        </p>
      )}
    </section>
  );
}

function AddParticipant({ exclude, busy, onAdd, onCancel }: { exclude: string[]; busy: boolean; onAdd: (body: Record<string, string>) => void; onCancel: () => void }) {
  const [q, setQ] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const dq = useDeferredValue(q.trim());
  const found = useQuery({
    queryKey: ['search', 'contacts', dq],
    queryFn: ({ signal }) => api<{ items: Contact[] }>('/contacts', { query: { q: dq, limit: 5 }, signal }),
    enabled: dq.length > 0,
    placeholderData: (prev) => prev,
  });
  const items = dq ? (found.data?.items ?? []).filter((c) => !exclude.includes(c.id)) : [];
  const input = 'h-8 w-full rounded-md border border-line bg-canvas px-2 text-[13px]';
  function submit(e: FormEvent) {
    e.preventDefault();
    if (email.trim()) onAdd({ email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
  }
  return (
    <div className="mt-2 grid gap-2">
      <input autoFocus aria-label={t('cc.search')} placeholder={t('cc.search')} className={input} value={q} onChange={(e) => setQ(e.target.value)} />
      {items.length > 0 && (
        <ul className="rounded-md border border-line">
          {items.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                disabled={busy}
                aria-label={t('cc.pick', { name: c.name || c.identities[0]?.value || '' })}
                className="flex w-full flex-col px-2 py-1 text-left hover:bg-hover"
                onClick={() => onAdd({ contactId: c.id })}
              >
                <span className="truncate text-[13px]">{c.name || c.identities[0]?.value}</span>
                <span className="truncate text-[11px] text-ink-3">{c.identities.map((i) => i.value).join(' · ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="grid gap-1.5" aria-label={t('cc.byEmail')}>
        <p className="text-xs text-ink-3">{t('cc.byEmail')}</p>
        <input type="email" aria-label={t('cc.email')} placeholder={t('cc.email')} className={input} value={email} onChange={(e) => setEmail(e.target.value)} />
        <input aria-label={t('cc.name')} placeholder={t('cc.name')} className={input} value={name} onChange={(e) => setName(e.target.value)} />
        <div className="flex gap-2">
          <Button variant="primary" type="submit" disabled={busy || !email.trim()}>
            {t('cc.addSubmit')}
          </Button>
          <Button onClick={onCancel}>{t('contact.cancel')}</Button>
        </div>
      </form>
    </div>
  );
}

/** The customer's business events (purchases, deliveries …), newest first: what the shop's systems told Heard. */
function ContactEvents({ contactId }: { contactId: string }) {
  const events = useContactEvents(contactId).data ?? [];
  if (!events.length) return null;
  return (
    <section className="border-t border-line p-4" aria-labelledby="contact-events-title">
      <h3 id="contact-events-title" className="mb-2 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">
        {t('contact.events')}
      </h3>
      <ul className="flex flex-col gap-1 text-[13px]">
        {events.slice(0, 10).map((e) => {
          const product = e.product?.name ?? e.product?.sku;
          return (
            <li key={e.id} className="flex flex-wrap items-baseline gap-x-2">
              <span className="w-20 shrink-0 text-[11px] whitespace-nowrap text-ink-3">{shortDate(e.occurredAt)}</span>
              <span className="min-w-0 flex-1 basis-32 truncate">
                <span className="font-medium">{e.type}</span>
                {product && <span className="text-ink-2"> · {product}</span>}
              </span>
              {e.amount && <span className="shrink-0 text-[11px] text-ink-3">{numberFormat({ style: 'currency', currency: e.amount.currency }).format(e.amount.value)}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
