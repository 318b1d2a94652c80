import { z } from 'zod';
import { ChannelSchema, PrioritySchema, SortSchema, StatusSchema } from '../conversations/schema.js';

const tag = z.string().trim().min(1).max(50).regex(/^[^,]+$/, 'must not contain a comma');

/**
 * What a saved view lists: a subset of GET /conversations' filters, and its order. The
 * conversations domain counts and lists them (filterConditions), so they mean the same there.
 */
export const SavedViewFiltersSchema = z
  .object({
    status: z
      .array(StatusSchema)
      .min(1)
      .max(5)
      .optional()
      .transform((s) => (s ? [...new Set(s)] : undefined))
      .describe('One status or several.'),
    channel: ChannelSchema.optional().describe("The inbox's channel."),
    priority: PrioritySchema.optional(),
    tag: tag.optional(),
    assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional().describe('A member id, "none", or "me": whoever looks at the view.'),
    team: z.union([z.literal('none'), z.uuid()]).optional().describe('A team of the workspace, or "none".'),
    inbox: z.uuid().optional().describe('An inbox of the workspace.'),
    snoozed: z.boolean().optional().describe('true: only snoozed conversations; false: none of them.'),
    sort: SortSchema.optional().describe('The order the list opens in (newest when not given).'),
  })
  .strict();
export type SavedViewFiltersInput = z.infer<typeof SavedViewFiltersSchema>;

const name = z.string().trim().min(1, 'must not be empty').max(80);

/** A new saved view: the member's own (`personal: true`) or a team's (`teamId`), exactly one of the two. */
export const SavedViewCreateSchema = z.object({
  name,
  filters: SavedViewFiltersSchema,
  personal: z.boolean().optional().describe('true: only you see it.'),
  teamId: z.uuid().optional().describe("A team view, seen by the team's members; created by them or by admins."),
});
export type SavedViewCreate = z.infer<typeof SavedViewCreateSchema>;

/** A change to a saved view; whose it is stays as it was. */
export const SavedViewUpdateSchema = z.object({
  name: name.optional(),
  filters: SavedViewFiltersSchema.optional().describe('Replaces the filters.'),
  position: z.number().int().min(0).max(1000).optional().describe("Its place among its owner's or team's views, from 0."),
});
export type SavedViewUpdate = z.infer<typeof SavedViewUpdateSchema>;
