/**
 * `npm run bench:rules`: what automation rules cost per ingested message. One real Heard
 * per engine (PGlite, and PostgreSQL with DATABASE_URL) on 127.0.0.1 takes customer
 * messages over HTTP (POST /api/v1/inboxes/:id/messages) until the outbox dispatcher has
 * handed every event to its processors, first with no rules, then with 50 enabled rules
 * on new customer messages (45 whose conditions miss, 5 that tag the conversation), in the
 * same run. Settings: BENCH_RULES_N (messages per part, 1000), BENCH_ENGINES. The report
 * goes to bench/results/rules-latest.json.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHeard, type Heard } from '../src/server/app.js';
import type { Actor } from '../src/server/core/actor.js';
import { inTransaction } from '../src/server/core/context.js';
import { createInbox } from '../src/server/domains/inboxes/service.js';
import { createRule } from '../src/server/domains/rules/service.js';
import { createToken } from '../src/server/domains/tokens/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { commit, cpuBusy, intEnv, machineFacts, machineLine, pgliteVersion, pickList, postgresVersion, writeReport } from './machine.js';
import { createScratch, type Engine, scratchConfig } from './storage.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const N = intEnv('BENCH_RULES_N', 1000, 1);
const RULES = 50;
const CLIENTS = 16;

interface Result {
  label: string;
  messages: number;
  perSec: number;
  firings: number;
}

async function pool(n: number, concurrency: number, each: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) await each(next++);
  }));
}

/** N messages in, from their first POST until the dispatcher has delivered every event they made. */
async function ingest(h: Heard, url: string, token: string, inboxId: string, part: string): Promise<number> {
  const t0 = performance.now();
  await pool(N, CLIENTS, async (i) => {
    const res = await fetch(`${url}/api/v1/inboxes/${inboxId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        contact: { email: `customer${i}@buyer${i % 7}.example`, name: `Customer ${i}` },
        subject: i % 10 === 0 ? `Refund for order ${i}` : `Question ${i}`,
        text: `Hello, about order ${i}: where is it?`,
        clientMessageId: `${part}-${i}`,
      }),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
  });
  for (;;) {
    const { rows: [{ n }] } = await h.ctx.database.raw.query<{ n: number }>('select count(*)::int as n from events where dispatched_at is null');
    if (n === 0) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return N / ((performance.now() - t0) / 1000);
}

async function run(engine: Engine): Promise<Result[]> {
  const scratch = await createScratch(engine);
  const config = scratchConfig(scratch);
  const h = await buildHeard({ config, smtpPort: false, pollMs: 50 });
  try {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    await h.start();
    const url = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
    const { member, workspace } = await inTransaction(h.ctx, (tx) => ensureMember(tx, { workspaceName: 'Bench Rules', email: 'admin@bench.example', password: 'correct horse battery', role: 'owner' }));
    const actor: Actor = { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: member.role, via: 'session', scopes: ['read', 'write', 'admin'] };
    const { token } = await inTransaction(h.ctx, (tx) => createToken(tx, actor, { name: 'bench', scopes: ['read', 'write', 'admin'] }));
    // No reply is sent in this run: the callback is never called.
    const inbox = await inTransaction(h.ctx, (tx) => createInbox(tx, actor, { name: 'API', channel: 'api', callbackUrl: 'https://integration.example.com/heard-callback' }));

    const none = await ingest(h, url, token, inbox.id, 'none');
    for (let i = 0; i < RULES; i++) {
      const hits = i % 10 === 0;
      await inTransaction(h.ctx, (tx) =>
        createRule(tx, actor, {
          name: `Rule ${i}`,
          enabled: true,
          trigger: 'message.received',
          conditions: {
            match: 'all',
            conditions: hits
              ? [{ field: 'subject', operator: 'contains', value: 'refund' }]
              : [
                  { field: 'contact.domain', operator: 'is', value: `nowhere${i}.example` },
                  { field: 'text', operator: 'contains', value: `never-said-${i}` },
                ],
          },
          actions: [{ type: 'add_tags', tags: [`rule-${i}`] }],
        }),
      );
    }
    const fifty = await ingest(h, url, token, inbox.id, 'fifty');
    const { rows: [{ n: firings }] } = await h.ctx.database.raw.query<{ n: number }>('select count(*)::int as n from rule_firings');
    return [
      { label: `${engine}, no rules`, messages: N, perSec: none, firings: 0 },
      { label: `${engine}, ${RULES} rules`, messages: N, perSec: fifty, firings },
    ];
  } finally {
    await h.close();
    await scratch.remove();
  }
}

async function main() {
  const engines = pickList<Engine>('BENCH_ENGINES', ['pglite', 'postgres'], process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
  const versions: Record<string, string> = { pglite: pgliteVersion() };
  if (process.env.DATABASE_URL) versions.postgres = await postgresVersion(process.env.DATABASE_URL);
  const busyBefore = await cpuBusy(1000);
  console.log(`\nHeard rules benchmark: ${N} customer messages with no rules, then ${N} with ${RULES} rules on new customer messages`);
  console.log(`${machineLine()} · CPUs ${(busyBefore * 100).toFixed(0)}% busy before the run\n`);
  const results: Result[] = [];
  const problems: string[] = [];
  for (const engine of engines) {
    for (const r of await run(engine)) {
      results.push(r);
      console.log(`${r.label.padEnd(22)} ${r.perSec.toFixed(1).padStart(8)} messages/s (ingested and dispatched)   ${r.firings} firings`);
    }
    const [none, fifty] = results.slice(-2);
    // One in ten subjects is a refund, and 5 of the 50 rules fire on each of those.
    if (fifty.firings !== (N / 10) * 5) problems.push(`${engine}: ${fifty.firings} firings, expected ${(N / 10) * 5}`);
    console.log(`${''.padEnd(22)} ${((fifty.perSec / none.perSec) * 100).toFixed(0).padStart(7)}% of the throughput without rules\n`);
  }
  writeReport(path.join(here, 'results', 'rules-latest.json'), { commit: commit(), machine: machineFacts(), versions, cpuBusyBefore: busyBefore, settings: { N, RULES, CLIENTS }, results }, problems);
  process.exit(problems.length ? 1 : 0);
}

await main();
