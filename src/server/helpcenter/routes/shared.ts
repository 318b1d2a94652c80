import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SiteRequest } from '../context.js';

/** The help center and viewer of a request under /help/:site (set by the site's preHandler). */
export function siteOf(req: FastifyRequest): SiteRequest {
  if (!req.site) throw new Error('help center route without a site');
  return req.site;
}

/** The rate limit of the help center's forms: per address, shared across nodes through Redis when there is one. */
export function submitLimit(app: FastifyInstance) {
  return { rateLimit: { max: app.ctx.config.HEARD_HELP_RATE_LIMIT, timeWindow: '1 minute' } };
}

export interface SignedCookies {
  read<T>(name: string): T | null;
  write(name: string, value: unknown): void;
}

/** Small JSON values in cookies the reader keeps, signed with the instance secret so nobody can write one of their own. */
export function signedCookies(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, path: string): SignedCookies {
  const mac = (body: string) => crypto.createHmac('sha256', app.ctx.secret).update(`help-cookie:${body}`).digest('base64url').slice(0, 27);
  return {
    read<T>(name: string): T | null {
      const raw = req.cookies[name];
      const [body, sig] = raw?.split('.') ?? [];
      if (!body || !sig || sig !== mac(body)) return null;
      try {
        return JSON.parse(Buffer.from(body, 'base64url').toString()) as T;
      } catch {
        return null;
      }
    },
    write(name, value) {
      const body = Buffer.from(JSON.stringify(value)).toString('base64url');
      reply.setCookie(name, `${body}.${mac(body)}`, { path, httpOnly: true, sameSite: 'lax', secure: app.ctx.config.secureCookies, maxAge: 365 * 86_400 });
    },
  };
}
