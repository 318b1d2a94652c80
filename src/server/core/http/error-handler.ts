import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { newId } from '../ids.js';
import { HeardError, Invalid } from '../errors.js';

const PROBLEM = 'application/problem+json';

function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  return code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * A statement that failed on a value no column could take (bad text, a number out of range,
 * nesting past PostgreSQL's stack): the input's fault. The input guard refuses these before
 * any query; this answers 422 for whatever still gets through, without the statement's text.
 */
export function badInputForDatabase(err: unknown): Invalid | undefined {
  const code = pgCode(err);
  if (code === '22P02' || code === '22007' || code === '22001' || code === '22021' || code === '22P05') return new Invalid('body', 'has a value the database cannot store');
  if (code === '22003') return new Invalid('body', 'has a number out of range');
  if (code === '54001') return new Invalid('body', 'nests too deep');
  return undefined;
}

/**
 * The one place errors become HTTP responses (RFC 9457 problem+json). Known errors
 * keep their status and say which field was wrong; anything else is a 500 with an id
 * that is in the log, and nothing of the stack in the body.
 */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let e: HeardError | undefined;
    if (err instanceof HeardError) e = err;
    else if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      e = new Invalid(
        err.validation.map((v) => {
          const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
          return { field: path ? `${where === 'body' ? '' : where + '.'}${path}` : where, reason: v.message ?? 'is invalid' };
        }),
      );
    } else if (err.validation) {
      e = new Invalid(err.validation.map((v) => ({ field: v.instancePath.replace(/^\//, '') || err.validationContext || 'body', reason: v.message ?? 'is invalid' })));
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      e = new HeardError(415, 'Unsupported Media Type', 'Send application/json');
    } else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
      e = new Invalid('body', 'is not valid JSON');
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      e = new HeardError(413, 'Payload Too Large', 'The request body is too large');
    } else if (pgCode(err) === '23505') {
      e = new HeardError(409, 'Conflict', 'That already exists');
    } else if (err.statusCode === 429) {
      e = new HeardError(429, 'Too Many Requests', err.message);
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 && !isResponseSerializationError(err)) {
      e = new HeardError(err.statusCode, 'Bad Request', err.message);
    }
    e ??= badInputForDatabase(err);
    if (!e) {
      const errorId = newId();
      req.log.error({ err, errorId }, 'unhandled error');
      return reply.code(500).type(PROBLEM).send({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Something went wrong on our side', errorId });
    }
    if (e instanceof HeardError && e.status === 429 && typeof e.extra.retryAfter === 'number') reply.header('retry-after', String(e.extra.retryAfter));
    return reply
      .code(e.status)
      .type(PROBLEM)
      .send({ type: 'about:blank', title: e.title, status: e.status, detail: e.message, ...e.extra });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).type(PROBLEM).send({ type: 'about:blank', title: 'Not Found', status: 404, detail: `No route ${req.method} ${req.url.split('?')[0]}` });
  });
}

/**
 * Errors Fastify answers before any route or error handler (a path that is not valid
 * percent-encoding: /api/v1/conversations/%FF; a path parameter past maxParamLength), as problem+json too. Set as the server's frameworkErrors.
 */
export function frameworkError(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  void reply.code(status).type(PROBLEM).send({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Bad Request', status, detail: err.message });
}
