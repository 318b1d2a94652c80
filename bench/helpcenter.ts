/**
 * `npm run bench:help`: the public help center's pages under concurrent load, beside a
 * static file served by the same Heard in the same run.
 *
 * For each engine (file-backed PGlite always; PostgreSQL when DATABASE_URL is set), on a
 * fresh database:
 *   1. seeds it in a process of its own (helpcenter-seed.ts): one workspace with a
 *      published help center, 20 categories, BENCH_HELP_ARTICLES published articles and
 *      BENCH_HELP_THREADS community threads with 1–3 answers each, generated from a
 *      vocabulary of support words with a fixed seed (helpcenter-corpus.ts); seeding time
 *      is printed, not measured;
 *   2. starts a real `heard start` on it (127.0.0.1, rate limits raised, no SMTP listener);
 *   3. from this process, over BENCH_HELP_CONCURRENCY keep-alive connections (undici),
 *      runs each scenario alone for BENCH_HELP_SECONDS after BENCH_HELP_WARMUP_SECONDS of
 *      warm-up, then BENCH_HELP_SOLO_SECONDS over one connection (the time of one request
 *      with nobody queued in front of it):
 *        baseline   GET /help/assets/help.css?v=…  (the built stylesheet)
 *        article    GET /help/<slug>/articles/<slug>, articles picked by popularity (Zipf)
 *        search     GET /help/<slug>/search?q=…
 *        suggest    GET /help/<slug>/search.json?q=…&limit=6 (the as-you-type suggestions)
 *        home       GET /help/<slug>
 *      checking answers as it goes: every article page has its article's title, every
 *      search for words of a document highlights them (<mark>), made-up words find nothing;
 *   4. prints requests, req/s, p50/p90/p99/max, non-2xx, bytes per response, the ratios of
 *      p50 and p99 to the baseline's, and the CPU Heard used.
 * Exit code 1 when a request failed or an answer was wrong. Figures go to
 * bench/results/helpcenter-latest.json.
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import type { BenchQuery } from './helpcenter-corpus.js';
import type { SeedJob, SeedResult } from './helpcenter-seed.js';
import { createScratch, type Engine, type Scratch } from './storage.js';
import { busyBetween, commit, cpuBusy, cpuTotals, intEnv, machineFacts, machineLine, pgliteVersion, pickList, postgresVersion, writeReport } from './machine.js';
import { percentile, rng } from './workload.js';

const self = fileURLToPath(import.meta.url);
const here = path.dirname(self);
const root = path.join(here, '..');
const heardBin = path.join(root, 'bin', 'heard.js');
const HELP_DIST = path.join(root, 'dist', 'help');

const CONCURRENCY = intEnv('BENCH_HELP_CONCURRENCY', 32, 1);
const SECONDS = intEnv('BENCH_HELP_SECONDS', 10, 1);
const WARMUP_SECONDS = intEnv('BENCH_HELP_WARMUP_SECONDS', 2, 0);
const SOLO_SECONDS = intEnv('BENCH_HELP_SOLO_SECONDS', 2, 0);
const ARTICLES = intEnv('BENCH_HELP_ARTICLES', 10_000, 20);
const THREADS = intEnv('BENCH_HELP_THREADS', 10_000, 1);
const SEED = intEnv('BENCH_SEED', 20261123, 0);
const QUERIES = 2000;
/** BENCH_HELP_ANALYZE: 1 or 0; by default PostgreSQL is vacuumed and analyzed after seeding (autovacuum would do it within a minute) and PGlite, which has no autovacuum, is not. */
const ANALYZE = process.env.BENCH_HELP_ANALYZE;
/** BENCH_HELP_CPU_PROF=<dir>: Heard runs with --cpu-prof and writes its profile there when it stops. */
const CPU_PROF = process.env.BENCH_HELP_CPU_PROF;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 heard-bench';

type ScenarioName = 'baseline' | 'article' | 'search' | 'suggest' | 'home';
const ALL_SCENARIOS: { name: ScenarioName; label: string }[] = [
  { name: 'baseline', label: 'baseline: static file' },
  { name: 'article', label: 'article page' },
  { name: 'search', label: 'search page' },
  { name: 'suggest', label: 'search.json (limit=6)' },
  { name: 'home', label: 'home page' },
];

