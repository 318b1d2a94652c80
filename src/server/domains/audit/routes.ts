import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister } from '../../core/actor.js';
import { listAudit } from './service.js';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['Audit log'],
        summary: 'Admin actions, newest first',
        querystring: z.object({ before: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional().describe('Entries before this time (ISO 8601).'), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      },
      config: { allow: canAdminister },
    },
    async (req) => ({ items: await listAudit(app.ctx.db, req.actor!, req.query) }),
  );
};
