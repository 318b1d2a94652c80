import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { HeardError, Invalid } from '../../core/errors.js';
import { sendCustomerFile } from '../../domains/attachments/service.js';
import { listPortalConversations, PORTAL_FILE_MAX_BYTES, PORTAL_FILES_PER_MESSAGE, portalConversation, portalFile, portalReply } from '../../channels/portal/conversations.js';
import { endPortalSession, inspectSignInLink, LinkRefused, requestSignInLink, safeReturnTo, useSignInLink } from '../../channels/portal/sign-in.js';
import { PORTAL_COOKIE, type SiteRequest } from '../context.js';
import { readForm, readMultipartForm } from '../form-body.js';
import { AuthPage, PortalConversationPage, PortalListPage, SignInPage } from '../pages/portal.js';
import { sendPage } from '../render.js';
import { siteOf, submitLimit } from './shared.js';

const Email = z.email().max(320);

/** The customer portal: sign in by a one-time link, every conversation on every channel, replies and reopening. */
export const portalPages: FastifyPluginAsync = async (app) => {
  const limit = submitLimit(app);
  const minutes = app.ctx.config.HEARD_PORTAL_LINK_MINUTES;

  /** The signed-in customer, or off to sign in (and back here after). */
  const customerOr = (site: SiteRequest, reply: FastifyReply, path: string) => {
    const c = site.ctx.viewer.customer;
    if (!c) {
      void reply.redirect(`${site.ctx.base}/portal/sign-in?return=${encodeURIComponent(path)}`, 303);
      return null;
    }
    return c;
  };
  const numberParam = (req: { params: unknown }) => {
    const n = Number((req.params as { number: string }).number);
    // The largest PostgreSQL integer is 2^31 − 1: 2^31 itself made the query fail.
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) throw new HeardError(404, 'Not Found', 'Conversation not found');
    return n;
  };

  app.get('/:site/portal/sign-in', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const site = siteOf(req);
    const returnTo = safeReturnTo(site.hc, (req.query as { return?: string }).return);
    if (site.ctx.viewer.customer) return reply.redirect(returnTo, 303);
    return sendPage(reply, h(SignInPage, { ctx: site.ctx, returnTo, minutes }));
  });

  app.post('/:site/portal/sign-in', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    const { fields, form } = readForm(app, req);
    const returnTo = safeReturnTo(site.hc, fields.return);
    const email = Email.safeParse((fields.email ?? '').trim());
    if (!email.success) {
      const error = fields.email?.trim() ? site.ctx.t('field.email') : site.ctx.t('field.required');
      return sendPage(reply, h(SignInPage, { ctx: site.ctx, returnTo, email: fields.email, error, minutes }), 422);
    }
    // Someone quicker than a person is asked to send it again; a bot in the trap is told the same as a person, and no mail leaves.
    if (form.tooFast && !form.trapped) return sendPage(reply, h(SignInPage, { ctx: site.ctx, returnTo, email: fields.email, error: site.ctx.t('contact.tooFast'), minutes }), 200);
    if (!form.trapped) await requestSignInLink(app.ctx, site.hc, { email: email.data, returnTo });
    return sendPage(reply, h(SignInPage, { ctx: site.ctx, returnTo, sentTo: email.data.toLowerCase(), minutes }));
  });

  app.get('/:site/portal/auth/:token', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    const token = (req.params as { token: string }).token;
    const link = /^[\w-]{20,100}$/.test(token) ? await inspectSignInLink(app.ctx.db, site.hc, token) : { state: 'unknown' as const };
    reply.header('referrer-policy', 'no-referrer');
    return sendPage(reply, h(AuthPage, { ctx: site.ctx, token, state: link.state, email: 'email' in link ? link.email : undefined }), link.state === 'valid' ? 200 : link.state === 'unknown' ? 404 : 410);
  });

  app.post('/:site/portal/auth/:token', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    readForm(app, req);
    const token = (req.params as { token: string }).token;
    try {
      const s = await useSignInLink(app.ctx, site.hc, token);
      reply.setCookie(PORTAL_COOKIE, s.token, {
        path: site.ctx.base,
        httpOnly: true,
        sameSite: 'lax',
        secure: app.ctx.config.secureCookies,
        maxAge: app.ctx.config.HEARD_PORTAL_SESSION_DAYS * 86_400,
      });
      return reply.redirect(s.returnTo, 303);
    } catch (err) {
      if (err instanceof LinkRefused) return sendPage(reply, h(AuthPage, { ctx: site.ctx, token, state: err.reason }), err.status);
      throw err;
    }
  });

  app.post('/:site/portal/sign-out', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    readForm(app, req);
    if (site.portalToken) await endPortalSession(app.ctx.db, site.portalToken);
    reply.clearCookie(PORTAL_COOKIE, { path: site.ctx.base });
    return reply.redirect(site.ctx.base, 303);
  });

  app.get('/:site/portal', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const site = siteOf(req);
    const customer = customerOr(site, reply, `${site.ctx.base}/portal`);
    if (!customer) return reply;
    const items = await listPortalConversations(app.ctx.db, site.hc, customer.id);
    return sendPage(reply, h(PortalListPage, { ctx: site.ctx, items }));
  });

  app.get('/:site/portal/conversations/:number', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const site = siteOf(req);
    const n = numberParam(req);
    const customer = customerOr(site, reply, `${site.ctx.base}/portal/conversations/${n}`);
    if (!customer) return reply;
    const data = await portalConversation(app.ctx.db, site.hc, customer.id, n);
    return sendPage(reply, h(PortalConversationPage, { ctx: site.ctx, data, reply: { sent: (req.query as { sent?: string }).sent === '1' } }));
  });

  app.post('/:site/portal/conversations/:number/replies', { schema: { hide: true }, config: { public: true, ...limit } }, async (req, reply) => {
    const site = siteOf(req);
    const n = numberParam(req);
    const path = `${site.ctx.base}/portal/conversations/${n}`;
    const customer = site.ctx.viewer.customer;
    if (!customer) throw new HeardError(401, 'Unauthorized', 'sign in to reply');
    const { fields, files, form, fileErrors } = await readMultipartForm(app, req, { files: PORTAL_FILES_PER_MESSAGE, fileBytes: PORTAL_FILE_MAX_BYTES }, site.ctx.t);
    const text = (fields.text ?? '').trim().slice(0, 20_000);
    const again = async (error: string, status = 422) =>
      sendPage(reply, h(PortalConversationPage, { ctx: site.ctx, data: await portalConversation(app.ctx.db, site.hc, customer.id, n), reply: { text: fields.text, error } }), status);
    if (fileErrors.files) return again(fileErrors.files);
    if (!text && !files.length) return again(site.ctx.t('field.required'));
    // Only a reply with something in it is called quick: an empty one is told what is missing.
    if (form.spam) return again(site.ctx.t('contact.tooFast'), 200);
    try {
      await portalReply(app.ctx, site.hc, customer.id, n, { text, formId: `${customer.sessionId}:${form.id}`, files, reopen: fields.reopen === '1' });
    } catch (err) {
      if (err instanceof Invalid) return again(site.ctx.t('field.invalid'));
      throw err;
    }
    return reply.redirect(`${path}?sent=1`, 303);
  });

  app.get('/:site/portal/files/:id', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const site = siteOf(req);
    const customer = site.ctx.viewer.customer;
    if (!customer) throw new HeardError(404, 'Not Found', 'File not found');
    const id = z.uuid().safeParse((req.params as { id: string }).id);
    if (!id.success) throw new HeardError(404, 'Not Found', 'File not found');
    const a = await portalFile(app.ctx.db, site.hc, customer.id, id.data);
    return sendCustomerFile(reply, a, await app.files.get(a.sha256), { cacheControl: 'private, max-age=3600' });
  });
};
