import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engine, type TestDatabase } from '../../../test/helpers/database.js';
import { startPgliteMaintenance } from './maintenance.js';

describe('database maintenance', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t?.drop());

  const stats = async () =>
    (
      await t.database.raw.query<{ name: string; vacuumed: boolean; analyzed: boolean }>(
        "select relname as name, last_vacuum is not null as vacuumed, last_analyze is not null as analyzed from pg_stat_user_tables where relname in ('kb_articles', 'kb_article_views', 'conversations') order by relname",
      )
    ).rows;

  it('vacuums and analyzes every table of PGlite, which has no autovacuum, and leaves PostgreSQL to its own', async () => {
    const warnings: unknown[] = [];
    const m = startPgliteMaintenance(t.database, { warn: (obj) => warnings.push(obj) }, { firstAfterMs: 0 });
    if (engine === 'pglite') {
      await expect.poll(stats, { timeout: 20_000, interval: 100 }).toEqual([
        { name: 'conversations', vacuumed: true, analyzed: true },
        { name: 'kb_article_views', vacuumed: true, analyzed: true },
        { name: 'kb_articles', vacuumed: true, analyzed: true },
      ]);
    } else {
      await new Promise((r) => setTimeout(r, 300));
      expect((await stats()).filter((s) => s.vacuumed)).toEqual([]);
    }
    await m.stop();
    expect(warnings).toEqual([]);
  });
});
