import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { TagCreateSchema, TagUpdateSchema } from './schema.js';
import { createTag, deleteTag, listTags, updateTag } from './service.js';

const params = z.object({ id: z.uuid() });

export const tagRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Tags'];
  const admin = { allow: canAdminister };
  app.get(
    '/tags',
    { schema: { tags, summary: "The workspace's tags with how many conversations carry each" }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req) => listTags(app.ctx.db, req.actor!),
  );
  app.post('/tags', { schema: { tags, body: TagCreateSchema }, config: admin }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createTag(tx, req.actor!, req.body));
  });
  app.patch('/tags/:id', { schema: { tags, summary: 'Rename (on every conversation too) or recolour', params, body: TagUpdateSchema }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => updateTag(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/tags/:id', { schema: { tags, summary: 'Remove from the list and from every conversation', params }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteTag(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
