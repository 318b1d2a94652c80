import { z } from 'zod';
import { ChannelSchema, PrioritySchema, StatusSchema } from '../conversations/schema.js';

/**
 * What a rule is made of: a trigger, conditions over typed fields of the conversation as
 * it is when the rule runs, and actions. Every field is bounded (the input fuzz test).
 */

/**
 * When a rule runs: after an event of one of these kinds, or (`time`) on its own every
 * minute. `sla.warning` and `sla.breached` are how a team escalates a target about to be
 * missed, or missed (docs/sla.md says when they fire).
 */
export const TRIGGERS = [
  'conversation.created',
  'message.received',
  'status.changed',
  'priority.changed',
  'assignee.changed',
  'team.changed',
  'tags.changed',
  'sla.warning',
  'sla.breached',
  'time',
] as const;
export const TriggerSchema = z.enum(TRIGGERS);
export type Trigger = z.infer<typeof TriggerSchema>;

const text = z.string().trim().min(1).max(500);
const tag = z.string().trim().min(1).max(50).regex(/^[^,]+$/, 'must not contain a comma');
const hours = z.number().int().min(0).max(24 * 365);
const is = z.enum(['is', 'is_not']);
const contains = z.enum(['contains', 'not_contains']);

export const ConditionSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('inbox'), operator: is, value: z.uuid() }),
  z.object({ field: z.literal('channel'), operator: is, value: ChannelSchema }),
  z.object({ field: z.literal('status'), operator: is, value: StatusSchema }),
  z.object({ field: z.literal('priority'), operator: is, value: PrioritySchema }),
  z.object({ field: z.literal('assignee'), operator: is, value: z.uuid().nullable().describe('null: unassigned') }),
  z.object({ field: z.literal('team'), operator: is, value: z.uuid().nullable().describe('null: no team') }),
  z.object({ field: z.literal('tags'), operator: contains, value: tag }),
  z.object({ field: z.literal('subject'), operator: contains, value: text }),
  z.object({ field: z.literal('text'), operator: contains, value: text.describe("The customer's latest message") }),
  z.object({ field: z.literal('contact.email'), operator: is, value: z.string().trim().toLowerCase().min(3).max(320) }),
  z.object({ field: z.literal('contact.domain'), operator: is, value: z.string().trim().toLowerCase().min(1).max(255) }),
  z.object({ field: z.literal('contact.attribute'), operator: is, key: z.string().trim().min(1).max(100), value: z.string().max(500) }),
  z.object({ field: z.literal('hours_since_customer_message'), operator: z.enum(['more_than', 'less_than']), value: hours }),
  z.object({ field: z.literal('hours_since_update'), operator: z.enum(['more_than', 'less_than']), value: hours }),
]);
export type Condition = z.infer<typeof ConditionSchema>;

export const ConditionsSchema = z.object({
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(ConditionSchema).max(20).default([]),
});
export type Conditions = z.infer<typeof ConditionsSchema>;

export const ActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign_member'), memberId: z.uuid().nullable().describe('null: unassign') }),
  z.object({ type: z.literal('assign_team'), teamId: z.uuid().nullable() }),
  z.object({ type: z.literal('assign_within_team'), teamId: z.uuid().describe("A member of this team by the team's assignment mode (round robin unless it says least open)") }),
  z.object({ type: z.literal('set_priority'), priority: PrioritySchema }),
  z.object({ type: z.literal('set_status'), status: StatusSchema }),
  z.object({ type: z.literal('add_tags'), tags: z.array(tag).min(1).max(20) }),
  z.object({ type: z.literal('remove_tags'), tags: z.array(tag).min(1).max(20) }),
  z.object({
    type: z.literal('set_custom_field'),
    key: z.string().trim().min(1).max(100),
    value: z.union([z.string().max(1000), z.number().min(-1e15).max(1e15), z.boolean(), z.null()]),
  }),
  z.object({ type: z.literal('add_note'), text: z.string().trim().min(1).max(10_000) }),
  z.object({ type: z.literal('reply_template'), cannedResponseId: z.uuid() }),
  z.object({ type: z.literal('webhook'), url: z.url({ protocol: /^https?$/ }).max(2000) }),
]);
export type Action = z.infer<typeof ActionSchema>;

const ruleFields = {
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(100_000).optional().describe('Rules run lowest first; the end of the list when not given.'),
  enabled: z.boolean(),
  trigger: TriggerSchema,
  conditions: ConditionsSchema,
  actions: z.array(ActionSchema).min(1).max(20),
};

export const RuleCreateSchema = z.object({
  ...ruleFields,
  enabled: ruleFields.enabled.default(true),
  conditions: ruleFields.conditions.default({ match: 'all', conditions: [] }),
});
export type RuleCreate = z.infer<typeof RuleCreateSchema>;

/**
 * A change names only what it changes. Built from the fields without their defaults: Zod
 * applies a default inside `.partial()`, so moving or switching a rule would otherwise
 * clear its conditions and switch it back on.
 */
export const RuleUpdateSchema = z.object(ruleFields).partial();
export type RuleUpdate = z.infer<typeof RuleUpdateSchema>;

/** A preview needs only what decides a match. */
export const RulePreviewSchema = z.object({ conditions: ConditionsSchema });
