import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { SlaPolicyCreateSchema, SlaPolicyUpdateSchema } from './schema.js';
import { createSlaPolicy, deleteSlaPolicy, getSlaPolicyRow, listSlaPolicies, presentSlaPolicy, updateSlaPolicy } from './service.js';

const params = z.object({ id: z.uuid() });

export const slaPolicyRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['SLA policies'];
  const admin = { allow: canAdminister };
  const read = { allow: (a: Actor) => hasScope(a, 'read') };
  app.get('/sla-policies', { schema: { tags, summary: 'The SLA policies in order; the first enabled match applies' }, config: read }, async (req) => listSlaPolicies(app.ctx.db, req.actor!));
  app.get('/sla-policies/:id', { schema: { tags, params }, config: read }, async (req) => presentSlaPolicy(await getSlaPolicyRow(app.ctx.db, req.actor!, req.params.id)));
  app.post('/sla-policies', { schema: { tags, body: SlaPolicyCreateSchema }, config: admin }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createSlaPolicy(tx, req.actor!, req.body));
  });
  app.patch('/sla-policies/:id', { schema: { tags, params, body: SlaPolicyUpdateSchema }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => updateSlaPolicy(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/sla-policies/:id', { schema: { tags, params }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteSlaPolicy(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
