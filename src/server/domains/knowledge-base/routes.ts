import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../../core/context.js';
import { Invalid } from '../../core/errors.js';
import { renderMarkdown } from '../../core/markdown.js';
import { helpCenterPolicy } from '../help-center/policy.js';
import { ArticleCreateSchema, ArticleListQuerySchema, ArticleUpdateSchema, CategoryCreateSchema, CategoryUpdateSchema, PreviewSchema } from './schema.js';
import {
  createArticle,
  createCategory,
  deleteArticle,
  deleteCategory,
  getArticle,
  IMAGE_MAX_BYTES,
  listArticleFeedback,
  listArticles,
  listCategories,
  updateArticle,
  updateCategory,
  uploadArticleImage,
} from './service.js';

const params = z.object({ id: z.uuid() });

/** The knowledge base as the team writes it: categories, articles (Markdown), their images, and what readers said. */
export const knowledgeBaseRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Knowledge base'];
  const read = { allow: helpCenterPolicy.read };
  const write = { allow: helpCenterPolicy.write };
  // Deleting is for admins; the service says so in words, so agents see why rather than a bare 403.
  const remove = { allow: helpCenterPolicy.write };

  app.get('/kb/categories', { schema: { tags, summary: 'The categories, in order, with how many articles each holds' }, config: read }, async (req) => ({
    items: await listCategories(app.ctx.db, req.actor!),
  }));
  app.post('/kb/categories', { schema: { tags, body: CategoryCreateSchema }, config: write }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createCategory(tx, req.actor!, req.body));
  });
  app.patch('/kb/categories/:id', { schema: { tags, params, body: CategoryUpdateSchema }, config: write }, async (req) =>
    inTransaction(app.ctx, (tx) => updateCategory(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/kb/categories/:id', { schema: { tags, summary: 'Delete a category (admins); its articles stay, uncategorised', params }, config: remove }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteCategory(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });

  app.get('/kb/articles', { schema: { tags, summary: 'Articles, most recently changed first, with views and helpfulness', querystring: ArticleListQuerySchema }, config: read }, async (req) =>
    listArticles(app.ctx.db, req.actor!, req.query),
  );
  app.post('/kb/articles', { schema: { tags, summary: 'Write an article (Markdown); it is a draft until published', body: ArticleCreateSchema }, config: write }, async (req, reply) => {
    reply.code(201);
    return inTransaction(app.ctx, (tx) => createArticle(tx, req.actor!, req.body));
  });
  app.get('/kb/articles/:id', { schema: { tags, summary: 'An article with its Markdown and rendered HTML', params }, config: read }, async (req) => getArticle(app.ctx.db, req.actor!, req.params.id));
  app.patch('/kb/articles/:id', { schema: { tags, summary: 'Change, publish or archive an article', params, body: ArticleUpdateSchema }, config: write }, async (req) =>
    inTransaction(app.ctx, (tx) => updateArticle(tx, req.actor!, req.params.id, req.body)),
  );
  app.delete('/kb/articles/:id', { schema: { tags, summary: 'Delete an article for good (admins); others archive it', params }, config: remove }, async (req, reply) => {
    await inTransaction(app.ctx, (tx) => deleteArticle(tx, req.actor!, req.params.id));
    return reply.code(204).send();
  });
  app.get(
    '/kb/articles/:id/feedback',
    { schema: { tags, summary: '"Was this helpful?" answers and comments, newest first', params, querystring: z.object({ comments: z.enum(['1', '0']).optional() }) }, config: read },
    async (req) => listArticleFeedback(app.ctx.db, req.actor!, req.params.id, { withComments: req.query.comments === '1' }),
  );
  app.post(
    '/kb/images',
    { schema: { tags, summary: 'Upload an image for an article (multipart, one PNG, JPEG, WebP or GIF of at most 5 MB): answers its address and the Markdown to insert', consumes: ['multipart/form-data'] }, config: write },
    async (req, reply) => {
      if (!req.isMultipart()) throw new Invalid('file', 'send the image as multipart/form-data');
      const part = await req.file({ limits: { fileSize: IMAGE_MAX_BYTES, files: 1 } });
      if (!part) throw new Invalid('file', 'send an image file');
      // The upload stops at the limit: said as the field and the limit, like every other refusal.
      const bytes = await part.toBuffer().catch((err: { code?: string }) => {
        throw err.code === 'FST_REQ_FILE_TOO_LARGE' ? new Invalid('file', 'must be at most 5 MB') : err;
      });
      reply.code(201);
      return inTransaction(app.ctx, (tx) => uploadArticleImage(tx, req.actor!, app.files, bytes, part.filename));
    },
  );
  app.post('/kb/preview', { schema: { tags, summary: 'The HTML an article body renders to, as readers will see it', body: PreviewSchema }, config: write }, async (req) => ({
    html: renderMarkdown(req.body.body, 'staff').html,
  }));
};
