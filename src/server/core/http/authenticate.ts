import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../actor.js';
import { Forbidden, Unauthorized } from '../errors.js';
import { safeEqual } from '../ids.js';
import { actorFromApiToken, actorFromSession } from '../../domains/auth/service.js';

export const SESSION_COOKIE = 'heard_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy of the route: who may call it. Every /api/v1 route states this or `public`. */
    allow?: (actor: Actor) => boolean;
    /** A route anyone may call (sign-in, health). */
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The session's CSRF token, for cookie-authenticated requests (returned by GET /me so a reloaded page can write). */
    csrfToken: string | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function resolveActor(app: FastifyInstance, req: FastifyRequest): Promise<Actor | null> {
  req.csrfToken = null;
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new Unauthorized('Authorization must be "Bearer <token>"');
    const actor = await actorFromApiToken(app.ctx.db, m[1]);
    if (!actor) throw new Unauthorized('The API token is unknown or revoked');
    return actor;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const actor = await actorFromSession(app.ctx.db, cookie);
  if (!actor) return null;
  // Cookie-authenticated writes need the session's CSRF token in a header, which
  // another site's form or script cannot read or send.
  if (!SAFE_METHODS.has(req.method)) {
    const header = req.headers['x-csrf-token'];
    if (typeof header !== 'string' || !safeEqual(header, actor.csrfToken)) throw new Forbidden('Missing or wrong X-CSRF-Token header');
  }
  const { csrfToken, ...rest } = actor;
  req.csrfToken = csrfToken;
  return rest;
}

/**
 * Authentication and the route-level policy. A route under /api/v1 that states neither
 * `config.allow` nor `config.public` stops the server from starting, so no endpoint
 * can ship without a policy.
 */
export const authenticate = fp(async (app: FastifyInstance) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const cfg = route.config as { allow?: unknown; public?: unknown } | undefined;
    if (!cfg?.allow && !cfg?.public) throw new Error(`Route ${String(route.method)} ${route.url} has no policy (config.allow or config.public)`);
  });
  // preValidation, not preHandler: who is calling is settled before their input is
  // looked at, so an anonymous or refused caller learns nothing from validation errors.
  app.addHook('preValidation', async (req) => {
    const cfg = req.routeOptions.config;
    if (!cfg.allow) return;
    const actor = await resolveActor(app, req);
    if (!actor) throw new Unauthorized();
    req.actor = actor;
    if (!cfg.allow(actor)) throw new Forbidden();
  });
});
