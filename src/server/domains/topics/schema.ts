import { z } from 'zod';

const key = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _, starting with a letter or digit');

const field = z.object({
  customFieldId: z.uuid().describe('A conversation custom field.'),
  required: z.boolean().default(false).describe('The customer must give it before the topic is complete.'),
});

const fields = z
  .array(field)
  .max(30)
  .refine((list) => new Set(list.map((f) => f.customFieldId)).size === list.length, 'must not repeat a field')
  .describe("The intake form: the conversation fields a person needs to act, in the order they are asked.");

/** A new topic: its name, its key (made from the name when left out) and its intake form. */
export const TopicCreateSchema = z.object({
  key: key.optional().describe('Stable id in links and forms; made from the name when left out.'),
  name: z.string().trim().min(1).max(100),
  fields: fields.default([]),
});
export type TopicCreate = z.infer<typeof TopicCreateSchema>;

/** A change to a topic: its name, its place in the list (0 first) or its intake form (replaced whole). The key stays. */
export const TopicUpdateSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  position: z.number().int().min(0).max(1000).optional(),
  fields: fields.optional(),
});
export type TopicUpdate = z.infer<typeof TopicUpdateSchema>;

/** "We need more information": the fields asked of the customer, and words of the agent's own before the list. */
export const InfoRequestSchema = z.object({
  fieldKeys: z.array(z.string().trim().min(1).max(50)).min(1).max(30).describe('Keys of conversation custom fields to ask for.'),
  text: z.string().trim().max(5000).optional().describe('Put before the list of fields; a default sentence when left out.'),
});
export type InfoRequest = z.infer<typeof InfoRequestSchema>;

/** The values a customer gives on the intake page (field key → text as typed). */
export const IntakeAnswerSchema = z.record(z.string().max(50), z.string().max(10_000));
