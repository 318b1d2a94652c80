import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { redeliver, sendTestPing } from './deliver.js';
import { WEBHOOK_EVENT_TYPES, WebhookCreateSchema, WebhookDeliverySchema, WebhookEndpointSchema, WebhookUpdateSchema } from './schema.js';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  presentEndpoint,
  rotateEndpointSecret,
  updateEndpoint,
} from './service.js';

const params = z.object({ id: z.uuid() });
const WithSecretSchema = WebhookEndpointSchema.extend({ secret: z.string().describe('The signing secret: shown in this response only.') });

/** Workspace webhooks (docs/webhooks.md): endpoints, their delivery log, a test ping and redelivery. Admins only. */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Webhooks'];
  const admin = { allow: canAdminister };
  const allowPrivate = () => app.ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS;

  app.get(
    '/webhooks/event-types',
    { schema: { tags, summary: 'The kinds of event an endpoint may subscribe to ("all" for every kind)', response: { 200: z.object({ items: z.array(z.string()) }) } }, config: admin },
    async () => ({ items: [...WEBHOOK_EVENT_TYPES] }),
  );
  app.get(
    '/webhooks',
    { schema: { tags, summary: "The workspace's webhook endpoints; never their secrets", response: { 200: z.object({ items: z.array(WebhookEndpointSchema) }) } }, config: admin },
    async (req) => ({ items: (await listEndpoints(app.ctx.db, req.actor!)).map(presentEndpoint) }),
  );
  app.post(
    '/webhooks',
    { schema: { tags, summary: 'Add an endpoint; its signing secret is in this response only', body: WebhookCreateSchema, response: { 201: WithSecretSchema } }, config: admin },
    async (req, reply) => {
      const e = await inTransaction(app.ctx, (tx) => createEndpoint(tx, req.actor!, req.body, allowPrivate()));
      reply.code(201);
      return { ...presentEndpoint(e), secret: e.secret };
    },
  );
  app.get('/webhooks/:id', { schema: { tags, summary: 'One endpoint', params, response: { 200: WebhookEndpointSchema } }, config: admin }, async (req) =>
    presentEndpoint(await getEndpoint(app.ctx.db, req.actor!, req.params.id)),
  );
  app.patch(
    '/webhooks/:id',
    { schema: { tags, summary: 'Change an endpoint; switching it on again clears why it was switched off', params, body: WebhookUpdateSchema, response: { 200: WebhookEndpointSchema } }, config: admin },
    async (req) => presentEndpoint(await inTransaction(app.ctx, (tx) => updateEndpoint(tx, req.actor!, req.params.id, req.body, allowPrivate()))),
  );
  app.delete('/webhooks/:id', { schema: { tags, summary: 'Remove an endpoint and its delivery log', params }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteEndpoint(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
  app.post(
    '/webhooks/:id/rotate-secret',
    { schema: { tags, summary: 'A new signing secret, in this response only; the old one stops at once', params, response: { 200: WithSecretSchema } }, config: admin },
    async (req) => {
      const e = await inTransaction(app.ctx, (tx) => rotateEndpointSecret(tx, req.actor!, req.params.id));
      return { ...presentEndpoint(e), secret: e.secret };
    },
  );
  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "The endpoint's delivery log, newest first, each delivery with its attempts",
        params,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(25),
          before: z.iso.datetime({ offset: true }).optional().describe('Deliveries made before this time (the createdAt of the last one shown).'),
        }),
        response: { 200: z.object({ items: z.array(WebhookDeliverySchema) }) },
      },
      config: admin,
    },
    async (req) => ({ items: await listDeliveries(app.ctx.db, req.actor!, req.params.id, req.query) }),
  );
  app.post(
    '/webhooks/:id/test',
    { schema: { tags, summary: 'Send a `ping` event to the endpoint now and answer with the result', params, response: { 200: WebhookDeliverySchema } }, config: admin },
    async (req) => sendTestPing(app.ctx, req.actor!, req.params.id),
  );
  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags,
        summary: 'Send a delivery again now (same body and Heard-Event-Id) and answer with the result',
        params: z.object({ id: z.uuid(), deliveryId: z.uuid() }),
        response: { 200: WebhookDeliverySchema },
      },
      config: admin,
    },
    async (req) => redeliver(app.ctx, req.actor!, req.params.id, req.params.deliveryId),
  );
};
