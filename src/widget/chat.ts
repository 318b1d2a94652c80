import { io, type Socket } from 'socket.io-client';
import { acknowledge, lastStoredId, mergeMessages, parseOutbox, pendingIn } from './outbox';
import type { ChatMessage, Contact, ConversationSummary, Identity, Intake, OutboxItem, Session, UploadedFile, WidgetConfig } from './types';

/** Why the visitor cannot chat: a refused identity, a chat for signed-in users, a site not allowed, or another error. */
export type Blocked = { kind: 'verification' | 'signin' | 'origin' } | { kind: 'error'; reason: string };

export interface ChatState {
  config: WidgetConfig | null;
  contact: Contact | null;
  conversations: ConversationSummary[];
  /** The conversation on screen; null before the first message, or after "new conversation". */
  conversationId: string | null;
  messages: ChatMessage[];
  connected: boolean;
  /** The line dropped, or never came up: messages wait in the outbox meanwhile. Not set while the first connection is being made. */
  lineDown: boolean;
  blocked: Blocked | null;
  agentTyping: string | null;
  /** When an agent last read the conversation on screen (the visitor's messages until then show "Seen"). */
  agentSeenAt: string | null;
  unread: number;
  /** Pre-chat form answered (or nothing to ask). */
  preChatDone: boolean;
}

export type ChatEvent = 'open' | 'close' | 'message' | 'unread';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: { field: string; reason: string }[],
  ) {
    super(message);
  }
}

const RETRY_MS = 4000;

/**
 * One visitor's line to Heard: the session (token kept in localStorage per widget), the
 * socket, and the outbox that resends every message until Heard acknowledges it, also
 * after a reload. The view subscribes to its state; nothing else talks to the server.
 */
export class Chat {
  state: ChatState = { config: null, contact: null, conversations: [], conversationId: null, messages: [], connected: false, lineDown: false, blocked: null, agentTyping: null, agentSeenAt: null, unread: 0, preChatDone: false };
  private listeners = new Set<() => void>();
  private handlers = new Map<ChatEvent, Set<(data?: unknown) => void>>();
  private socket: Socket | null = null;
  private token: string | null;
  private identity: Identity | null = null;
  private outbox: OutboxItem[];
  private sending = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private typingSent = 0;
  private started: Promise<void> | null = null;
  /** The session being opened (at boot, or again by identify()); what the visitor tells waits for it. */
  private opening: Promise<void> | null = null;
  /** The next message starts a new conversation rather than continuing the open one. */
  private startNew = false;
  /** The panel is open on a visible page: what arrives is seen. */
  private watching = false;
  private seenSent: string | undefined;
  private intake: Intake | null = null;

  constructor(
    readonly origin: string,
    readonly publicKey: string,
    private readonly storage: Storage | null = safeStorage(),
    /** The visitor's languages, most wanted first: the greeting and offline message come in the first the inbox has. */
    private readonly languages: readonly string[] = [],
  ) {
    this.token = this.load('token');
    this.outbox = parseOutbox(this.load('outbox'));
    this.state.preChatDone = this.load('prechat') === '1';
    this.intake = parseIntake(this.load('intake'));
  }

  subscribe(fn: () => void) {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  on(event: ChatEvent, fn: (data?: unknown) => void) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(fn);
  }

  emit(event: ChatEvent, data?: unknown) {
    for (const fn of this.handlers.get(event) ?? []) {
      try {
        fn(data);
      } catch (err) {
        console.error('[Heard]', err);
      }
    }
  }

  private set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private key(name: string) {
    return `heard:${this.publicKey}:${name}`;
  }
  private load(name: string) {
    try {
      return this.storage?.getItem(this.key(name)) ?? null;
    } catch {
      return null;
    }
  }
  private save(name: string, value: string | null) {
    try {
      if (value === null) this.storage?.removeItem(this.key(name));
      else this.storage?.setItem(this.key(name), value);
    } catch {
      // Private mode or a full storage: the chat works for this page view.
    }
  }

