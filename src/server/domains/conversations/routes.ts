import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../../core/context.js';
import { addAgentMessage } from './add-message.js';
import { bulkUpdateConversations } from './bulk-update.js';
import { listConversations } from './list-conversations.js';
import { conversationPolicy } from './policy.js';
import { markConversationRead } from './read-state.js';
import { cancelScheduledReply } from './schedule-reply.js';
import { BulkUpdateSchema, ConversationListQuerySchema, ConversationUpdateSchema, MessageCreateSchema } from './schema.js';
import { getConversation, getTimeline, updateConversation } from './service.js';
import { countViews } from './views.js';

const messageParams = z.object({ id: z.uuid() });
const params = z.object({ id: z.union([z.uuid(), z.string().regex(/^\d{1,9}$/)]).describe('The conversation id or its number') });

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Conversations'];
  const read = { allow: conversationPolicy.read };
  // Per-conversation rules (light members) are checked by the service once it has the row.
  const write = { allow: conversationPolicy.note };
  app.get('/views', { schema: { tags, summary: "Counts for the agent app's views: mine, unassigned, open, mentions, snoozed, solved, each team and inbox" }, config: read }, async (req) =>
    countViews(app.ctx.db, req.actor!),
  );
  app.get(
    '/conversations',
    { schema: { tags, summary: 'List with filters and views, sorted newest, waiting or priority; keyset-paginated (pass nextCursor as cursor)', querystring: ConversationListQuerySchema }, config: read },
    async (req) => listConversations(app.ctx.db, req.actor!, req.query),
  );
  app.post(
    '/conversations/bulk',
    { schema: { tags, summary: 'Change status, priority, assignee, team or tags of up to 500 conversations; each under the same rules as PATCH', body: BulkUpdateSchema }, config: write },
    async (req) => bulkUpdateConversations(app.ctx, req.actor!, req.body),
  );
  app.get('/conversations/:id', { schema: { tags, params }, config: read }, async (req) => getConversation(app.ctx.db, req.actor!, req.params.id));
  app.patch(
    '/conversations/:id',
    { schema: { tags, summary: 'Change status, priority, assignee, team, tags, snooze…', params, body: ConversationUpdateSchema }, config: write },
    async (req) => inTransaction(app.ctx, (tx) => updateConversation(tx, req.actor!, req.params.id, req.body)),
  );
  app.post('/conversations/:id/read', { schema: { tags, summary: 'Mark read for me: its customer messages so far are no longer unread', params }, config: read }, async (req) =>
    inTransaction(app.ctx, (tx) => markConversationRead(tx, req.actor!, req.params.id)),
  );
  app.get('/conversations/:id/timeline', { schema: { tags, summary: 'The case history: messages, notes and changes in order', params }, config: read }, async (req) =>
    getTimeline(app.ctx.db, req.actor!, req.params.id),
  );
  app.post(
    '/conversations/:id/messages',
    { schema: { tags, summary: 'Reply to the customer (now or at sendAt), or add an internal note (@mentions notify)', params, body: MessageCreateSchema }, config: write },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => addAgentMessage(tx, req.actor!, req.params.id, req.body));
    },
  );
  app.delete(
    '/messages/:id',
    { schema: { tags, summary: 'Cancel a scheduled reply before it is sent (its author or an admin)', params: messageParams }, config: write },
    async (req) => inTransaction(app.ctx, (tx) => cancelScheduledReply(tx, req.actor!, req.params.id)),
  );
};
