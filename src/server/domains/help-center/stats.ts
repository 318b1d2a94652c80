import { and, count, eq, gt, isNull, sql, sum } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { communityThreads, helpDeflections, kbArticles, kbArticleViews, kbFeedback } from '../../db/schema/index.js';

/** The figures a team watches: what is read, whether it helps, what it spares them, what waits for an answer. */
export async function helpCenterStats(db: Executor, workspaceId: string) {
  const since = new Date(Date.now() - 30 * 86_400_000);
  const [articles] = await db
    .select({
      published: sql<number>`(count(*) filter (where ${kbArticles.status} = 'published'))::int`,
      drafts: sql<number>`(count(*) filter (where ${kbArticles.status} = 'draft'))::int`,
      helpfulYes: sql<number>`coalesce(${sum(kbArticles.helpfulYes)}, 0)::int`,
      helpfulNo: sql<number>`coalesce(${sum(kbArticles.helpfulNo)}, 0)::int`,
    })
    .from(kbArticles)
    .where(eq(kbArticles.workspaceId, workspaceId));
  const [views] = await db
    .select({ n: sql<number>`coalesce(${sum(kbArticleViews.views)}, 0)::int` })
    .from(kbArticleViews)
    .where(eq(kbArticleViews.workspaceId, workspaceId));
  const [comments] = await db
    .select({ n: count() })
    .from(kbFeedback)
    .where(and(eq(kbFeedback.workspaceId, workspaceId), sql`${kbFeedback.comment} is not null`, gt(kbFeedback.createdAt, since)));
  const [deflections] = await db
    .select({ opened: count(), solved: sql<number>`(count(*) filter (where ${helpDeflections.solved}))::int` })
    .from(helpDeflections)
    .where(and(eq(helpDeflections.workspaceId, workspaceId), gt(helpDeflections.createdAt, since)));
  const [community] = await db
    .select({
      threads: count(),
      unanswered: sql<number>`(count(*) filter (where ${communityThreads.answerCount} = 0))::int`,
      accepted: sql<number>`(count(*) filter (where ${communityThreads.acceptedPostId} is not null))::int`,
    })
    .from(communityThreads)
    .where(and(eq(communityThreads.workspaceId, workspaceId), isNull(communityThreads.deletedAt), isNull(communityThreads.hiddenAt)));
  return {
    articles: { ...articles, views: views.n, commentsLast30Days: comments.n },
    suggestionsLast30Days: { opened: deflections.opened, solved: deflections.solved },
    community,
  };
}
