import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { api } from '../lib/api';
import { addAddresses, formatAddress, parseAddressInput, type ReplyRecipients, replyTarget } from '../lib/email';
import { useContact, useInboxes, useTimeline } from '../lib/queries';
import type { Conversation } from '../lib/types';

interface Participant {
  contactId: string;
  name: string;
  role: string;
}

/** A list of addresses as removable chips, typed or pasted into one field; Enter, comma or leaving the field adds them. */
function AddressChips({ label, values, onChange, autoFocus }: { label: string; values: string[]; onChange: (v: string[]) => void; autoFocus?: boolean }) {
  const [draft, setDraft] = useState('');
  const [invalid, setInvalid] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  function commit(text: string) {
    const { valid, invalid: bad } = parseAddressInput(text);
    if (valid.length) onChange(addAddresses(values, valid));
    setInvalid(bad);
    setDraft(bad.join(', '));
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if ((e.key === 'Enter' || e.key === ',' || e.key === ';' || (e.key === 'Tab' && !e.shiftKey)) && draft.trim()) {
      // Tab moves on once the address is taken; a wrong one keeps the focus here to be corrected.
      const { invalid: bad } = parseAddressInput(draft);
      if (e.key !== 'Tab' || bad.length) e.preventDefault();
      commit(draft);
    } else if (e.key === 'Enter') {
      e.preventDefault();
    } else if (e.key === 'Backspace' && !draft && values.length) {
      onChange(values.slice(0, -1));
    }
  }

  return (
    <div className="flex min-w-0 flex-1 items-start gap-2">
      <label htmlFor={id} className="w-8 shrink-0 pt-1 text-ink-3">
        {label}
      </label>
      <div className="min-w-0 flex-1">
        <div
          className={`flex min-h-7 flex-wrap items-center gap-1 rounded-md border bg-canvas px-1 py-0.5 focus-within:border-accent ${invalid.length ? 'border-danger' : 'border-line'}`}
          onClick={() => input.current?.focus()}
        >
          <ul className="contents" aria-label={t('email.recipientsOf', { field: label })}>
            {values.map((a) => (
              <li key={a} className="flex items-center gap-0.5 rounded-full bg-hover py-px pr-0.5 pl-2 text-xs text-ink">
                {a}
                <button
                  type="button"
                  aria-label={t('email.removeRecipient', { address: a, field: label })}
                  onClick={(e) => {
                    e.stopPropagation();
                    onChange(values.filter((x) => x !== a));
                    input.current?.focus();
                  }}
                  className="rounded-full p-0.5 text-ink-3 hover:text-danger"
                >
                  <Icon name="x" size={10} />
                </button>
              </li>
            ))}
          </ul>
          <input
            ref={input}
            id={id}
            autoFocus={autoFocus}
            type="text"
            inputMode="email"
            autoComplete="off"
            spellCheck={false}
            value={draft}
            aria-invalid={invalid.length > 0}
            aria-describedby={invalid.length ? `${id}-error` : undefined}
            placeholder={values.length ? '' : t('email.addAddress')}
            onChange={(e) => {
              const v = e.target.value;
              setInvalid([]);
              // A pasted list becomes chips at once.
              if (/[,;\n]/.test(v)) commit(v);
              else setDraft(v);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => draft.trim() && commit(draft)}
            className="h-6 min-w-32 flex-1 bg-transparent px-1 text-xs text-ink outline-none"
          />
        </div>
        {invalid.length > 0 && (
          <p id={`${id}-error`} role="alert" className="mt-0.5 text-xs text-danger">
            {t('email.notAnAddress', { value: invalid.join(', ') })}
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * The e-mail part of the reply composer: who the reply goes to (the customer), reply or
 * reply all (when others are in copy), and further Cc / Bcc addresses. Shows nothing for
 * conversations of other channels.
 */
export function EmailRecipients({ conversation, value, onChange }: { conversation: Conversation; value: ReplyRecipients; onChange: (v: ReplyRecipients) => void }) {
  const inboxes = useInboxes().data;
  const email = conversation.channel === 'email' || inboxes?.find((i) => i.id === conversation.inboxId)?.channel === 'email';
  const timeline = useTimeline(email ? String(conversation.number) : undefined);
  const contact = useContact(email ? conversation.contactId : undefined);
  const items = timeline.data?.items ?? [];
  const participants = useQuery({
    queryKey: ['conversation-participants', conversation.id, items.length],
    queryFn: () => api<{ participants?: Participant[] }>(`/conversations/${conversation.id}`).then((c) => c.participants ?? []),
    enabled: email,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  }).data ?? [];
  const [shown, setShown] = useState({ cc: false, bcc: false, focus: '' as '' | 'cc' | 'bcc' });
  const group = useId();
  if (!email) return null;

  const messages = items.flatMap((i) => (i.type === 'message' ? [i.message] : []));
  const identities = (contact.data?.identities ?? []).filter((i) => i.kind === 'email').map((i) => i.value);
  const to = replyTarget(messages, conversation.contactId, identities, contact.data?.name);
  const showCc = shown.cc || value.cc.length > 0;
  const showBcc = shown.bcc || value.bcc.length > 0;

  return (
    <div className="mb-2 space-y-1.5 text-[13px]" role="group" aria-label={t('email.recipients')}>
      <div className="flex items-center gap-2">
        <span className="w-8 shrink-0 text-ink-3">{t('email.to')}</span>
        {to ? (
          <span className="min-w-0 truncate rounded-full bg-hover px-2 py-px text-xs text-ink" title={formatAddress(to)}>
            {to.address}
          </span>
        ) : (
          <span role="status" className="min-w-0 text-xs text-danger">
            {t('email.noAddress')}
          </span>
        )}
        {participants.length > 0 && (
          <span role="radiogroup" aria-label={t('email.replyChoice')} className="flex shrink-0 items-center gap-0.5 rounded-md border border-line p-0.5 text-xs">
            {[false, true].map((all) => (
              <label key={String(all)} className={`relative cursor-pointer rounded px-2 py-0.5 has-focus-visible:outline-2 has-focus-visible:outline-accent ${value.replyAll === all ? 'bg-accent-soft font-medium text-accent' : 'text-ink-2 hover:bg-hover'}`}>
                <input type="radio" name={group} className="absolute inset-0 m-0 cursor-pointer opacity-0" checked={value.replyAll === all} onChange={() => onChange({ ...value, replyAll: all })} />
                {all ? t('email.replyAll') : t('email.replyOne')}
              </label>
            ))}
          </span>
        )}
        <span className="flex-1" />
        {!showCc && (
          <button type="button" aria-label={t('email.addCc')} title={t('email.addCc')} className="shrink-0 rounded px-1.5 py-0.5 text-xs text-ink-2 hover:bg-hover hover:text-ink" onClick={() => setShown({ ...shown, cc: true, focus: 'cc' })}>
            {t('email.cc')}
          </button>
        )}
        {!showBcc && (
          <button type="button" aria-label={t('email.addBcc')} title={t('email.addBcc')} className="shrink-0 rounded px-1.5 py-0.5 text-xs text-ink-2 hover:bg-hover hover:text-ink" onClick={() => setShown({ ...shown, bcc: true, focus: 'bcc' })}>
            {t('email.bcc')}
          </button>
        )}
      </div>
      {value.replyAll && participants.length > 0 && <p className="truncate pl-10 text-xs text-ink-2">{t('email.alsoTo', { names: participants.map((p) => p.name).join(', ') })}</p>}
      {showCc && <AddressChips label={t('email.cc')} values={value.cc} onChange={(cc) => onChange({ ...value, cc })} autoFocus={shown.focus === 'cc'} />}
      {showBcc && <AddressChips label={t('email.bcc')} values={value.bcc} onChange={(bcc) => onChange({ ...value, bcc })} autoFocus={shown.focus === 'bcc'} />}
    </div>
  );
}
