import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, canAdminister, hasScope } from '../actor.js';
import { inTransaction } from '../context.js';
import { BusinessHoursCreateSchema, BusinessHoursUpdateSchema } from './schema.js';
import { createBusinessHours, deleteBusinessHours, getBusinessHoursRow, listBusinessHours, presentBusinessHours, updateBusinessHours } from './service.js';

const params = z.object({ id: z.uuid() });

export const businessHoursRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Business hours'];
  const admin = { allow: canAdminister };
  const read = { allow: (a: Actor) => hasScope(a, 'read') };
  app.get('/business-hours', { schema: { tags, summary: "The workspace's business-hours calendars" }, config: read }, async (req) => listBusinessHours(app.ctx.db, req.actor!));
  app.get('/business-hours/:id', { schema: { tags, params }, config: read }, async (req) => presentBusinessHours(await getBusinessHoursRow(app.ctx.db, req.actor!, req.params.id)));
  app.post('/business-hours', { schema: { tags, body: BusinessHoursCreateSchema }, config: admin }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createBusinessHours(tx, req.actor!, req.body));
  });
  app.patch('/business-hours/:id', { schema: { tags, params, body: BusinessHoursUpdateSchema }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => updateBusinessHours(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/business-hours/:id', { schema: { tags, summary: 'Delete a calendar no SLA policy uses', params }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteBusinessHours(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
