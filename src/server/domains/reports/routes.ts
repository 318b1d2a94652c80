import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Actor, hasScope } from '../../core/actor.js';
import { toCsv } from './csv.js';
import { BreakdownQuerySchema, OverviewQuerySchema, periodsOf, SatisfactionReportQuerySchema } from './schema.js';
import { breakdownReport, overviewReport, satisfactionReport } from './service.js';

/** Admins and agents read reports; a light member (who answers only what is assigned to them) does not. */
const canReadReports = (a: Actor) => hasScope(a, 'read') && a.role !== 'light';

/** The most rows a CSV of ratings holds: the period's newest. */
const CSV_RATINGS = 10_000;

function sendCsv(reply: FastifyReply, name: string, q: { from?: string; to?: string }, header: string[], rows: unknown[][]) {
  const { period } = periodsOf(q);
  return reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="heard-${name}-${period.from}-to-${period.to}.csv"`)
    .send(toCsv(header, rows));
}

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Reports'];
  const config = { allow: canReadReports };
  app.get(
    '/reports/overview',
    { schema: { tags, summary: 'Volume, first response and resolution times, SLA attainment, CSAT and rounds over a period, beside the previous one', querystring: OverviewQuerySchema }, config },
    async (req, reply) => {
      const r = await overviewReport(app.ctx.db, req.actor!, req.query);
      if (req.query.format !== 'csv') return r;
      return sendCsv(reply, `volume-by-${req.query.by}`, req.query, ['bucket', 'created', 'solved', 'backlog'], r.series.map((s) => [s.bucket, s.created, s.solved, s.backlog]));
    },
  );
  app.get(
    '/reports/breakdown',
    { schema: { tags, summary: 'The period’s figures by channel, inbox, team, agent, topic or tag', querystring: BreakdownQuerySchema }, config },
    async (req, reply) => {
      const r = await breakdownReport(app.ctx.db, req.actor!, req.query);
      if (req.query.format !== 'csv') return r;
      return sendCsv(
        reply,
        `by-${r.dimension}`,
        req.query,
        [r.dimension, 'key', 'created', 'solved', 'first_response_median_minutes', 'resolution_median_minutes', 'sla_attainment', 'csat_score', 'csat_count', 'rounds_average'],
        r.rows.map((x) => [x.label, x.key, x.created, x.solved, x.firstResponseMedian, x.resolutionMedian, x.slaAttainment, x.csatScore, x.csatCount, x.roundsAverage]),
      );
    },
  );
  app.get(
    '/reports/satisfaction',
    { schema: { tags, summary: 'The ratings and comments customers gave in the period, newest first', querystring: SatisfactionReportQuerySchema }, config },
    async (req, reply) => {
      if (req.query.format !== 'csv') return satisfactionReport(app.ctx.db, req.actor!, req.query);
      const items = [];
      let cursor = req.query.cursor;
      do {
        const page = await satisfactionReport(app.ctx.db, req.actor!, { ...req.query, cursor, limit: 200 });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && items.length < CSV_RATINGS);
      return sendCsv(
        reply,
        'satisfaction',
        req.query,
        ['rated_at', 'conversation', 'subject', 'rating', 'comment', 'assignee'],
        items.slice(0, CSV_RATINGS).map((i) => [i.ratedAt, i.number, i.subject, i.rating, i.comment, i.assigneeName]),
      );
    },
  );
};
