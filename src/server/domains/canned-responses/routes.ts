import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { CannedResponseCreateSchema, CannedResponseListQuerySchema, CannedResponseRenderSchema, CannedResponseUpdateSchema, MacroApplySchema } from './schema.js';
import {
  applyMacro,
  createCannedResponse,
  deleteCannedResponse,
  getCannedResponse,
  listCannedResponses,
  renderCannedResponse,
  updateCannedResponse,
} from './service.js';

const params = z.object({ id: z.uuid() });

export const cannedResponseRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Canned responses'];
  const read = { allow: (a: Parameters<typeof hasScope>[0]) => hasScope(a, 'read') };
  // Shared or personal is decided by the service once it knows which one (policy.ts).
  const write = { allow: (a: Parameters<typeof hasScope>[0]) => hasScope(a, 'write') };
  app.get(
    '/canned-responses',
    { schema: { tags, summary: "The workspace's shared canned responses and your own", querystring: CannedResponseListQuerySchema }, config: read },
    async (req) => ({ items: await listCannedResponses(app.ctx.db, req.actor!, req.query) }),
  );
  app.get('/canned-responses/:id', { schema: { tags, params }, config: read }, async (req) => getCannedResponse(app.ctx.db, req.actor!, req.params.id));
  app.post(
    '/canned-responses',
    { schema: { tags, summary: 'Save a canned response: personal, or shared (admins)', body: CannedResponseCreateSchema }, config: write },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => createCannedResponse(tx, req.actor!, req.body));
    },
  );
  app.patch('/canned-responses/:id', { schema: { tags, params, body: CannedResponseUpdateSchema }, config: write }, async (req) =>
    inTransaction(app.ctx, (tx) => updateCannedResponse(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/canned-responses/:id', { schema: { tags, params }, config: write }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteCannedResponse(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
  app.post(
    '/canned-responses/:id/render',
    {
      schema: {
        tags,
        summary: 'The body with its variables filled for a conversation ({{contact.first_name}}, {{agent.name}}…); unfilled ones are listed in missing',
        params,
        body: CannedResponseRenderSchema,
      },
      config: read,
    },
    async (req) => renderCannedResponse(app.ctx.db, req.actor!, req.params.id, req.body.conversationId),
  );
  app.post(
    '/conversations/:id/macros/:cannedResponseId',
    {
      schema: {
        tags,
        summary: "Apply a canned response's text (as a draft, or sent with send: true) and its changes (status, priority, assignee, team, tags) together, or none of them",
        params: z.object({ id: z.union([z.uuid(), z.string().regex(/^\d{1,9}$/)]), cannedResponseId: z.uuid() }),
        body: MacroApplySchema,
      },
      config: write,
    },
    async (req) => inTransaction(app.ctx, (tx) => applyMacro(tx, req.actor!, req.params.id, req.params.cannedResponseId, req.body)),
  );
};
