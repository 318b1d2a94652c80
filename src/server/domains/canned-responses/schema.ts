import { z } from 'zod';
import { PrioritySchema, StatusSchema } from '../conversations/schema.js';

const shortcut = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _ only');

const tag = z.string().trim().min(1).max(50).regex(/^[^,]+$/, 'must not contain a comma');

/** What a macro changes on the conversation besides giving its text. */
export const MacroActionsSchema = z
  .object({
    status: StatusSchema.optional(),
    priority: PrioritySchema.optional(),
    assigneeId: z.uuid().nullable().optional(),
    teamId: z.uuid().nullable().optional(),
    addTags: z.array(tag).max(20).optional(),
    removeTags: z.array(tag).max(20).optional(),
  })
  .strict();

/** A new canned response; `shared` ones are the workspace's (admins), others the author's own. */
export const CannedResponseCreateSchema = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1, 'must not be empty').max(20_000),
  shortcut: shortcut.nullable().optional(),
  shared: z.boolean().default(false),
  actions: MacroActionsSchema.nullable().optional().describe('Makes it a macro: these changes are applied along with its text.'),
});
export type CannedResponseCreate = z.infer<typeof CannedResponseCreateSchema>;

/** A change to a canned response; whether it is shared stays as it was. */
export const CannedResponseUpdateSchema = CannedResponseCreateSchema.omit({ shared: true }).partial();
export type CannedResponseUpdate = z.infer<typeof CannedResponseUpdateSchema>;

export const CannedResponseListQuerySchema = z.object({
  q: z.string().trim().max(100).optional().describe('Finds responses whose title or shortcut contains this.'),
});

export const CannedResponseRenderSchema = z.object({ conversationId: z.union([z.uuid(), z.string().regex(/^\d{1,9}$/)]) });

export const MacroApplySchema = z.object({
  send: z.boolean().default(false).describe('Send the text as a reply now; otherwise it comes back as a draft for the composer.'),
  lastSeenMessageId: z
    .uuid()
    .optional()
    .describe('With send: the newest message the agent saw. A newer reply by someone else answers 409 with newerMessages, and nothing is applied.'),
});
