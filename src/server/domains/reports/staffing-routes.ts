import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasScope } from '../../core/actor.js';
import { StaffingQuerySchema, staffingForecast } from './staffing.js';

/** GET /reports/staffing: the Erlang C staffing forecast per hour of the week (docs/staffing.md). */
export const staffingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/reports/staffing',
    {
      schema: {
        tags: ['Reports'],
        summary: 'Agents needed per hour of the week to meet the first-response target, from the arrival history, beside the members seen replying',
        querystring: StaffingQuerySchema,
      },
      // Light members answer what is assigned to them; planning the team is not theirs to see.
      config: { allow: (a) => hasScope(a, 'read') && a.role !== 'light' },
    },
    async (req) => {
      const onlineMemberIds = app.realtime ? await app.realtime.onlineMemberIds(req.actor!.workspaceId) : undefined;
      return staffingForecast(app.ctx.db, req.actor!, req.query, { onlineMemberIds });
    },
  );
};
