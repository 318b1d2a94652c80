import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrationsFolder, openDatabase } from '../src/server/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a migrated PGlite, which every test database on PGlite starts from. */
    pgliteTemplate: string;
    /** A migrated PostgreSQL database, which every test database on PostgreSQL is copied from. */
    postgresTemplate: string;
  }
}

/**
 * Every test file starts from a fresh, migrated database. Migrating one from empty takes
 * seconds (PGlite's initdb alone takes three), so it happens once per set of migrations:
 * a PGlite dump kept in node_modules/.cache, a PostgreSQL database that test databases are
 * created from with CREATE DATABASE … TEMPLATE. Both are named by a hash of the migrations,
 * so a new migration builds a new template and a stale one is never used.
 */
export default async function setup(project: TestProject): Promise<void> {
  const key = migrationsKey();
  if (project.name === 'postgres') project.provide('postgresTemplate', await postgresTemplate(key));
  else project.provide('pgliteTemplate', await pgliteTemplate(key));
}

/** How long another set of migrations' template is kept unused. */
const STALE_MS = 24 * 3_600_000;

/** Notes on the template database when it was last used (in its comment). */
async function markUsed(admin: pg.Client, name: string) {
  await admin.query(`comment on database ${name} is '${Date.now()}'`);
}

function migrationsKey(): string {
  const hash = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(`${path.relative(migrationsFolder, file)}\0`).update(fs.readFileSync(file));
    }
  };
  walk(migrationsFolder);
  // A new PGlite may not read an older one's dump.
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  hash.update(fs.readFileSync(path.join(dir, 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

async function pgliteTemplate(key: string): Promise<string> {
  const dir = path.resolve('node_modules/.cache/heard-test');
  const file = path.join(dir, `pglite-${key}.tar`);
  if (fs.existsSync(file)) {
    // Marked as used, so that a checkout of other migrations beside this one keeps it.
    const now = new Date();
    fs.utimesSync(file, now, now);
    return file;
  }
  fs.mkdirSync(dir, { recursive: true });
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await database.migrate();
    if (!database.dumpDataDir) throw new Error('an embedded database can be dumped');
    const dump = await database.dumpDataDir();
    // Written aside and renamed, so a run that stops half-way never leaves half a template.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    await database.close();
  }
  // Another set of migrations' template goes once unused for a day: a second checkout (a
  // branch with a new migration) may be running its tests from it right now.
  for (const old of fs.readdirSync(dir)) {
    const other = path.join(dir, old);
    if (old.startsWith('pglite-') && old.endsWith('.tar') && other !== file && Date.now() - fs.statSync(other).mtimeMs > STALE_MS) fs.rmSync(other, { force: true });
  }
  return file;
}

async function postgresTemplate(key: string): Promise<string> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('the postgres project needs DATABASE_URL');
  const name = `heard_template_${key}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) {
      await markUsed(admin, name);
      return name;
    }
    // Migrated under a name of its own, then renamed: a template exists whole or not at all.
    const building = `heard_template_build_${crypto.randomBytes(4).toString('hex')}`;
    await admin.query(`create database ${building}`);
    const url = new URL(base);
    url.pathname = `/${building}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    try {
      await admin.query(`alter database ${building} rename to ${name}`);
    } catch (err) {
      // Another run built the same template first: use theirs.
      await admin.query(`drop database if exists ${building} with (force)`);
      if ((err as { code?: string }).code !== '42P04') throw err;
      return name;
    }
    await markUsed(admin, name);
    // Other migrations' templates (not those being built) go once unused for a day; one
    // never marked is marked now, and so kept for a day too.
    const others = await admin.query<{ datname: string; used: string | null }>(
      "select datname, shobj_description(oid, 'pg_database') as used from pg_database where datname ~ '^heard_template_[0-9a-f]{16}$' and datname <> $1",
      [name],
    );
    for (const { datname, used } of others.rows) {
      if (used === null || !/^\d+$/.test(used)) await markUsed(admin, datname);
      else if (Date.now() - Number(used) > STALE_MS) await admin.query(`drop database if exists ${datname} with (force)`);
    }
    return name;
  } finally {
    await admin.end();
  }
}
