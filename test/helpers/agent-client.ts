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

/** A connected agent socket that records what it receives, so a test can wait for it or assert its absence. */
export interface AgentClient {
  socket: Socket;
  events: AgentEvent[];
  presence: Presence[];
  /** The first event received so far or later that matches; rejects after `ms`. */
  waitForEvent(match: (e: AgentEvent) => boolean, ms?: number): Promise<AgentEvent>;
  waitForPresence(match: (p: Presence) => boolean, ms?: number): Promise<Presence>;
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
    waitForEvent: (match, timeoutMs = 3_000) => waitIn(events, 'event', match, timeoutMs),
    waitForPresence: (match, timeoutMs = 3_000) => waitIn(presence, 'presence', match, timeoutMs),
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
