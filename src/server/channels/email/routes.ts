import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { users } from '../../db/schema/index.js';
import { canAdminister, hasScope } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';
import { Invalid } from '../../core/errors.js';
import { BlockedAddressError } from '../../core/net/outbound-guard.js';
import { getInbox, type Inbox } from '../../domains/inboxes/service.js';
import { attachmentDisposition } from '../../domains/attachments/service.js';
import { checkImapConnection } from './imap-poller.js';
import { getHold, type HoldAction, listHolds, rawOfHold, resolveHold } from './holds.js';
import { receiveEmail } from './receive.js';
import { mailerFor } from './send.js';
import { emailSettings } from './settings.js';

const ReceiveResultSchema = z.object({
  outcome: z.enum(['ingested', 'duplicate', 'held', 'bounce']),
  conversationId: z.uuid().optional(),
  messageId: z.uuid().optional(),
  holdId: z.uuid().optional(),
  detail: z.string().optional(),
});

const MIME_TYPES = ['message/rfc822', 'application/octet-stream', 'text/plain'];

/** The e-mail channel's HTTP side: raw MIME in from mail providers, held mail, and the inbox's connection checks. */
export const emailChannelRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Email channel'];
  const params = z.object({ id: z.uuid() });
  const admin = { allow: canAdminister };

  // A raw message is bytes, whatever charset it claims: it is parsed as a buffer, never as a string.
  app.addContentTypeParser(MIME_TYPES, { parseAs: 'buffer', bodyLimit: app.ctx.config.HEARD_MAIL_MAX_BYTES }, (_req, body, done) => done(null, body));

  app.post(
    '/inboxes/:id/mime',
    {
      schema: {
        tags,
        summary: 'Deliver a raw RFC 5322 e-mail (Content-Type: message/rfc822) into an email inbox: for mail providers\' inbound webhooks',
        params,
        response: { 201: ReceiveResultSchema, 200: ReceiveResultSchema },
      },
      config: { allow: (a) => hasScope(a, 'write') && a.role !== 'light' },
      bodyLimit: app.ctx.config.HEARD_MAIL_MAX_BYTES,
    },
    async (req, reply) => {
      const inbox = await getInbox(app.ctx.db, req.actor!, req.params.id);
      if (inbox.channel !== 'email') throw new Invalid('id', `inbox is a ${inbox.channel} inbox, not an email inbox`);
      if (inbox.archivedAt) throw new Invalid('id', 'inbox is archived');
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new Invalid('body', `must be the raw message, sent as ${MIME_TYPES[0]}`);
      const r = await receiveEmail(app.ctx, app.files, { inboxId: inbox.id, raw: req.body, source: 'http' });
      reply.code(r.outcome === 'duplicate' ? 200 : 201);
      return r;
    },
  );

  const HoldQuery = z.object({
    reason: z.enum(['unparseable', 'unknown_sender']).optional(),
    resolved: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true')
      .describe('Include mail already decided on.'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  });
  app.get(
    '/mail-holds',
    { schema: { tags, summary: 'Held mail: the quarantine (admins) and replies from unknown senders waiting for review', querystring: HoldQuery }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req) => ({ items: await listHolds(app.ctx, req.actor!, req.query) }),
  );
  app.get(
    '/mail-holds/:id/raw',
    { schema: { tags, summary: 'Download the held message as it arrived (.eml)', params }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req, reply) => {
      const h = await getHold(app.ctx, req.actor!, req.params.id);
      return reply
        .type('message/rfc822')
        .header('content-disposition', attachmentDisposition(`held-${h.id}.eml`))
        .header('x-content-type-options', 'nosniff')
        .send(await rawOfHold(app.files, h));
    },
  );
  app.post(
    '/mail-holds/:id/:action',
    {
      schema: {
        tags,
        summary: 'Decide on held mail: reprocess (quarantine), link (into the conversation it replied to), new_conversation, or discard',
        params: params.extend({ action: z.enum(['reprocess', 'link', 'new_conversation', 'discard']) }),
      },
      config: { allow: (a) => hasScope(a, 'write') && a.role !== 'light' },
    },
    async (req) => resolveHold(app.ctx, app.files, req.actor!, req.params.id, req.params.action as HoldAction),
  );

  app.post(
    '/inboxes/:id/email/check',
    { schema: { tags, summary: "Check the inbox's mail servers: sign in to the outgoing one and, when set, the IMAP mailbox, sending and fetching nothing", params }, config: admin },
    async (req) => {
      const inbox = await getInbox(app.ctx.db, req.actor!, req.params.id);
      if (inbox.channel !== 'email') throw new Invalid('id', 'not an email inbox');
      const imap = emailSettings(inbox).imap;
      const allowPrivate = app.ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS;
      const [smtp, imapResult] = await Promise.all([checkSmtp(app.ctx, inbox), imap ? checkImapConnection(imap, allowPrivate) : undefined]);
      return { smtp, imap: imapResult ?? null };
    },
  );
  app.post(
    '/inboxes/:id/email/test',
    {
      schema: { tags, summary: 'Send a test e-mail from the inbox (to you, or to `to`)', params, body: z.object({ to: z.email().optional() }).default({}) },
      config: admin,
    },
    async (req) => {
      const inbox = await getInbox(app.ctx.db, req.actor!, req.params.id);
      if (inbox.channel !== 'email') throw new Invalid('id', 'not an email inbox');
      const [me] = await app.ctx.db.select({ email: users.email }).from(users).where(eq(users.id, req.actor!.userId));
      const settings = emailSettings(inbox);
      let mailer: Awaited<ReturnType<typeof mailerFor>>;
      try {
        mailer = await mailerFor(app.ctx, inbox);
        if (!mailer) return { ok: false, error: NO_SERVER };
        await mailer.sendMail({
          from: { name: settings.displayName || inbox.name, address: settings.address },
          to: req.body.to ?? me.email,
          subject: `Heard test e-mail from ${inbox.name}`,
          text: `This is a test e-mail from the inbox "${inbox.name}" <${settings.address}>. Replies to customers will leave the same way.`,
        });
        return { ok: true };
      } catch (err) {
        return { ok: false, error: err instanceof BlockedAddressError ? refusal(err) : (err as Error).message };
      } finally {
        mailer?.close();
      }
    },
  );
};

const NO_SERVER = 'no outgoing mail server: set SMTP_URL, or SMTP settings on the inbox';
// The same answer whatever the port: a refused address is never connected to.
const refusal = (err: BlockedAddressError) => `Heard does not connect to this server: ${err.message}`;

/** Connects and signs in to the outgoing server without sending: a clear error for the settings page. */
async function checkSmtp(ctx: Ctx, inbox: Inbox): Promise<{ ok: boolean; error?: string }> {
  let mailer: Awaited<ReturnType<typeof mailerFor>>;
  try {
    mailer = await mailerFor(ctx, inbox);
    if (!mailer) return { ok: false, error: NO_SERVER };
    await mailer.verify();
    return { ok: true };
  } catch (err) {
    if (err instanceof BlockedAddressError) return { ok: false, error: refusal(err) };
    const e = err as Error & { code?: string };
    const why = e.code === 'EAUTH' ? 'the server refused the user name or password' : e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ENOTFOUND' ? 'cannot connect to the server' : e.message;
    return { ok: false, error: `${why} (${e.message})`.slice(0, 500) };
  } finally {
    mailer?.close();
  }
}
