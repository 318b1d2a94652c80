import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { SavedViewCreateSchema, SavedViewUpdateSchema } from './schema.js';
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from './service.js';

const params = z.object({ id: z.uuid() });

export const savedViewRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Saved views'];
  const read = { allow: (a: Parameters<typeof hasScope>[0]) => hasScope(a, 'read') };
  // Personal or team, and which team, is decided by the service once it knows the view (policy.ts).
  const write = { allow: (a: Parameters<typeof hasScope>[0]) => hasScope(a, 'write') };
  app.get(
    '/saved-views',
    { schema: { tags, summary: "Your saved views and those of your teams (admins: every team's); their counts are in GET /views as saved" }, config: read },
    async (req) => ({ items: await listSavedViews(app.ctx.db, req.actor!) }),
  );
  app.post(
    '/saved-views',
    { schema: { tags, summary: "Save list filters as a view: your own (personal: true) or a team's (teamId: its members and admins)", body: SavedViewCreateSchema }, config: write },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => createSavedView(tx, req.actor!, req.body));
    },
  );
  app.patch(
    '/saved-views/:id',
    { schema: { tags, summary: 'Rename, replace the filters, or move within its group', params, body: SavedViewUpdateSchema }, config: write },
    async (req) => inTransaction(app.ctx, (tx) => updateSavedView(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/saved-views/:id', { schema: { tags, params }, config: write }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteSavedView(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
