import { z } from 'zod';
import { CallSchema } from '../conversations/schema.js';

const eventType = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be an event type like purchase (letters, digits, _ . -)');

const RuleFields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120),
  enabled: z.boolean().default(true),
  eventType: eventType.describe('The business event type it follows up, e.g. purchase.'),
  productSku: z.string().trim().min(1).max(100).nullable().default(null).describe('Only events for this product (its sku); null: any.'),
  delay: z.object({ amount: z.number().int().min(0).max(3650), unit: z.enum(['hours', 'days']) }).describe('How long after the event the task comes due.'),
  businessHoursId: z.uuid().nullable().default(null).describe('A business-hours calendar: a task due outside its hours comes due at its next opening.'),
  teamId: z.uuid().nullable().default(null).describe('The team whose queue gets the task.'),
  assigneeId: z.uuid().nullable().default(null).describe('The agent whose queue gets the task.'),
  instructions: z.string().trim().max(2000).default('').describe('What the agent is asked to do, shown on the task.'),
});

/** An outreach rule to create: "N days after a purchase of X, a task for team T or agent A". */
export const OutreachRuleCreateSchema = RuleFields.refine((r) => r.teamId || r.assigneeId, { message: 'give a team or an agent for the tasks', path: ['teamId'] });
export type OutreachRuleCreate = z.infer<typeof OutreachRuleCreateSchema>;

/** What to change on a rule; tasks it already made stay as they are. */
export const OutreachRuleUpdateSchema = z.object({
  name: RuleFields.shape.name.optional(),
  enabled: z.boolean().optional(),
  eventType: eventType.optional(),
  productSku: z.string().trim().min(1).max(100).nullable().optional(),
  delay: RuleFields.shape.delay.optional(),
  businessHoursId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  assigneeId: z.uuid().nullable().optional(),
  instructions: z.string().trim().max(2000).optional(),
});
export type OutreachRuleUpdate = z.infer<typeof OutreachRuleUpdateSchema>;

export const TaskListQuerySchema = z.object({
  scope: z.enum(['mine', 'all']).default('mine').describe('mine: assigned to me, or to a team of mine and no one in it; all: the whole workspace (admins).'),
  state: z.enum(['due', 'upcoming', 'done']).default('due').describe('due: open and due now; upcoming: open, due later or snoozed; done: done or dismissed.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TaskListQuery = z.infer<typeof TaskListQuerySchema>;

/** Completing a task by a call: logged on an existing conversation of the customer's, or opening one in a phone inbox. */
export const TaskCallSchema = CallSchema.extend({
  conversationId: z.uuid().optional().describe("One of the customer's conversations to log the call on."),
  inboxId: z.uuid().optional().describe('A phone inbox to open a new conversation in, when no conversationId.'),
  subject: z.string().trim().max(500).optional(),
}).refine((c) => !!c.conversationId !== !!c.inboxId, { message: 'give conversationId or inboxId (a phone inbox)', path: ['conversationId'] });
export type TaskCall = z.infer<typeof TaskCallSchema>;

/** Completing a task by writing: a reply on an existing conversation, or a new one the team begins. */
export const TaskMessageSchema = z
  .object({
    conversationId: z.uuid().optional().describe("One of the customer's conversations to reply on."),
    inboxId: z.uuid().optional().describe('An e-mail or API channel inbox to begin a new conversation in, when no conversationId.'),
    subject: z.string().trim().min(1, 'must not be empty').max(500).optional(),
    text: z.string().trim().min(1, 'must not be empty').max(100_000),
  })
  .refine((m) => !!m.conversationId !== !!m.inboxId, { message: 'give conversationId or inboxId', path: ['conversationId'] })
  .refine((m) => !m.inboxId || m.subject, { message: 'a new conversation needs a subject', path: ['subject'] });
export type TaskMessage = z.infer<typeof TaskMessageSchema>;

export const TaskSnoozeSchema = z.object({ until: z.iso.datetime({ offset: true }).describe('A future time: the task leaves the queue until then.') });
export const TaskDismissSchema = z.object({ reason: z.string().trim().min(1, 'say why').max(500) });
