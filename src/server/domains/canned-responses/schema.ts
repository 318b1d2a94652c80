import { z } from 'zod';

const shortcut = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _ only');

/** A new canned response; `shared` ones are the workspace's (admins), others the author's own. */
export const CannedResponseCreateSchema = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1, 'must not be empty').max(20_000),
  shortcut: shortcut.nullable().optional(),
  shared: z.boolean().default(false),
});
export type CannedResponseCreate = z.infer<typeof CannedResponseCreateSchema>;

/** A change to a canned response; whether it is shared stays as it was. */
export const CannedResponseUpdateSchema = CannedResponseCreateSchema.omit({ shared: true }).partial();
export type CannedResponseUpdate = z.infer<typeof CannedResponseUpdateSchema>;

export const CannedResponseListQuerySchema = z.object({
  q: z.string().trim().max(100).optional().describe('Finds responses whose title or shortcut contains this.'),
});

export const CannedResponseRenderSchema = z.object({ conversationId: z.union([z.uuid(), z.string().regex(/^\d{1,9}$/)]) });