  private async http<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}/widget/v1/${encodeURIComponent(this.publicKey)}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json().catch(() => ({}))) as T & { detail?: string; title?: string; errors?: { field: string; reason: string }[] };
    if (!res.ok) throw new HttpError(res.status, data.detail ?? data.title ?? `HTTP ${res.status}`, data.errors);
    return data;
  }

  /** Loads the config and opens the session once; identify() opens it again. */
  start(): Promise<void> {
    this.started ??= this.boot();
    return this.started;
  }

  private async boot() {
    try {
      const config = await this.http<WidgetConfig>('GET', this.languages.length ? `/config?locale=${encodeURIComponent(this.languages.join(','))}` : '/config');
      this.set({ config });
    } catch (err) {
      this.set({ blocked: err instanceof HttpError && err.status === 403 ? { kind: 'origin' } : { kind: 'error', reason: (err as Error).message } });
      return;
    }
    await this.openSession();
  }

  private openSession() {
    const opening = this.requestSession();
    this.opening = opening;
    return opening;
  }

  private async requestSession() {
    const config = this.state.config;
    if (!config) return;
    if (config.requireVerification && !this.identity) {
      this.set({ blocked: { kind: 'signin' } });
      return;
    }
    let session: Session;
    try {
      session = await this.http<Session>('POST', '/session', {
        token: this.token ?? undefined,
        identity: this.identity ?? undefined,
        context: {
          url: location.href.slice(0, 2000),
          title: document.title.slice(0, 500),
          referrer: document.referrer.slice(0, 2000) || undefined,
          locale: navigator.language,
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        },
      });
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 0;
      if (status === 403 && this.identity) this.set({ blocked: { kind: 'verification' } });
      else if (status === 403 && config.requireVerification) this.set({ blocked: { kind: 'signin' } });
      else this.set({ blocked: { kind: 'error', reason: (err as Error).message } });
      this.disconnect();
      return;
    }
    const changed = session.token !== this.token;
    this.token = session.token;
    this.save('token', session.token);
    const remembered = this.load('conversation');
    const current =
      session.conversations.find((c) => c.id === remembered) ?? session.conversations.find((c) => c.status !== 'solved' && c.status !== 'closed') ?? null;
    const preChatDone = this.state.preChatDone || session.conversations.length > 0 || (this.unknownPreChat(config, session.contact).length === 0 && !config.topics?.length);
    this.set({ contact: session.contact, conversations: session.conversations, blocked: null, preChatDone });
    if (!this.startNew) {
      // Written before the session said which conversation is open: that is where Heard puts them too.
      if (current) this.outbox = this.outbox.map((o) => (o.conversationId === null && !o.newConversation ? { ...o, conversationId: current.id } : o));
      this.persistOutbox();
      await this.show(current?.id ?? null);
    }
    if (changed || !this.socket) this.connect();
  }

  /**
   * For what the visitor does that needs their token (the pre-chat answers, files): the
   * panel shows once the config is in, and a quick visitor acts while the session is still
   * opening; sent then, without a token, it would be refused.
   */
  private async sessionOpened() {
    await this.start();
    await this.opening;
  }

  /** The pre-chat fields the config asks that the visitor has not told yet. */
  unknownPreChat(config = this.state.config, contact = this.state.contact) {
    return (config?.preChat ?? []).filter((f) => !contact?.[f.field]);
  }

  /** Shows a conversation (its history from Heard, and what waits in the outbox). */
  async show(conversationId: string | null) {
    this.startNew = false;
    this.save('conversation', conversationId);
    this.set({ conversationId, messages: pendingIn(this.outbox, conversationId), agentTyping: null, agentSeenAt: null });
    if (!conversationId) return;
    try {
      const { items, agentReadAt } = await this.http<{ items: ChatMessage[]; agentReadAt?: string | null }>('GET', `/conversations/${conversationId}/messages`);
      if (this.state.conversationId === conversationId) this.set({ messages: mergeMessages(this.state.messages, items), agentSeenAt: agentReadAt ?? this.state.agentSeenAt });
      this.markSeen();
    } catch (err) {
      console.warn('[Heard] could not load the conversation', err);
    }
  }

  /** "New conversation": an empty panel whose first message opens a conversation of its own. */
  newConversation() {
    void this.show(null);
    this.startNew = true;
  }

  async identify(identity: Identity) {
    this.identity = identity;
    if (!this.state.config) return this.start();
    await this.openSession();
  }

  private connect() {
    this.disconnect();
    if (!this.token) return;
    // WebSocket first; where a proxy blocks it, long-polling (tryAllTransports falls back when the WebSocket cannot open).
    const s = io(`${this.origin}/visitor`, { path: '/socket.io', transports: ['websocket', 'polling'], tryAllTransports: true, auth: { publicKey: this.publicKey, token: this.token } });
    this.socket = s;
    s.on('connect', () => {
      this.set({ connected: true, lineDown: false });
      void this.sync();
      this.flush();
    });
    s.on('disconnect', () => this.set({ connected: false, lineDown: true }));
    s.on('connect_error', () => this.set({ connected: false, lineDown: true }));
    s.on('message', (m: ChatMessage) => this.receive(m));
    s.on('seen', (e: { conversationId: string; at: string }) => {
      if (e.conversationId === this.state.conversationId) this.set({ agentSeenAt: e.at });
    });
    s.on('typing', (t: { conversationId: string; typing: boolean; name: string }) => {
      if (t.conversationId !== this.state.conversationId) return;
      clearTimeout(this.agentTypingTimer);
      this.set({ agentTyping: t.typing ? t.name || '' : null });
      // A lost "stopped typing" must not leave the indicator on for ever.
      if (t.typing) this.agentTypingTimer = setTimeout(() => this.set({ agentTyping: null }), 8000);
    });
  }

  disconnect() {
    this.socket?.disconnect();
    this.socket = null;
    this.set({ connected: false });
  }

  /** After every (re)connect: what the open conversation missed while the line was down. */
  private async sync() {
    const conversationId = this.state.conversationId;
    const s = this.socket;
    if (!conversationId || !s) return;
    try {
      const r = (await s.timeout(10_000).emitWithAck('sync', { conversationId, after: lastStoredId(this.state.messages) })) as { ok?: boolean; items?: ChatMessage[]; agentReadAt?: string | null };
      if (r.ok && r.items && this.state.conversationId === conversationId) {
        // What an agent read while this page was away comes back with the sync: "Seen" survives reloads.
        this.set({ messages: mergeMessages(this.state.messages, r.items), agentSeenAt: r.agentReadAt ?? this.state.agentSeenAt });
      }
      this.markSeen();
    } catch {
      // The next connect syncs again.
    }
  }

  private receive(m: ChatMessage) {
    const current = this.state.conversationId;
    if (!current && !this.startNew && !this.outbox.length) void this.show(m.conversationId);
    else if (m.conversationId === current) this.set({ messages: mergeMessages(this.state.messages, [m]), agentTyping: m.from === 'agent' ? null : this.state.agentTyping });
    if (m.from === 'agent') {
      this.markSeen();
      this.emit('message', m);
      this.refreshConversations(m);
    }
  }

  private refreshConversations(m: ChatMessage) {
    if (!this.state.conversations.some((c) => c.id === m.conversationId)) return;
    this.set({ conversations: this.state.conversations.map((c) => (c.id === m.conversationId ? { ...c, lastMessageAt: m.createdAt } : c)) });
  }

  /** Whether the visitor can see the panel now (open, on a visible page); then they have seen what it shows. */
  setWatching(watching: boolean) {
    this.watching = watching;
    this.markSeen();
  }

  /** Tells Heard the visitor has seen the agents' replies up to the last one on screen (the agent sees "Seen"). */
  private markSeen() {
    const conversationId = this.state.conversationId;
    const last = [...this.state.messages].reverse().find((m) => m.from === 'agent' && !m.pending);
    if (!this.watching || !conversationId || !last || last.id === this.seenSent || !this.socket?.connected) return;
    this.seenSent = last.id;
    this.socket.emit('seen', { conversationId, messageId: last.id }, () => {});
  }

  /** Counts an agent's message the visitor has not seen (the panel is closed). */
  markUnread() {
    this.set({ unread: this.state.unread + 1 });
    this.emit('unread', { count: this.state.unread });
  }

  markRead() {
    if (!this.state.unread) return;
    this.set({ unread: 0 });
    this.emit('unread', { count: 0 });
  }

  /** Uploads files (POST /attachments): tickets to send with the next message. */
  async upload(files: File[]): Promise<UploadedFile[]> {
    await this.sessionOpened();
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    const res = await fetch(`${this.origin}/widget/v1/${encodeURIComponent(this.publicKey)}/attachments`, {
      method: 'POST',
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
      body: form,
    });
    const data = (await res.json().catch(() => ({}))) as { items?: UploadedFile[]; detail?: string };
    if (!res.ok || !data.items) throw new HttpError(res.status, data.detail ?? `HTTP ${res.status}`);
    return data.items;
  }

  /** A file link of Heard's, made absolute (the page is on another site). */
  fileUrl(url: string) {
    return new URL(url, this.origin).toString();
  }

  /** Puts a message in the outbox (kept across reloads) and sends it. */
  send(text: string, attachments: UploadedFile[] = []) {
    const body = text.trim();
    if (!body && !attachments.length) return;
    const item: OutboxItem = {
      clientMessageId: crypto.randomUUID(),
      text: body,
      attachments: attachments.length ? attachments : undefined,
      conversationId: this.state.conversationId,
      newConversation: this.startNew && !this.state.conversationId ? true : undefined,
      // The pre-chat answers go with the message that opens the conversation.
      intake: !this.state.conversationId && this.intake ? this.intake : undefined,
      createdAt: new Date().toISOString(),
    };
    if (item.intake) this.setIntake(null);
    this.outbox = [...this.outbox, item];
    this.persistOutbox();
    this.set({ messages: mergeMessages(this.state.messages, pendingIn([item], item.conversationId)) });
    this.typing(false);
    this.flush();
  }

  private persistOutbox() {
    this.save('outbox', this.outbox.length ? JSON.stringify(this.outbox) : null);
  }

  /** Sends the outbox, oldest first, one at a time, until each is acknowledged; retried on every connect and after a pause. */
  private flush() {
    const s = this.socket;
    const item = this.outbox[0];
    if (this.sending || !item || !s?.connected) return;
    this.sending = true;
    clearTimeout(this.retryTimer);
    const payload = {
      clientMessageId: item.clientMessageId,
      text: item.text,
      ...(item.attachments?.length ? { attachments: item.attachments.map((a) => a.ticket) } : {}),
      ...(item.conversationId ? { conversationId: item.conversationId } : {}),
      ...(item.newConversation ? { newConversation: true } : {}),
      ...(item.intake ? { intake: item.intake } : {}),
    };
    s.timeout(10_000).emit('message:send', payload, (err: Error | null, r?: { ok?: boolean; conversationId?: string; message?: ChatMessage; error?: string; status?: number }) => {
      this.sending = false;
      if (err || !r) return this.retryLater();
      if (r.ok && r.message && r.conversationId) return this.acknowledged(item, r.conversationId, r.message);
      // Heard refused the message itself (too long, not their conversation): resending cannot help.
      if (r.status && r.status >= 400 && r.status < 500 && r.status !== 429) return this.refused(item, r.error ?? String(r.status));
      this.retryLater();
    });
  }

  private retryLater() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flush(), RETRY_MS);
  }

  private acknowledged(item: OutboxItem, conversationId: string, message: ChatMessage) {
    this.outbox = acknowledge(this.outbox, item.clientMessageId, conversationId);
    this.persistOutbox();
    const shown = this.state.conversationId;
    if (shown === item.conversationId || shown === conversationId) {
      const pending = this.state.messages.filter((m) => m.pending && m.clientMessageId !== item.clientMessageId);
      const stored = this.state.messages.filter((m) => !m.pending);
      this.save('conversation', conversationId);
      this.set({ conversationId, messages: mergeMessages(stored, [message, ...pending.map((m) => ({ ...m, conversationId }))]) });
    }
    if (!this.state.conversations.some((c) => c.id === conversationId)) {
      const summary: ConversationSummary = { id: conversationId, number: 0, subject: null, status: 'open', lastMessageAt: message.createdAt, lastReplyAt: null };
      this.set({ conversations: [summary, ...this.state.conversations] });
    }
    this.flush();
  }

  private refused(item: OutboxItem, reason: string) {
    this.outbox = this.outbox.filter((o) => o.clientMessageId !== item.clientMessageId);
    this.persistOutbox();
    this.set({ messages: this.state.messages.map((m) => (m.clientMessageId === item.clientMessageId ? { ...m, failed: reason } : m)) });
    this.flush();
  }

  /** The visitor is composing: `typing` goes to the agents at most every 3 s, and stops 4 s after the last key. */
  typing(active: boolean) {
    const conversationId = this.state.conversationId;
    const s = this.socket;
    clearTimeout(this.typingTimer);
    if (!conversationId || !s?.connected) return;
    if (!active) {
      if (this.typingSent) s.emit('typing', { conversationId, typing: false });
      this.typingSent = 0;
      return;
    }
    if (Date.now() - this.typingSent > 3000) {
      s.emit('typing', { conversationId, typing: true });
      this.typingSent = Date.now();
    }
    this.typingTimer = setTimeout(() => this.typing(false), 4000);
  }

  /** Pre-chat answers and the address for an answer by e-mail (PATCH /contact). */
  async tell(fields: Partial<Record<'name' | 'email' | 'phone', string>>) {
    const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v && v.trim()));
    if (Object.keys(body).length) {
      // Told before the session opened, the session's arrival would also overwrite it.
      await this.sessionOpened();
      const r = await this.http<{ contact: Contact }>('PATCH', '/contact', body);
      // An address another customer holds is not stored for this one, but it is where they asked to be answered.
      this.set({ contact: { ...r.contact, name: r.contact.name ?? body.name ?? null, email: r.contact.email ?? body.email ?? null, phone: r.contact.phone ?? body.phone ?? null } });
    }
  }

  /** The pre-chat form's topic and answers, kept (across reloads) until the first message takes them. */
  setIntake(intake: Intake | null) {
    this.intake = intake;
    this.save('intake', intake ? JSON.stringify(intake) : null);
  }

  finishPreChat() {
    this.save('prechat', '1');
    this.set({ preChatDone: true });
  }
}

function parseIntake(raw: string | null): Intake | null {
  try {
    const v = raw ? (JSON.parse(raw) as Intake) : null;
    return v && typeof v.topic === 'string' && v.fields && typeof v.fields === 'object' ? v : null;
  } catch {
    return null;
  }
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export { HttpError };
