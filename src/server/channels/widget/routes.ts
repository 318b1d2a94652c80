import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Forbidden, HeardError, Invalid } from '../../core/errors.js';
import { refuseUnstorable } from '../../core/http/input-guard.js';
import { cleanFilename, sendCustomerFile } from '../../domains/attachments/service.js';
import { fileForLink, issueTicket, WIDGET_FILE_MAX_BYTES, WIDGET_FILES_PER_MESSAGE } from './attachments.js';
import type { Inbox } from '../../domains/inboxes/service.js';
import { agentReadAt, markSeenByVisitor, openSession, originAllowed, publicWidgetConfig, sendFromVisitor, updateVisitorContact, visitorFromToken, visitorMessages, widgetByKey } from './service.js';

const Key = z.object({ publicKey: z.string().min(1).max(100) });
const clientMessageId = z.string().trim().min(1).max(100).describe("The widget's own id for the message: a retry with the same id is stored once.");
export const VisitorMessageSchema = z.object({
  clientMessageId,
  text: z.string().trim().max(10_000).default('').describe('May be empty when files come with it.'),
  attachments: z.array(z.string().max(2000)).max(WIDGET_FILES_PER_MESSAGE).optional().describe('Tickets from POST /attachments.'),
  conversationId: z.uuid().optional(),
  newConversation: z.boolean().optional(),
  intake: z
    .object({ topic: z.string().trim().min(1).max(60), fields: z.record(z.string().max(50), z.string().max(10_000)) })
    .optional()
    .describe("The pre-chat form's topic (its key) and its intake fields, key → text; used when the message opens a conversation."),
});
const ContextSchema = z
  .object({
    url: z.string().max(2000).optional(),
    title: z.string().max(500).optional(),
    referrer: z.string().max(2000).optional(),
    locale: z.string().max(35).optional(),
    timezone: z.string().max(64).optional(),
    userAgent: z.string().max(500).optional(),
  })
  .optional();
const SessionSchema = z.object({
  token: z.string().max(200).optional().describe('The token of an earlier session, kept by the widget.'),
  identity: z
    .object({ id: z.string().trim().min(1).max(255), hash: z.string().trim().min(1).max(128), email: z.email().max(320).optional(), name: z.string().trim().max(200).optional() })
    .optional()
    .describe('Heard.identify: the site user id, and hash = HMAC-SHA256(id, inbox identity secret) in hex.'),
  context: ContextSchema,
});
const ContactSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().trim().regex(/^\+?[0-9 ().-]{5,30}$/, 'must be a phone number').optional(),
});

declare module 'fastify' {
  interface FastifyRequest {
    widget?: Inbox;
  }
}

/**
 * The widget's side of the API, under /widget/v1/:publicKey, called from customers'
 * browsers on other sites: public (a visitor token, not a member, is the credential),
 * CORS for the inbox's allowed origins only, rate-limited per address.
 */
