import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister } from '../actor.js';
import { inTransaction } from '../context.js';
import { listEventFailures, retryEventFailure } from './failures.js';

/** Admins see what a processor could not do with an event (a reply not queued, a rule not run) and retry it. */
export const eventFailureRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Event deliveries'];
  app.get(
    '/event-failures',
    {
      schema: {
        tags,
        summary: 'Events a processor could not handle: retrying (dead=false) or given up after every attempt (dead=true)',
        querystring: z.object({ dead: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      },
      config: { allow: canAdminister },
    },
    async (req) => ({
      items: await listEventFailures(app.ctx.db, req.actor!, { dead: req.query.dead === undefined ? undefined : req.query.dead === 'true', limit: req.query.limit }),
    }),
  );
  app.post(
    '/event-failures/:eventId/:processor/retry',
    {
      schema: { tags, summary: 'Offer the event to that processor again now, with a fresh set of attempts', params: z.object({ eventId: z.uuid(), processor: z.string().regex(/^[a-z][a-z0-9-]*$/, 'is not a processor name').max(64) }) },
      config: { allow: canAdminister },
    },
    async (req, reply) => {
      await inTransaction(app.ctx, (tx) => retryEventFailure(tx, req.actor!, req.params.eventId, req.params.processor));
      app.ctx.kick();
      return reply.code(204).send();
    },
  );
};
