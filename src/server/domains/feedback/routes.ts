import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Actor, canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { toCsv } from '../reports/csv.js';
import { FEEDBACK_MEASURES, feedbackReport } from './report.js';
import { FeedbackCreateSchema, FeedbackListQuerySchema, FeedbackReportQuerySchema, FeedbackUpdateSchema } from './schema.js';
import { createFeedback, deleteFeedback, getFeedback, listFeedback, mayPropose, publishFeedback, requestConsent, unpublishFeedback, updateFeedback } from './service.js';

const params = z.object({ id: z.uuid() });

/** The public feedback wall from the team's side (docs/feedback-wall.md): agents propose and ask, admins publish. */
export const feedbackRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Feedback wall'];
  const read = { allow: (a: Parameters<typeof hasScope>[0]) => hasScope(a, 'read') };
  const propose = { allow: mayPropose };
  const admin = { allow: canAdminister };
  // As the other reports: admins and agents, not a light member.
  const reports = { allow: (a: Actor) => hasScope(a, 'read') && a.role !== 'light' };
  app.get(
    '/reports/feedback',
    { schema: { tags: ['Reports'], summary: 'Compliments and complaints marked, consent asked, given and withdrawn, and items published, per day, beside the previous period', querystring: FeedbackReportQuerySchema }, config: reports },
    async (req, reply) => {
      const r = await feedbackReport(app.ctx.db, req.actor!, req.query);
      if (req.query.format !== 'csv') return r;
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="heard-feedback-${r.period.from}-to-${r.period.to}.csv"`)
        .send(toCsv(['day', ...FEEDBACK_MEASURES], r.series.map((d) => [d.day, ...FEEDBACK_MEASURES.map((m) => d[m])])));
    },
  );
  app.get('/feedback', { schema: { tags, summary: 'Items proposed for the feedback wall, newest first', querystring: FeedbackListQuerySchema }, config: read }, async (req) => ({
    items: await listFeedback(app.ctx.db, req.actor!, req.query),
  }));
  app.get('/feedback/:id', { schema: { tags, summary: 'One item, with its state and when consent was asked, given or withdrawn', params }, config: read }, async (req) => getFeedback(app.ctx.db, req.actor!, req.params.id));
  app.post(
    '/feedback',
    { schema: { tags, summary: 'A draft from a customer message or survey comment: quote, display name and response prefilled or given', body: FeedbackCreateSchema }, config: propose },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => createFeedback(tx, req.actor!, req.body));
    },
  );
  app.patch(
    '/feedback/:id',
    { schema: { tags, summary: 'Change the quote, name or kind of a draft; the response of a draft, or (admins) later', params, body: FeedbackUpdateSchema }, config: propose },
    async (req) => inTransaction(app.ctx, (tx) => updateFeedback(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/feedback/:id', { schema: { tags, summary: 'Delete a draft', params }, config: propose }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteFeedback(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
  app.post(
    '/feedback/:id/request-consent',
    { schema: { tags, summary: 'Send the customer a link, on the conversation’s channel, to agree (or not) to the item being shown', params }, config: propose },
    async (req) => inTransaction(app.ctx, (tx) => requestConsent(tx, req.actor!, req.params.id, app.ctx.config.publicUrl)),
  );
  app.post('/feedback/:id/publish', { schema: { tags, summary: 'Show an item the customer agreed to on the wall (admins)', params }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => publishFeedback(tx, req.actor!, req.params.id)),
  );
  app.post('/feedback/:id/unpublish', { schema: { tags, summary: 'Take an item off the wall (admins); it may be published again', params }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => unpublishFeedback(tx, req.actor!, req.params.id)),
  );
};
