import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import { hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { RateLimited } from '../../core/errors.js';
import { SESSION_COOKIE } from '../../core/http/authenticate.js';
import { sha256 } from '../../core/ids.js';
import { avatarUrl } from '../members/avatar.js';
import { acceptInvite } from '../members/invites.js';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.js';
import { APP_LOCALES, changePassword, TIME_FORMATS, updateProfile } from './profile.js';
import { login, logout, SESSION_DAYS, whoAmI } from './service.js';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  /** Sets the session cookie and answers with what the app needs to write (the CSRF token). */
  const startSession = (reply: FastifyReply, s: { token: string; csrfToken: string; memberId: string; workspaceId: string }) => {
    reply.setCookie(SESSION_COOKIE, s.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: app.ctx.config.secureCookies,
      maxAge: SESSION_DAYS * 86_400,
    });
    return { memberId: s.memberId, workspaceId: s.workspaceId, csrfToken: s.csrfToken };
  };

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Sign in; sets the session cookie and returns the CSRF token for writes',
        body: z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000), workspaceId: z.uuid().optional() }),
      },
      config: { public: true, rateLimit: { max: app.ctx.config.HEARD_LOGIN_RATE_LIMIT, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const s = await login(app.ctx.db, req.body);
      return startSession(reply, s);
    },
  );

  app.post(
    '/auth/accept-invite',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Join a workspace from an invitation link; signs in like login',
        body: z.object({
          token: z.string().min(1).max(200),
          name: z.string().trim().min(1).max(200),
          password: z.string().min(8, 'must be at least 8 characters').max(1000),
        }),
      },
      config: { public: true, rateLimit: { max: app.ctx.config.HEARD_LOGIN_RATE_LIMIT, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const s = await inTransaction(app.ctx, async (tx) => {
        const joined = await acceptInvite(tx, req.body);
        return login(tx, { email: joined.email, password: req.body.password, workspaceId: joined.workspaceId });
      });
      return startSession(reply, s);
    },
  );

  /** Reset links one address may ask for in 15 minutes: enough for a lost mail, too few to flood an inbox. */
  const resetsPerAddress = app.createRateLimit({
    max: 3,
    timeWindow: '15 minutes',
    keyGenerator: (req) => `password-reset:${String((req.body as { email?: unknown })?.email ?? '').trim().toLowerCase()}`,
  });

  app.post(
    '/auth/password-reset',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Forgot password: mails a one-time reset link; the same 202 whether or not the address has an account',
        body: z.object({ email: z.string().trim().min(1).max(320) }),
      },
      // Per address (below) and per client address, like sign-in.
      config: { public: true, rateLimit: { max: app.ctx.config.HEARD_LOGIN_RATE_LIMIT, timeWindow: '1 minute' } },
      preHandler: async (req) => {
        const r = await resetsPerAddress(req);
        if (!r.isAllowed && r.isExceeded) throw new RateLimited(r.ttlInSeconds);
      },
    },
    async (req, reply) => {
      await requestPasswordReset(app.ctx, req.body.email, req.log);
      return reply.code(202).send({ message: 'If an account has that address, we sent it a link to choose a new password.' });
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Choose a new password with a reset link; the link works once and every session of the account ends',
        body: z.object({
          token: z.string().min(1).max(200),
          password: z.string().min(8, 'must be at least 8 characters').max(1000),
        }),
      },
      config: { public: true, rateLimit: { max: app.ctx.config.HEARD_LOGIN_RATE_LIMIT, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const ended = await confirmPasswordReset(app.ctx, req.body);
      for (const hash of ended) await app.realtime?.disconnectSession(hash);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['Auth'], summary: 'Sign out: ends the session on the server' }, config: { allow: () => true } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) {
        await logout(app.ctx.db, token);
        await app.realtime?.disconnectSession(sha256(token));
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  const me = async (actor: Actor, csrfToken: string | null) => {
    const r = await whoAmI(app.ctx.db, actor);
    return {
      user: { id: r.u.id, email: r.u.email, name: r.u.name, avatarUrl: avatarUrl(r.m.id, r.u.avatarFileId) },
      member: { id: r.m.id, role: r.m.role, signature: r.m.signature, availability: r.m.availability, locale: r.m.locale, timeFormat: r.m.timeFormat },
      workspace: { id: r.w.id, name: r.w.name },
      via: actor.via,
      scopes: actor.scopes,
      csrfToken: csrfToken ?? undefined,
    };
  };

  app.get('/me', { schema: { tags: ['Auth'], summary: 'The signed-in member, their workspace, role and availability' }, config: { allow: () => true } }, async (req) =>
    me(req.actor!, req.csrfToken),
  );

  app.patch(
    '/me',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Change your own name, signature, language of the app and clock',
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          signature: z.string().max(5000).optional(),
          locale: z.enum(APP_LOCALES, { error: `must be one of ${APP_LOCALES.join(', ')}` }).optional().describe('The agent app\'s language; "auto" follows the browser.'),
          timeFormat: z.enum(TIME_FORMATS, { error: `must be one of ${TIME_FORMATS.join(', ')}` }).optional().describe('24h or 12h clock; "auto" follows the language.'),
        }),
      },
      config: { allow: (a) => hasScope(a, 'write') },
    },
    async (req) => {
      await inTransaction(app.ctx, (tx) => updateProfile(tx, req.actor!, req.body));
      return me(req.actor!, req.csrfToken);
    },
  );

  app.post(
    '/me/password',
    {
      schema: {
        tags: ['Auth'],
        summary: 'Change your password (signed in only); your other sessions end, this one stays',
        body: z.object({
          currentPassword: z.string().min(1).max(1000),
          newPassword: z.string().min(8, 'must be at least 8 characters').max(1000),
        }),
      },
      // A session only: an API token must not be able to take over the account.
      config: { allow: (a) => a.via === 'session', rateLimit: { max: app.ctx.config.HEARD_LOGIN_RATE_LIMIT, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const ended = await inTransaction(app.ctx, (tx) => changePassword(tx, req.actor!, req.cookies[SESSION_COOKIE], req.body));
      for (const hash of ended) await app.realtime?.disconnectSession(hash);
      return reply.code(204).send();
    },
  );
};
