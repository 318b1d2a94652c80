import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Server, type Namespace } from 'socket.io';
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { NotFound } from '../core/errors.js';
import { SESSION_COOKIE } from '../core/http/authenticate.js';
import type { RealtimeSink } from '../core/events/processors/realtime.js';
import type { EventRow } from '../core/events/record-event.js';
import { sha256 } from '../core/ids.js';
import { actorFromSession } from '../domains/auth/service.js';
import { conversationPolicy } from '../domains/conversations/policy.js';
import { getConversationRow } from '../domains/conversations/service.js';

export interface AgentRealtime extends RealtimeSink {
  io: Server;
  /** Closes the sockets of one signed-out session, on every node. */
  disconnectSession(tokenHash: string): Promise<void>;
  /** How many members of the workspace have the agent app open now, on any node. */
  membersOnline(workspaceId: string): Promise<number>;
  /** Which members of the workspace have the agent app open now, on any node (automatic assignment). */
  onlineMemberIds(workspaceId: string): Promise<string[]>;
  /** Called when a member starts or stops typing in a conversation (the widget shows it to the visitor). */
  onTyping?: (conversationId: string, memberId: string, typing: boolean) => void;
  close(): Promise<void>;
}

interface SocketData {
  actor: Actor;
  sessionHash: string;
  /** The conversation this socket's member has open, and whether they are typing in it. */
  viewing?: { conversationId: string; typing: boolean };
}

const ViewPayload = z.object({ conversationId: z.uuid(), typing: z.boolean().optional() });

/**
 * A browser sends Origin on every WebSocket and polling request; a page of another site
 * must not open a socket that rides on the member's cookie.
 */
function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (!origin) return true; // not a browser: a cookie-less client cannot authenticate anyway
  try {
    const o = new URL(origin);
    return o.origin === new URL(publicUrl).origin || (host !== undefined && o.host === host);
  } catch {
    return false;
  }
}

const workspaceRoom = (id: string) => `workspace:${id}`;
const memberRoom = (id: string) => `member:${id}`;
const conversationRoom = (id: string) => `conversation:${id}`;

/** Who has a conversation open, on any node (the room and socket.data go through the adapter); a member typing in any of their tabs is typing. */
async function conversationViewers(nsp: Namespace, conversationId: string) {
  const sockets = await nsp.in(conversationRoom(conversationId)).fetchSockets();
  const viewers = new Map<string, boolean>();
  for (const s of sockets) {
    const data = s.data as SocketData;
    if (data.viewing?.conversationId !== conversationId) continue;
    viewers.set(data.actor.memberId, (viewers.get(data.actor.memberId) ?? false) || data.viewing.typing);
  }
  return [...viewers].map(([memberId, typing]) => ({ memberId, typing }));
}

/** The public shape of an event on the socket: what happened, where, by whom; never internal columns. */
export function presentEvent(e: EventRow) {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    conversationId: e.conversationId,
    actorMemberId: e.actorMemberId,
    actorContactId: e.actorContactId,
    actorSystem: e.actorSystem,
    data: e.data,
    createdAt: e.createdAt,
  };
}

async function onlineMembers(nsp: Namespace, workspaceId: string) {
  const sockets = await nsp.in(workspaceRoom(workspaceId)).fetchSockets();
  return [...new Set(sockets.map((s) => (s.data as { actor: Actor }).actor.memberId))];
}

/**
 * Socket.IO namespace `/agent`: authenticated by the session cookie, a member joins their
 * workspace's room and receives its committed events. With REDIS_URL the Redis adapter
 * carries emits and presence queries between the nodes of this deployment (its channels
 * are under `redisPrefix`).
 */
