import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Avatar } from '../components/Avatar';
import { Button, StatusPill } from '../components/ui';
import { t } from '../i18n';
import { api } from '../lib/api';
import { qk, refreshLists, useContact } from '../lib/queries';
import { useSession } from '../lib/session';
import { shortAge, shortDate } from '../lib/time';
import type { Contact } from '../lib/types';

function show(v: unknown) {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** Who the customer is: identities, company, attributes and their other conversations; editable. */
export function ContactSidebar({ contactId, currentNumber }: { contactId: string; currentNumber?: number }) {
  const q = useContact(contactId);
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
                  <span className="w-16 shrink-0 text-ink-3">{i.kind}</span>
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
              <span className="w-16 shrink-0 text-xs text-ink-3">{i.kind}</span>
              <span className="min-w-0 flex-1 truncate">{i.value}</span>
              <button type="button" aria-label={t('contact.removeIdentity', { value: i.value })} className="px-1 text-ink-3 hover:text-danger" onClick={() => setRemoved([...removed, i.id])}>
                ✕
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
              {['email', 'phone', 'handle', 'external'].map((k) => (
                <option key={k} value={k}>
                  {k}
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
              ✕
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
