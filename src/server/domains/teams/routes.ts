import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from './service.js';

const TeamBody = z.object({
  name: z.string().trim().min(1).max(120),
  memberIds: z.array(z.uuid()).max(1000).optional(),
  assignmentMode: z
    .enum(['manual', 'round_robin', 'least_open'])
    .optional()
    .describe('How a conversation entering the team gets a member: by hand, in turn, or to the one with the fewest open.'),
  assignOnlineOnly: z.boolean().optional().describe('Assign automatically only to members with the app open.'),
});

export const teamRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Teams'];
  const admin = { allow: canAdminister };
  app.get('/teams', { schema: { tags }, config: { allow: (a) => hasScope(a, 'read') } }, async (req) => ({ items: await listTeams(app.ctx.db, req.actor!) }));
  app.get('/teams/:id', { schema: { tags, params: z.object({ id: z.uuid() }) }, config: { allow: (a) => hasScope(a, 'read') } }, async (req) =>
    getTeam(app.ctx.db, req.actor!, req.params.id),
  );
  app.post('/teams', { schema: { tags, body: TeamBody }, config: admin }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createTeam(tx, req.actor!, req.body));
  });
  app.patch('/teams/:id', { schema: { tags, params: z.object({ id: z.uuid() }), body: TeamBody.partial() }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => updateTeam(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/teams/:id', { schema: { tags, params: z.object({ id: z.uuid() }) }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteTeam(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
