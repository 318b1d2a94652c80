/**
 * One part of the ingest benchmark, run in a process of its own (started by run.ts) so
 * that its peak memory is its own: the API channel over HTTP, ingest() called directly,
 * or the plain-INSERT baseline, on the database run.ts prepared. Answers over IPC.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { buildHeard } from '../src/server/app.js';
import { loadConfig, type Config } from '../src/server/config.js';
import type { Actor } from '../src/server/core/actor.js';
import { type Ctx, inTransaction } from '../src/server/core/context.js';
import { openDatabase, type Database } from '../src/server/db/client.js';
import { ingest } from '../src/server/domains/conversations/ingest.js';
import { createInbox } from '../src/server/domains/inboxes/service.js';
import { createToken } from '../src/server/domains/tokens/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { baselineWriter } from './baseline.js';
import type { LoadJob, LoadResult } from './load.js';
import { drive, type MessageSpec, percentiles, type RunResult, Workload } from './workload.js';

export type PartName = 'http' | 'ingest' | 'baseline-tx' | 'baseline-stmt';

/** Never called: the benchmark sends no replies. A public name, because Heard refuses private callback addresses. */
const CALLBACK_URL = 'https://integration.example.com/heard-callback';

export interface PartJob {
  part: PartName;
  engine: 'pglite' | 'postgres';
  dataDir?: string;
  databaseUrl?: string;
  n: number;
  warmup: number;
  concurrency: number;
  seed: number;
}

export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface PartResult {
  part: PartName;
  engine: 'pglite' | 'postgres';
  messages: number;
  elapsedMs: number;
  msgPerSec: number;
  latency: { p50: number; p95: number; p99: number };
  failures: { count: number; first: string[] };
  /** Rows found in the database afterwards (warm-up included). */
  rows: { messages: number; conversations: number; contacts: number; contact_identities: number; events: number };
  /** Peaks over the whole life of this part's process, sampled every 50 ms. */
  peak: Memory;
}

/** Samples process.memoryUsage() every 50 ms and keeps the peaks. */
function memorySampler() {
  const peak: Memory = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak) as (keyof Memory)[]) peak[k] = Math.max(peak[k], m[k]);
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

function benchConfig(job: PartJob): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    HEARD_API_RATE_LIMIT: '100000000',
    HEARD_LOGIN_RATE_LIMIT: '100000000',
    HEARD_DATA_DIR: job.dataDir,
    DATABASE_URL: job.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
  });
}

/** The database as buildHeard opens it: PostgreSQL with its default pool, or file-backed PGlite under HEARD_DATA_DIR/db. */
async function openLikeHeard(config: Config): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATABASE_URL ? undefined : `${config.dataDir}/db` });
  await database.migrate();
  return database;
}

/** An owner (and workspace) with an admin actor, through the services, as test/factories.ts does. */
async function owner(ctx: Ctx) {
  const { member, workspace } = await inTransaction(ctx, (tx) =>
    ensureMember(tx, { workspaceName: 'Bench Inc', email: 'owner@bench.example', password: 'correct horse battery', role: 'owner' }),
  );
  const actor: Actor = { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: member.role, via: 'session', scopes: ['read', 'write', 'admin'] };
  return actor;
}

/** What the run left in the database: the same traffic should leave the same counts on every path. */
async function countRows(database: Database): Promise<PartResult['rows']> {
  const tables = ['messages', 'conversations', 'contacts', 'contact_identities', 'events'] as const;
  const { rows } = await database.raw.query<Record<string, string | number>>(`select ${tables.map((t) => `(select count(*) from ${t}) as ${t}`).join(', ')}`, []);
  return Object.fromEntries(tables.map((t) => [t, Number(rows[0][t])])) as PartResult['rows'];
}

function summary(job: PartJob, run: RunResult, warm: RunResult, rows: PartResult['rows'], peak: Memory): PartResult {
  const failures = [...warm.failures, ...run.failures];
  return {
    part: job.part,
    engine: job.engine,
    messages: run.messages,
    elapsedMs: run.elapsedMs,
    msgPerSec: (run.messages - run.failures.length) / (run.elapsedMs / 1000),
    latency: percentiles(run.latenciesMs),
    failures: { count: failures.length, first: failures.slice(0, 5).map((f) => f.message) },
    rows,
    peak,
  };
}

