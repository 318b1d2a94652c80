import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../../core/context.js';
import { helpCenterPolicy } from '../help-center/policy.js';
import { ensureHelpCenter } from '../help-center/service.js';
import { viewCounts } from '../help-center/view-counter.js';
import { ModerateSchema, PostCreateSchema, ThreadListQuerySchema, ToArticleSchema } from './schema.js';
import { acceptAnswer, answerThread, listThreads, moderate, presentPost, presentThread, threadToArticle, threadView } from './service.js';

const params = z.object({ id: z.uuid() });

/** The community as staff work it: the threads (hidden ones too), answering with the staff badge, accepting, moderating. */
export const communityRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Community'];
  const read = { allow: helpCenterPolicy.read };
  const write = { allow: helpCenterPolicy.write };
  const mod = { allow: helpCenterPolicy.moderate };

  app.get('/community/threads', { schema: { tags, summary: 'Threads, most recently active first (unanswered: fewest answers first)', querystring: ThreadListQuerySchema }, config: read }, async (req) => {
    const hc = await ensureHelpCenter(app.ctx.db, req.actor!.workspaceId);
    const { items, hasMore } = await listThreads(app.ctx.db, hc, req.query, { staff: req.actor });
    // Only the team's list shows views: the public pages that list threads do not look them up.
    const views = await viewCounts(app.ctx.db, 'community_threads', items.map((i) => i.thread.id));
    return { items: items.map((i) => presentThread(i.thread, i.author, hc.slug, views.get(i.thread.id) ?? 0)), hasMore };
  });
  app.get('/community/threads/:id', { schema: { tags, summary: 'A thread with every answer, moderated ones included', params }, config: read }, async (req) => {
    const hc = await ensureHelpCenter(app.ctx.db, req.actor!.workspaceId);
    const v = await threadView(app.ctx.db, hc, { id: req.params.id }, { staff: req.actor });
    const views = await viewCounts(app.ctx.db, 'community_threads', [v.thread.id]);
    return {
      ...presentThread(v.thread, v.author, hc.slug, views.get(v.thread.id) ?? 0),
      html: v.thread.deletedAt ? '' : v.thread.html,
      deleted: v.thread.deletedAt !== null,
      deletedReason: v.thread.deletedReason,
      posts: v.posts.map((p) => presentPost(p.post, p.author, p.accepted)),
    };
  });
  app.post('/community/threads/:id/posts', { schema: { tags, summary: 'Answer with the staff badge', params, body: PostCreateSchema }, config: write }, async (req, reply) => {
    const hc = await ensureHelpCenter(app.ctx.db, req.actor!.workspaceId);
    const p = await inTransaction(app.ctx, (tx) => answerThread(tx, hc, req.params.id, { actor: req.actor! }, req.body.body));
    const v = await threadView(app.ctx.db, hc, { id: req.params.id }, { staff: req.actor });
    const mine = v.posts.find((x) => x.post.id === p.id)!;
    reply.code(201);
    return presentPost(mine.post, mine.author, mine.accepted);
  });
  app.post(
    '/community/threads/:id/accept',
    { schema: { tags, summary: 'Mark the accepted answer (postId), or none (null)', params, body: z.object({ postId: z.uuid().nullable() }) }, config: mod },
    async (req) => {
      const hc = await ensureHelpCenter(app.ctx.db, req.actor!.workspaceId);
      const t = await inTransaction(app.ctx, (tx) => acceptAnswer(tx, hc, req.params.id, req.body.postId, { actor: req.actor! }));
      return { id: t.id, acceptedPostId: t.acceptedPostId };
    },
  );
  app.post('/community/threads/:id/moderate', { schema: { tags, summary: 'Hide, lock or delete a thread (with a reason), or undo hide and lock', params, body: ModerateSchema }, config: mod }, async (req) => {
    const r = await inTransaction(app.ctx, (tx) => moderate(tx, req.actor!, { threadId: req.params.id }, req.body));
    return { ok: true, hidden: r.thread!.hiddenAt !== null, locked: r.thread!.lockedAt !== null, deleted: r.thread!.deletedAt !== null };
  });
  app.post('/community/posts/:id/moderate', { schema: { tags, summary: 'Hide or delete an answer (with a reason), or unhide it', params, body: ModerateSchema }, config: mod }, async (req) => {
    const r = await inTransaction(app.ctx, (tx) => moderate(tx, req.actor!, { postId: req.params.id }, req.body));
    return { ok: true, hidden: r.post!.hiddenAt !== null, deleted: r.post!.deletedAt !== null };
  });
  app.post(
    '/community/threads/:id/article',
    { schema: { tags, summary: 'Turn the thread into a draft article: the question and its accepted (or staff) answer', params, body: ToArticleSchema }, config: write },
    async (req, reply) => {
      reply.code(201);
      return inTransaction(app.ctx, (tx) => threadToArticle(tx, req.actor!, req.params.id, req.body));
    },
  );
};
