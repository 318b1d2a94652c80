import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { InboxCreateSchema, InboxUpdateSchema } from './schema.js';
import { createInbox, getInbox, imapStatesOf, listInboxes, presentInbox, rotateInboxSecret, updateInbox } from './service.js';

export const inboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Inboxes'];
  const admin = { allow: canAdminister };
  const params = z.object({ id: z.uuid() });
  app.get('/inboxes', { schema: { tags }, config: { allow: (a) => hasScope(a, 'read') } }, async (req) => {
    const rows = await listInboxes(app.ctx.db, req.actor!);
    const states = await imapStatesOf(app.ctx.db, rows.filter((i) => i.channel === 'email').map((i) => i.id));
    return { items: rows.map((i) => presentInbox(i, req.actor!, states.get(i.id))) };
  });
  app.get('/inboxes/:id', { schema: { tags, params }, config: { allow: (a) => hasScope(a, 'read') } }, async (req) => {
    const inbox = await getInbox(app.ctx.db, req.actor!, req.params.id);
    return presentInbox(inbox, req.actor!, (await imapStatesOf(app.ctx.db, [inbox.id])).get(inbox.id));
  });
  app.post(
    '/inboxes',
    { schema: { tags, summary: 'Create an inbox (admins). An API channel returns its signing secret.', body: InboxCreateSchema }, config: admin },
    async (req, reply) => {
      reply.code(201);
      return presentInbox(await inTransaction(app.ctx, (tx) => createInbox(tx, req.actor!, req.body, app.ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS)), req.actor!);
    },
  );
  app.patch('/inboxes/:id', { schema: { tags, params, body: InboxUpdateSchema }, config: admin }, async (req) =>
    presentInbox(await inTransaction(app.ctx, (tx) => updateInbox(tx, req.actor!, req.params.id, req.body, app.ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS)), req.actor!),
  );
  app.post('/inboxes/:id/rotate-secret', { schema: { tags, summary: 'Replace the callback signing secret', params }, config: admin }, async (req) =>
    presentInbox(await inTransaction(app.ctx, (tx) => rotateInboxSecret(tx, req.actor!, req.params.id)), req.actor!),
  );
};
