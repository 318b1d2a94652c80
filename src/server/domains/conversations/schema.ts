import { z } from 'zod';

export const StatusSchema = z.enum(['open', 'pending', 'on_hold', 'solved', 'closed']);
export const PrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
const tag = z.string().trim().min(1).max(50).regex(/^[^,]+$/, 'must not contain a comma');

export const ConversationListQuerySchema = z.object({
  status: z
    .string()
    .optional()
    .describe('One status or several, comma-separated (open,pending).')
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = s.split(',').map((x) => x.trim());
      for (const v of list) {
        if (!StatusSchema.safeParse(v).success) {
          ctx.addIssue({ code: 'custom', message: `unknown status "${v}"; use ${StatusSchema.options.join(', ')}` });
          return z.NEVER;
        }
      }
      return list as z.infer<typeof StatusSchema>[];
    }),
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional().describe('A member id, "me" or "none".'),
  team: z.union([z.literal('none'), z.uuid()]).optional(),
  inbox: z.uuid().optional(),
  contact: z.uuid().optional(),
  tag: tag.optional(),
  priority: PrioritySchema.optional(),
  q: z.string().trim().max(200).optional().describe('Full-text query over subjects and messages (web search syntax: "exact phrase", -not, or).'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().describe('From the previous page: nextCursor.'),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;

export const ConversationUpdateSchema = z
  .object({
    status: StatusSchema.optional(),
    priority: PrioritySchema.optional(),
    assigneeId: z.uuid().nullable().optional(),
    teamId: z.uuid().nullable().optional(),
    tags: z.array(tag).max(50).optional().describe('Replaces all tags.'),
    addTags: z.array(tag).max(50).optional(),
    removeTags: z.array(tag).max(50).optional(),
    subject: z.string().trim().max(500).optional(),
    topic: z.string().trim().max(100).nullable().optional(),
    customFields: z.record(z.string().max(100), z.unknown()).optional().describe('Merged into the existing custom fields; a null value removes a field.'),
  })
  .refine((u) => !(u.tags && (u.addTags || u.removeTags)), { message: 'use tags, or addTags/removeTags, not both', path: ['tags'] });
export type ConversationUpdate = z.infer<typeof ConversationUpdateSchema>;

export const MessageCreateSchema = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(100_000),
  kind: z.enum(['reply', 'note']).default('reply'),
  status: StatusSchema.optional().describe('Set the conversation status in the same step (e.g. reply and mark pending).'),
});
export type MessageCreate = z.infer<typeof MessageCreateSchema>;
