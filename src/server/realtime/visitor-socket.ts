import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import { z } from 'zod';
import { eq, inArray } from 'drizzle-orm';
import { conversations, inboxes, members, messages, users, widgetVisitors } from '../db/schema/index.js';
import { HeardError } from '../core/errors.js';
import { refuseUnstorable } from '../core/http/input-guard.js';
import type { Processor } from '../core/events/dispatcher.js';
import type { Inbox } from '../domains/inboxes/service.js';
import { VisitorMessageSchema } from '../channels/widget/routes.js';
import { visitorFiles } from '../channels/widget/attachments.js';
import { agentReadAt, markSeenByVisitor, originAllowed, presentVisitorMessage, sendFromVisitor, type Visitor, visitorFromToken, visitorMessages, widgetByKey } from '../channels/widget/service.js';

export interface VisitorRealtime {
  /** Sends a committed message of a widget conversation to the visitor's open widgets, on every node. */
  deliver(contactId: string, message: ReturnType<typeof presentVisitorMessage>): void;
  typing(contactId: string, payload: { conversationId: string; typing: boolean; name: string }): void;
  /** An agent read the visitor's messages. */
  seen(contactId: string, payload: { conversationId: string; at: string }): void;
  /** Whether the customer has a widget open now, on any node. */
  isOnline(contactId: string): Promise<boolean>;
  close(): void;
}

const contactRoom = (id: string) => `contact:${id}`;
const TypingPayload = z.object({ conversationId: z.uuid(), typing: z.boolean() });
const SyncPayload = z.object({ conversationId: z.uuid(), after: z.uuid().optional() });
const SeenPayload = z.object({ conversationId: z.uuid(), messageId: z.uuid() });

type Ack = (r: unknown) => void;
const ackOf = (a: unknown): Ack => (typeof a === 'function' ? (a as Ack) : () => undefined);
const problem = (err: unknown) => (err instanceof HeardError ? { error: err.message, status: err.status } : { error: 'something went wrong; try again', status: 500 });

/**
 * Socket.IO namespace `/visitor`: a widget's live line. It authenticates with the
 * widget's public key and the visitor's token, on an allowed site only, and joins the
 * room of the visitor's contact (all their browsers and tabs). Sending is acknowledged
 * after the message is committed, and keyed by the client's message id, so the widget
 * retries until acknowledged without doubling anything; `sync` replays what a dropped
 * connection missed.
 */
