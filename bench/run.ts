/**
 * `npm run bench`: ingest throughput, measured beside a baseline in the same run.
 *
 * For each engine (file-backed PGlite always; PostgreSQL when DATABASE_URL is set) it runs,
 * each in a fresh process on a fresh database:
 *   - http           the API channel end to end: a real Heard on 127.0.0.1, N POSTs over HTTP
 *   - ingest         ingest() called directly, N messages
 *   - baseline-tx    the same rows with plain INSERTs, one per row, one transaction per message
 *   - baseline-stmt  the same rows with one INSERT statement per message (data-modifying CTEs)
 * and prints throughput, latency percentiles and peak memory. Nothing is asserted except
 * that every message was accepted; the exit code is 1 when one was not.
 *
 * Settings: BENCH_N (messages per path, default 2000), BENCH_WARMUP (not counted, default
 * 5% of N, at least 50), BENCH_CONCURRENCY (default 16), BENCH_SEED, and BENCH_PATHS /
 * BENCH_ENGINES (comma-separated subsets, e.g. BENCH_PATHS=ingest,baseline-tx).
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PartJob, PartName, PartResult } from './part.js';
import { commit, cpuBusy, intEnv, machineFacts, machineLine, pgliteVersion, pickList, postgresVersion, writeReport } from './machine.js';
import { createScratch, type Engine, type Scratch } from './storage.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const N = intEnv('BENCH_N', 2000, 1);
const WARMUP = intEnv('BENCH_WARMUP', Math.max(50, Math.round(N * 0.05)), 0);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 16, 1);
const SEED = intEnv('BENCH_SEED', 20261123, 0);

const ALL_PARTS: { name: PartName; label: string }[] = [
  { name: 'http', label: 'API channel, HTTP' },
  { name: 'ingest', label: 'ingest()' },
  { name: 'baseline-tx', label: 'baseline: INSERTs in a tx' },
  { name: 'baseline-stmt', label: 'baseline: 1 INSERT stmt' },
];

const PARTS = ALL_PARTS.filter((p) => pickList('BENCH_PATHS', ALL_PARTS.map((x) => x.name)).includes(p.name));

interface Outcome {
  engine: Engine;
  part: PartName;
  result?: PartResult;
  error?: string;
}

/** What to clean up when the run is interrupted (Ctrl-C): the running part and its database. */
let current: { child?: ChildProcess; scratch?: Scratch } = {};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    current.child?.kill('SIGKILL');
    void (current.scratch?.remove() ?? Promise.resolve())
      .catch(() => undefined)
      .finally(() => process.exit(130));
  });
}

