import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasScope } from '../../core/actor.js';
import { Invalid } from '../../core/errors.js';
import { ingest } from '../../domains/conversations/ingest.js';
import { getInbox } from '../../domains/inboxes/service.js';
import { ApiInboundResultSchema, ApiInboundSchema } from './schema.js';

/** The generic API channel's way in: any messaging or social system POSTs what its customers wrote. */
export const apiChannelRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/inboxes/:id/messages',
    {
      schema: {
        tags: ['API channel'],
        summary: 'Deliver a customer message into an API channel inbox',
        params: z.object({ id: z.uuid() }),
        body: ApiInboundSchema,
        response: { 201: ApiInboundResultSchema, 200: ApiInboundResultSchema },
      },
      config: { allow: (a) => hasScope(a, 'write') && a.role !== 'light' },
    },
    async (req, reply) => {
      const actor = req.actor!;
      const inbox = await getInbox(app.ctx.db, actor, req.params.id);
      if (inbox.channel !== 'api') throw new Invalid('id', `inbox is a ${inbox.channel} inbox, not an API channel`);
      if (inbox.archivedAt) throw new Invalid('id', 'inbox is archived');
      const r = await ingest(app.ctx, {
        workspaceId: actor.workspaceId,
        inboxId: inbox.id,
        contact: req.body.contact,
        text: req.body.text,
        html: req.body.html,
        subject: req.body.subject,
        externalId: req.body.clientMessageId,
      });
      reply.code(r.duplicate ? 200 : 201);
      return r;
    },
  );
};
