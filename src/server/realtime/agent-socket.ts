import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Server, type Namespace } from 'socket.io';
import type { Actor } from '../core/actor.js';
import { SESSION_COOKIE } from '../core/http/authenticate.js';
import type { RealtimeSink } from '../core/events/processors/realtime.js';
import type { EventRow } from '../core/events/record-event.js';
import { actorFromSession } from '../domains/auth/service.js';

export interface AgentRealtime extends RealtimeSink {
  io: Server;
  close(): Promise<void>;
}

const workspaceRoom = (id: string) => `workspace:${id}`;
const memberRoom = (id: string) => `member:${id}`;

/** The public shape of an event on the socket: what happened, where, by whom; never internal columns. */
export function presentEvent(e: EventRow) {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    conversationId: e.conversationId,
    actorMemberId: e.actorMemberId,
    actorContactId: e.actorContactId,
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
 * carries emits and presence queries between nodes.
 */
export function startAgentRealtime(app: FastifyInstance, redisUrl: string | undefined): AgentRealtime {
  const io = new Server(app.server, { path: '/socket.io', serveClient: false, cors: { origin: false } });
  let pub: Redis | undefined;
  let sub: Redis | undefined;
  if (redisUrl) {
    pub = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
    sub = pub.duplicate();
    io.adapter(createAdapter(pub, sub));
  }
  const nsp = io.of('/agent');

  nsp.use(async (socket, next) => {
    try {
      const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
      const token = cookies[SESSION_COOKIE];
      const actor = token ? await actorFromSession(app.ctx.db, token) : null;
      if (!actor) return next(new Error('unauthorized'));
      const { csrfToken: _csrf, ...rest } = actor;
      socket.data.actor = rest;
      next();
    } catch (err) {
      app.log.error({ err }, 'socket authentication failed');
      next(new Error('unauthorized'));
    }
  });

  nsp.on('connection', async (socket) => {
    const actor = socket.data.actor as Actor;
    await socket.join([workspaceRoom(actor.workspaceId), memberRoom(actor.memberId)]);
    nsp.to(workspaceRoom(actor.workspaceId)).emit('presence', { memberId: actor.memberId, online: true });
    socket.on('presence:list', async (ack: unknown) => {
      if (typeof ack === 'function') ack(await onlineMembers(nsp, actor.workspaceId));
    });
    socket.on('disconnect', async () => {
      const still = await nsp.in(memberRoom(actor.memberId)).fetchSockets().catch(() => []);
      if (!still.length) nsp.to(workspaceRoom(actor.workspaceId)).emit('presence', { memberId: actor.memberId, online: false });
    });
  });

  return {
    io,
    publish(workspaceId, e) {
      nsp.to(workspaceRoom(workspaceId)).emit('event', presentEvent(e));
    },
    async close() {
      // Not io.close(): that would also close the HTTP server, which Fastify owns.
      io.local.disconnectSockets(true);
      io.engine.close();
      for (const n of io._nsps.values()) await n.adapter.close();
      pub?.disconnect();
      sub?.disconnect();
    },
  };
}
