/**
 * What every benchmark runner shares: reading its settings from the environment, and
 * saying what it ran on (the commit, the engines' versions, how busy the CPUs were).
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** An integer setting of at least `min`; anything else stops the run and says why. */
export function intEnv(name: string, fallback: number, min: number) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) {
    console.error(`${name} must be an integer of at least ${min}, not "${raw}"`);
    process.exit(2);
  }
  return v;
}

/** A comma-separated subset of `all` (e.g. BENCH_ENGINES=pglite), in `all`'s order; `fallback` when unset. */
export function pickList<T extends string>(name: string, all: readonly T[], fallback: readonly T[] = all): T[] {
  const raw = process.env[name];
  if (!raw) return [...fallback];
  const wanted = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !all.includes(w as T));
  if (unknown.length) {
    console.error(`${name}: unknown ${unknown.join(', ')}; choose from ${all.join(', ')}`);
    process.exit(2);
  }
  return all.filter((a) => wanted.includes(a));
}

/** The machine, for a report: Node's version, the CPUs and the OS. */
export function machineFacts() {
  const cpus = os.cpus();
  return { node: process.version, cpus: cpus.length, cpuModel: cpus[0]?.model, platform: `${os.platform()} ${os.release()}` };
}

/** The header's line about the machine and what was measured on it. */
export function machineLine() {
  const m = machineFacts();
  return `node ${m.node} · ${m.cpus} × ${m.cpuModel ?? 'cpu'} · ${m.platform} · commit ${commit()}`;
}

/** Writes a run's report as JSON and says where; then lists the problems the run found, if any. */
export function writeReport(file: string, report: unknown, problems: string[]) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
  if (problems.length) console.log(`\n${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
}

/** Idle and total CPU time of all CPUs so far, to compare two readings with busyBetween. */
export function cpuTotals() {
  return os.cpus().reduce((a, c) => ({ idle: a.idle + c.times.idle, total: a.total + Object.values(c.times).reduce((x, y) => x + y, 0) }), { idle: 0, total: 0 });
}

/** The share of all CPUs' time spent not idle between two readings. */
export function busyBetween(a: ReturnType<typeof cpuTotals>, b: ReturnType<typeof cpuTotals>) {
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/** The share of all CPUs' time spent not idle during `ms`: other work running beside the benchmark. */
export async function cpuBusy(ms: number) {
  const a = cpuTotals();
  await new Promise((r) => setTimeout(r, ms));
  return busyBetween(a, cpuTotals());
}

/** The commit measured, and whether the server's code had uncommitted changes (they are part of what was measured). */
export function commit() {
  try {
    const git = (args: string) => execSync(`git ${args}`, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return git('status --porcelain -- src/server') ? `${git('rev-parse --short HEAD')} + uncommitted changes in src/server` : git('rev-parse --short HEAD');
  } catch {
    return 'unknown';
  }
}

export async function postgresVersion(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ v: string }>("select current_setting('server_version') as v");
    return rows[0].v;
  } finally {
    await c.end();
  }
}

export function pgliteVersion() {
  const file = path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}
