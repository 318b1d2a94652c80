import type { Database } from './client.js';

const DAY_MS = 86_400_000;

/**
 * PostgreSQL cleans up after updates and keeps its planner's statistics fresh by itself
 * (autovacuum); PGlite has no autovacuum. Without statistics the planner picks wrong
 * indexes once tables grow (an article looked up by slug scanned thousands of rows), and
 * without vacuum every update's dead row and index entries stay for good. So on PGlite,
 * Heard vacuums and analyzes its tables soon after it starts and then once a day: one
 * table at a time, yielding in between, because PGlite runs on this process's thread and
 * a long statement stalls it.
 */
export function startPgliteMaintenance(database: Database, log: { warn(obj: unknown, msg: string): void }, opts: { firstAfterMs?: number } = {}) {
  if (database.engine !== 'pglite') return { stop: async () => {} };
  let stopped = false;
  let running: Promise<void> | undefined;
  const analyze = async () => {
    try {
      const { rows } = await database.raw.query<{ name: string }>("select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by tablename");
      for (const t of rows) {
        if (stopped) return;
        await database.raw.exec(`vacuum (analyze) ${t.name}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (err) {
      if (!stopped) log.warn({ err }, 'vacuuming the embedded database failed; queries still work, perhaps slower');
    }
  };
  const run = () => {
    running ??= analyze().finally(() => (running = undefined));
  };
  const first = setTimeout(run, opts.firstAfterMs ?? 10_000);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return {
    /** Stops, once the table being analyzed now (if any) is done: the database may be closed after. */
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(daily);
      await running;
    },
  };
}
