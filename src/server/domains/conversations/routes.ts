import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../../core/context.js';
import { conversationPolicy } from './policy.js';
import { ConversationListQuerySchema, ConversationUpdateSchema, MessageCreateSchema } from './schema.js';
import { addAgentMessage, getConversation, getTimeline, listConversations, updateConversation } from './service.js';

const params = z.object({ id: z.union([z.uuid(), z.string().regex(/^\d{1,9}$/)]).describe('The conversation id or its number') });

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Conversations'];
  const read = { allow: conversationPolicy.read };
  // Per-conversation rules (light members) are checked by the service once it has the row.
  const write = { allow: conversationPolicy.note };
  app.get(
    '/conversations',
    { schema: { tags, summary: 'List with filters; keyset-paginated (pass nextCursor as cursor)', querystring: ConversationListQuerySchema }, config: read },
    async (req) => listConversations(app.ctx.db, req.actor!, req.query),
  );
  app.get('/conversations/:id', { schema: { tags, params }, config: read }, async (req) => getConversation(app.ctx.db, req.actor!, req.params.id));
  app.patch('/conversations/:id', { schema: { tags, summary: 'Change status, priority, assignee, team, tags…', params, body: ConversationUpdateSchema }, config: write }, async (req) =>
    inTransaction(app.ctx, (tx) => updateConversation(tx, req.actor!, req.params.id, req.body)),
  );
  app.get('/conversations/:id/timeline', { schema: { tags, summary: 'The case history: messages, notes and changes in order', params }, config: read }, async (req) =>
    getTimeline(app.ctx.db, req.actor!, req.params.id),
  );
  app.post(
    '/conversations/:id/messages',
    { schema: { tags, summary: 'Reply to the customer, or add an internal note', params, body: MessageCreateSchema }, config: write },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => addAgentMessage(tx, req.actor!, req.params.id, req.body));
    },
  );
};
