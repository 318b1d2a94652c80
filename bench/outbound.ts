/**
 * `npm run bench:outbound`: how fast agents' replies leave by e-mail, beside a bare
 * Nodemailer send loop to the same SMTP server in the same run.
 *
 *   - baseline  Nodemailer's pooled transport (the inbox's connections) sending the
 *               messages from HEARD_OUTBOUND_CONCURRENCY loops, nothing stored
 *   - Heard     a real Heard on 127.0.0.1 (PGlite, and PostgreSQL with DATABASE_URL): the
 *               replies are POSTed to /api/v1/conversations/:id/messages over HTTP, all at
 *               once as a macro on many conversations would, and go their real way (stored
 *               → outbox → job → SMTP)
 *
 * The SMTP server is a local sink that answers each message after BENCH_OUTBOUND_LATENCY_MS
 * (100 ms), as a distant server does. A reply's time runs from its POST (the call, for the
 * baseline) to the sink's 250. Settings: BENCH_OUTBOUND_N (500), BENCH_OUTBOUND_LATENCY_MS,
 * BENCH_ENGINES. The report goes to bench/results/outbound-latest.json.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { buildHeard } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { Actor } from '../src/server/core/actor.js';
import { inTransaction } from '../src/server/core/context.js';
import { receiveEmail } from '../src/server/channels/email/receive.js';
import { createInbox } from '../src/server/domains/inboxes/service.js';
import { createToken } from '../src/server/domains/tokens/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { startSmtpSink } from '../test/helpers/smtp-sink.js';
import { commit, cpuBusy, intEnv, machineFacts, machineLine, pgliteVersion, pickList, postgresVersion, writeReport } from './machine.js';
import { createScratch, type Engine, scratchConfig } from './storage.js';
import { type Latency, percentiles } from './workload.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const N = intEnv('BENCH_OUTBOUND_N', 500, 1);
const LATENCY_MS = intEnv('BENCH_OUTBOUND_LATENCY_MS', 100, 0);
// Heard's defaults, so that the baseline sends as many at once over as many connections.
const defaults = loadConfig({});
const CONCURRENCY = defaults.HEARD_OUTBOUND_CONCURRENCY;
const CONNECTIONS = defaults.HEARD_OUTBOUND_CONNECTIONS_PER_INBOX;
// How many POSTs are in flight at once: the API answers each as soon as the reply is stored.
const CLIENTS = 16;

type Sink = Awaited<ReturnType<typeof startSmtpSink>>;
interface Result {
  label: string;
  sent: number;
  perSec: number;
  latency: Latency;
}

async function baseline(sink: Sink): Promise<Result> {
  const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: 100 });
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) {
          const i = next++;
          const t = performance.now();
          await mailer.sendMail({ from: 'support@bench.example', to: `customer${i}@buyer.example`, subject: `Re: Order ${i}`, text: `Order ${i} left the warehouse today.` });
          latencies.push(performance.now() - t);
        }
      }),
    );
  } finally {
    mailer.close();
  }
  return { label: 'baseline: Nodemailer pool', sent: latencies.length, perSec: latencies.length / ((performance.now() - t0) / 1000), latency: percentiles(latencies) };
}

async function heard(engine: Engine, sink: Sink): Promise<Result> {
  const scratch = await createScratch(engine);
  const config = scratchConfig(scratch, { HEARD_SMTP_PORT: '0', SMTP_URL: sink.url, HEARD_MAIL_DOMAIN: 'bench.example' });
  const h = await buildHeard({ config, smtpPort: false });
  try {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    await h.start();
    const url = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
    const { member, workspace } = await inTransaction(h.ctx, (tx) => ensureMember(tx, { workspaceName: 'Bench Outbound', email: 'agent@bench.example', password: 'correct horse battery', role: 'owner' }));
    const actor: Actor = { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: member.role, via: 'session', scopes: ['read', 'write', 'admin'] };
    const { token } = await inTransaction(h.ctx, (tx) => createToken(tx, actor, { name: 'bench', scopes: ['read', 'write', 'admin'] }));
    const inbox = await inTransaction(h.ctx, (tx) => createInbox(tx, actor, { name: 'Support', channel: 'email', address: 'support@bench.example' }));

    // Not measured: the customers' e-mails the replies answer.
    const conversations: string[] = [];
    await pool(N, 8, async (i) => {
      const raw = Buffer.from([`From: customer${i}@buyer.example`, 'To: support@bench.example', `Subject: Order ${i}`, `Message-ID: <order-${i}@buyer.example>`, '', `Where is order ${i}?`, ''].join('\r\n'));
      const r = await receiveEmail(h.ctx, h.app.files, { inboxId: inbox.id, raw, source: 'http' });
      conversations[i] = r.conversationId!;
    });

    const before = sink.received.length;
    const posted = new Map<string, number>();
    const t0 = performance.now();
    await pool(N, CLIENTS, async (i) => {
      const t = performance.now();
      const res = await fetch(`${url}/api/v1/conversations/${conversations[i]}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `Order ${i} left the warehouse today.` }),
      });
      if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
      posted.set(((await res.json()) as { id: string }).id, t);
    });
    const deadline = Date.now() + 10 * 60_000;
    while (sink.received.length - before < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const latencies: number[] = [];
    let last = t0;
    for (const m of sink.received.slice(before)) {
      // Our Message-IDs carry the message's id: m.<32 hex>.<mac>@domain.
      const hex = /^<?m\.([0-9a-f]{32})\./.exec(m.mail.messageId ?? '')?.[1];
      const id = hex && `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      const start = id ? posted.get(id) : undefined;
      if (start === undefined) continue;
      latencies.push(m.at - start);
      last = Math.max(last, m.at);
    }
    return { label: `Heard, ${engine}`, sent: latencies.length, perSec: latencies.length / ((last - t0) / 1000), latency: percentiles(latencies) };
  } finally {
    await h.close();
    await scratch.remove();
  }
}

async function pool(n: number, concurrency: number, each: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) await each(next++);
  }));
}

async function main() {
  const engines = pickList<Engine>('BENCH_ENGINES', ['pglite', 'postgres'], process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
  const versions: Record<string, string> = { pglite: pgliteVersion() };
  if (process.env.DATABASE_URL) versions.postgres = await postgresVersion(process.env.DATABASE_URL);
  const busyBefore = await cpuBusy(1000);
  console.log(`\nHeard outbound e-mail benchmark: ${N} replies, an SMTP server answering each after ${LATENCY_MS} ms`);
  console.log(`${machineLine()} · CPUs ${(busyBefore * 100).toFixed(0)}% busy before the run`);
  console.log(`HEARD_OUTBOUND_CONCURRENCY ${CONCURRENCY}, HEARD_OUTBOUND_CONNECTIONS_PER_INBOX ${CONNECTIONS}\n`);

  const results: Result[] = [];
  const problems: string[] = [];
  for (const run of [(s: Sink) => baseline(s), ...engines.map((e) => (s: Sink) => heard(e, s))]) {
    // A fresh sink for each part: its counts are that part's.
    const sink = await startSmtpSink({ latencyMs: LATENCY_MS });
    try {
      const r = await run(sink);
      results.push(r);
      if (r.sent !== N) problems.push(`${r.label}: ${r.sent} of ${N} replies arrived`);
      console.log(`${r.label.padEnd(28)} ${r.perSec.toFixed(1).padStart(7)} replies/s   p50 ${r.latency.p50.toFixed(0).padStart(6)} ms   p95 ${r.latency.p95.toFixed(0).padStart(6)} ms   ${sink.stats.connections} connections`);
    } finally {
      await sink.close();
    }
  }
  writeReport(path.join(here, 'results', 'outbound-latest.json'), { commit: commit(), machine: machineFacts(), versions, cpuBusyBefore: busyBefore, settings: { N, LATENCY_MS, CONCURRENCY, CONNECTIONS, CLIENTS }, results }, problems);
  process.exit(problems.length ? 1 : 0);
}

await main();