export const widgetRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Widget'];
  // Per visitor (their token) and per address: one busy office behind a NAT is many visitors.
  const visitorLimit = {
    rateLimit: {
      max: app.ctx.config.HEARD_WIDGET_RATE_LIMIT,
      timeWindow: '1 minute',
      keyGenerator: (req: { headers: { authorization?: string }; ip: string }) => req.headers.authorization?.slice(7, 200) || req.ip,
    },
  };

  // Every request names its widget; the allow-list of sites is checked before anything else.
  app.addHook('onRequest', async (req, reply) => {
    const key = (req.params as { publicKey?: string }).publicKey;
    if (!key) return;
    // Looked up before the input guard's hook runs (preValidation), so what PostgreSQL cannot store is refused here as it would be there.
    refuseUnstorable({ params: req.params });
    const origin = req.headers.origin;
    const inbox = await widgetByKey(app.ctx.db, key);
    if (!originAllowed(inbox, origin)) throw new Forbidden(`this widget does not run on ${origin}`);
    req.widget = inbox;
    if (origin) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      reply.header('access-control-allow-headers', 'authorization, content-type');
      reply.header('access-control-allow-methods', 'GET, POST, PATCH, OPTIONS');
      reply.header('access-control-max-age', '600');
    }
  });
  app.options('/widget/v1/:publicKey/*', { schema: { hide: true }, config: { public: true } }, async (_req, reply) => reply.code(204).send());

  const bearer = (h: string | undefined) => (h?.startsWith('Bearer ') ? h.slice(7) : undefined);

  app.get(
    '/widget/v1/:publicKey/config',
    {
      schema: {
        tags,
        summary: "The widget's look, greeting, whether people are online, and the usual time to a first answer; greeting and offline message in the visitor's language",
        params: Key,
        querystring: z.object({
          locale: z
            .string()
            .max(200)
            .regex(/^[a-z]{2,8}(?:[-_][a-z0-9]{1,8})*(?:,[a-z]{2,8}(?:[-_][a-z0-9]{1,8})*)*$/i, 'must be language tags separated by commas, e.g. de-DE,en')
            .optional()
            .describe("The visitor's languages, most wanted first, comma-separated (navigator.languages); without it, the Accept-Language header."),
        }),
      },
      config: { public: true },
    },
    async (req) => {
      const languages = (req.query.locale ?? req.headers['accept-language'] ?? '').split(',').filter(Boolean);
      return publicWidgetConfig(app.ctx, req.widget!, ((await app.realtime?.membersOnline(req.widget!.workspaceId)) ?? 0) > 0, languages);
    },
  );
  app.post(
    '/widget/v1/:publicKey/session',
    { schema: { tags, summary: "Open or resume a visitor's session: their token, what is known of them, their conversations", params: Key, body: SessionSchema }, config: { public: true, ...visitorLimit } },
    async (req) => {
      const s = await openSession(app.ctx, req.widget!, { ...req.body, context: { ...req.body.context, userAgent: req.body.context?.userAgent ?? req.headers['user-agent'] } });
      return { token: s.token, contact: s.contact, conversations: s.conversations };
    },
  );
  app.post(
    '/widget/v1/:publicKey/messages',
    { schema: { tags, summary: "A visitor's message (Authorization: Bearer <visitor token>); the same clientMessageId twice is stored once", params: Key, body: VisitorMessageSchema }, config: { public: true, ...visitorLimit } },
    async (req, reply) => {
      const visitor = await visitorFromToken(app.ctx, req.widget!, bearer(req.headers.authorization));
      const r = await sendFromVisitor(app.ctx, req.widget!, visitor, req.body);
      reply.code(r.duplicate ? 200 : 201);
      return r;
    },
  );
  app.get(
    '/widget/v1/:publicKey/conversations/:id/messages',
    {
      schema: { tags, summary: "A visitor's conversation, or what came after the message they have", params: Key.extend({ id: z.uuid() }), querystring: z.object({ after: z.uuid().optional() }) },
      config: { public: true, ...visitorLimit },
    },
    async (req) => {
      const visitor = await visitorFromToken(app.ctx, req.widget!, bearer(req.headers.authorization));
      const items = await visitorMessages(app.ctx, req.widget!.config.publicKey as string, visitor, req.params.id, req.query.after);
      return { items, agentReadAt: await agentReadAt(app.ctx.db, req.params.id) };
    },
  );
  app.post(
    '/widget/v1/:publicKey/attachments',
    {
      schema: { tags, summary: `Upload files (multipart, up to ${WIDGET_FILES_PER_MESSAGE} of 10 MB): tickets to send with a message`, params: Key, consumes: ['multipart/form-data'] },
      config: { public: true, ...visitorLimit },
    },
    async (req, reply) => {
      const visitor = await visitorFromToken(app.ctx, req.widget!, bearer(req.headers.authorization));
      if (!req.isMultipart()) throw new Invalid('file', 'send the files as multipart/form-data');
      const out = [];
      for await (const part of req.files({ limits: { fileSize: WIDGET_FILE_MAX_BYTES, files: WIDGET_FILES_PER_MESSAGE } })) {
        const stored = await app.files.put(part.file);
        if (part.file.truncated) throw new HeardError(413, 'Payload Too Large', `${cleanFilename(part.filename)} is larger than 10 MB`);
        const file = { sha256: stored.sha256, size: stored.size, filename: cleanFilename(part.filename), contentType: part.mimetype || 'application/octet-stream' };
        out.push({ ticket: issueTicket(app.ctx.secret, { ...file, visitorId: visitor.id }), filename: file.filename, contentType: file.contentType, size: file.size });
      }
      if (!out.length) throw new Invalid('file', 'no file in the request');
      reply.code(201);
      return { items: out };
    },
  );
  app.get(
    '/widget/v1/:publicKey/files/:id',
    {
      schema: { tags, summary: 'A file of a visitor\'s conversation, by its signed link (images shown, everything else downloaded)', params: Key.extend({ id: z.uuid() }), querystring: z.object({ s: z.string().max(100) }) },
      config: { public: true, ...visitorLimit },
    },
    async (req, reply) => {
      const a = await fileForLink(app.ctx.db, app.ctx.secret, req.widget!.workspaceId, req.params.id, req.query.s);
      // Shown in the widget on the customer's own site: another origin.
      return sendCustomerFile(reply, a, await app.files.get(a.sha256), { cacheControl: 'private, max-age=86400', crossOrigin: true });
    },
  );
  app.post(
    '/widget/v1/:publicKey/conversations/:id/seen',
    {
      schema: { tags, summary: "The visitor has seen the agents' replies up to messageId", params: Key.extend({ id: z.uuid() }), body: z.object({ messageId: z.uuid() }) },
      config: { public: true, ...visitorLimit },
    },
    async (req) => {
      const visitor = await visitorFromToken(app.ctx, req.widget!, bearer(req.headers.authorization));
      return markSeenByVisitor(app.ctx, visitor, req.params.id, req.body.messageId);
    },
  );
  app.patch(
    '/widget/v1/:publicKey/contact',
    { schema: { tags, summary: 'What the visitor tells about themselves: name, e-mail (for an answer after they leave), phone', params: Key, body: ContactSchema }, config: { public: true, ...visitorLimit } },
    async (req) => {
      const visitor = await visitorFromToken(app.ctx, req.widget!, bearer(req.headers.authorization));
      return updateVisitorContact(app.ctx, visitor, req.body);
    },
  );
};
