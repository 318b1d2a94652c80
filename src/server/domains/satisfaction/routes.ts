import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasScope } from '../../core/actor.js';
import { SatisfactionListQuerySchema } from './schema.js';
import { listAnswers } from './service.js';

export const satisfactionRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Satisfaction'];
  app.get(
    '/satisfaction',
    {
      schema: { tags, summary: 'The customers’ answers to satisfaction surveys given in [from, to), newest first', querystring: SatisfactionListQuerySchema },
      config: { allow: (a) => hasScope(a, 'read') },
    },
    async (req) => ({ items: await listAnswers(app.ctx.db, req.actor!, req.query) }),
  );
};
