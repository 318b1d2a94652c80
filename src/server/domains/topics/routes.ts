import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { TopicCreateSchema, TopicUpdateSchema } from './schema.js';
import { createTopic, deleteTopic, listTopics, updateTopic } from './service.js';

const params = z.object({ id: z.uuid() });

/** Topics and their intake forms: anyone may read them, admins shape them. */
export const topicRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Topics'];
  const admin = { allow: canAdminister };
  app.get(
    '/topics',
    { schema: { tags, summary: 'The topics conversations are about, in order, each with its intake form (the fields asked of the customer)' }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req) => ({ items: await listTopics(app.ctx.db, req.actor!.workspaceId) }),
  );
  app.post('/topics', { schema: { tags, summary: 'Add a topic with its intake form (admins)', body: TopicCreateSchema }, config: admin }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createTopic(tx, req.actor!, req.body));
  });
  app.patch(
    '/topics/:id',
    { schema: { tags, summary: 'Rename a topic, move it, or replace its intake form (admins)', params, body: TopicUpdateSchema }, config: admin },
    async (req) => inTransaction(app.ctx, (tx) => updateTopic(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/topics/:id', { schema: { tags, summary: 'Remove a topic (admins); conversations keep its name', params }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteTopic(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
