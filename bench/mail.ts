/**
 * `npm run bench` (second half): e-mails per second through the built-in SMTP listener,
 * beside two baselines measured in the same run, on PGlite and (with DATABASE_URL) on
 * PostgreSQL, each part in a fresh process on a fresh database:
 *   - smtp     a real Heard with its SMTP listener on 127.0.0.1; a sender in another
 *              process delivers the mix over BENCH_MAIL_CONCURRENCY connections and counts
 *              a message when the listener answers 250 (stored, committed)
 *   - parse    the same messages through the mail parser's worker threads only
 *   - insert   the rows for the same messages (contact, identity, conversation, message,
 *              events) with plain INSERTs, one transaction per message
 * Settings: BENCH_MAIL_N (default 600), BENCH_MAIL_CONCURRENCY (default 8), BENCH_SEED,
 * BENCH_ENGINES, BENCH_MAIL_PARTS (comma-separated subset of smtp, parse, insert). The mix is in mail-workload.ts.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildHeard } from '../src/server/app.js';
import { loadConfig, type Config } from '../src/server/config.js';
import type { Actor } from '../src/server/core/actor.js';
import { inTransaction, type Ctx } from '../src/server/core/context.js';
import { openDatabase } from '../src/server/db/client.js';
import { MailParser } from '../src/server/channels/email/parser-pool.js';
import { createInbox } from '../src/server/domains/inboxes/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { baselineWriter } from './baseline.js';
import { cpuTotals } from './machine.js';
import { type BenchMail, MAIL_TO, MailMix } from './mail-workload.js';
import { SmtpSender, stuff } from './smtp-sender.js';
import { createScratch, type Engine } from './storage.js';
import { percentiles, type Latency } from './workload.js';

const self = fileURLToPath(import.meta.url);
const N = Number(process.env.BENCH_MAIL_N ?? 600);
const CONCURRENCY = Number(process.env.BENCH_MAIL_CONCURRENCY ?? 8);
const SEED = Number(process.env.BENCH_SEED ?? 20261123);
const WARMUP = Math.max(20, Math.round(N * 0.05));

type Part = 'smtp' | 'parse' | 'insert';
interface Job {
  part: Part;
  dataDir?: string;
  databaseUrl?: string;
}
interface Result {
  messages: number;
  failed: number;
  perSec: number;
  latency: Latency;
  mb: number;
  peakRss: number;
  firstFailure?: string;
  /** CPU time per stored mail in the measured window, ms: the part's own process (Heard, with its parser threads) and every process on the machine. */
  cpu?: { own: number; machine: number };
}

/** CPU readings at the start of the measured window, to turn into ms per mail at its end. */
function cpuWindow() {
  const own = process.cpuUsage();
  const machine = cpuTotals();
  return (mails: number) => {
    const o = process.cpuUsage(own);
    const m = cpuTotals();
    return { own: (o.user + o.system) / 1000 / mails, machine: (m.total - machine.total - (m.idle - machine.idle)) / mails };
  };
}

async function mailsFor(prefix: string, n: number) {
  const mix = new MailMix(SEED, prefix);
  const out: BenchMail[] = [];
  for (let i = 0; i < n; i++) out.push(await mix.next());
  return out;
}

/** Runs `send` over `mails`, `concurrency` at a time, timing each. */
async function drive(mails: BenchMail[], concurrency: number, send: (m: BenchMail) => Promise<void>) {
  const latencies: number[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < mails.length) {
        const m = mails[next++];
        const t = performance.now();
        try {
          await send(m);
          latencies.push(performance.now() - t);
        } catch (err) {
          failed++;
          firstFailure ??= (err as Error).message;
        }
      }
    }),
  );
  const elapsed = performance.now() - t0;
  const bytes = mails.reduce((a, m) => a + m.raw.length, 0);
  return { messages: mails.length, failed, perSec: (mails.length - failed) / (elapsed / 1000), latency: percentiles(latencies), mb: bytes / 1024 / 1024, firstFailure };
}

function config(job: Job, smtpPort = 0): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    HEARD_DATA_DIR: job.dataDir,
    DATABASE_URL: job.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    HEARD_SMTP_HOST: '127.0.0.1',
    HEARD_SMTP_PORT: String(smtpPort),
  });
}

async function owner(ctx: Ctx): Promise<Actor> {
  const { member, workspace } = await inTransaction(ctx, (tx) => ensureMember(tx, { workspaceName: 'Bench Mail', email: 'owner@bench.example', password: 'correct horse battery', role: 'owner' }));
  return { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: member.role, via: 'session', scopes: ['read', 'write', 'admin'] };
}

