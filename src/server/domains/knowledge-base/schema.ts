import { z } from 'zod';

const slug = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and hyphens, starting and ending with a letter or digit');

export const ArticleStatusSchema = z.enum(['draft', 'published', 'archived']);

export const CategoryCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  slug: slug.optional().describe('Made from the name when left out.'),
  description: z.string().trim().max(500).default(''),
  position: z.number().int().min(0).max(10_000).optional().describe('Categories are listed by position; new ones go last.'),
});
export type CategoryCreate = z.infer<typeof CategoryCreateSchema>;

export const CategoryUpdateSchema = z.object({
  name: CategoryCreateSchema.shape.name.optional(),
  slug: slug.optional(),
  description: z.string().trim().max(500).optional(),
  position: CategoryCreateSchema.shape.position,
});
export type CategoryUpdate = z.infer<typeof CategoryUpdateSchema>;

export const ARTICLE_MAX_CHARS = 100_000;

export const ArticleCreateSchema = z.object({
  title: z.string().trim().min(1).max(200),
  body: z.string().max(ARTICLE_MAX_CHARS).default('').describe('Markdown. HTML in it is shown as text, never run.'),
  categoryId: z.uuid().nullable().optional(),
  slug: slug.optional().describe('The last part of its address; made from the title when left out.'),
  status: ArticleStatusSchema.default('draft'),
});
export type ArticleCreate = z.infer<typeof ArticleCreateSchema>;

export const ArticleUpdateSchema = z.object({
  baseUpdatedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('The updatedAt of the version this change was made to: when someone saved the article since, the change is refused (409) rather than overwriting theirs unseen.'),
  title: ArticleCreateSchema.shape.title.optional(),
  body: z.string().max(ARTICLE_MAX_CHARS).optional(),
  categoryId: z.uuid().nullable().optional(),
  slug: slug.optional(),
  status: ArticleStatusSchema.optional(),
});
export type ArticleUpdate = z.infer<typeof ArticleUpdateSchema>;

export const ArticleListQuerySchema = z.object({
  status: ArticleStatusSchema.optional(),
  categoryId: z.uuid().optional(),
  q: z.string().trim().max(200).optional().describe('Finds articles whose title is like this (typos tolerated) or whose text has these words.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
});
export type ArticleListQuery = z.infer<typeof ArticleListQuerySchema>;

export const PreviewSchema = z.object({ body: z.string().max(ARTICLE_MAX_CHARS) });
