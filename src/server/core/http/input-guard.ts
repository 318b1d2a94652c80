import type { FastifyInstance } from 'fastify';
import { Invalid } from '../errors.js';

/** Deeper than any body Heard takes; a deeper one is refused before it is parsed (5,000 levels overflowed the stack further on). */
export const MAX_JSON_DEPTH = 64;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Keep the JSON body's text as sent (request.rawBody), for a route that checks a signature over it. */
    rawBody?: boolean;
  }
  interface FastifyRequest {
    rawBody: string | undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether a JSON text nests deeper than `max`, counted over its brackets outside strings: no parsing, no recursion. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}

// A UTF-16 surrogate without its pair: JSON's \ud800 escape makes one, which text columns store as U+FFFD and jsonb refuses.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store a string as it is, if it cannot. */
function unstorable(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(s)) return 'is not valid Unicode (an unpaired surrogate)';
  return undefined;
}

/**
 * The first string (value or key) of a parsed value PostgreSQL cannot store, named as the
 * error handler names fields ("contact.name", "querystring.q"); walked with a stack of our own.
 */
function unstorableField(value: unknown, prefix = ''): { field: string; reason: string } | undefined {
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const pending: [unknown, string][] = [[value, prefix]];
  while (pending.length) {
    const [v, path] = pending.pop()!;
    if (typeof v === 'string') {
      const reason = unstorable(v);
      if (reason) return { field: path || 'body', reason };
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      for (const [k, x] of Object.entries(v)) {
        const reason = unstorable(k);
        if (reason) return { field: join(path, JSON.stringify(k).slice(1, -1)), reason };
        pending.push([x, join(path, k)]);
      }
    }
  }
  return undefined;
}

/** Refuses, as Invalid naming the field, a string PostgreSQL cannot store (a NUL, an unpaired surrogate) anywhere in a request's params, query or body. */
export function refuseUnstorable(parts: { params?: unknown; query?: unknown; body?: unknown }) {
  const found = unstorableField(parts.params, 'params') ?? unstorableField(parts.query, 'querystring') ?? unstorableField(parts.body);
  if (found) throw new Invalid(found.field, found.reason);
}

/**
 * The one place input that no route could store is refused, before any handler or query
 * sees it: JSON that is not UTF-8 or nests too deep (parser), and a string PostgreSQL
 * cannot store (a NUL, an unpaired surrogate) anywhere in the params, query or body. The
 * help center's forms pass through the same hook and get its error page.
 */
export function installInputGuard(app: FastifyInstance) {
  app.decorateRequest('rawBody', undefined);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new Invalid('body', 'is not valid UTF-8'), undefined);
    }
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return done(new Invalid('body', `nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    // A route that checks a signature over the body as sent keeps its text.
    if (req.routeOptions.config.rawBody) req.rawBody = text;
    parseJson(req, text, done);
  });
  app.addHook('preValidation', async (req) => refuseUnstorable(req));
}