export function startVisitorRealtime(app: FastifyInstance, io: Server, onTyping: (inbox: Inbox, visitor: Visitor, conversationId: string, typing: boolean) => void): VisitorRealtime {
  const nsp = io.of('/visitor');
  nsp.use(async (socket, next) => {
    try {
      const auth = socket.handshake.auth as { publicKey?: unknown; token?: unknown };
      if (typeof auth.publicKey !== 'string' || typeof auth.token !== 'string') return next(new Error('unauthorized'));
      const inbox = await widgetByKey(app.ctx.db, auth.publicKey);
      if (!originAllowed(inbox, socket.handshake.headers.origin)) return next(new Error('forbidden origin'));
      const visitor = await visitorFromToken(app.ctx, inbox, auth.token);
      socket.data = { inbox, visitor };
      next();
    } catch {
      next(new Error('unauthorized'));
    }
  });
  // When each visitor was last here, kept in the database for every node (and for the
  // e-mail fallback, which asks whether the visitor came back after an answer).
  const here = new Map<string, number>();
  const touch = (ids: string[]) => {
    if (!ids.length) return;
    void app.ctx.db
      .update(widgetVisitors)
      .set({ lastSeenAt: new Date() })
      .where(inArray(widgetVisitors.id, ids))
      .catch((err) => app.log.warn({ err }, 'visitor last-seen update failed'));
  };
  // Often enough that a visitor with the widget open counts as back before the e-mail fallback looks.
  const ticker = setInterval(() => touch([...here.keys()]), Math.min(30_000, (app.ctx.config.HEARD_WIDGET_EMAIL_AFTER_SECONDS * 1000) / 2));
  ticker.unref();

  nsp.on('connection', (socket) => {
    const { inbox, visitor } = socket.data as { inbox: Inbox; visitor: Visitor };
    void socket.join(contactRoom(visitor.contactId));
    here.set(visitor.id, (here.get(visitor.id) ?? 0) + 1);
    touch([visitor.id]);
    socket.on('disconnect', () => {
      const n = (here.get(visitor.id) ?? 1) - 1;
      if (n > 0) here.set(visitor.id, n);
      else here.delete(visitor.id);
      touch([visitor.id]);
    });
    // A visitor may send 20 messages in 10 seconds on a connection: enough for a person, not for a flood.
    let window = { start: Date.now(), count: 0 };
    socket.on('message:send', (payload: unknown, ack: unknown) => {
      const reply = ackOf(ack);
      if (Date.now() - window.start > 10_000) window = { start: Date.now(), count: 0 };
      if (++window.count > 20) return reply({ error: 'too many messages; wait a moment', status: 429 });
      // The input guard's refusal, for the one event that carries text.
      try {
        refuseUnstorable({ body: payload });
      } catch (err) {
        return reply(problem(err));
      }
      const parsed = VisitorMessageSchema.safeParse(payload);
      if (!parsed.success) return reply({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), status: 422 });
      sendFromVisitor(app.ctx, inbox, visitor, parsed.data)
        .then((r) => reply({ ok: true, conversationId: r.conversationId, message: r.message }))
        .catch((err) => reply(problem(err)));
    });
    socket.on('sync', (payload: unknown, ack: unknown) => {
      const reply = ackOf(ack);
      const parsed = SyncPayload.safeParse(payload);
      if (!parsed.success) return reply({ error: 'conversationId must be a conversation id', status: 422 });
      visitorMessages(app.ctx, inbox.config.publicKey as string, visitor, parsed.data.conversationId, parsed.data.after)
        .then(async (items) => reply({ ok: true, items, agentReadAt: await agentReadAt(app.ctx.db, parsed.data.conversationId) }))
        .catch((err) => reply(problem(err)));
    });
    socket.on('seen', (payload: unknown, ack: unknown) => {
      const reply = ackOf(ack);
      const parsed = SeenPayload.safeParse(payload);
      if (!parsed.success) return reply({ error: 'conversationId and messageId must be ids', status: 422 });
      markSeenByVisitor(app.ctx, visitor, parsed.data.conversationId, parsed.data.messageId)
        .then((r) => reply({ ok: true, ...r }))
        .catch((err) => reply(problem(err)));
    });
    socket.on('typing', (payload: unknown) => {
      const parsed = TypingPayload.safeParse(payload);
      if (parsed.success) onTyping(inbox, visitor, parsed.data.conversationId, parsed.data.typing);
    });
  });
  return {
    deliver(contactId, message) {
      nsp.to(contactRoom(contactId)).emit('message', message);
    },
    typing(contactId, payload) {
      nsp.to(contactRoom(contactId)).emit('typing', payload);
    },
    seen(contactId, payload) {
      nsp.to(contactRoom(contactId)).emit('seen', payload);
    },
    async isOnline(contactId) {
      return (await nsp.in(contactRoom(contactId)).fetchSockets()).length > 0;
    },
    close() {
      clearInterval(ticker);
    },
  };
}

/** Sends each committed message of a widget conversation (the agent's replies, the visitor's own from another tab) to the visitor's widgets. */
export function visitorRealtimeProcessor(app: FastifyInstance, sink: VisitorRealtime): Processor {
  return {
    name: 'visitor-realtime',
    handles: (e) =>
      // A message in on another channel (e-mail) is no visitor's: it is passed by without a read.
      (e.type === 'message.created' && ((e.data.direction === 'in' && (e.data.channel ?? 'widget') === 'widget') || (e.data.direction === 'out' && e.data.deliveryStatus === 'queued'))) ||
      (e.type === 'conversation.read' && e.conversationId !== null),
    async process(e) {
      if (e.type === 'conversation.read') {
        const [c] = await app.ctx.db
          .select({ contactId: conversations.contactId, channel: inboxes.channel })
          .from(conversations)
          .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
          .where(eq(conversations.id, e.conversationId!));
        if (c?.channel === 'widget') sink.seen(c.contactId, { conversationId: e.conversationId!, at: String(e.data.lastReadAt) });
        return;
      }
      const [row] = await app.ctx.db
        .select({ m: messages, contactId: conversations.contactId, authorName: users.name, inboxConfig: inboxes.config })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
        .leftJoin(members, eq(members.id, messages.authorMemberId))
        .leftJoin(users, eq(users.id, members.userId))
        .where(eq(messages.id, String(e.data.messageId)));
      if (!row || row.m.channel !== 'widget') return;
      const files = await visitorFiles(app.ctx.db, app.ctx.secret, String(row.inboxConfig.publicKey), row.contactId, [row.m.id]);
      sink.deliver(row.contactId, presentVisitorMessage(row.m, undefined, row.authorName?.split(' ')[0], files.get(row.m.id)));
    },
  };
}