async function runPart(job: Job): Promise<Result> {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    if (job.part === 'parse') {
      const parser = new MailParser(60_000);
      try {
        await drive(await mailsFor('w', WARMUP), CONCURRENCY, async (m) => void (await parser.parse(m.raw)));
        const mails = await mailsFor('p', N);
        const cpu = cpuWindow();
        const r = await drive(mails, CONCURRENCY, async (m) => void (await parser.parse(m.raw)));
        return { ...r, peakRss, cpu: cpu(r.messages - r.failed) };
      } finally {
        await parser.close();
      }
    }
    if (job.part === 'insert') {
      const cfg = config(job);
      const database = await openDatabase({ databaseUrl: cfg.DATABASE_URL, dataDir: cfg.DATABASE_URL ? undefined : `${cfg.dataDir}/db` });
      await database.migrate();
      try {
        const ctx: Ctx = { config: cfg, database, db: database.db, secret: 'bench', kick: () => undefined, retryBaseMs: 30_000 };
        const actor = await owner(ctx);
        const inbox = await inTransaction(ctx, (tx) => createInbox(tx, actor, { name: 'Mail', channel: 'email', address: MAIL_TO }));
        const write = baselineWriter(database, actor.workspaceId, inbox.id, 'tx');
        // A sender's first message makes the contact and conversation; later ones wait for it and write into them.
        const known = new Map<string, Promise<{ contactId?: string; conversationId?: string }>>();
        const send = async (m: BenchMail) => {
          const contact = { externalId: m.from, name: '', email: m.from };
          const text = m.raw.toString('latin1', 0, 2000);
          const first = known.get(m.from);
          if (!first) {
            const ids = write({ kind: 'new', contact, text, clientMessageId: m.messageId });
            known.set(m.from, ids);
            await ids;
            return;
          }
          await write({ kind: 'follow-up', contact, text, clientMessageId: m.messageId, known: { contact, ...(await first) } });
        };
        await drive(await mailsFor('w', WARMUP), 1, send);
        const mails = await mailsFor('p', N);
        const cpu = cpuWindow();
        const r = await drive(mails, CONCURRENCY, send);
        return { ...r, peakRss, cpu: cpu(r.messages - r.failed) };
      } finally {
        await database.close();
      }
    }
    // smtp: a whole Heard, fed by a sender in another process.
    const heard = await buildHeard({ config: config(job), smtpPort: 0 });
    try {
      await heard.start();
      const actor = await owner(heard.ctx);
      await inTransaction(heard.ctx, (tx) => createInbox(tx, actor, { name: 'Mail', channel: 'email', address: MAIL_TO }));
      let cpu: ReturnType<typeof cpuWindow> | undefined;
      const load = await new Promise<Omit<Result, 'peakRss'>>((resolve, reject) => {
        const child = fork(self, ['load'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        // The sender says when its measured window starts (after the warm-up), then sends its result.
        child.on('message', (m) => {
          if (m === 'measuring') cpu = cpuWindow();
          else resolve(m as Omit<Result, 'peakRss'>);
        });
        child.once('exit', (code) => reject(new Error(`the SMTP sender exited with ${code}`)));
        child.send({ port: heard.smtp!.port });
      });
      return { ...load, peakRss, cpu: cpu?.(load.messages - load.failed) };
    } finally {
      await heard.close();
    }
  } finally {
    clearInterval(sampler);
  }
}

/** The sender: SMTP connections to the listener, one message at a time on each (a lean client: smtp-sender.ts). */
async function runLoad(port: number) {
  const senders = await Promise.all(Array.from({ length: CONCURRENCY }, () => SmtpSender.connect(port)));
  const free = [...senders];
  const stuffed = new Map<BenchMail, Buffer>();
  const prepare = async (prefix: string, n: number) => {
    const mails = await mailsFor(prefix, n);
    for (const m of mails) stuffed.set(m, stuff(m.raw));
    return mails;
  };
  const send = async (m: BenchMail) => {
    const s = free.pop()!;
    try {
      await s.send(m.from, MAIL_TO, stuffed.get(m)!);
    } finally {
      free.push(s);
    }
  };
  await drive(await prepare('w', WARMUP), CONCURRENCY, send);
  const mails = await prepare('p', N);
  process.send!('measuring');
  const result = await drive(mails, CONCURRENCY, send);
  for (const s of senders) s.close();
  return result;
}

async function main() {
  const engines: Engine[] = (process.env.BENCH_ENGINES?.split(',') as Engine[] | undefined) ?? (process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
  const sample = await mailsFor('p', N);
  const kinds = sample.reduce<Record<string, number>>((a, m) => ({ ...a, [m.kind]: (a[m.kind] ?? 0) + 1 }), {});
  const mb = sample.reduce((a, m) => a + m.raw.length, 0) / 1024 / 1024;
  console.log(`\nHeard e-mail benchmark: ${N} messages per part (+${WARMUP} warm-up), ${CONCURRENCY} at a time, ${mb.toFixed(1)} MB in all`);
  console.log(`mix: ${Object.entries(kinds).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  const rows: string[][] = [];
  const parts: { part: Part; label: string }[] = [
    { part: 'smtp', label: 'SMTP listener → stored' },
    { part: 'parse', label: 'baseline: parse only' },
    { part: 'insert', label: 'baseline: plain INSERTs' },
  ];
  const only = process.env.BENCH_MAIL_PARTS?.split(',');
  let failed = false;
  // mails/s by engine and part, for the ratios under the table.
  const rate = new Map<string, number>();
  for (const engine of engines) {
    for (const p of parts.filter((x) => !only || only.includes(x.part))) {
      // Parsing touches no database: measured once.
      if (p.part === 'parse' && engine !== engines[0]) continue;
      const scratch = await createScratch(engine);
      try {
        const r = await new Promise<{ ok: boolean; result?: Result; error?: string }>((resolve) => {
          const child = fork(self, ['part'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          child.once('message', (m) => resolve(m as { ok: boolean; result?: Result; error?: string }));
          child.once('exit', (code) => resolve({ ok: false, error: `exited with ${code}` }));
          child.send({ part: p.part, dataDir: scratch.dataDir, databaseUrl: scratch.databaseUrl } satisfies Job);
        });
        if (!r.ok || !r.result) {
          failed = true;
          rows.push([p.part === 'parse' ? '-' : engine, p.label, 'ERROR', r.error ?? '', '', '', '', '', '']);
          continue;
        }
        const x = r.result;
        if (x.failed) failed = true;
        rate.set(p.part === 'parse' ? 'parse' : `${engine}:${p.part}`, x.perSec);
        rows.push([
          p.part === 'parse' ? '(none)' : engine,
          p.label,
          x.perSec.toFixed(0),
          x.latency.p50.toFixed(1),
          x.latency.p95.toFixed(1),
          `${Math.round(x.peakRss / 1024 / 1024)} MB`,
          x.cpu ? x.cpu.own.toFixed(1) : '',
          x.cpu ? x.cpu.machine.toFixed(1) : '',
          x.failed ? `${x.failed}: ${(x.firstFailure ?? '').split('\n')[0].slice(0, 100)}` : '0',
        ]);
      } finally {
        await scratch.remove();
      }
    }
  }
  const cols = ['engine', 'part', 'mails/s', 'p50 ms', 'p95 ms', 'peak RSS', 'CPU ms/mail', 'machine CPU ms/mail', 'failed'];
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ');
  console.log(line(cols));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  // Against the plain rows alone, and against the work no intake can skip: parsing the mail,
  // then writing its rows, one after the other (1 / (1/parse + 1/insert)).
  const parse = rate.get('parse');
  for (const engine of engines) {
    const smtp = rate.get(`${engine}:smtp`);
    const insert = rate.get(`${engine}:insert`);
    if (!smtp || !insert) continue;
    const pct = (x: number) => `${Math.round((100 * smtp) / x)} %`;
    const floor = parse ? 1 / (1 / parse + 1 / insert) : undefined;
    console.log(`\n${engine}: SMTP intake is ${pct(insert)} of the plain INSERTs${floor ? `, ${pct(floor)} of parse-then-INSERTs in series (${floor.toFixed(0)} mails/s)` : ''}`);
  }
  console.log('\nCPU ms/mail: the CPU time of the process that ran the part (Heard with its parser threads, or the baseline), per mail stored in the measured window; machine CPU: every process on the machine (the sender and PostgreSQL included) over the same window.');
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[2] === 'part') {
  process.once('message', async (job: Job) => {
    try {
      process.send!({ ok: true, result: await runPart(job) }, () => process.exit(0));
    } catch (err) {
      process.send!({ ok: false, error: (err as Error).stack }, () => process.exit(1));
    }
  });
} else if (process.argv[2] === 'load') {
  process.once('message', async ({ port }: { port: number }) => {
    const r = await runLoad(port);
    process.send!(r, () => process.exit(0));
  });
} else {
  await main();
}
