import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { RuleCreateSchema, RulePreviewSchema, RuleUpdateSchema } from './schema.js';
import { createRule, deleteRule, getRule, listRules, previewRule, updateRule } from './service.js';

const params = z.object({ id: z.uuid() });

export const ruleRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Rules'];
  const read = { allow: (a: Parameters<typeof hasScope>[0]) => hasScope(a, 'read') };
  const admin = { allow: canAdminister };
  app.get('/rules', { schema: { tags, summary: "The workspace's automation rules, in the order they run" }, config: read }, async (req) => ({
    items: await listRules(app.ctx.db, req.actor!),
  }));
  app.get('/rules/:id', { schema: { tags, params }, config: read }, async (req) => getRule(app.ctx.db, req.actor!, req.params.id));
  app.post('/rules', { schema: { tags, summary: 'Add a rule (admins)', body: RuleCreateSchema }, config: admin }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createRule(tx, req.actor!, req.body));
  });
  app.patch('/rules/:id', { schema: { tags, params, body: RuleUpdateSchema }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => updateRule(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/rules/:id', { schema: { tags, params }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteRule(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
  app.post(
    '/rules/preview',
    {
      schema: { tags, summary: 'Which conversations still being worked on these conditions match now (the first 50, and how many); nothing changes', body: RulePreviewSchema },
      config: admin,
    },
    async (req) => previewRule(app.ctx.db, req.actor!, req.body.conditions),
  );
};
