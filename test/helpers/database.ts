import crypto from 'node:crypto';
import fs from 'node:fs';
import { count, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, type Executor, openDatabase } from '../../src/server/db/client.js';

/** Which engine this test run uses: set per Vitest project (vitest.config.ts). */
export const engine = (process.env.HEARD_TEST_ENGINE ?? 'pglite') as 'pglite' | 'postgres';

export interface TestDatabase {
  database: Database;
  url?: string;
  drop(): Promise<void>;
}

// The migrated template that test/global-setup.ts built, read once per worker.
let pgliteTemplate: Blob | undefined;

/**
 * A fresh, migrated database for one test file: PGlite in memory, or a new database on
 * the PostgreSQL server named by DATABASE_URL (dropped afterwards). Tests never share rows.
 * Both start as a copy of a template migrated once per run (test/global-setup.ts); the
 * migrate() after it finds nothing to do, and proves the template is current.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (engine === 'pglite') {
    pgliteTemplate ??= new Blob([new Uint8Array(fs.readFileSync(inject('pgliteTemplate')))]);
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: pgliteTemplate });
    await database.migrate();
    return { database, drop: () => database.close() };
  }
  const t = await createEmptyDatabase(inject('postgresTemplate'));
  await t.database.migrate();
  return t;
}

/**
 * A database that nothing has migrated: for tests of the migrations themselves. On
 * PostgreSQL it is a new database, a copy of `template` when one is named.
 */
export async function createEmptyDatabase(template?: string): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, drop: () => database.close() };
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('HEARD_TEST_ENGINE=postgres needs DATABASE_URL');
  const name = `heard_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
  return {
    database,
    url,
    async drop() {
      // A test may have closed it already (the CLI tests hand the database to `heard`): dropped all the same.
      await database.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** How many rows a table holds: tests compare it before and after a rejected request to prove nothing was half-written. */
export async function countRows(db: Executor, table: PgTable, where?: SQL): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(table).where(where);
  return n;
}
