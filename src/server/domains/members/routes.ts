import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasScope, isAdmin, ROLES } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { addMember, getMember, listMembers, updateMember } from './service.js';

const canAdmin = (a: Parameters<typeof isAdmin>[0] & Parameters<typeof hasScope>[0]) => isAdmin(a) && hasScope(a, 'admin');

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Members'];
  app.get('/members', { schema: { tags, summary: 'Everyone in the workspace' }, config: { allow: (a) => hasScope(a, 'read') } }, async (req) => ({
    items: await listMembers(app.ctx.db, req.actor!),
  }));

  app.get(
    '/members/:id',
    { schema: { tags, params: z.object({ id: z.uuid() }) }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req) => getMember(app.ctx.db, req.actor!, req.params.id),
  );

  app.post(
    '/members',
    {
      schema: {
        tags,
        summary: 'Add a member (admins)',
        body: z.object({
          email: z.email().max(320),
          name: z.string().trim().min(1).max(200),
          role: z.enum(ROLES).default('agent'),
          password: z.string().min(8, 'must be at least 8 characters').max(1000).optional(),
        }),
      },
      config: { allow: canAdmin },
    },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => addMember(tx, req.actor!, req.body));
    },
  );

  app.patch(
    '/members/:id',
    {
      schema: {
        tags,
        summary: 'Change a member: own name and signature; role and deactivation for admins',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          signature: z.string().max(5000).optional(),
          role: z.enum(ROLES).optional(),
          active: z.boolean().optional(),
        }),
      },
      config: { allow: (a) => hasScope(a, 'write') },
    },
    async (req) => inTransaction(app.ctx, (tx) => updateMember(tx, req.actor!, req.params.id, req.body)),
  );
};
