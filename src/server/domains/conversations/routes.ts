import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../../core/context.js';
import { Invalid } from '../../core/errors.js';
import { addAgentMessage } from './add-message.js';
import { bulkUpdateConversations } from './bulk-update.js';
import { listConversations } from './list-conversations.js';
import { logCall, openConversationFromCall } from './log-call.js';
import { startConversation } from './start-conversation.js';
import { conversationPolicy } from './policy.js';
import { mergeConversations } from './merge-conversations.js';
import { addParticipant, removeParticipant } from './participants.js';
import { markConversationRead } from './read-state.js';
import { cancelScheduledReply } from './schedule-reply.js';
import { requestInfo } from './request-info.js';
import { InfoRequestSchema } from '../topics/schema.js';
import {
  BulkUpdateSchema,
  CallConversationSchema,
  CallSchema,
  ConversationStartSchema,
  ConversationListQuerySchema,
  ConversationUpdateSchema,
  MergeSchema,
  MessageCreateSchema,
  ParticipantAddSchema,
} from './schema.js';
import { getConversation, getTimeline, updateConversation } from './service.js';
import { splitMessage } from './split-message.js';
import { listSavedViews } from '../saved-views/service.js';
import { countViews } from './views.js';
import { listDeliveryProblems, retryDelivery, sendByEmailInstead } from './delivery.js';

const DeliveryProblemsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeCreatedAt: z.iso.datetime({ offset: true }).optional().describe("nextCursor.createdAt of the page before"),
  beforeId: z.uuid().optional().describe('nextCursor.id of the page before'),
});

const messageParams = z.object({ id: z.uuid() });
const params = z.object({ id: z.union([z.uuid(), z.string().regex(/^\d{1,9}$/)]).describe('The conversation id or its number') });

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Conversations'];
  const read = { allow: conversationPolicy.read };
  // Per-conversation rules (light members) are checked by the service once it has the row.
  const write = { allow: conversationPolicy.note };
  app.get(
    '/views',
    { schema: { tags, summary: "Counts for the agent app's views: mine, unassigned, open, mentions, snoozed, solved, breaching soon, each team and inbox, and each saved view you see (saved, by id)" }, config: read },
    async (req) => countViews(app.ctx.db, req.actor!, (await listSavedViews(app.ctx.db, req.actor!)).map((v) => ({ id: v.id, filters: v.filters }))),
  );
  app.get(
    '/conversations',
    { schema: { tags, summary: 'List with filters and views, sorted newest, waiting or priority; keyset-paginated (pass nextCursor as cursor)', querystring: ConversationListQuerySchema }, config: read },
    async (req) => listConversations(app.ctx.db, req.actor!, req.query),
  );
  app.post(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'Write to a customer first: a new conversation in an e-mail or API channel inbox whose first message is yours, sent like a reply and assigned to you',
        body: ConversationStartSchema,
      },
      config: { allow: conversationPolicy.open },
    },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => startConversation(tx, req.actor!, req.body));
    },
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
  app.post(
    '/conversations/:id/request-info',
    {
      schema: {
        tags,
        summary: 'We need more information: one reply listing the fields asked (with a link to a form that fills them), the conversation set pending, the round counted',
        params,
        body: InfoRequestSchema,
      },
      config: write,
    },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => requestInfo(tx, req.actor!, req.params.id, req.body, { publicUrl: app.ctx.config.publicUrl, secret: app.ctx.secret }));
    },
  );
  app.delete(
    '/messages/:id',
    { schema: { tags, summary: 'Cancel a scheduled reply before it is sent (its author or an admin)', params: messageParams }, config: write },
    async (req) => inTransaction(app.ctx, (tx) => cancelScheduledReply(tx, req.actor!, req.params.id)),
  );
  app.post(
    '/messages/:id/retry',
    { schema: { tags, summary: "Retry now: a reply that failed, or waits for its next attempt, is sent again at once (the conversation's agents)", params: messageParams }, config: write },
    async (req) => inTransaction(app.ctx, (tx) => retryDelivery(tx, req.actor!, req.params.id)),
  );
  app.post(
    '/messages/:id/send-by-email',
    {
      schema: {
        tags,
        summary: "Send by e-mail instead: a failed reply goes again, the same words, as an e-mail from the workspace's e-mail inbox; the failed one is marked replaced",
        params: messageParams,
      },
      config: write,
    },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => sendByEmailInstead(tx, req.actor!, req.params.id));
    },
  );
  app.get(
    '/delivery-problems',
    {
      schema: {
        tags,
        summary: "Replies the customer has not got: failed (and not sent another way) or waiting to be retried, newest first, with reason, attempts and next try; `failed` counts the failed ones",
        querystring: DeliveryProblemsQuery,
      },
      config: read,
    },
    async (req) => {
      const { limit, beforeCreatedAt, beforeId } = req.query;
      if (!!beforeCreatedAt !== !!beforeId) throw new Invalid(beforeCreatedAt ? 'beforeId' : 'beforeCreatedAt', 'give both beforeCreatedAt and beforeId, or neither');
      return listDeliveryProblems(app.ctx.db, req.actor!, { limit, before: beforeCreatedAt && beforeId ? { createdAt: beforeCreatedAt, id: beforeId } : undefined });
    },
  );
  app.post(
    '/conversations/:id/calls',
    { schema: { tags, summary: 'Log a phone call with the customer: direction, number, duration, outcome, notes', params, body: CallSchema }, config: write },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => logCall(tx, req.actor!, req.params.id, req.body));
    },
  );
  app.post(
    '/calls',
    { schema: { tags, summary: 'Open a conversation from a phone call in a phone inbox', body: CallConversationSchema }, config: { allow: conversationPolicy.open } },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => openConversationFromCall(tx, req.actor!, req.body));
    },
  );
  app.post(
    '/conversations/:id/merge',
    { schema: { tags, summary: "Merge another conversation into this one: its messages and history move here, it is closed and points here", params, body: MergeSchema }, config: write },
    async (req) => inTransaction(app.ctx, (tx) => mergeConversations(tx, req.actor!, req.params.id, req.body)),
  );
  app.post(
    '/messages/:id/split',
    { schema: { tags, summary: 'Split a customer message off into a new conversation (same inbox and contact)', params: messageParams }, config: write },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => splitMessage(tx, req.actor!, req.params.id));
    },
  );
  app.post(
    '/conversations/:id/participants',
    { schema: { tags, summary: 'Add a customer as cc: {contactId} or {email, name}', params, body: ParticipantAddSchema }, config: write },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => addParticipant(tx, req.actor!, req.params.id, req.body));
    },
  );
  app.delete(
    '/conversations/:id/participants/:contactId',
    { schema: { tags, summary: "Take a cc'd customer off the conversation", params: params.extend({ contactId: z.uuid() }) }, config: write },
    async (req) => inTransaction(app.ctx, (tx) => removeParticipant(tx, req.actor!, req.params.id, req.params.contactId)),
  );
};
