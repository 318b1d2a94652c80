import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Icon } from '../components/Icon';
import { inputCls } from '../components/Modal';
import { Button } from '../components/ui';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import {
  type BusinessEvent,
  type OutreachTask,
  type OutreachTaskDetail,
  type TaskCallInput,
  type TaskMessageInput,
  type TaskState,
  useOutreachTask,
  useOutreachTasks,
  useTaskAction,
} from '../lib/outreach';
import { useInboxes, useMembers } from '../lib/queries';
import { useSession } from '../lib/session';
import { fullTime, numberFormat, parseDuration, shortDate } from '../lib/time';
import { CALL_OUTCOMES, type CallOutcome } from '../lib/types';

const STATES: TaskState[] = ['due', 'upcoming', 'done'];

/** An amount as the customer's currency writes it. */
const money = (a: { value: number; currency: string }) => numberFormat({ style: 'currency', currency: a.currency }).format(a.value);

/** What an API refusal says about one field, to show beside it. */
function fieldError(e: unknown, field: string) {
  if (!(e instanceof ApiError)) return undefined;
  return e.errors.find((x) => x.field.replace(/^body\./, '') === field)?.reason;
}

/** An API refusal not tied to a field shown in the form. */
function generalError(e: unknown, fields: string[]) {
  if (!e) return undefined;
  if (e instanceof ApiError) {
    if (e.status === 403) return t('error.forbidden');
    const rest = e.errors.filter((x) => !fields.includes(x.field.replace(/^body\./, '')));
    if (e.errors.length && !rest.length) return undefined;
    return rest.length ? rest.map((x) => `${x.field}: ${x.reason}`).join('; ') : e.detail;
  }
  return (e as Error).message;
}

