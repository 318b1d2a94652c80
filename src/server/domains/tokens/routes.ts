import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasScope, SCOPES } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { createToken, listTokens, presentToken, revokeToken } from './service.js';

export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['API tokens'];
  // Tokens are managed from a signed-in session, or by a token that has the admin scope.
  const manage = { allow: (a: Parameters<typeof hasScope>[0] & { via: string }) => a.via === 'session' || hasScope(a, 'admin') };
  app.get('/tokens', { schema: { tags, summary: 'My tokens (all, for admins); never the secrets' }, config: manage }, async (req) => ({
    items: (await listTokens(app.ctx.db, req.actor!)).map(presentToken),
  }));
  app.post(
    '/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token; the token is in this response only',
        body: z.object({
          name: z.string().trim().min(1).max(120),
          scopes: z.array(z.enum(SCOPES)).min(1).default(['read', 'write']),
          memberId: z.uuid().optional().describe('Make it for this member (owners only; the audit log names the owner for what it does); default: me.'),
        }),
      },
      config: manage,
    },
    async (req, reply) => {
      const { token, row } = await inTransaction(app.ctx, (tx) => createToken(tx, req.actor!, req.body));
      reply.code(201);
      return { ...presentToken(row), token };
    },
  );
  app.delete('/tokens/:id', { schema: { tags, summary: 'Revoke a token at once', params: z.object({ id: z.uuid() }) }, config: manage }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => revokeToken(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
};
