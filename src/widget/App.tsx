import { useEffect, useRef, useState } from 'preact/hooks';
import type { Chat, ChatState, HttpError } from './chat';
import { checkContact, friendlyError, replyTimeKey, type Translate } from './i18n';
import type { ChatFile, ChatMessage, IntakeField, PreChatField, UploadedFile } from './types';

export interface UiProps {
  chat: Chat;
  t: Translate;
  locale: string;
  open: boolean;
  setOpen(open: boolean): void;
}

function useChat(chat: Chat): ChatState {
  const [state, setState] = useState(chat.state);
  useEffect(() => chat.subscribe(() => setState(chat.state)), [chat]);
  return state;
}

const ChatIcon = () => (
  <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
    <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z" />
  </svg>
);
const CloseIcon = ({ size = 22 }: { size?: number }) => (
  <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
    <path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M6 6l12 12M18 6 6 18" />
  </svg>
);
const ClipIcon = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
    <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="m21 11-8.6 8.6a5 5 0 0 1-7-7L14 4a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4L15.5 7" />
  </svg>
);
const SendIcon = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
    <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
  </svg>
);

/** The launcher and, when open, the panel: everything the visitor sees, inside the shadow root. */
export function App({ chat, t, locale, open, setOpen }: UiProps) {
  const state = useChat(chat);
  const launcher = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    // Closing hands the focus back to the launcher, where the visitor started.
    if (wasOpen.current && !open) launcher.current?.focus();
    wasOpen.current = open;
  }, [open]);
  if (state.blocked?.kind === 'origin' || !state.config) return null;
  const color = state.config.color;
  return (
    <div class="heard" style={{ '--accent': color, '--on-accent': readableOn(color) }}>
      {open && <Panel state={state} chat={chat} t={t} locale={locale} close={() => setOpen(false)} />}
      <button
        ref={launcher}
        type="button"
        class={`launcher${open ? ' is-open' : ''}`}
        aria-label={open ? t('launcher.close') : t('launcher.open')}
        aria-expanded={open}
        aria-controls="heard-panel"
        onClick={() => setOpen(!open)}
      >
        {open ? <CloseIcon size={26} /> : <ChatIcon />}
        {!open && state.unread > 0 && (
          <span class="badge" aria-label={t('launcher.unread', { n: state.unread })}>
            {state.unread > 9 ? '9+' : state.unread}
          </span>
        )}
      </button>
    </div>
  );
}

function Panel({ state, chat, t, locale, close }: { state: ChatState; chat: Chat; t: Translate; locale: string; close(): void }) {
  const [view, setView] = useState<'chat' | 'history'>('chat');
  const config = state.config!;
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    // The first field of the panel takes the focus when it opens.
    const root = panel.current;
    const first = root?.querySelector<HTMLElement>('.prechat input') ?? root?.querySelector<HTMLElement>('.composer textarea');
    (first ?? root)?.focus();
  }, [view]);
  const names = config.people.map((p) => p.name).join(', ');
  return (
    <section
      id="heard-panel"
      ref={panel}
      class="panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="heard-title"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
    >
      <header class="head">
        <div class="head-text">
          <h2 id="heard-title">{config.name}</h2>
          {names && <p class="people">{config.teamName ? t('team.people', { names, team: config.teamName }) : names}</p>}
          <p class="status">
            <span class={`dot${config.online ? ' on' : ''}`} aria-hidden="true" />
            {statusLine(config, t)}
          </p>
        </div>
        <button type="button" class="icon-btn" aria-label={t('panel.close')} onClick={close}>
          <CloseIcon />
        </button>
      </header>
      <nav class="bar">
        {view === 'history' ? (
          <button type="button" class="link" onClick={() => setView('chat')}>
            ← {t('panel.back')}
          </button>
        ) : (
          <button type="button" class="link" onClick={() => setView('history')} disabled={!!state.blocked}>
            {t('history.open')}
          </button>
        )}
        <button
          type="button"
          class="link"
          disabled={!!state.blocked}
          onClick={() => {
            chat.newConversation();
            setView('chat');
          }}
        >
          + {t('history.new')}
        </button>
      </nav>
      {view === 'history' ? (
        <History state={state} t={t} locale={locale} pick={(id) => void chat.show(id).then(() => setView('chat'))} />
      ) : (
        <Conversation state={state} chat={chat} t={t} locale={locale} />
      )}
    </section>
  );
}

function statusLine(config: NonNullable<ChatState['config']>, t: Translate) {
  if (!config.withinBusinessHours) return config.offlineMessage;
  if (config.expectedReplySeconds !== null) {
    const r = replyTimeKey(config.expectedReplySeconds);
    const reply = t(r.key, { n: r.n ?? '' });
    return config.online ? `${t('status.online')} · ${reply}` : reply;
  }
  return config.online ? t('status.online') : t('status.soon');
}