function FormField({ label, error, children }: { label: string; error?: string; children: (p: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  return (
    <div className="grid min-w-0 gap-1">
      <label htmlFor={id} className="text-[13px] font-medium text-ink-2">
        {label}
      </label>
      {children({ id, ...(error ? { 'aria-invalid': true, 'aria-describedby': `${id}-err` } : {}) })}
      {error && (
        <p id={`${id}-err`} className="text-xs text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

function EventSummary({ event }: { event: BusinessEvent }) {
  const product = event.product?.name ?? event.product?.sku;
  return (
    <span>
      <span className="font-medium text-ink">{event.type}</span>
      {product && <span className="text-ink-2"> · {product}</span>}
    </span>
  );
}

function TaskRow({ task, selected, state }: { task: OutreachTask; selected: boolean; state: TaskState }) {
  const when = state === 'done' ? task.closedAt : (task.snoozedUntil ?? task.dueAt);
  return (
    <li>
      <Link
        to={`/outreach/${task.id}?state=${state}`}
        aria-current={selected ? 'true' : undefined}
        className={`block rounded-md border px-3 py-2 text-sm ${selected ? 'border-accent bg-selected' : 'border-line bg-surface hover:bg-hover'}`}
      >
        <span className="flex items-baseline gap-2">
          <span className="min-w-0 flex-1 truncate font-medium text-ink">{task.contact.name || task.contact.identities[0]?.value || t('outreach.unnamed')}</span>
          {when && (
            <time dateTime={when} title={fullTime(when)} className="shrink-0 text-xs text-ink-3">
              {shortDate(when)}
            </time>
          )}
        </span>
        <span className="mt-0.5 block truncate text-xs text-ink-2">{task.ruleName}</span>
        {task.event && (
          <span className="mt-0.5 block truncate text-xs text-ink-3">
            <EventSummary event={task.event} />
          </span>
        )}
      </Link>
    </li>
  );
}

/** Where the agent writes: a new conversation from an e-mail or API inbox, or one of the customer's conversations. */
function WriteForm({ task, onDone }: { task: OutreachTaskDetail; onDone: () => void }) {
  const inboxes = (useInboxes().data ?? []).filter((i) => !i.archived && (i.channel === 'email' || i.channel === 'api'));
  const [where, setWhere] = useState('');
  const [subject, setSubject] = useState(task.event?.product?.name ? t('outreach.write.subjectDefault', { product: task.event.product.name }) : '');
  const [text, setText] = useState('');
  const write = useTaskAction<TaskMessageInput>((id) => `/outreach/tasks/${id}/message`);
  const target = where || (inboxes[0] ? `inbox:${inboxes[0].id}` : '');
  const isNew = target.startsWith('inbox:');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const [kind, id] = target.split(':');
    const body: TaskMessageInput = kind === 'inbox' ? { inboxId: id, subject, text } : { conversationId: id, text };
    write.mutate({ id: task.id, body }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="grid min-w-0 grid-cols-1 gap-3" aria-label={t('outreach.write')}>
      <WhereField label={t('outreach.write.where')} error={write.error} inboxes={inboxes} task={task} value={target} onChange={setWhere} />
      {isNew && (
        <FormField label={t('outreach.write.subject')} error={fieldError(write.error, 'subject')}>
          {(p) => <input {...p} className={inputCls} value={subject} onChange={(e) => setSubject(e.target.value)} />}
        </FormField>
      )}
      <FormField label={t('outreach.write.message')} error={fieldError(write.error, 'text')}>
        {(p) => <textarea {...p} rows={6} className={`${inputCls} h-auto py-2`} value={text} onChange={(e) => setText(e.target.value)} />}
      </FormField>
      {generalError(write.error, ['inboxId', 'conversationId', 'subject', 'text']) && (
        <p role="alert" className="text-sm text-danger">
          {generalError(write.error, ['inboxId', 'conversationId', 'subject', 'text'])}
        </p>
      )}
      {!target && <p className="text-sm text-ink-2">{t('outreach.write.noInbox')}</p>}
      <div>
        <Button type="submit" variant="primary" disabled={write.isPending || !target}>
          {t('outreach.write.send')}
        </Button>
      </div>
    </form>
  );
}

/** A call the agent made for the task: logged on one of the customer's conversations, or opening one in a phone inbox. */
function CallForm({ task, onDone }: { task: OutreachTaskDetail; onDone: () => void }) {
  const phones = (useInboxes().data ?? []).filter((i) => !i.archived && i.channel === 'phone');
  const [where, setWhere] = useState('');
  const [number, setNumber] = useState(task.contact.identities.find((i) => i.kind === 'phone')?.value ?? '');
  const [duration, setDuration] = useState('');
  const [outcome, setOutcome] = useState<CallOutcome>('answered');
  const [notes, setNotes] = useState('');
  const [durationError, setDurationError] = useState<string>();
  const call = useTaskAction<TaskCallInput>((id) => `/outreach/tasks/${id}/call`);
  const target = where || (phones[0] ? `inbox:${phones[0].id}` : task.history.conversations[0] ? `conversation:${task.history.conversations[0].id}` : '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const durationSeconds = duration.trim() ? parseDuration(duration) : 0;
    if (durationSeconds === null) return setDurationError(t('call.durationInvalid'));
    setDurationError(undefined);
    const [kind, id] = target.split(':');
    const body: TaskCallInput = {
      ...(kind === 'inbox' ? { inboxId: id } : { conversationId: id }),
      direction: 'outbound',
      number: number.trim(),
      durationSeconds,
      outcome,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    };
    call.mutate({ id: task.id, body }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="grid min-w-0 grid-cols-1 gap-3" aria-label={t('outreach.call')}>
      <WhereField label={t('outreach.call.where')} error={call.error} inboxes={phones} task={task} value={target} onChange={setWhere} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <FormField label={t('call.number')} error={fieldError(call.error, 'number')}>
          {(p) => <input {...p} className={inputCls} value={number} onChange={(e) => setNumber(e.target.value)} inputMode="tel" />}
        </FormField>
        <FormField label={`${t('call.duration')} (${t('call.durationHint')})`} error={durationError ?? fieldError(call.error, 'durationSeconds')}>
          {(p) => <input {...p} className={inputCls} value={duration} onChange={(e) => setDuration(e.target.value)} />}
        </FormField>
        <FormField label={t('call.outcome')}>
          {(p) => (
            <select {...p} className={inputCls} value={outcome} onChange={(e) => setOutcome(e.target.value as CallOutcome)}>
              {CALL_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`call.outcome.${o}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <FormField label={t('call.notes')} error={fieldError(call.error, 'notes')}>
        {(p) => <textarea {...p} rows={3} className={`${inputCls} h-auto py-2`} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </FormField>
      {generalError(call.error, ['inboxId', 'conversationId', 'number', 'durationSeconds', 'notes']) && (
        <p role="alert" className="text-sm text-danger">
          {generalError(call.error, ['inboxId', 'conversationId', 'number', 'durationSeconds', 'notes'])}
        </p>
      )}
      {!target && <p className="text-sm text-ink-2">{t('call.noPhoneInbox')}</p>}
      <div>
        <Button type="submit" variant="primary" disabled={call.isPending || !target}>
          {t('call.submit')}
        </Button>
      </div>
    </form>
  );
}

/** Tomorrow at 09:00, local, as a datetime-local value. */
function tomorrowMorning() {
  const d = new Date(Date.now() + 86_400_000);
  d.setHours(9, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T09:00`;
}

function SnoozeForm({ task, onDone }: { task: OutreachTask; onDone: () => void }) {
  const [until, setUntil] = useState(tomorrowMorning);
  const snooze = useTaskAction<{ until: string }>((id) => `/outreach/tasks/${id}/snooze`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    snooze.mutate({ id: task.id, body: { until: new Date(until).toISOString() } }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="flex min-w-0 flex-wrap items-end gap-3" aria-label={t('outreach.snooze')}>
      <FormField label={t('outreach.snooze.until')} error={fieldError(snooze.error, 'until') ?? generalError(snooze.error, ['until'])}>
        {(p) => <input {...p} type="datetime-local" className={`${inputCls} w-auto max-w-full`} value={until} onChange={(e) => setUntil(e.target.value)} />}
      </FormField>
      <Button type="submit" variant="primary" disabled={snooze.isPending || !until}>
        {t('outreach.snooze')}
      </Button>
    </form>
  );
}

function DismissForm({ task, onDone }: { task: OutreachTask; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const dismiss = useTaskAction<{ reason: string }>((id) => `/outreach/tasks/${id}/dismiss`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    dismiss.mutate({ id: task.id, body: { reason } }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label={t('outreach.dismiss')}>
      <div className="min-w-0 flex-1 basis-48">
        <FormField label={t('outreach.dismiss.reason')} error={fieldError(dismiss.error, 'reason') ?? generalError(dismiss.error, ['reason'])}>
          {(p) => <input {...p} className={inputCls} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('outreach.dismiss.placeholder')} />}
        </FormField>
      </div>
      <Button type="submit" variant="danger" disabled={dismiss.isPending}>
        {t('outreach.dismiss')}
      </Button>
    </form>
  );
}

type Panel = 'write' | 'call' | 'snooze' | 'dismiss';

function EventFacts({ event }: { event: BusinessEvent }) {
  const rows: [string, string][] = [
    [t('outreach.event.type'), event.type],
    [t('outreach.event.when'), fullTime(event.occurredAt)],
    ...(event.product ? ([[t('outreach.event.product'), [event.product.name, event.product.sku && `(${event.product.sku})`].filter(Boolean).join(' ')]] as [string, string][]) : []),
    ...(event.amount ? ([[t('outreach.event.amount'), money(event.amount)]] as [string, string][]) : []),
    ...Object.entries(event.data).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[minmax(6rem,auto)_minmax(0,1fr)]">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-ink-3">{k}</dt>
          <dd className="min-w-0 break-words text-ink">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function TaskDetail({ id, state }: { id: string; state: TaskState }) {
  const me = useSession();
  const task = useOutreachTask(id);
  const members = useMembers().data ?? [];
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    setPanel(null);
    setNotice(null);
  }, [id]);
  if (task.isPending) return <p className="p-4 text-ink-3">{t('app.loading')}</p>;
  if (task.isError) return <p role="alert" className="p-4 text-danger">{(task.error as Error).message}</p>;
  const d = task.data;
  const canAct = d.status === 'open' && me.member.role !== 'light';
  const closedBy = members.find((m) => m.id === d.closedByMemberId)?.name ?? t('event.someone');
  const done = (text: string) => () => {
    setPanel(null);
    setNotice(text);
  };
  const email = d.contact.identities.find((i) => i.kind === 'email')?.value;
  const phone = d.contact.identities.find((i) => i.kind === 'phone')?.value;
  return (
    <article aria-labelledby="task-title" className="grid min-w-0 grid-cols-1 gap-4">
      <Link to={`/outreach?state=${state}`} className="flex items-center gap-1 text-sm text-accent lg:hidden">
        <Icon name="back" size={14} /> {t('outreach.back')}
      </Link>
      <header className="rounded-lg border border-line bg-surface p-3 md:p-4">
        <h2 id="task-title" className="text-base font-semibold break-words text-ink">
          <Link to={`/contacts/${d.contact.id}`} className="hover:underline">
            {d.contact.name || email || t('outreach.unnamed')}
          </Link>
        </h2>
        <p className="mt-0.5 text-sm break-all text-ink-2">{[email, phone].filter(Boolean).join(' · ')}</p>
        <p className="mt-3 text-sm">
          <span className="font-medium text-ink">{d.ruleName}</span>
          <span className="text-ink-3"> · {t('outreach.dueAt', { when: fullTime(d.snoozedUntil ?? d.dueAt) })}</span>
        </p>
        {d.instructions && <p className="mt-2 rounded-md bg-accent-soft px-3 py-2 text-sm text-ink">{d.instructions}</p>}
      </header>
      {notice && (
        <p role="status" className="rounded-md bg-accent-soft px-3 py-2 text-sm">
          {notice}
        </p>
      )}
      {d.status !== 'open' && (
        <p className="rounded-md border border-line bg-surface px-3 py-2 text-sm">
          {d.status === 'done'
            ? t(d.outcome === 'call' ? 'outreach.doneByCall' : 'outreach.doneByMessage', { who: closedBy, when: d.closedAt ? fullTime(d.closedAt) : '' })
            : t('outreach.dismissedBy', { who: closedBy, when: d.closedAt ? fullTime(d.closedAt) : '', reason: d.dismissReason ?? '' })}
          {d.conversationId && (
            <>
              {' '}
              <ConversationLink id={d.conversationId} conversations={d.history.conversations} />
            </>
          )}
        </p>
      )}
      {canAct && (
        <section aria-label={t('outreach.actions')} className="rounded-lg border border-line bg-surface p-3 md:p-4">
          <div className="flex flex-wrap gap-2">
            {(['write', 'call', 'snooze', 'dismiss'] as Panel[]).map((p) => (
              <Button key={p} variant={panel === p ? 'primary' : 'default'} aria-expanded={panel === p} onClick={() => setPanel(panel === p ? null : p)}>
                <Icon name={p === 'write' ? 'mail' : p === 'call' ? 'phone' : p === 'snooze' ? 'snooze' : 'x'} size={14} />
                {t(`outreach.${p}`)}
              </Button>
            ))}
          </div>
          {panel && (
            <div className="mt-4 border-t border-line pt-4">
              {panel === 'write' && <WriteForm task={d} onDone={done(t('outreach.sent'))} />}
              {panel === 'call' && <CallForm task={d} onDone={done(t('outreach.logged'))} />}
              {panel === 'snooze' && <SnoozeForm task={d} onDone={done(t('outreach.snoozed'))} />}
              {panel === 'dismiss' && <DismissForm task={d} onDone={done(t('outreach.dismissed'))} />}
            </div>
          )}
        </section>
      )}
      {d.event && (
        <section aria-labelledby="task-event" className="rounded-lg border border-line bg-surface p-3 md:p-4">
          <h3 id="task-event" className="mb-2 text-sm font-semibold text-ink">
            {t('outreach.event')}
          </h3>
          <EventFacts event={d.event} />
        </section>
      )}
      <section aria-labelledby="task-history" className="rounded-lg border border-line bg-surface p-3 md:p-4">
        <h3 id="task-history" className="mb-2 text-sm font-semibold text-ink">
          {t('outreach.history')}
        </h3>
        <ul className="grid gap-1 text-sm">
          {d.history.events.map((e) => (
            <li key={e.id} className="flex gap-3">
              <time dateTime={e.occurredAt} title={fullTime(e.occurredAt)} className="w-24 shrink-0 whitespace-nowrap text-ink-3">
                {shortDate(e.occurredAt)}
              </time>
              <EventSummary event={e} />
            </li>
          ))}
          {d.history.conversations.map((c) => (
            <li key={c.id} className="flex gap-3">
              <span className="w-24 shrink-0 whitespace-nowrap text-ink-3">{c.lastMessageAt ? shortDate(c.lastMessageAt) : ''}</span>
              <Link to={`/inbox/open/${c.number}`} className="min-w-0 truncate text-accent hover:underline">
                #{c.number} {c.subject}
              </Link>
            </li>
          ))}
          {!d.history.events.length && !d.history.conversations.length && <li className="text-ink-3">{t('outreach.noHistory')}</li>}
        </ul>
      </section>
    </article>
  );
}

function ConversationLink({ id, conversations }: { id: string; conversations: OutreachTaskDetail['history']['conversations'] }) {
  const c = conversations.find((x) => x.id === id);
  if (!c) return null;
  return (
    <Link to={`/inbox/open/${c.number}`} className="text-accent underline">
      {t('outreach.openConversation', { number: c.number })}
    </Link>
  );
}

/**
 * The outreach queue at /app/outreach: the follow-ups that outreach rules put in my queue
 * (mine or my team's), each with its customer, the event that caused it and their history;
 * the agent writes first, logs a call, snoozes or dismisses with a reason.
 */
export default function OutreachPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const state = (STATES as string[]).includes(search.get('state') ?? '') ? (search.get('state') as TaskState) : 'due';
  const tasks = useOutreachTasks(state);
  const items = tasks.data ?? [];
  return (
    <section aria-labelledby="outreach-title" className="min-w-0 flex-1 overflow-y-auto bg-canvas">
      <div className="mx-auto w-full max-w-6xl px-3 py-4 md:px-6 md:py-6">
        <header className={`mb-4 ${id ? 'hidden lg:block' : ''}`}>
          <h1 id="outreach-title" className="text-lg font-semibold text-ink">
            {t('outreach.title')}
          </h1>
          <p className="mt-1 text-sm text-ink-2">{t('outreach.description')}</p>
        </header>
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,20rem)_minmax(0,1fr)]">
          <div className={`min-w-0 ${id ? 'hidden lg:block' : ''}`}>
            <div role="group" aria-label={t('outreach.states')} className="mb-3 inline-flex max-w-full flex-wrap rounded-md border border-line bg-surface p-0.5">
              {STATES.map((s) => (
                <button
                  key={s}
                  type="button"
                  aria-pressed={state === s}
                  onClick={() => navigate(`/outreach?state=${s}`)}
                  className={`rounded px-3 py-1 text-sm max-split:min-h-11 ${state === s ? 'bg-selected font-medium text-ink' : 'text-ink-2 hover:text-ink'}`}
                >
                  {t(`outreach.state.${s}`)}
                </button>
              ))}
            </div>
            {tasks.isPending && <p className="text-sm text-ink-3">{t('app.loading')}</p>}
            {tasks.isError && <p role="alert" className="text-sm text-danger">{(tasks.error as Error).message}</p>}
            {tasks.isSuccess && !items.length && <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-ink-3">{t(`outreach.empty.${state}`)}</p>}
            <ul aria-label={t('outreach.list')} className="grid grid-cols-1 gap-2">
              {items.map((task) => (
                <TaskRow key={task.id} task={task} selected={task.id === id} state={state} />
              ))}
            </ul>
          </div>
          <div className="min-w-0">
            {id ? <TaskDetail id={id} state={state} /> : items.length > 0 && <p className="hidden rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-ink-3 lg:block">{t('outreach.pick')}</p>}
          </div>
        </div>
      </div>
    </section>
  );
}

/** Where an agent answers a task: a new conversation in one of the inboxes, or one of the customer's conversations. */
function WhereField({
  label,
  error,
  inboxes,
  task,
  value,
  onChange,
}: {
  label: string;
  error: unknown;
  inboxes: { id: string; name: string }[];
  task: { history: { conversations: { id: string; number: number; subject: string }[] } };
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <FormField label={label} error={fieldError(error, 'inboxId') ?? fieldError(error, 'conversationId')}>
      {(p) => (
        <select {...p} className={`${inputCls} min-w-0`} value={value} onChange={(e) => onChange(e.target.value)}>
          {inboxes.map((i) => (
            <option key={i.id} value={`inbox:${i.id}`}>
              {t('outreach.write.newIn', { inbox: i.name })}
            </option>
          ))}
          {task.history.conversations.map((c) => (
            <option key={c.id} value={`conversation:${c.id}`}>
              {t('outreach.write.replyOn', { number: c.number, subject: c.subject })}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
