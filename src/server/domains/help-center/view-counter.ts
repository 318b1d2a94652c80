import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * Counts page views without writing on every view: each view adds to a tally in this
 * process, and the tallies are added to the rows every few seconds in one statement.
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
        await this.db.execute(sql`update ${sql.identifier(table)} t set views = t.views + v.n from (values ${values}) as v(id, n) where t.id = v.id`);
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

const BOT = /bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|monitor|curl|wget|python-requests/i;
export const isBot = (ua: string | undefined) => !ua || BOT.test(ua);
