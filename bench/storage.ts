import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Config, loadConfig } from '../src/server/config.js';

export type Engine = 'pglite' | 'postgres';

/** Where one part of the benchmark keeps its data: a fresh PGlite directory or a fresh PostgreSQL database. */
export interface Scratch {
  engine: Engine;
  /** PGlite: the HEARD_DATA_DIR (the database lives in `<dir>/db`, as with `npm start`). */
  dataDir?: string;
  /** PostgreSQL: the URL of the new database. */
  databaseUrl?: string;
  remove(): Promise<void>;
}

/**
 * The settings of a Heard that a benchmark drives on its scratch database: quiet, on a free
 * loopback port, with no API rate limit and no IMAP polling timer; `extra` adds to them.
 */
export function scratchConfig(scratch: Pick<Scratch, 'dataDir' | 'databaseUrl'>, extra: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    HEARD_DATA_DIR: scratch.dataDir,
    DATABASE_URL: scratch.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    HEARD_API_RATE_LIMIT: '100000000',
    HEARD_IMAP_POLL_SECONDS: '0',
    ...extra,
  });
}

/**
 * A fresh place for one part: a temp directory for file-backed PGlite (what `npm start`
 * uses), or a new database on the server named by DATABASE_URL, dropped afterwards.
 */
export async function createScratch(engine: Engine): Promise<Scratch> {
  if (engine === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-bench-'));
    return { engine, dataDir, remove: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('the postgres engine needs DATABASE_URL');
  const name = `heard_bench_${crypto.randomBytes(6).toString('hex')}`;
  await admin(base, `create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { engine, databaseUrl: u.toString(), remove: () => admin(base, `drop database if exists ${name} with (force)`) };
}

async function admin(url: string, statement: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}
