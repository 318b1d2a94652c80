import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { BusinessEventCreateSchema } from './schema.js';
import { checkEventSignature, eventSigningSecret, listContactEvents, recordBusinessEvent, removeEventSigningSecret, rotateEventSigningSecret } from './service.js';

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export const businessEventRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Business events'];
  const admin = { allow: canAdminister };
  app.post(
    '/events',
    {
      schema: {
        tags,
        summary:
          'Record a business event (purchase, delivery, cancellation, …) on a contact\'s history: 201 when new, 200 with the first result when the same id was sent before, 409 when that id came with other content. Needs the `events` scope; with a signing secret set, also Heard-Timestamp and Heard-Signature.',
        body: BusinessEventCreateSchema,
      },
      config: { allow: (a) => hasScope(a, 'events') && a.role !== 'light', rawBody: true },
      // After authentication, before the body is validated: a forged request learns nothing from validation errors.
      preValidation: async (req) => {
        await checkEventSignature(app.ctx.db, req.actor!.workspaceId, req.rawBody ?? '', {
          timestamp: header(req.headers['heard-timestamp']),
          signature: header(req.headers['heard-signature']),
        });
      },
    },
    async (req, reply) => {
      const result = await inTransaction(app.ctx, (tx) => recordBusinessEvent(tx, req.actor!, req.body));
      reply.code(result.created ? 201 : 200);
      return { ...result.event, duplicate: !result.created };
    },
  );
  app.get(
    '/contacts/:id/events',
    { schema: { tags, summary: "A contact's business events, newest first", params: z.object({ id: z.uuid() }) }, config: { allow: (a) => hasScope(a, 'read') } },
    async (req) => ({ items: await listContactEvents(app.ctx.db, req.actor!, req.params.id) }),
  );
  app.get('/events/settings', { schema: { tags, summary: 'Whether events must be signed, and the signing secret (admins)' }, config: admin }, async (req) => {
    const secret = await eventSigningSecret(app.ctx.db, req.actor!.workspaceId);
    return { signed: secret !== null, signingSecret: secret };
  });
  app.post('/events/signing-secret', { schema: { tags, summary: 'Set a new signing secret: from now on every event must be signed with it' }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => rotateEventSigningSecret(tx, req.actor!)),
  );
  app.delete('/events/signing-secret', { schema: { tags, summary: 'Remove the signing secret: events need only the token' }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => removeEventSigningSecret(tx, req.actor!));
    return reply.code(204).send();
  });
};
