import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { ContactUpdateSchema } from './schema.js';
import { getContact, listContacts, mergeContacts, updateContact } from './service.js';

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Contacts'];
  const params = z.object({ id: z.uuid() });
  const write = { allow: (a: Parameters<typeof hasScope>[0] & { role: string }) => hasScope(a, 'write') && a.role !== 'light' };
  app.get(
    '/contacts',
    {
      schema: {
        tags,
        summary: 'List or search contacts (name, e-mail, phone, handle; typos tolerated)',
        querystring: z.object({
          q: z.string().trim().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
          offset: z.coerce.number().int().min(0).max(10_000).default(0),
        }),
      },
      config: { allow: (a) => hasScope(a, 'read') },
    },
    async (req) => ({ items: await listContacts(app.ctx.db, req.actor!, req.query) }),
  );
  app.get('/contacts/:id', { schema: { tags, summary: 'A contact with their conversations on every channel', params }, config: { allow: (a) => hasScope(a, 'read') } }, async (req) =>
    getContact(app.ctx.db, req.actor!, req.params.id),
  );
  app.patch('/contacts/:id', { schema: { tags, params, body: ContactUpdateSchema }, config: write }, async (req) =>
    inTransaction(app.ctx, (tx) => updateContact(tx, req.actor!, req.params.id, req.body)),
  );
  app.post(
    '/contacts/:id/merge',
    { schema: { tags, summary: 'Merge another contact into this one', params, body: z.object({ sourceId: z.uuid() }) }, config: write },
    async (req) => inTransaction(app.ctx, (tx) => mergeContacts(tx, req.actor!, req.params.id, req.body.sourceId)),
  );
};
