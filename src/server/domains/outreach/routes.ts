import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAdminister, hasScope } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { createOutreachRule, deleteOutreachRule, listOutreachRules, updateOutreachRule } from './rules.js';
import { OutreachRuleCreateSchema, OutreachRuleUpdateSchema, TaskCallSchema, TaskDismissSchema, TaskListQuerySchema, TaskMessageSchema, TaskSnoozeSchema } from './schema.js';
import { completeTaskByCall, completeTaskByMessage, countDueTasks, dismissTask, getTask, listTasks, snoozeTask } from './tasks.js';

export const outreachRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Outreach'];
  const params = z.object({ id: z.uuid() });
  const read = { allow: (a: Parameters<typeof hasScope>[0]) => hasScope(a, 'read') };
  const admin = { allow: canAdminister };
  // Working the queue: members who open conversations (not light members), with a writing token.
  const work = { allow: (a: Parameters<typeof hasScope>[0] & { role: string }) => hasScope(a, 'write') && a.role !== 'light' };

  app.get('/outreach/rules', { schema: { tags, summary: 'The outreach rules' }, config: read }, async (req) => ({ items: await listOutreachRules(app.ctx.db, req.actor!) }));
  app.post(
    '/outreach/rules',
    { schema: { tags, summary: 'Create a rule: N hours or days after an event of a type (and product), a follow-up task for a team or an agent', body: OutreachRuleCreateSchema }, config: admin },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => createOutreachRule(tx, req.actor!, req.body));
    },
  );
  app.patch('/outreach/rules/:id', { schema: { tags, summary: 'Change a rule; the tasks it made stay, and none is made twice', params, body: OutreachRuleUpdateSchema }, config: admin }, async (req) =>
    inTransaction(app.ctx, (tx) => updateOutreachRule(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/outreach/rules/:id', { schema: { tags, summary: 'Delete a rule; the tasks it made stay', params }, config: admin }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteOutreachRule(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });

  app.get('/outreach/tasks', { schema: { tags, summary: 'The outreach queue: tasks due now for me and my teams (or upcoming, or done)', querystring: TaskListQuerySchema }, config: read }, async (req) =>
    listTasks(app.ctx.db, req.actor!, req.query),
  );
  app.get('/outreach/tasks/count', { schema: { tags, summary: 'How many tasks in my queue are due now' }, config: read }, async (req) => countDueTasks(app.ctx.db, req.actor!));
  app.get('/outreach/tasks/:id', { schema: { tags, summary: "A task with the event that caused it and the customer's history", params }, config: read }, async (req) =>
    getTask(app.ctx.db, req.actor!, req.params.id),
  );
  app.post(
    '/outreach/tasks/:id/call',
    { schema: { tags, summary: "Done by a call: logged on one of the customer's conversations, or opening one in a phone inbox", params, body: TaskCallSchema }, config: work },
    async (req) => inTransaction(app.ctx, (tx) => completeTaskByCall(tx, req.actor!, req.params.id, req.body)),
  );
  app.post(
    '/outreach/tasks/:id/message',
    { schema: { tags, summary: "Done by writing: a reply on one of the customer's conversations, or a new conversation the team begins (e-mail or API channel)", params, body: TaskMessageSchema }, config: work },
    async (req) => inTransaction(app.ctx, (tx) => completeTaskByMessage(tx, req.actor!, req.params.id, req.body)),
  );
  app.post('/outreach/tasks/:id/snooze', { schema: { tags, summary: 'Out of the queue until a later time', params, body: TaskSnoozeSchema }, config: work }, async (req) =>
    inTransaction(app.ctx, (tx) => snoozeTask(tx, req.actor!, req.params.id, new Date(req.body.until))),
  );
  app.post('/outreach/tasks/:id/dismiss', { schema: { tags, summary: 'Close a task without contact, saying why', params, body: TaskDismissSchema }, config: work }, async (req) =>
    inTransaction(app.ctx, (tx) => dismissTask(tx, req.actor!, req.params.id, req.body.reason)),
  );
};