function History({ state, t, locale, pick }: { state: ChatState; t: Translate; locale: string; pick(id: string): void }) {
  return (
    <div class="history">
      <h3>{t('history.title')}</h3>
      {state.conversations.length === 0 ? (
        <p class="muted">{t('history.empty')}</p>
      ) : (
        <ul>
          {state.conversations.map((c) => (
            <li key={c.id}>
              <button type="button" class={`conv${c.id === state.conversationId ? ' current' : ''}`} onClick={() => pick(c.id)}>
                <span class="conv-title">{c.subject || t('history.untitled', { n: c.number || '' })}</span>
                <span class="conv-meta">
                  {c.status === 'solved' || c.status === 'closed' ? t('history.solved') : t('history.open.status')}
                  {c.lastMessageAt ? ` · ${formatDay(c.lastMessageAt, locale)}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Conversation({ state, chat, t, locale }: { state: ChatState; chat: Chat; t: Translate; locale: string }) {
  const config = state.config!;
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const toBottom = () => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  };
  // The newest message in view; before the first, the greeting is read from its start (the pre-chat form leaves little room).
  useEffect(() => {
    if (state.messages.length || state.agentTyping) toBottom();
  }, [state.messages.length, state.agentTyping, state.conversationId]);
  // "Seen" goes under the visitor's last message an agent has read.
  const lastSeenMine = state.agentSeenAt ? [...state.messages].reverse().find((m) => m.from === 'visitor' && !m.pending && Date.parse(m.createdAt) <= Date.parse(state.agentSeenAt!))?.id : undefined;
  const askPreChat = !state.preChatDone && !state.conversationId && state.messages.length === 0 && (chat.unknownPreChat().length > 0 || (config.topics?.length ?? 0) > 0);
  const offline = !config.online;
  return (
    <>
      <div
        ref={list}
        class="list"
        role="log"
        aria-live="polite"
        aria-label={t('list.label')}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
        }}
        // An image that arrives later makes the list taller: the newest message stays in view.
        onLoadCapture={() => atBottom.current && toBottom()}
      >
        <ol class="items">
        <li class="msg agent greeting">
          <div class="bubble">{config.greeting}</div>
        </li>
        {state.messages.map((m) => (
          <Message key={m.clientMessageId ?? m.id} m={m} t={t} locale={locale} seen={m.id === lastSeenMine} fileUrl={(u) => chat.fileUrl(u)} />
        ))}
        {offline && !state.blocked && <OfflineCard state={state} chat={chat} t={t} askEmail={!(askPreChat && chat.unknownPreChat().some((f) => f.field === 'email'))} />}
        </ol>
      </div>
      <div class="typing" aria-live="polite">
        {state.agentTyping !== null && (
          <span>
            <span class="dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {state.agentTyping ? t('typing.agent', { name: state.agentTyping }) : t('typing.someone')}
          </span>
        )}
      </div>
      {state.blocked ? (
        <p class="notice" role="alert">
          {state.blocked.kind === 'verification'
            ? t('error.verification')
            : state.blocked.kind === 'signin'
              ? t('error.signin')
              : t('error.generic', { reason: state.blocked.kind === 'error' ? state.blocked.reason : '' })}
        </p>
      ) : askPreChat ? (
        <PreChat chat={chat} t={t} />
      ) : (
        <Composer chat={chat} t={t} lineDown={state.lineDown} />
      )}
    </>
  );
}

function Message({ m, t, locale, seen, fileUrl }: { m: ChatMessage; t: Translate; locale: string; seen: boolean; fileUrl(url: string): string }) {
  const mine = m.from === 'visitor';
  return (
    <li class={`msg ${mine ? 'mine' : 'agent'}${m.pending ? ' pending' : ''}${m.failed ? ' failed' : ''}`}>
      {!mine && m.authorName && <span class="author">{m.authorName}</span>}
      {m.survey ? (
        <div class="bubble survey-card">
          <p>{m.survey.intro}</p>
          <div class="survey-links">
            {m.survey.links.map((l) => (
              <a key={l.rating} class={`survey-link survey-${l.rating}`} href={l.url} target="_blank" rel="noopener noreferrer">
                {l.label}
              </a>
            ))}
          </div>
          {m.survey.outro && <p>{m.survey.outro}</p>}
        </div>
      ) : (
        m.text && <div class="bubble">{m.text}</div>
      )}
      {m.attachments && m.attachments.length > 0 && (
        <ul class="files-in">
          {m.attachments.map((a) => (
            <li key={a.id}>
              <Attachment a={a} fileUrl={fileUrl} />
            </li>
          ))}
        </ul>
      )}
      <span class="meta">
        {m.failed ? t('message.failed', { reason: failedReason(t, m.failed) }) : m.pending ? t('message.pending') : formatTime(m.createdAt, locale)}
        {m.byEmail && ` · ${t('message.byEmail')}`}
        {seen && ` · ${t('message.seen')}`}
      </span>
    </li>
  );
}

const IMAGE = /^image\/(png|jpeg|gif|webp)$/;
const MAX_FILES = 5;

function size(bytes: number) {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file in a message: an image shown small (a link to the full one), anything else a link that downloads it. */
function Attachment({ a, fileUrl }: { a: ChatFile; fileUrl(url: string): string }) {
  if (!a.url) return <span class="file">{a.filename}</span>;
  const href = fileUrl(a.url);
  if (IMAGE.test(a.contentType)) {
    return (
      <a href={href} target="_blank" rel="noopener noreferrer" class="image">
        <img src={href} alt={a.filename} loading="lazy" />
      </a>
    );
  }
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" class="file">
      <ClipIcon /> {a.filename} <span class="size">{size(a.size)}</span>
    </a>
  );
}

function Composer({ chat, t, lineDown }: { chat: Chat; t: Translate; lineDown: boolean }) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const send = async () => {
    if (uploading || (!text.trim() && !files.length)) return;
    let uploaded: UploadedFile[] = [];
    if (files.length) {
      setUploading(true);
      setError(null);
      try {
        uploaded = await chat.upload(files);
      } catch (err) {
        setError(t('error.upload', { reason: (err as Error).message }));
        return;
      } finally {
        setUploading(false);
      }
    }
    chat.send(text, uploaded);
    setText('');
    setFiles([]);
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {lineDown && (
        <p class="conn" role="status">
          {t('error.offline')}
        </p>
      )}
      {files.length > 0 && (
        <ul class="files" aria-label={t('composer.files')}>
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span class="name">{f.name}</span>
              <button type="button" class="remove" aria-label={t('composer.remove', { name: f.name })} onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {uploading && <p class="conn" role="status">{t('composer.uploading')}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="composer-row">
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            setFiles([...files, ...Array.from(input.files ?? [])].slice(0, MAX_FILES));
            input.value = '';
          }}
        />
        <button type="button" class="attach" aria-label={t('composer.attach')} title={t('composer.attach')} disabled={uploading || files.length >= MAX_FILES} onClick={() => picker.current?.click()}>
          <ClipIcon />
        </button>
        <textarea
          rows={1}
          aria-label={t('composer.label')}
          aria-describedby="heard-composer-hint"
          placeholder={t('composer.placeholder')}
          value={text}
          maxLength={10000}
          onInput={(e) => {
            const v = (e.target as HTMLTextAreaElement).value;
            setText(v);
            chat.typing(v.length > 0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="submit" class="send" aria-label={t('composer.send')} disabled={uploading || (!text.trim() && !files.length)}>
          <SendIcon />
        </button>
      </div>
      <span id="heard-composer-hint" class="sr-only">
        {t('composer.hint')}
      </span>
    </form>
  );
}

const FIELD_KEY = { name: 'prechat.name', email: 'prechat.email', phone: 'prechat.phone' } as const;
const FIELD_TYPE = { name: 'text', email: 'email', phone: 'tel' } as const;
const FIELD_AUTOCOMPLETE = { name: 'name', email: 'email', phone: 'tel' } as const;

function PreChat({ chat, t }: { chat: Chat; t: Translate }) {
  const fields = chat.unknownPreChat();
  const topics = chat.state.config?.topics ?? [];
  const [values, setValues] = useState<Partial<Record<PreChatField, string>>>({});
  const [topicKey, setTopicKey] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const topic = topics.find((x) => x.key === topicKey);
  // An e-mail field takes the address the visitor gave: it is not asked twice.
  const knowsEmail = Boolean(chat.state.contact?.email || values.email?.trim());
  const asked = (topic?.fields ?? []).filter((f) => !(f.type === 'email' && knowsEmail));
  return (
    <form
      class="prechat"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const missing = [
          ...fields.filter((f) => f.required && !values[f.field]?.trim()).map((f) => t(FIELD_KEY[f.field])),
          ...asked.filter((f) => f.required && !answers[f.key]?.trim()).map((f) => f.label),
        ];
        if (missing.length) return setError(t('prechat.missing', { fields: missing.join(', ') }));
        const wrong = checkContact(t, values);
        if (wrong) return setError(wrong);
        setBusy(true);
        chat
          .tell(values)
          .then(() => {
            chat.setIntake(topic ? { topic: topic.key, fields: Object.fromEntries(asked.map((f) => [f.key, answers[f.key] ?? ''])) } : null);
            chat.finishPreChat();
          })
          .catch((err: HttpError) => setError(friendlyError(t, err, Object.fromEntries(asked.map((f) => [f.key, f.label])))))
          .finally(() => setBusy(false));
      }}
    >
      <p class="prechat-intro">{fields.length ? t('prechat.intro') : t('prechat.introTopic')}</p>
      {fields.map((f) => (
        <label key={f.field} class="field">
          <span>
            {t(FIELD_KEY[f.field])} <em>({f.required ? t('prechat.required') : t('prechat.optional')})</em>
          </span>
          <input
            // Preact's types tie each input type to its own props; these three share them all.
            type={FIELD_TYPE[f.field] as 'text'}
            autoComplete={FIELD_AUTOCOMPLETE[f.field]}
            required={f.required}
            aria-required={f.required}
            value={values[f.field] ?? ''}
            onInput={(e) => {
              setError(null);
              setValues({ ...values, [f.field]: (e.target as HTMLInputElement).value });
            }}
          />
        </label>
      ))}
      {topics.length > 0 && (
        <label class="field">
          <span>{t('prechat.topic')}</span>
          <select
            value={topicKey}
            onChange={(e) => {
              setError(null);
              setTopicKey((e.target as HTMLSelectElement).value);
            }}
          >
            <option value="">{t('prechat.topicNone')}</option>
            {topics.map((x) => (
              <option key={x.key} value={x.key}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {asked.map((f) => (
        <IntakeInput key={`${topicKey}.${f.key}`} field={f} value={answers[f.key] ?? ''} onInput={(v) => {
            setError(null);
            setAnswers({ ...answers, [f.key]: v });
          }} t={t} />
      ))}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t('prechat.start')}
      </button>
    </form>
  );
}

const INTAKE_INPUT = { number: 'number', date: 'date', email: 'email' } as const;

/** One of a topic's intake fields, typed for the keyboard it needs. */
function IntakeInput({ field: f, value, onInput, t }: { field: IntakeField; value: string; onInput: (v: string) => void; t: Translate }) {
  const common = { required: f.required, 'aria-required': f.required, value, onInput: (e: Event) => onInput((e.target as HTMLInputElement).value) };
  return (
    <label class="field">
      <span>
        {f.label} <em>({f.required ? t('prechat.required') : t('prechat.optional')})</em>
      </span>
      {f.type === 'long_text' ? (
        <textarea rows={3} maxLength={10_000} {...common} />
      ) : f.type === 'select' || f.type === 'checkbox' ? (
        <select {...common} onChange={common.onInput}>
          <option value="" />
          {(f.type === 'select' ? f.options : ['yes', 'no']).map((o) => (
            <option key={o} value={o}>
              {f.type === 'checkbox' ? (o === 'yes' ? '✓' : '✗') : o}
            </option>
          ))}
        </select>
      ) : (
        <input type={(INTAKE_INPUT[f.type as keyof typeof INTAKE_INPUT] ?? 'text') as 'text'} maxLength={f.type === 'order_number' ? 100 : 10_000} {...common} />
      )}
      {f.helpText && <small class="help">{f.helpText}</small>}
    </label>
  );
}

/** Nobody is there now: the offline message, and a place for the address the answer should go to (unless the pre-chat form below asks it). */
function OfflineCard({ state, chat, t, askEmail }: { state: ChatState; chat: Chat; t: Translate; askEmail: boolean }) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const known = state.contact?.email;
  return (
    <li class="offline">
      {/* Outside business hours the header says the offline message already. */}
      <p>{state.config!.withinBusinessHours ? state.config!.offlineMessage : t('offline.ask')}</p>
      {known ? (
        <p class="saved">{t('offline.saved', { email: known })}</p>
      ) : !askEmail ? null : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!email.trim()) return;
            const wrong = checkContact(t, { email });
            if (wrong) return setError(wrong);
            setError(null);
            chat.tell({ email }).catch((err: HttpError) => setError(friendlyError(t, err)));
          }}
        >
          <div class="composer-row">
            <input type="email" autoComplete="email" aria-label={t('offline.email')} placeholder={t('offline.email')} value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
            <button type="submit" class="primary small">
              {t('offline.save')}
            </button>
          </div>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </li>
  );
}

/** The server refused the message ("text: Too big: …"): said for people, in the visitor's language. */
function failedReason(t: Translate, reason: string) {
  const field = /^([\w.]+): (.+)$/.exec(reason);
  return field ? friendlyError(t, { status: 422, errors: [{ field: field[1], reason: field[2] }] }) : reason;
}

function formatTime(iso: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

function formatDay(iso: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** Black or white text, whichever reads better on the inbox's colour. */
export function readableOn(hex: string) {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return l > 0.35 ? '#111827' : '#ffffff';
}
