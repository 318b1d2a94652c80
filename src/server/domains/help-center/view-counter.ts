import { inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { communityThreadViews, kbArticleViews } from '../../db/schema/index.js';

/**
 * Counts page views without writing on every view: each view adds to a tally in this
 * process, and the tallies are added every few seconds in one statement, to the views
 * tables (kb_article_views, community_thread_views), never to the articles' own rows.
 * Nodes count apart and add, so nothing another node needs lives here; a crash loses
 * at most the last few seconds of counts, never a page.
 */
export class ViewCounter {
  private pending = { kb_articles: new Map<string, number>(), community_threads: new Map<string, number>() };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: { warn(obj: unknown, msg: string): void },
    private readonly flushMs = 5000,
  ) {}

  start() {
    this.timer ??= setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  /** One reader opened the page. Crawlers and link previews are not readers. */
  count(table: 'kb_articles' | 'community_threads', id: string, userAgent: string | undefined) {
    if (isBot(userAgent)) return;
    const m = this.pending[table];
    m.set(id, (m.get(id) ?? 0) + 1);
  }

  /** Adds the tallies to the rows, and forgets them once stored (kept for the next try if storing fails). */
  async flush() {
    for (const table of ['kb_articles', 'community_threads'] as const) {
      const m = this.pending[table];
      if (!m.size) continue;
      const batch = [...m.entries()];
      m.clear();
      const values = sql.join(
        batch.map(([id, n]) => sql`(${id}::uuid, ${n}::int)`),
        sql`, `,
      );
      try {
        // Articles and threads deleted meanwhile drop out in the join.
        await this.db.execute(
          table === 'kb_articles'
            ? sql`insert into kb_article_views (article_id, workspace_id, status, category_id, views)
                select a.id, a.workspace_id, a.status, a.category_id, v.n from (values ${values}) as v(id, n) join kb_articles a on a.id = v.id
                on conflict (article_id) do update set views = kb_article_views.views + excluded.views`
            : sql`insert into community_thread_views (thread_id, views)
                select t.id, v.n from (values ${values}) as v(id, n) join community_threads t on t.id = v.id
                on conflict (thread_id) do update set views = community_thread_views.views + excluded.views`,
        );
      } catch (err) {
        for (const [id, n] of batch) m.set(id, (m.get(id) ?? 0) + n);
        this.log.warn({ err }, 'storing page views failed; they are kept for the next try');
      }
    }
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}

/** How many readers opened each of these articles or threads (0 for those nobody opened). */
export async function viewCounts(db: Executor, kind: 'kb_articles' | 'community_threads', ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows =
    kind === 'kb_articles'
      ? await db.select({ id: kbArticleViews.articleId, views: kbArticleViews.views }).from(kbArticleViews).where(inArray(kbArticleViews.articleId, ids))
      : await db.select({ id: communityThreadViews.threadId, views: communityThreadViews.views }).from(communityThreadViews).where(inArray(communityThreadViews.threadId, ids));
  return new Map(rows.map((r) => [r.id, r.views]));
}

const BOT = /bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|monitor|curl|wget|python-requests/i;
export const isBot = (ua: string | undefined) => !ua || BOT.test(ua);
