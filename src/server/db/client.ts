import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** A Drizzle database over either engine: the code above this file never knows which. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database itself or an open transaction. */
export type Executor = Db | Tx;

/** The rows of a hand-written query (for SQL that Drizzle's builder cannot say: CTEs over unions, ts_headline). Same result shape on both engines. */
export async function selectRows<T>(db: Executor, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Plain SQL access for libraries that bring their own queries (pg-boss) and for benchmarks. */
export interface RawSql {
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs one or more statements without parameters. */
  exec(text: string): Promise<void>;
}

export interface Database {
  engine: 'pglite' | 'postgres';
  db: Db;
  raw: RawSql;
  /** Applies the migrations not applied yet: Heard's own, or those of another folder (tests of a migration). */
  migrate(folder?: string): Promise<void>;
  /** PGlite only: the whole data directory as a tar, which loadDataDir opens again. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Any fixed number: every node that migrates takes this lock first, so two nodes starting
// together never apply the same migration twice.
const MIGRATION_LOCK = 7_265_118_390;

export interface OpenOptions {
  /** postgres:// URL; without it the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; 'memory://' keeps it in memory (tests). */
  dataDir?: string;
  /**
   * A PGlite data directory as dumpDataDir() writes it, to start an in-memory database from
   * instead of an empty one: the tests start each file from one migrated template, since
   * creating and migrating a PGlite takes seconds and loading a dump well under one.
   */
  loadDataDir?: Blob;
  poolSize?: number;
}

/** Opens the database named by the options: PostgreSQL through node-postgres, or PGlite on disk or in memory. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir ?? 'memory://', opts.loadDataDir);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    engine: 'postgres',
    db,
    raw: {
      query: async (text, values) => pool.query(text, values as unknown[]) as never,
      exec: async (text) => {
        await pool.query(text);
      },
    },
    async migrate(folder = migrationsFolder) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: folder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
        await client.end();
      }
    },
    close: () => pool.end(),
  };
}

export class DatabaseLockedError extends Error {}

/**
 * PGlite is one process's database: a second process opening the same folder would
 * corrupt it. A lock file with the owner's pid keeps a second `heard` out, and a stale
 * lock (its process gone) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'heard.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lockPath, 'utf8'));
      let alive = false;
      try {
        alive = Number.isInteger(pid) && pid > 0 && process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) {
        throw new DatabaseLockedError(
          `The embedded database in ${dataDir} is in use by another Heard process (pid ${pid}). Stop it first, or use the API.`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseLockedError(`Could not lock ${dataDir}`);
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  let unlock = () => {};
  if (!dataDir.startsWith('memory://')) {
    fs.mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, { extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) });
  } catch (err) {
    unlock();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    engine: 'pglite',
    db,
    raw: {
      query: async (text, values) => {
        // PGlite's query() takes one statement; parameterless multi-statement SQL goes through exec().
        if (!values || values.length === 0) {
          const results = await client.exec(text);
          return { rows: (results.at(-1)?.rows ?? []) as never };
        }
        return client.query(text, values) as never;
      },
      exec: async (text) => {
        await client.exec(text);
      },
    },
    migrate: (folder = migrationsFolder) => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: folder }),
    dumpDataDir: () => client.dumpDataDir('none'),
    close: async () => {
      await client.close();
      unlock();
    },
  };
}
