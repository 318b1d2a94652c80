import { z } from 'zod';

export const THREAD_TITLE_MAX = 200;
export const POST_MAX_CHARS = 10_000;

/** A customer's question (or a member's, from the API). */
export const ThreadCreateSchema = z.object({
  title: z.string().trim().min(5, 'must be at least 5 characters').max(THREAD_TITLE_MAX),
  body: z.string().trim().min(1, 'must not be empty').max(POST_MAX_CHARS).describe('Markdown; HTML is shown as text.'),
});
export type ThreadCreate = z.infer<typeof ThreadCreateSchema>;

export const PostCreateSchema = z.object({
  body: z.string().trim().min(1, 'must not be empty').max(POST_MAX_CHARS).describe('Markdown; HTML is shown as text.'),
});

export const ModerationActionSchema = z.enum(['hide', 'unhide', 'lock', 'unlock', 'delete']);
export type ModerationAction = z.infer<typeof ModerationActionSchema>;

export const ModerateSchema = z
  .object({
    action: ModerationActionSchema,
    reason: z.string().trim().max(500).optional().describe('Required to hide, lock or delete: shown with what was moderated.'),
  })
  .refine((m) => m.action === 'unhide' || m.action === 'unlock' || (m.reason && m.reason.length > 0), { message: 'is required to hide, lock or delete', path: ['reason'] });
export type Moderate = z.infer<typeof ModerateSchema>;

export const ThreadListQuerySchema = z.object({
  filter: z.enum(['all', 'unanswered', 'answered', 'moderated']).default('all'),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type ThreadListQuery = z.infer<typeof ThreadListQuerySchema>;

export const ToArticleSchema = z.object({ categoryId: z.uuid().nullable().optional() });