export function startAgentRealtime(app: FastifyInstance, redisUrl: string | undefined, redisPrefix = 'heard:'): AgentRealtime {
  // Cross-origin long-polling is answered without credentials: the chat widget on customers' sites may
  // poll (/visitor checks its allowed sites itself); a page elsewhere still cannot ride on a member's
  // cookie, and /agent refuses foreign origins in its handshake.
  const io = new Server(app.server, { path: '/socket.io', serveClient: false, cors: { origin: true, credentials: false } });
  let pub: Redis | undefined;
  let sub: Redis | undefined;
  if (redisUrl) {
    pub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
    sub = pub.duplicate();
    io.adapter(createAdapter(pub, sub, { key: `${redisPrefix}socket.io` }));
  }
  const nsp = io.of('/agent');

  nsp.use(async (socket, next) => {
    try {
      const { headers } = socket.handshake;
      if (!originAllowed(headers.origin, headers.host, app.ctx.config.publicUrl)) return next(new Error('forbidden origin'));
      const cookies = app.parseCookie(headers.cookie ?? '');
      const token = cookies[SESSION_COOKIE];
      const actor = token ? await actorFromSession(app.ctx.db, token) : null;
      if (!actor) return next(new Error('unauthorized'));
      const { csrfToken: _csrf, ...rest } = actor;
      // The same policy that guards GET /conversations guards the workspace's event stream.
      if (!conversationPolicy.read(rest)) return next(new Error('forbidden'));
      const data: SocketData = { actor: rest, sessionHash: sha256(token!) };
      socket.data = data;
      next();
    } catch (err) {
      app.log.error({ err }, 'socket authentication failed');
      next(new Error('unauthorized'));
    }
  });

  // Presence work in flight (it may go through Redis); close() lets it finish before Redis goes.
  const pending = new Set<Promise<void>>();
  const track = (work: () => Promise<void>) => {
    const p = work()
      .catch((err) => app.log.warn({ err }, 'realtime presence failed'))
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  nsp.on('connection', (socket) => {
    const actor = socket.data.actor as Actor;
    // Handlers first: a client may ask, or leave, before the joins below have finished.
    socket.on('presence:list', (ack: unknown) => {
      if (typeof ack !== 'function') return;
      track(async () => ack(await onlineMembers(nsp, actor.workspaceId)));
    });
    const data = socket.data as SocketData;
    const announceViewers = async (conversationId: string) => {
      const viewers = await conversationViewers(nsp, conversationId);
      nsp.to(workspaceRoom(actor.workspaceId)).emit('conversation:viewers', { conversationId, viewers });
      return viewers;
    };
    const leave = async () => {
      const was = data.viewing?.conversationId;
      if (!was) return;
      data.viewing = undefined;
      await socket.leave(conversationRoom(was));
      await announceViewers(was);
    };
    // Opening a conversation (and typing in it): the join is allowed by the read policy, for a conversation of the member's workspace.
    socket.on('conversation:view', (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => undefined;
      track(async () => {
        const parsed = ViewPayload.safeParse(payload);
        if (!parsed.success) return reply({ error: 'conversationId must be a conversation id' });
        const { conversationId, typing = false } = parsed.data;
        if (!conversationPolicy.read(actor)) return reply({ error: 'forbidden' });
        try {
          await getConversationRow(app.ctx.db, actor, conversationId);
        } catch (err) {
          if (err instanceof NotFound) return reply({ error: 'Conversation not found' });
          throw err;
        }
        if (data.viewing && data.viewing.conversationId !== conversationId) await leave();
        if ((data.viewing?.typing ?? false) !== typing) realtime.onTyping?.(conversationId, actor.memberId, typing);
        data.viewing = { conversationId, typing };
        await socket.join(conversationRoom(conversationId));
        reply({ ok: true, viewers: await announceViewers(conversationId) });
      });
    });
    socket.on('conversation:leave', (_payload: unknown, ack: unknown) =>
      track(async () => {
        await leave();
        if (typeof ack === 'function') ack({ ok: true });
      }),
    );
    socket.on('disconnect', () =>
      track(async () => {
        // The socket has left its rooms by now: the viewers announced are those still there.
        if (data.viewing) await announceViewers(data.viewing.conversationId);
        const still = await nsp.in(memberRoom(actor.memberId)).fetchSockets();
        if (!still.length) nsp.to(workspaceRoom(actor.workspaceId)).emit('presence', { memberId: actor.memberId, online: false });
      }),
    );
    track(async () => {
      await socket.join([workspaceRoom(actor.workspaceId), memberRoom(actor.memberId)]);
      nsp.to(workspaceRoom(actor.workspaceId)).emit('presence', { memberId: actor.memberId, online: true });
    });
  });

  const realtime: AgentRealtime = {
    io,
    async membersOnline(workspaceId) {
      return (await onlineMembers(nsp, workspaceId)).length;
    },
    onlineMemberIds: (workspaceId) => onlineMembers(nsp, workspaceId),
    publish(workspaceId, e) {
      nsp.to(workspaceRoom(workspaceId)).emit('event', presentEvent(e));
    },
    async disconnectMember(memberId) {
      nsp.in(memberRoom(memberId)).disconnectSockets(true);
    },
    async disconnectSession(tokenHash) {
      const sockets = await nsp.fetchSockets();
      for (const s of sockets) if ((s.data as SocketData).sessionHash === tokenHash) s.disconnect(true);
    },
    async close() {
      // Not io.close(): that would also close the HTTP server, which Fastify owns.
      io.local.disconnectSockets(true);
      io.engine.close();
      // The members who were here are announced offline to the other nodes before the
      // adapter stops; QUIT then lets the commands in flight complete instead of failing them.
      await Promise.all(pending);
      for (const n of io._nsps.values()) await n.adapter.close();
      if (sub) await quit(sub);
      if (pub) await quit(pub);
    },
  };
  return realtime;
}

/** Closes a Redis connection after its pending replies; one that cannot reach Redis is dropped after a moment. */
async function quit(redis: Redis) {
  await Promise.race([redis.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
  redis.disconnect();
}
