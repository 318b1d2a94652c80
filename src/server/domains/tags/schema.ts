import { z } from 'zod';

/** A tag's name: as on conversations (no comma, which separates tags in filters). */
export const TagNameSchema = z.string().trim().min(1).max(50).regex(/^[^,]*$/, 'must not contain a comma');

export const TagCreateSchema = z.object({
  name: TagNameSchema,
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i, 'must be a colour like #3b82f6')
    .nullable()
    .optional(),
});
export type TagCreate = z.infer<typeof TagCreateSchema>;

/** A rename also renames the tag on every conversation that carries it. */
export const TagUpdateSchema = TagCreateSchema.partial();
export type TagUpdate = z.infer<typeof TagUpdateSchema>;