/** Runs one part in its own process on a fresh database, which is removed afterwards whatever happens. */
async function runPart(engine: Engine, part: PartName): Promise<Outcome> {
  const scratch = await createScratch(engine);
  current = { scratch };
  try {
    const job: PartJob = { part, engine, dataDir: scratch.dataDir, databaseUrl: scratch.databaseUrl, n: N, warmup: WARMUP, concurrency: CONCURRENCY, seed: SEED };
    const answer = await new Promise<{ ok: boolean; result?: PartResult; error?: string }>((resolve) => {
      const child = fork(path.join(here, 'part.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      current.child = child;
      let settled = false;
      child.once('message', (m) => {
        settled = true;
        resolve(m as { ok: boolean; result?: PartResult; error?: string });
      });
      child.once('exit', (code, signal) => {
        if (!settled) resolve({ ok: false, error: `the ${part} process exited (${signal ?? code}) without an answer` });
      });
      child.send(job);
    });
    return { engine, part, result: answer.result, error: answer.ok ? undefined : answer.error };
  } finally {
    await scratch.remove();
    current = {};
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const pct = (a: number, b: number) => `${Math.round((a / b) * 100)}%`;

async function main() {
  const engines = pickList<Engine>('BENCH_ENGINES', process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
  const versions: Record<string, string> = { pglite: pgliteVersion() };
  if (process.env.DATABASE_URL) versions.postgres = await postgresVersion(process.env.DATABASE_URL);

  const header = [
    `Heard ingest benchmark: ${N} messages per path (+${WARMUP} warm-up, not counted), concurrency ${CONCURRENCY}, ~70% new contacts / ~30% follow-ups`,
    machineLine(),
    `PGlite ${versions.pglite} (file-backed, fresh temp dir per path)` +
      (versions.postgres ? ` · PostgreSQL ${versions.postgres} (fresh database per path)` : ' · PostgreSQL skipped (set DATABASE_URL to include it)'),
  ];
  const busyBefore = await cpuBusy(1000);
  header.push(
    `CPU busy before the run: ${Math.round(busyBefore * 100)}% over 1 s` +
      (busyBefore > 0.25 ? ' (other work shares these CPUs: figures will be low and noisy)' : ''),
  );
  console.log(header.join('\n'));
  console.log('Each path runs in its own process; peak RSS/heap are that process\'s (the HTTP load generator is a separate process).\n');

  const outcomes: Outcome[] = [];
  for (const engine of engines) {
    for (const p of PARTS) {
      process.stdout.write(`  running ${engine} / ${p.name} ...`);
      const t = Date.now();
      const o = await runPart(engine, p.name);
      outcomes.push(o);
      console.log(o.error ? ' FAILED' : ` ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  }

  // The table.
  const cols = ['engine', 'path', 'messages', 'msg/s', 'p50 ms', 'p95 ms', 'p99 ms', 'peak RSS', 'peak heap', 'failed'];
  const rows: string[][] = outcomes.map((o) => {
    const label = PARTS.find((p) => p.name === o.part)!.label;
    const r = o.result;
    if (!r) return [o.engine, label, String(N), 'ERROR', '-', '-', '-', '-', '-', '-'];
    return [o.engine, label, String(r.messages), r.msgPerSec.toFixed(0), ms(r.latency.p50), ms(r.latency.p95), ms(r.latency.p99), mb(r.peak.rss), mb(r.peak.heapUsed), String(r.failures.count)];
  });
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ');
  console.log('');
  console.log(line(cols));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  let previous: Engine | undefined;
  for (const [i, r] of rows.entries()) {
    if (previous && outcomes[i].engine !== previous) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    previous = outcomes[i].engine;
    console.log(line(r));
  }
  console.log('');

  // The ratios, per engine.
  const ratios: Record<string, Record<string, number>> = {};
  for (const engine of engines) {
    const get = (part: PartName) => outcomes.find((o) => o.engine === engine && o.part === part)?.result?.msgPerSec;
    const [http, ing, tx, stmt] = [get('http'), get('ingest'), get('baseline-tx'), get('baseline-stmt')];
    ratios[engine] = {};
    if (ing && tx) {
      ratios[engine].ingestOfBaselineTx = ing / tx;
      console.log(`${engine}: ingest() is ${pct(ing, tx)} of plain INSERT (same rows, one INSERT per row, one transaction per message)`);
    }
    if (ing && stmt) {
      ratios[engine].ingestOfBaselineStmt = ing / stmt;
      console.log(`${engine}: ingest() is ${pct(ing, stmt)} of plain INSERT (same rows, one statement per message)`);
    }
    if (http && ing) {
      ratios[engine].httpOfIngest = http / ing;
      console.log(`${engine}: the API channel over HTTP is ${pct(http, ing)} of ingest() alone`);
    }
    const peaks = outcomes.filter((o) => o.engine === engine && o.result).map((o) => o.result!.peak);
    if (peaks.length) {
      console.log(
        `${engine}: peak memory of the engine's run: RSS ${mb(Math.max(...peaks.map((p) => p.rss)))}, heap ${mb(Math.max(...peaks.map((p) => p.heapUsed)))} (largest of its processes)`,
      );
    }
  }

  // The same traffic must leave the same rows on every path, baseline included.
  const counts = outcomes.filter((o) => o.result).map((o) => ({ where: `${o.engine} / ${o.part}`, rows: JSON.stringify(o.result!.rows) }));
  if (counts.length) {
    const distinct = new Set(counts.map((c) => c.rows));
    const first = outcomes.find((o) => o.result)!.result!.rows;
    const shown = Object.entries(first)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    console.log(
      distinct.size === 1
        ? `rows stored, warm-up included: ${shown}: the same on every path (${Math.round((first.conversations / first.messages) * 100)}% of messages opened a conversation)`
        : `rows stored differ between paths:\n  ${counts.map((c) => `${c.where}: ${c.rows}`).join('\n  ')}`,
    );
  }

  // What failed.
  const problems: string[] = [];
  for (const o of outcomes) {
    const where = `${o.engine} / ${o.part}`;
    if (o.error) problems.push(`${where}: ${o.error}`);
    const r = o.result;
    if (!r) continue;
    if (r.failures.count) problems.push(`${where}: ${r.failures.count} of ${N + WARMUP} messages failed, e.g.\n      ${r.failures.first.join('\n      ')}`);
    if (r.rows.messages !== N + WARMUP - r.failures.count) problems.push(`${where}: ${r.rows.messages} messages stored, expected ${N + WARMUP - r.failures.count}`);
  }

  const report = {
    date: new Date().toISOString(),
    commit: commit(),
    ...machineFacts(),
    settings: { n: N, warmup: WARMUP, concurrency: CONCURRENCY, seed: SEED, newContactShare: 0.7 },
    versions,
    cpuBusyBefore: busyBefore,
    results: outcomes.map((o) => ({ engine: o.engine, path: o.part, ...(o.result ?? {}), error: o.error })),
    ratios,
    problems,
  };
  writeReport(path.join(here, 'results', 'latest.json'), report, problems);
  if (problems.length) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