// ---------------------------------------------------------------------------------------
// The machine.

/** CPU seconds a process has used (user + system), from /proc; undefined where there is no /proc. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (1-based), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
function peakRss(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------
// The stylesheet: the built one, or a stand-in when this checkout has no help-center build.

interface Stylesheet {
  /** Where Heard finds it: dist/help (heard start), or a temp dir given to buildHeard. */
  dir: string;
  standIn: boolean;
  bytes: number;
}

/**
 * dist/help/help.css as `npm run build` leaves it. When it is missing, the build is run
 * once when it can make it; when it cannot (no build configuration for the help center in
 * this checkout), a stand-in stylesheet of about the size such a file has is written to a
 * temp dir, and Heard is started through the same buildHeard() `heard start` calls, told
 * to serve its assets from there. The run says which.
 */
function stylesheet(): Stylesheet {
  const built = path.join(HELP_DIST, 'help.css');
  if (!fs.existsSync(built) && fs.existsSync(path.join(root, 'vite.help.config.ts'))) {
    console.log('dist/help is missing: running npm run build …');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (fs.existsSync(built)) return { dir: HELP_DIST, standIn: false, bytes: fs.statSync(built).size };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-bench-help-assets-'));
  const r = rng(7);
  const rules: string[] = [':root{--brand:#2563eb;--text:#1f2937;--muted:#6b7280;--bg:#fff;--radius:.5rem}'];
  const props = ['margin', 'padding', 'color', 'background', 'border', 'font-size', 'line-height', 'display', 'gap', 'max-width'];
  for (let i = 0; rules.join('\n').length < 24_000; i++) {
    const decl = Array.from({ length: 2 + Math.floor(r() * 4) }, () => `${props[Math.floor(r() * props.length)]}:${(r() * 3).toFixed(2)}rem`).join(';');
    rules.push(`.c${i.toString(36)} > .e${Math.floor(r() * 999)}{${decl}}`);
  }
  fs.writeFileSync(path.join(dir, 'help.css'), `${rules.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'help.js'), '/* stand-in */\n');
  return { dir, standIn: true, bytes: fs.statSync(path.join(dir, 'help.css')).size };
}

// ---------------------------------------------------------------------------------------
// The server.

interface Server {
  url: string;
  child: ChildProcess;
  how: string;
  output: () => string;
  stop(): Promise<void>;
}

async function startHeard(scratch: Scratch, css: Stylesheet): Promise<Server> {
  const port = await freePort();
  // On PostgreSQL, Heard still keeps files (uploads) under HEARD_DATA_DIR: a temp dir of the run's.
  const ownDir = scratch.dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'heard-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HEARD_DATA_DIR: scratch.dataDir ?? ownDir,
    DATABASE_URL: scratch.databaseUrl ?? '',
    REDIS_URL: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    HEARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    HEARD_API_RATE_LIMIT: '100000000',
    HEARD_HELP_RATE_LIMIT: '100000000',
    HEARD_LOGIN_RATE_LIMIT: '100000000',
    HEARD_SMTP_PORT: '0',
    HEARD_IMAP_POLL_SECONDS: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  const prof = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF)}`] : [];
  const stdio: ('ignore' | 'pipe' | 'ipc')[] = ['ignore', 'pipe', 'pipe'];
  const child = css.standIn
    ? fork(self, ['serve'], { cwd: root, env: { ...env, BENCH_HELP_ASSETS_DIR: css.dir }, execArgv: [...process.execArgv, ...prof], stdio: [...stdio, 'ipc'] })
    : spawn(process.execPath, [...prof, heardBin, 'start'], { cwd: root, env, stdio });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 120_000;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`heard exited before it was healthy:\n${output}`);
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
      if (Date.now() > end) throw new Error(`heard did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    child.kill('SIGKILL');
    if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    child,
    how: css.standIn ? 'buildHeard() as `heard start` calls it, with a stand-in stylesheet (dist/help is not built)' : '`heard start`',
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

/** What `heard start` does (src/server/cli.ts), but with the help center's assets from BENCH_HELP_ASSETS_DIR. */
async function serve() {
  process.once('disconnect', () => process.exit(1));
  const { buildHeard } = await import('../src/server/app.js');
  const { loadConfig } = await import('../src/server/config.js');
  const config = loadConfig();
  const heard = await buildHeard({ config, helpAssetsDir: process.env.BENCH_HELP_ASSETS_DIR });
  await heard.start();
  await heard.app.listen({ port: config.PORT, host: config.HOST });
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await heard.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

// ---------------------------------------------------------------------------------------
// The load.

interface Req {
  path: string;
  /** A reason when the answer is wrong. */
  check?: (body: Buffer, contentType: string) => string | undefined;
  /** Counted by kind (e.g. which kind of query). */
  tag?: string;
}

interface Pass {
  requests: number;
  elapsedMs: number;
  latencies: number[];
  bytes: number;
  non2xx: number;
  wrong: number;
  errors: string[];
  tags: Record<string, { n: number; found: number }>;
  cpu: { heard?: number; load: number; machine: number };
}

/**
 * `connections` readers, each with its own cookies, asking one request after another: for
 * `warmupMs` (not counted), then for `ms`, in one closed loop, so the measured window starts
 * with the queue as full as it stays. Counted: requests that started in the window (their
 * latency; the run waits for the last of them) and, for throughput, those that ended in it.
 * Failures and wrong answers count wherever they happen, warm-up included.
 */
async function drive(url: string, next: () => Req, connections: number, warmupMs: number, ms: number, heardPid: number | undefined): Promise<Pass> {
  const agent = new Agent({ connections, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
  const pass: Pass = { requests: 0, elapsedMs: ms, latencies: [], bytes: 0, non2xx: 0, wrong: 0, errors: [], tags: {}, cpu: { load: 0, machine: 0 } };
  const note = (msg: string) => pass.errors.length < 10 && pass.errors.push(msg);
  const t0 = performance.now();
  const from = t0 + warmupMs;
  const to = from + ms;
  // CPU over the window alone.
  let snap0: { heard?: number; load: NodeJS.CpuUsage; machine: ReturnType<typeof cpuTotals> } | undefined;
  const snap = () => ({ heard: processCpuSeconds(heardPid), load: process.cpuUsage(), machine: cpuTotals() });
  const startTimer = setTimeout(() => (snap0 = snap()), warmupMs);
  const cpuAtEnd = new Promise<void>((resolve) =>
    setTimeout(() => {
      const a = snap0 ?? snap();
      const b = snap();
      const secs = ms / 1000;
      pass.cpu = {
        heard: a.heard !== undefined && b.heard !== undefined ? (b.heard - a.heard) / secs : undefined,
        load: (b.load.user - a.load.user + b.load.system - a.load.system) / 1e6 / secs,
        machine: busyBetween(a.machine, b.machine) * os.cpus().length,
      };
      resolve();
    }, warmupMs + ms),
  );
  await Promise.all(
    Array.from({ length: connections }, async () => {
      let cookie: string | undefined;
      while (performance.now() < to) {
        const req = next();
        const t = performance.now();
        const counted = t >= from;
        try {
          const res = await request(`${url}${req.path}`, { dispatcher: agent, headers: { 'user-agent': UA, accept: 'text/html,application/json,*/*', ...(cookie ? { cookie } : {}) } });
          const chunks: Buffer[] = [];
          for await (const c of res.body) chunks.push(c as Buffer);
          const done = performance.now();
          const body = Buffer.concat(chunks);
          if (done >= from && done <= to) pass.requests++;
          if (counted) {
            pass.latencies.push(done - t);
            pass.bytes += body.length;
          }
          const set = res.headers['set-cookie'];
          const form = (Array.isArray(set) ? set : set ? [set] : []).map((c) => /^(heard_help_form=[^;]+)/.exec(c)?.[1]).find(Boolean);
          if (form) cookie = form;
          if (res.statusCode < 200 || res.statusCode > 299) {
            pass.non2xx++;
            note(`HTTP ${res.statusCode} for ${req.path}: ${body.toString('utf8', 0, 200)}`);
            continue;
          }
          const wrong = req.check?.(body, String(res.headers['content-type'] ?? ''));
          if (req.tag && counted) {
            const tag = (pass.tags[req.tag] ??= { n: 0, found: 0 });
            tag.n++;
            if (/class="results"|"items":\[\{/.test(body.toString('utf8'))) tag.found++;
          }
          if (wrong) {
            pass.wrong++;
            note(`wrong answer for ${req.path}: ${wrong}`);
          }
        } catch (err) {
          pass.non2xx++;
          note(`${req.path}: ${(err as Error).message}`);
        }
      }
    }),
  );
  clearTimeout(startTimer);
  await cpuAtEnd;
  await agent.close();
  return pass;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The requests of each scenario: what is asked, and how the answer is checked. */
function scenarios(seed: SeedResult, cssPath: string, cssBytes: number) {
  const r = rng(SEED + 99);
  const base = `/help/${seed.slug}`;
  // Readers open popular articles more: the chance of an article is proportional to its views.
  const cum = new Float64Array(seed.articles.length);
  let total = 0;
  seed.articles.forEach((a, i) => (cum[i] = total += a.views));
  const popular = () => {
    const x = r() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return seed.articles[lo];
  };
  const top = [...seed.articles].sort((a, b) => b.views - a.views || a.title.localeCompare(b.title))[0];
  const searchCheck = (q: BenchQuery) => (body: Buffer) => {
    const html = body.toString('utf8');
    if (q.shouldMatch && !html.includes('<mark>')) return `no <mark> for "${q.q}" (${q.kind})`;
    if (q.kind === 'none' && html.includes('class="results"')) return `results for made-up words "${q.q}"`;
    return undefined;
  };
  const suggestCheck = (q: BenchQuery) => (body: Buffer) => {
    const json = JSON.parse(body.toString('utf8')) as { items: { titleHighlight: string; snippet: string }[] };
    if (q.shouldMatch && !json.items.some((i) => `${i.titleHighlight}${i.snippet}`.includes('\u0001'))) return `no highlighted suggestion for "${q.q}" (${q.kind})`;
    if (q.kind === 'none' && json.items.length) return `suggestions for made-up words "${q.q}"`;
    return undefined;
  };
  const cycle = <T>(list: T[]) => () => list[Math.floor(r() * list.length)];
  const nextSearch = cycle(seed.searchQueries);
  const nextSuggest = cycle(seed.suggestQueries);
  const make: Record<ScenarioName, () => Req> = {
    // The stylesheet may be rebuilt under a running server (it is then served new): any stylesheet of about its size will do.
    baseline: () => ({ path: cssPath, check: (b, type) => (b.length < cssBytes / 2 || !type.startsWith('text/css') ? `${b.length} bytes of ${type}, expected about ${cssBytes} of text/css` : undefined) }),
    article: () => {
      const a = popular();
      return { path: `${base}/articles/${a.slug}`, check: (b) => (b.toString('utf8').includes(`<h1>${escapeHtml(a.title)}</h1>`) ? undefined : `no <h1> "${a.title}"`) };
    },
    search: () => {
      const q = nextSearch();
      return { path: `${base}/search?q=${encodeURIComponent(q.q)}`, check: searchCheck(q), tag: q.kind };
    },
    suggest: () => {
      const q = nextSuggest();
      return { path: `${base}/search.json?q=${encodeURIComponent(q.q)}&limit=6`, check: suggestCheck(q), tag: q.kind };
    },
    home: () => ({ path: base, check: (b) => (b.toString('utf8').includes(escapeHtml(top.title)) ? undefined : `the most read article "${top.title}" is not on the home page`) }),
  };
  return make;
}

// ---------------------------------------------------------------------------------------
// One engine.

interface ScenarioResult {
  scenario: ScenarioName;
  label: string;
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  solo?: { requests: number; p50: number; p99: number };
  non2xx: number;
  wrong: number;
  bytesPerResponse: number;
  cpu: Pass['cpu'];
  tags: Pass['tags'];
  errors: string[];
}

interface EngineResult {
  engine: Engine;
  server?: string;
  seed?: Omit<SeedResult, 'articles' | 'searchQueries' | 'suggestQueries'> & { queryMix: Record<string, number> };
  startSeconds?: number;
  heardPeakRss?: number;
  scenarios: ScenarioResult[];
  error?: string;
}

let current: { child?: ChildProcess; server?: Server; scratch?: Scratch } = {};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    current.child?.kill('SIGKILL');
    current.server?.child.kill('SIGKILL');
    void (current.scratch?.remove() ?? Promise.resolve()).catch(() => undefined).finally(() => process.exit(130));
  });
}

function seedIn(scratch: Scratch, analyze: boolean): Promise<SeedResult> {
  const job: SeedJob = { dataDir: scratch.dataDir, databaseUrl: scratch.databaseUrl, articles: ARTICLES, threads: THREADS, seed: SEED, analyze, queries: QUERIES };
  return new Promise((resolve, reject) => {
    const child = fork(self, ['seed'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    current.child = child;
    let settled = false;
    child.once('message', (m: { ok: boolean; result?: SeedResult; error?: string }) => {
      settled = true;
      if (m.ok && m.result) resolve(m.result);
      else reject(new Error(m.error));
    });
    child.once('exit', (code, signal) => !settled && reject(new Error(`the seeding process exited (${signal ?? code}) without an answer`)));
    child.send(job);
  });
}

async function runEngine(engine: Engine, wanted: ScenarioName[], css: Stylesheet): Promise<EngineResult> {
  const out: EngineResult = { engine, scenarios: [] };
  const scratch = await createScratch(engine);
  current = { scratch };
  try {
    const analyze = ANALYZE === undefined || ANALYZE === '' ? engine === 'postgres' : ANALYZE === '1';
    process.stdout.write(`  ${engine}: seeding ${ARTICLES} articles and ${THREADS} threads${analyze ? ', then VACUUM ANALYZE' : ''} …`);
    const seed = await seedIn(scratch, analyze);
    current.child = undefined;
    const queryMix = [...seed.searchQueries].reduce<Record<string, number>>((a, q) => ({ ...a, [q.kind]: (a[q.kind] ?? 0) + 1 }), {});
    const { articles: _a, searchQueries: _s, suggestQueries: _g, ...rest } = seed;
    out.seed = { ...rest, queryMix };
    console.log(
      ` ${seed.seconds.total.toFixed(1)} s (rendering templates ${seed.seconds.render.toFixed(1)} s, articles ${seed.seconds.articles.toFixed(1)} s, threads and answers ${seed.seconds.threads.toFixed(1)} s, GIN indexes ${seed.seconds.indexes.toFixed(1)} s` +
        `${analyze ? `, vacuum analyze ${seed.seconds.analyze.toFixed(1)} s` : ''}); ${seed.rows.community_posts} answers; ${seed.words.min}–${seed.words.max} words per article (avg ${seed.words.avg})` +
        `${seed.databaseBytes ? `; database ${Math.round(seed.databaseBytes / 1024 / 1024)} MB` : ''}`,
    );

    const t = performance.now();
    const server = await startHeard(scratch, css);
    current.server = server;
    out.server = server.how;
    out.startSeconds = (performance.now() - t) / 1000;
    try {
      const home = await fetch(`${server.url}/help/${seed.slug}`, { headers: { 'user-agent': UA } });
      const html = await home.text();
      if (home.status !== 200) throw new Error(`the home page answered ${home.status}: ${html.slice(0, 300)}`);
      const cssPath = /href="(\/help\/assets\/help\.css\?v=[^"]+)"/.exec(html)?.[1];
      if (!cssPath) throw new Error('the home page links no /help/assets/help.css?v=…');
      const make = scenarios(seed, cssPath, css.bytes);
      const pid = server.child.pid;
      for (const name of wanted) {
        const label = ALL_SCENARIOS.find((s) => s.name === name)!.label;
        process.stdout.write(`  ${engine}: ${label} …`);
        const p = await drive(server.url, make[name], CONCURRENCY, WARMUP_SECONDS * 1000, SECONDS * 1000, pid);
        const solo = SOLO_SECONDS ? await drive(server.url, make[name], 1, 0, SOLO_SECONDS * 1000, pid) : undefined;
        const sorted = [...p.latencies].sort((a, b) => a - b);
        const soloSorted = solo ? [...solo.latencies].sort((a, b) => a - b) : [];
        const result: ScenarioResult = {
          scenario: name,
          label,
          requests: p.latencies.length,
          reqPerSec: p.requests / (p.elapsedMs / 1000),
          latencyMs: { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN },
          solo: solo ? { requests: solo.latencies.length, p50: percentile(soloSorted, 50), p99: percentile(soloSorted, 99) } : undefined,
          non2xx: p.non2xx + (solo?.non2xx ?? 0),
          wrong: p.wrong + (solo?.wrong ?? 0),
          bytesPerResponse: p.latencies.length ? p.bytes / p.latencies.length : 0,
          cpu: p.cpu,
          tags: p.tags,
          errors: [...p.errors, ...(solo?.errors ?? [])].slice(0, 10),
        };
        out.scenarios.push(result);
        console.log(` ${result.reqPerSec.toFixed(0)} req/s`);
      }
      out.heardPeakRss = peakRss(pid);
    } finally {
      await server.stop();
      current.server = undefined;
    }
  } catch (err) {
    out.error = (err as Error).stack ?? String(err);
  } finally {
    await scratch.remove();
    current = {};
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The report.

const ms = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');
const times = (a: number, b: number | undefined) => (b && Number.isFinite(a) && b > 0 ? `${(a / b).toFixed(1)}×` : '-');
const kb = (b: number) => (b >= 1024 ? `${(b / 1024).toFixed(1)} kB` : `${Math.round(b)} B`);
const cores = (v: number | undefined) => (v === undefined ? '-' : `${Math.round(v * 100)}%`);

function table(results: EngineResult[]) {
  const cols = ['engine', 'scenario', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'bytes/resp', 'p50 ÷ base', 'p99 ÷ base', '1-conn p50', 'Heard CPU', 'machine CPU'];
  const rows: string[][] = [];
  const breaks: number[] = [];
  for (const e of results) {
    if (rows.length) breaks.push(rows.length);
    const base = e.scenarios.find((s) => s.scenario === 'baseline');
    if (e.error && !e.scenarios.length) rows.push([e.engine, 'ERROR', ...cols.slice(2).map(() => '-')]);
    for (const s of e.scenarios) {
      const isBase = s.scenario === 'baseline';
      rows.push([
        e.engine,
        s.label,
        String(s.requests),
        s.reqPerSec.toFixed(0),
        ms(s.latencyMs.p50),
        ms(s.latencyMs.p90),
        ms(s.latencyMs.p99),
        ms(s.latencyMs.max),
        String(s.non2xx),
        kb(s.bytesPerResponse),
        isBase ? '1.0×' : times(s.latencyMs.p50, base?.latencyMs.p50),
        isBase ? '1.0×' : times(s.latencyMs.p99, base?.latencyMs.p99),
        ms(s.solo?.p50),
        cores(s.cpu.heard),
        cores(s.cpu.machine),
      ]);
    }
  }
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  const out = [line(cols), rule];
  rows.forEach((r, i) => {
    if (breaks.includes(i)) out.push(rule);
    out.push(line(r));
  });
  return out.join('\n');
}

async function main() {
  const engines = pickList<Engine>('BENCH_ENGINES', ['pglite', 'postgres'], process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
  if (engines.includes('postgres') && !process.env.DATABASE_URL) {
    console.error('BENCH_ENGINES=postgres needs DATABASE_URL');
    process.exit(2);
  }
  const wanted = pickList<ScenarioName>('BENCH_HELP_SCENARIOS', ALL_SCENARIOS.map((s) => s.name));
  const versions: Record<string, string> = { pglite: pgliteVersion() };
  if (process.env.DATABASE_URL) versions.postgres = await postgresVersion(process.env.DATABASE_URL);
  const css = stylesheet();
  const cpus = os.cpus();
  const busyBefore = await cpuBusy(1000);
  const header = [
    `Heard help-center benchmark: ${ARTICLES} articles, ${THREADS} community threads; ${CONCURRENCY} keep-alive connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS} s of warm-up` +
      (SOLO_SECONDS ? `, then ${SOLO_SECONDS} s over 1 connection` : ''),
    machineLine(),
    `PGlite ${versions.pglite} (file-backed, fresh temp dir)` + (versions.postgres ? ` · PostgreSQL ${versions.postgres} (fresh database)` : ' · PostgreSQL skipped (set DATABASE_URL to include it)'),
    `CPU busy before the run: ${Math.round(busyBefore * 100)}% of ${cpus.length} CPUs over 1 s, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}` +
      (busyBefore > 0.25 ? ' (other work shares these CPUs: figures will be low and noisy)' : ''),
    css.standIn
      ? `stylesheet: dist/help/help.css is not built in this checkout (no help-center build configuration), so the baseline serves a ${kb(css.bytes)} stand-in through the same route (/help/assets/help.css), and Heard is started through buildHeard() as \`heard start\` calls it, with helpAssetsDir pointing there`
      : `stylesheet: dist/help/help.css, ${kb(css.bytes)}, served by \`heard start\``,
  ];
  console.log(header.join('\n'));
  console.log('The load comes from this process; Heard runs in its own. Seeding is not measured.\n');

  const results: EngineResult[] = [];
  for (const engine of engines) results.push(await runEngine(engine, wanted, css));
  if (css.standIn) fs.rmSync(css.dir, { recursive: true, force: true });

  console.log('');
  console.log(table(results));
  console.log('');
  console.log('p50/p90/p99/max: latency of one request with all connections busy (queueing included); 1-conn p50: the same request alone over one connection.');
  console.log('Heard CPU: the server process\'s CPU time per second of the scenario (100% = one core); machine CPU: all processes\' (load generator, PostgreSQL, and anything else running).');
  for (const e of results) {
    const tagged = e.scenarios.filter((s) => s.scenario === 'search' || s.scenario === 'suggest');
    for (const s of tagged) {
      const parts = Object.entries(s.tags).map(([k, v]) => `${k} ${v.n} (${Math.round((v.found / Math.max(1, v.n)) * 100)}% found something)`);
      if (parts.length) console.log(`${e.engine} ${s.label}: queries ${parts.join(', ')}`);
    }
    if (e.heardPeakRss) console.log(`${e.engine}: Heard's peak RSS ${Math.round(e.heardPeakRss / 1024 / 1024)} MB; started in ${e.startSeconds?.toFixed(1)} s on the seeded database`);
  }

  const problems: string[] = [];
  for (const e of results) {
    if (e.error) problems.push(`${e.engine}: ${e.error}`);
    for (const s of e.scenarios) {
      if (s.non2xx || s.wrong) problems.push(`${e.engine} / ${s.label}: ${s.non2xx} failed, ${s.wrong} wrong answers, e.g.\n      ${s.errors.join('\n      ')}`);
    }
  }
  const report = {
    date: new Date().toISOString(),
    commit: commit(),
    ...machineFacts(),
    cpuBusyBefore: busyBefore,
    loadAverage: os.loadavg(),
    versions,
    settings: { concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, soloSeconds: SOLO_SECONDS, articles: ARTICLES, threads: THREADS, seed: SEED, analyze: ANALYZE ?? 'postgres only', stylesheet: css.standIn ? 'stand-in' : 'dist/help/help.css', stylesheetBytes: css.bytes },
    results,
    problems,
  };
  writeReport(path.join(here, 'results', 'helpcenter-latest.json'), report, problems);
  process.exit(problems.length ? 1 : 0);
}

if (process.argv[2] === 'seed') {
  process.once('disconnect', () => process.exit(1));
  process.once('message', async (job: SeedJob) => {
    try {
      const { seedHelpCenter } = await import('./helpcenter-seed.js');
      const result = await seedHelpCenter(job);
      process.send!({ ok: true, result }, () => process.exit(0));
    } catch (err) {
      process.send!({ ok: false, error: (err as Error).stack ?? String(err) }, () => process.exit(1));
    }
  });
} else if (process.argv[2] === 'serve') {
  await serve();
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
