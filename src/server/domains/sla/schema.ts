import { z } from 'zod';

const Id = z.uuid();
const TargetSchema = z
  .object({
    minutes: z.number().int().min(1).max(525_600),
    businessHoursId: z.uuid().nullable().default(null).describe('Counted in these business hours; null counts around the clock.'),
  })
  .nullable()
  .optional();

const ConditionsSchema = z
  .object({
    inboxIds: z.array(Id).min(1).max(100).optional(),
    teamIds: z.array(Id).min(1).max(100).optional(),
    priorities: z.array(z.enum(['low', 'normal', 'high', 'urgent'])).min(1).max(4).optional(),
    tags: z.array(z.string().trim().min(1).max(100)).min(1).max(100).optional().describe('The conversation carries at least one of them.'),
    contactAttribute: z
      .object({ key: z.string().trim().min(1).max(100), value: z.union([z.string().max(500), z.number().min(-1e15).max(1e15), z.boolean()]) })
      .optional()
      .describe("The contact's attribute `key` equals `value`."),
  })
  .describe('Which conversations the policy covers: every condition given must match; none covers all.');

const TargetsSchema = z
  .object({ firstResponse: TargetSchema, nextResponse: TargetSchema, resolution: TargetSchema })
  .describe('Minutes to the first reply, to each reply after a customer writes again, and to solved; a target left out is not tracked.');

/** An SLA policy to create; it goes last unless a position is given. */
export const SlaPolicyCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(10_000).optional().describe('Where it goes in the order (0 first); the first enabled match applies.'),
  enabled: z.boolean().default(true),
  conditions: ConditionsSchema.default({}),
  targets: TargetsSchema,
  warnBeforeMinutes: z.number().int().min(1).max(10_080).nullable().optional().describe('Warn this long before a due time; default 15 minutes or a quarter of the target, whichever is less.'),
});
export type SlaPolicyCreate = z.infer<typeof SlaPolicyCreateSchema>;

/** What to change on a policy: only the fields given. */
export const SlaPolicyUpdateSchema = z.object({
  name: SlaPolicyCreateSchema.shape.name.optional(),
  position: SlaPolicyCreateSchema.shape.position,
  enabled: z.boolean().optional(),
  conditions: ConditionsSchema.optional(),
  targets: TargetsSchema.optional(),
  warnBeforeMinutes: SlaPolicyCreateSchema.shape.warnBeforeMinutes,
});
export type SlaPolicyUpdate = z.infer<typeof SlaPolicyUpdateSchema>;
