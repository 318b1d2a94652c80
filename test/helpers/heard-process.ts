import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../../src/server/db/client.js';
import { engine } from './database.js';

/** Real `heard start` processes for tests that need a whole server: several nodes, a crash and a restart. */

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const heardBin = path.join(root, 'bin/heard.js');

export interface Node {
  name: string;
  url: string;
  child: ChildProcess;
  output: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Two ports free right now (both held open while the second is picked, so they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function startNode(name: string, port: number, env: NodeJS.ProcessEnv): Node {
  const child = spawn(process.execPath, [heardBin, 'start'], { cwd: root, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const node: Node = {
    name,
    url: `http://127.0.0.1:${port}`,
    child,
    output: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  const keep = (chunk: Buffer) => {
    node.output = (node.output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return node;
}

/** Resolves when the node answers /healthz; rejects when it exits first or after `ms`. */
export async function waitHealthy(node: Node, ms = 60_000) {
  let exited = false;
  void node.exited.then(() => (exited = true));
  const end = Date.now() + ms;
  for (;;) {
    if (exited) throw new Error(`${node.name} exited before it was healthy:\n${node.output}`);
    try {
      const res = await fetch(`${node.url}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > end) throw new Error(`${node.name} not healthy after ${ms} ms:\n${node.output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM, then SIGKILL when the process has not exited after `ms`. Resolves with how it exited. */
export async function stopNode(node: Node, ms = 10_000) {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), ms);
  try {
    return await node.exited;
  } finally {
    clearTimeout(timer);
  }
}


/**
 * Where a `heard` process under test keeps its data: a new PostgreSQL database in the
 * postgres project (dropped by `remove`), and a temp HEARD_DATA_DIR always (PGlite's
 * database in the pglite project, stored files in both). `rows` reads it while no process
 * holds it (PGlite allows one).
 */
export async function processStorage(prefix: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `heard-${prefix}-`));
  const base = engine === 'postgres' ? process.env.DATABASE_URL : undefined;
  const dbName = `heard_${prefix.replace(/\W/g, '')}_${crypto.randomBytes(5).toString('hex')}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  let databaseUrl = '';
  if (base) {
    await admin(`create database ${dbName}`);
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  return {
    env: { DATABASE_URL: databaseUrl, HEARD_DATA_DIR: dataDir },
    async rows<T>(query: SQL): Promise<T[]> {
      const database = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: `${dataDir}/db` });
      try {
        const result = await database.db.execute(query);
        // pg answers { rows }, PGlite the rows themselves.
        return ((result as unknown as { rows?: T[] }).rows ?? (result as unknown as T[])) as T[];
      } finally {
        await database.close();
      }
    },
    async remove() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (base) await admin(`drop database if exists ${dbName} with (force)`);
    },
  };
}
