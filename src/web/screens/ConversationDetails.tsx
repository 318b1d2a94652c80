import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { inputCls, Modal } from '../components/Modal';
import { Button } from '../components/ui';
import { t, tn } from '../i18n';
import { api, ApiError } from '../lib/api';
import { qk, refreshLists } from '../lib/queries';
import type { Conversation } from '../lib/types';
import { type CustomField, useCustomFields } from '../settings/data';

const given = (v: unknown) => v !== undefined && v !== null && v !== '';
const show = (v: unknown) => (typeof v === 'boolean' ? (v ? '✓' : '✗') : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * What the conversation is about and what the customer told: its topic, its custom fields
 * (an intake form's answers among them), how many times the team asked for more, and the
 * "We need more information" action.
 */
export function ConversationDetails({ conversation, canChange }: { conversation: Conversation; canChange: boolean }) {
  const fieldsQuery = useCustomFields();
  const defs = fieldsQuery.data?.filter((f) => f.entity === 'conversation') ?? [];
  const [asking, setAsking] = useState(false);
  const values = Object.entries(conversation.customFields ?? {}).filter(([, v]) => given(v));
  const rounds = conversation.infoRequests ?? 0;
  const labelOf = (key: string) => defs.find((d) => d.key === key)?.label ?? key;
  return (
    <section className="border-t border-line p-4 text-[13px]" aria-labelledby="details-title">
      <h3 id="details-title" className="mb-1 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">
        {t('details.title')}
      </h3>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5" data-testid="conversation-details">
        {conversation.topic && (
          <div className="contents">
            <dt className="text-ink-3">{t('details.topic')}</dt>
            <dd className="min-w-0 truncate font-medium">{conversation.topic}</dd>
          </div>
        )}
        {values.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="max-w-28 truncate text-ink-3" title={labelOf(k)}>
              {labelOf(k)}
            </dt>
            <dd className="min-w-0 truncate select-all" title={show(v)}>
              {show(v)}
            </dd>
          </div>
        ))}
      </dl>
      {!conversation.topic && values.length === 0 && <p className="text-ink-3">{t('details.empty')}</p>}
      {rounds > 0 && (
        <p className="mt-1.5 text-xs text-ink-2" data-testid="info-rounds">
          {tn('details.rounds', rounds, { count: rounds })}
        </p>
      )}
      {canChange && (
        <Button className="mt-2" onClick={() => setAsking(true)}>
          {t('info.open')}
        </Button>
      )}
      <RequestInfoDialog conversation={conversation} fields={fieldsQuery.data ? defs : null} fieldsError={fieldsQuery.error} open={asking} onOpenChange={setAsking} />
    </section>
  );
}

/** Pick the missing fields; the customer gets one message listing them with the form's link. */
function RequestInfoDialog({
  conversation,
  fields,
  fieldsError,
  open,
  onOpenChange,
}: {
  conversation: Conversation;
  fields: CustomField[] | null;
  fieldsError: Error | null;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const qc = useQueryClient();
  // null while the workspace's fields load: not yet "every field has a value".
  const missing = (fields ?? []).filter((f) => !given(conversation.customFields?.[f.key]));
  const [picked, setPicked] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const ask = useMutation({
    mutationFn: (body: { fieldKeys: string[]; text?: string }) => api(`/conversations/${conversation.id}/request-info`, { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.conversation(conversation.id) });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void refreshLists(qc);
      close(false);
    },
  });
  function close(o: boolean) {
    if (!o) {
      setPicked([]);
      setText('');
      setLocal(null);
      ask.reset();
    }
    onOpenChange(o);
  }
  return (
    <Modal open={open} onOpenChange={close} title={t('info.title')} description={t('info.description')}>
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!picked.length) return setLocal(t('info.pickOne'));
          ask.mutate({ fieldKeys: picked, ...(text.trim() ? { text: text.trim() } : {}) });
        }}
      >
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-ink-2">{t('info.fields')}</legend>
          {fields === null ? (
            fieldsError ? (
              <p role="alert" className="text-[13px] text-danger">
                {t('app.error', { detail: fieldsError.message })}
              </p>
            ) : (
              <p role="status" className="text-[13px] text-ink-3">
                {t('app.loading')}
              </p>
            )
          ) : (
            missing.length === 0 && <p className="text-[13px] text-ink-3">{t('info.none')}</p>
          )}
          <ul className="grid gap-1">
            {missing.map((f) => (
              <li key={f.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={picked.includes(f.key)}
                    onChange={(e) => {
                      setLocal(null);
                      setPicked(e.target.checked ? [...picked, f.key] : picked.filter((k) => k !== f.key));
                    }}
                  />
                  <span>{f.label}</span>
                  {f.helpText && <span className="min-w-0 truncate text-xs text-ink-3">{f.helpText}</span>}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div>
          <label className="mb-1 block text-sm font-medium text-ink-2" htmlFor="info-text">
            {t('info.text')}
          </label>
          <textarea id="info-text" rows={3} maxLength={5000} className={inputCls} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        {(local || ask.isError) && (
          <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
            {local ?? (ask.error instanceof ApiError && ask.error.status === 403 ? t('error.forbidden') : (ask.error as Error).message)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={() => close(false)}>{t('settings.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={ask.isPending || missing.length === 0}>
            {t('info.send')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