/** ingest() or a baseline, called in this process with no HTTP and no dispatcher. */
async function runDirect(job: PartJob): Promise<PartResult> {
  const mem = memorySampler();
  const config = benchConfig(job);
  const database = await openLikeHeard(config);
  try {
    // kick() does nothing: no outbox dispatcher runs, so this is ingest()'s own cost.
    const ctx: Ctx = { config, database, db: database.db, secret: 'bench', kick: () => undefined, retryBaseMs: 30_000 };
    const actor = await owner(ctx);
    const inbox = await inTransaction(ctx, (tx) => createInbox(tx, actor, { name: 'API', channel: 'api', callbackUrl: CALLBACK_URL }));
    const send =
      job.part === 'ingest'
        ? async (spec: MessageSpec) => {
            const r = await ingest(ctx, { workspaceId: actor.workspaceId, inboxId: inbox.id, contact: spec.contact, text: spec.text, externalId: spec.clientMessageId });
            if (r.duplicate) throw new Error(`stored as a duplicate: ${spec.clientMessageId}`);
            return r;
          }
        : baselineWriter(database, actor.workspaceId, inbox.id, job.part === 'baseline-tx' ? 'tx' : 'stmt');
    const workload = new Workload(job.seed, 'b');
    const warm = await drive(workload, job.warmup, job.concurrency, send);
    const run = await drive(workload, job.n, job.concurrency, send);
    const rows = await countRows(database);
    return summary(job, run, warm, rows, mem.stop());
  } finally {
    await database.close();
  }
}

/** A real Heard on an ephemeral port, fed over HTTP by a load generator in another process. */
async function runHttp(job: PartJob): Promise<PartResult> {
  const mem = memorySampler();
  const config = benchConfig(job);
  const heard = await buildHeard({ config });
  try {
    await heard.app.listen({ port: 0, host: '127.0.0.1' });
    await heard.start();
    const address = heard.app.server.address();
    if (!address || typeof address === 'string') throw new Error('Heard is not listening on TCP');
    const url = `http://127.0.0.1:${address.port}`;

    const actor = await owner(heard.ctx);
    const { token } = await inTransaction(heard.ctx, (tx) => createToken(tx, actor, { name: 'bench', scopes: ['read', 'write', 'admin'] }));
    const agent = new Agent();
    const res = await request(`${url}/api/v1/inboxes`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'API', channel: 'api', callbackUrl: CALLBACK_URL }),
    });
    const inboxBody = await res.body.text();
    await agent.close();
    if (res.statusCode !== 201) throw new Error(`creating the inbox answered ${res.statusCode}: ${inboxBody}`);
    const inboxId = (JSON.parse(inboxBody) as { id: string }).id;

    const loadJob: LoadJob = { url, token, inboxId, warmup: job.warmup, n: job.n, concurrency: job.concurrency, seed: job.seed, prefix: 'h' };
    const load = await new Promise<LoadResult>((resolve, reject) => {
      const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('message', (m) => resolve(m as LoadResult));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the load generator exited with ${code} before answering`)));
      child.send(loadJob);
    });
    const rows = await countRows(heard.ctx.database);
    const peak = mem.stop();
    return {
      part: job.part,
      engine: job.engine,
      messages: load.messages,
      elapsedMs: load.elapsedMs,
      msgPerSec: (load.messages - load.runFailures) / (load.elapsedMs / 1000),
      latency: load.latency,
      failures: load.failures,
      rows,
      peak,
    };
  } finally {
    await heard.close();
  }
}

// Whoever started this process is gone (interrupted): stop too.
process.once('disconnect', () => process.exit(1));

process.once('message', async (job: PartJob) => {
  try {
    const result = job.part === 'http' ? await runHttp(job) : await runDirect(job);
    process.send!({ ok: true, result }, () => process.exit(0));
  } catch (err) {
    process.send!({ ok: false, error: (err as Error).stack ?? String(err) }, () => process.exit(1));
  }
});
