import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { toCsv } from '../reports/csv.js';
import { GoodwillApproveSchema, GoodwillCreateSchema, GoodwillDenySchema, GoodwillListQuerySchema, GoodwillSettingsUpdateSchema } from './schema.js';
import {
  conversationGoodwill,
  createGoodwill,
  decideGoodwill,
  getGoodwill,
  getGoodwillSettings,
  goodwillLedger,
  listGoodwill,
  mayApprove,
  mayGive,
  updateGoodwillSettings,
} from './service.js';

const params = z.object({ id: z.uuid() });
const conversationParams = z.object({ id: z.union([z.uuid(), z.string().regex(/^\d{1,9}$/)]).describe('The conversation id or its number') });

/** Goodwill actions (docs/goodwill.md): agents give within their limit, supervisors approve above it, the order system is told. */
export const goodwillRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Goodwill'];
  const read = { allow: (a: Actor) => hasScope(a, 'read') };
  app.get('/conversations/:id/goodwill', { schema: { tags, summary: 'The goodwill actions taken from a conversation, newest first', params: conversationParams }, config: read }, async (req) => ({
    items: await conversationGoodwill(app.ctx.db, req.actor!, req.params.id),
  }));
  app.post(
    '/conversations/:id/goodwill',
    {
      schema: { tags, summary: 'Give a credit, refund without return, replacement or discount: at once within your limit, otherwise it waits for approval', params: conversationParams, body: GoodwillCreateSchema },
      config: { allow: mayGive },
    },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => createGoodwill(tx, req.actor!, req.params.id, req.body));
    },
  );
  app.get('/goodwill/actions', { schema: { tags, summary: 'The workspace’s goodwill actions, newest first, by conversation, contact, state or day', querystring: GoodwillListQuerySchema }, config: read }, async (req) => ({
    items: await listGoodwill(app.ctx.db, req.actor!, req.query),
  }));
  app.get('/goodwill/actions/:id', { schema: { tags, summary: 'One action, with its approval and its delivery to the order system', params }, config: read }, async (req) =>
    getGoodwill(app.ctx.db, req.actor!, req.params.id),
  );
  app.post(
    '/goodwill/actions/:id/approve',
    { schema: { tags, summary: 'Approve an action that waits (admins and owners; not your own request; within your own limit)', params, body: GoodwillApproveSchema }, config: { allow: mayApprove } },
    async (req) => inTransaction(app.ctx, (tx) => decideGoodwill(tx, req.actor!, req.params.id, { approve: true, reason: req.body.reason })),
  );
  app.post(
    '/goodwill/actions/:id/deny',
    { schema: { tags, summary: 'Deny an action that waits, saying why (admins and owners; not your own request)', params, body: GoodwillDenySchema }, config: { allow: mayApprove } },
    async (req) => inTransaction(app.ctx, (tx) => decideGoodwill(tx, req.actor!, req.params.id, { approve: false, reason: req.body.reason })),
  );
  app.get(
    '/goodwill/ledger',
    { schema: { tags, summary: 'The ledger of the workspace or of one contact: the actions, and the sums given and awaiting per currency and kind; format=csv for a spreadsheet', querystring: GoodwillListQuerySchema }, config: read },
    async (req, reply) => {
      const ledger = await goodwillLedger(app.ctx.db, req.actor!, req.query);
      if (req.query.format !== 'csv') return ledger;
      const csv = toCsv(
        ['created_at', 'id', 'conversation_id', 'contact_id', 'kind', 'amount', 'currency', 'state', 'reason', 'order_ref', 'requested_by', 'decided_by', 'decided_at', 'decision_reason', 'delivery', 'order_system_ref'],
        ledger.items.map((g) => [
          g.createdAt.toISOString(),
          g.id,
          g.conversationId,
          g.contactId,
          g.kind,
          g.amount,
          g.currency,
          g.state,
          g.reason,
          g.orderRef,
          g.requestedByName,
          g.decidedByName,
          g.decidedAt?.toISOString(),
          g.decisionReason,
          g.delivery.status,
          g.delivery.externalRef,
        ]),
      );
      return reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="heard-goodwill-ledger.csv"').send(csv);
    },
  );
  app.get('/goodwill/settings', { schema: { tags, summary: 'Limits per role, kind and currency (with the defaults), and the order system’s webhook' }, config: read }, async (req) =>
    getGoodwillSettings(app.ctx.db, req.actor!),
  );
  app.put(
    '/goodwill/settings',
    { schema: { tags, summary: 'Set the limits (replacing those set before) and the order system’s webhook URL; rotate its signing secret (admins)', body: GoodwillSettingsUpdateSchema }, config: { allow: canAdminister } },
    async (req) => inTransaction(app.ctx, (tx) => updateGoodwillSettings(tx, req.actor!, req.body, app.ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS)),
  );
};
