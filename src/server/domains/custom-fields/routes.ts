import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { CustomFieldCreateSchema, CustomFieldListQuerySchema, CustomFieldUpdateSchema } from './schema.js';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './service.js';

const params = z.object({ id: z.uuid() });

export const customFieldRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Custom fields'];
  const admin = { allow: canAdminister };
  app.get(
    '/custom-fields',
    { schema: { tags, summary: 'Custom field definitions for conversations and contacts', querystring: CustomFieldListQuerySchema }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req) => ({ items: await listCustomFields(app.ctx.db, req.actor!, req.query) }),
  );
  app.post('/custom-fields', { schema: { tags, summary: 'Define a custom field (admins)', body: CustomFieldCreateSchema }, config: admin }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createCustomField(tx, req.actor!, req.body));
  });
  app.patch('/custom-fields/:id', { schema: { tags, params, body: CustomFieldUpdateSchema }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => updateCustomField(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/custom-fields/:id', { schema: { tags, params }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteCustomField(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
