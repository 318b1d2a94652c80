import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useDeferredValue, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { Icon } from '../components/Icon';
import { Field, inputCls, Modal } from '../components/Modal';
import { Button } from '../components/ui';
import { type MessageKey, t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { qk, refreshLists, useInboxes } from '../lib/queries';
import { parseDuration } from '../lib/time';
import { CALL_OUTCOMES, type CallOutcome, type Contact, type Conversation, type Message } from '../lib/types';

interface CallDraft {
  direction: 'inbound' | 'outbound';
  number: string;
  duration: string;
  outcome: CallOutcome;
  notes: string;
}

const emptyCall = (number = ''): CallDraft => ({ direction: 'inbound', number, duration: '', outcome: 'answered', notes: '' });

/** The body the API takes for a call, or the reason the draft is not one yet. */
function callBody(d: CallDraft) {
  const durationSeconds = d.duration.trim() ? parseDuration(d.duration) : 0;
  if (durationSeconds === null) return { error: t('call.durationInvalid') };
  return { body: { direction: d.direction, number: d.number.trim(), durationSeconds, outcome: d.outcome, ...(d.notes.trim() ? { notes: d.notes.trim() } : {}) } };
}

/** The API's refusal in words: the field it names, by its label here. */
function problem(e: unknown) {
  if (!(e instanceof ApiError)) return (e as Error).message;
  const labels: Record<string, string> = { number: t('call.number'), durationSeconds: t('call.duration'), inboxId: t('call.inbox'), contact: t('call.contact') };
  if (e.errors.length) return e.errors.map((x) => `${labels[x.field.replace(/^body\./, '').split('.')[0]] ?? x.field}: ${x.reason}`).join('; ');
  return e.status === 403 ? t('error.forbidden') : e.detail;
}

/** The fields of a call: direction, number, duration, outcome and notes. */
function CallFields({ draft, set }: { draft: CallDraft; set: (d: CallDraft) => void }) {
  const id = useId();
  return (
    <>
      <fieldset className="grid gap-1">
        <legend className="mb-1 text-[13px] font-medium text-ink-2">{t('call.direction')}</legend>
        <div className="flex gap-2">
          {(['inbound', 'outbound'] as const).map((dir) => (
            <label
              key={dir}
              className={`flex flex-1 cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-[13px] has-focus-visible:ring-2 has-focus-visible:ring-accent ${draft.direction === dir ? 'border-accent bg-accent-soft text-accent' : 'border-line text-ink-2 hover:bg-hover'}`}
            >
              <input type="radio" name={`${id}-direction`} className="sr-only" checked={draft.direction === dir} onChange={() => set({ ...draft, direction: dir })} />
              <Icon name={dir === 'inbound' ? 'phoneIn' : 'phoneOut'} size={15} />
              {t(dir === 'inbound' ? 'call.inbound' : 'call.outbound')}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-3">
        <Field label={t('call.number')} htmlFor={`${id}-number`}>
          <input id={`${id}-number`} type="tel" required className={inputCls} value={draft.number} onChange={(e) => set({ ...draft, number: e.target.value })} />
        </Field>
        <Field label={t('call.duration')} htmlFor={`${id}-duration`}>
          <input
            id={`${id}-duration`}
            inputMode="numeric"
            placeholder={t('call.durationHint')}
            className={inputCls}
            value={draft.duration}
            onChange={(e) => set({ ...draft, duration: e.target.value })}
          />
        </Field>
      </div>
      <Field label={t('call.outcome')} htmlFor={`${id}-outcome`}>
        <select id={`${id}-outcome`} className={inputCls} value={draft.outcome} onChange={(e) => set({ ...draft, outcome: e.target.value as CallOutcome })}>
          {CALL_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`call.outcome.${o}` as MessageKey)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('call.notes')} htmlFor={`${id}-notes`}>
        <textarea id={`${id}-notes`} rows={3} className={`${inputCls} h-auto py-2`} value={draft.notes} onChange={(e) => set({ ...draft, notes: e.target.value })} />
      </Field>
    </>
  );
}

function Footer({ error, busy, label, onCancel }: { error: string | null; busy: boolean; label: string; onCancel: () => void }) {
  return (
    <>
      {error && (
        <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2 pt-1">
        <Button onClick={onCancel}>{t('contact.cancel')}</Button>
        <Button variant="primary" type="submit" disabled={busy}>
          {label}
        </Button>
      </div>
    </>
  );
}

/** Logs a phone call with the customer on an open conversation (POST /conversations/:id/calls). */
export function LogCallDialog({ conversation, phone, open, onOpenChange }: { conversation: Conversation; phone?: string; open: boolean; onOpenChange: (o: boolean) => void }) {
  const qc = useQueryClient();
  const [draft, setDraft] = useState(() => emptyCall(phone));
  const [error, setError] = useState<string | null>(null);
  const log = useMutation({
    mutationFn: (body: object) => api<Message>(`/conversations/${conversation.id}/calls`, { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void refreshLists(qc);
      setDraft(emptyCall(phone));
      onOpenChange(false);
    },
    onError: (e) => setError(problem(e)),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const r = callBody(draft);
    if (r.error) return setError(r.error);
    setError(null);
    log.mutate(r.body!);
  }
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={t('call.title')} description={t('call.description')}>
      <form onSubmit={submit} aria-label={t('call.title')} className="grid gap-3">
        <CallFields draft={draft} set={setDraft} />
        <Footer error={error} busy={log.isPending} label={t('call.submit')} onCancel={() => onOpenChange(false)} />
      </form>
    </Modal>
  );
}

const refKey: Record<string, 'email' | 'phone' | 'handle' | 'externalId'> = { email: 'email', phone: 'phone', handle: 'handle', external: 'externalId' };

/** How POST /calls finds an existing contact again: by one of its identities (e-mail first). */
export function contactRef(c: Contact): Record<string, string> | null {
  const ranked = [...c.identities].sort((a, b) => Number(b.kind === 'email') - Number(a.kind === 'email'));
  const id = ranked.find((i) => refKey[i.kind]);
  return id ? { [refKey[id.kind]]: id.value } : null;
}

/** The customer of a new call: an existing contact found by name, e-mail or phone, or a new one by name. */
function ContactPicker({ picked, setPicked, newName, setNewName }: { picked: Contact | null; setPicked: (c: Contact | null) => void; newName: string; setNewName: (n: string) => void }) {
  const id = useId();
  const [q, setQ] = useState('');
  const dq = useDeferredValue(q.trim());
  const found = useQuery({
    queryKey: ['search', 'contacts', dq],
    queryFn: ({ signal }) => api<{ items: Contact[] }>('/contacts', { query: { q: dq, limit: 5 }, signal }),
    enabled: dq.length > 0,
    placeholderData: (prev) => prev,
  });
  if (picked)
    return (
      <div className="flex items-center gap-2 rounded-md border border-accent bg-accent-soft px-3 py-2 text-[13px]" role="status">
        <Icon name="user" size={15} className="text-accent" />
        <span className="min-w-0 flex-1 truncate">
          <span className="font-medium">{picked.name || picked.identities[0]?.value}</span>
          <span className="text-ink-3"> · {picked.identities.map((i) => i.value).join(' · ')}</span>
        </span>
        <button type="button" className="text-accent underline" onClick={() => setPicked(null)}>
          {t('call.contactChange')}
        </button>
      </div>
    );
  const items = dq ? (found.data?.items ?? []) : [];
  return (
    <div className="grid gap-2">
      <input aria-label={t('call.contactSearch')} placeholder={t('call.contactSearch')} className={inputCls} value={q} onChange={(e) => setQ(e.target.value)} />
      {dq && (
        <ul className="max-h-40 overflow-y-auto rounded-md border border-line" aria-label={t('call.contactExisting')}>
          {found.isSuccess && items.length === 0 && <li className="px-3 py-2 text-xs text-ink-3">{t('call.contactNone')}</li>}
          {items.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                aria-label={t('call.contactPick', { name: c.name || c.identities[0]?.value || '' })}
                className="flex w-full items-center gap-2 px-3 py-1.5 text-left text-[13px] hover:bg-hover"
                onClick={() => setPicked(c)}
              >
                <span className="font-medium">{c.name || c.identities[0]?.value}</span>
                <span className="min-w-0 truncate text-xs text-ink-3">{c.identities.map((i) => i.value).join(' · ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <Field label={t('call.contactNew')} htmlFor={`${id}-name`}>
        <input id={`${id}-name`} placeholder={t('call.contactName')} className={inputCls} value={newName} onChange={(e) => setNewName(e.target.value)} />
      </Field>
    </div>
  );
}

/** Opens a new conversation from a phone call (POST /calls) in a phone inbox, then opens it. */
export function NewCallDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const id = useId();
  const phoneInboxes = (useInboxes().data ?? []).filter((i) => i.channel === 'phone' && !i.archived);
  const [inboxId, setInboxId] = useState('');
  const [picked, setPicked] = useState<Contact | null>(null);
  const [newName, setNewName] = useState('');
  const [subject, setSubject] = useState('');
  const [draft, setDraft] = useState(() => emptyCall());
  const [error, setError] = useState<string | null>(null);
  const inbox = inboxId || phoneInboxes[0]?.id || '';
  const create = useMutation({
    mutationFn: (body: object) => api<{ conversation: Conversation }>('/calls', { method: 'POST', body }),
    onSuccess: (r) => {
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
      onOpenChange(false);
      setPicked(null);
      setNewName('');
      setSubject('');
      setDraft(emptyCall());
      navigate(`/inbox/open/${r.conversation.number}`);
    },
    onError: (e) => setError(problem(e)),
  });
  function pick(c: Contact | null) {
    setPicked(c);
    const phone = c?.identities.find((i) => i.kind === 'phone')?.value;
    if (phone && !draft.number) setDraft({ ...draft, number: phone });
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    const r = callBody(draft);
    if (r.error) return setError(r.error);
    const contact = picked ? contactRef(picked) : { name: newName.trim() || undefined, phone: draft.number.trim() };
    setError(null);
    create.mutate({ ...r.body, inboxId: inbox, contact, ...(subject.trim() ? { subject: subject.trim() } : {}) });
  }
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={t('call.newTitle')} description={t('call.newDescription')} width="w-[min(36rem,94vw)]">
      {phoneInboxes.length === 0 ? (
        <p className="text-[13px] text-ink-2">{t('call.noPhoneInbox')}</p>
      ) : (
        <form onSubmit={submit} aria-label={t('call.newTitle')} className="grid gap-3">
          {phoneInboxes.length > 1 && (
            <Field label={t('call.inbox')} htmlFor={`${id}-inbox`}>
              <select id={`${id}-inbox`} className={inputCls} value={inbox} onChange={(e) => setInboxId(e.target.value)}>
                {phoneInboxes.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <fieldset className="grid gap-1">
            <legend className="mb-1 text-[13px] font-medium text-ink-2">{t('call.contact')}</legend>
            <ContactPicker picked={picked} setPicked={pick} newName={newName} setNewName={setNewName} />
          </fieldset>
          <CallFields draft={draft} set={setDraft} />
          <Field label={t('call.subject')} htmlFor={`${id}-subject`}>
            <input id={`${id}-subject`} className={inputCls} value={subject} onChange={(e) => setSubject(e.target.value)} />
          </Field>
          <Footer error={error} busy={create.isPending} label={t('call.submitNew')} onCancel={() => onOpenChange(false)} />
        </form>
      )}
    </Modal>
  );
}
