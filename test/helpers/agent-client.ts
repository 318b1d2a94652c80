import { io, type Socket } from 'socket.io-client';

/** An event as the `/agent` namespace sends it (presentEvent in src/server/realtime/agent-socket.ts). */
export interface AgentEvent {
  id: string;
  seq: number;
  type: string;
  conversationId: string | null;
  actorMemberId: string | null;
  actorContactId: string | null;
  data: Record<string, any>;
  createdAt: string;
}

export interface Presence {
  memberId: string;
  online: boolean;
}

/** Who has a conversation open: `conversation:viewers`, sent to the workspace. */
export interface Viewers {
  conversationId: string;
  viewers: { memberId: string; typing: boolean }[];
}

/** The server's answer to `conversation:view`. */
export type ViewAck = { ok: true; viewers: Viewers['viewers'] } | { error: string };

/** A connected agent socket that records what it receives, so a test can wait for it or assert its absence. */
export interface AgentClient {
  socket: Socket;
  events: AgentEvent[];
  presence: Presence[];
  viewers: Viewers[];
  /** The first event received so far or later that matches; rejects after `ms`. */
  waitForEvent(match: (e: AgentEvent) => boolean, ms?: number): Promise<AgentEvent>;
  waitForPresence(match: (p: Presence) => boolean, ms?: number): Promise<Presence>;
  waitForViewers(match: (v: Viewers) => boolean, ms?: number): Promise<Viewers>;
  /** Opens (or types in) a conversation: `conversation:view`, resolved with the server's ack. */
  view(conversationId: string, typing?: boolean, ms?: number): Promise<ViewAck>;
  /** Closes the conversation it has open: `conversation:leave`. */
  leaveConversation(ms?: number): Promise<{ ok: true }>;
  /** The member ids online in the workspace, as the server answers `presence:list`. */
  presenceList(ms?: number): Promise<string[]>;
  close(): void;
}

/**
 * Connects to `<baseUrl>/agent` over WebSocket, sending `cookie` as a browser would.
 * Resolves once the server accepted the socket; rejects with the server's reason
 * (connect_error) or after `ms`. Each client has its own connection and never reconnects.
 */
export function connectAgent(baseUrl: string, cookie?: string, ms = 5_000, headers: Record<string, string> = {}): Promise<AgentClient> {
  const socket = io(`${baseUrl}/agent`, {
    transports: ['websocket'],
    extraHeaders: { ...headers, ...(cookie ? { cookie } : {}) },
    forceNew: true,
    reconnection: false,
    timeout: ms,
  });
  const events: AgentEvent[] = [];
  const presence: Presence[] = [];
  const viewers: Viewers[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  socket.on('event', (e: AgentEvent) => {
    events.push(e);
    notify();
  });
  socket.on('presence', (p: Presence) => {
    presence.push(p);
    notify();
  });
  socket.on('conversation:viewers', (v: Viewers) => {
    viewers.push(v);
    notify();
  });

  function waitIn<T>(list: T[], what: string, match: (x: T) => boolean, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = list.find(match);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a matching ${what}; received: ${JSON.stringify(list)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  const client: AgentClient = {
    socket,
    events,
    presence,
    viewers,
    waitForEvent: (match, timeoutMs = 3_000) => waitIn(events, 'event', match, timeoutMs),
    waitForPresence: (match, timeoutMs = 3_000) => waitIn(presence, 'presence', match, timeoutMs),
    waitForViewers: (match, timeoutMs = 3_000) => waitIn(viewers, 'conversation:viewers', match, timeoutMs),
    view: (conversationId, typing, timeoutMs = 3_000) => socket.timeout(timeoutMs).emitWithAck('conversation:view', { conversationId, typing }) as Promise<ViewAck>,
    leaveConversation: (timeoutMs = 3_000) => socket.timeout(timeoutMs).emitWithAck('conversation:leave', {}) as Promise<{ ok: true }>,
    presenceList: (timeoutMs = 3_000) => socket.timeout(timeoutMs).emitWithAck('presence:list') as Promise<string[]>,
    close: () => socket.close(),
  };

  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(client);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}
