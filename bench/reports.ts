/**
 * `npm run bench:reports`: how fast each report answers on a large history. One Heard on a
 * scratch PostgreSQL database (DATABASE_URL) gets 100,000 and then 1,000,000 conversations
 * with their facts, spread over the last year (seeded with generate_series in SQL: the API
 * would take hours), and asks each report BENCH_REPORTS_RUNS times through its route
 * (app.inject: routing, validation and serialization included), beside a plain
 * `select count(*)` of the same rows. Settings: BENCH_REPORTS_SIZES (100000,1000000),
 * BENCH_REPORTS_RUNS (20). The report goes to bench/results/reports-latest.json.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHeard } from '../src/server/app.js';
import type { Actor } from '../src/server/core/actor.js';
import { inTransaction } from '../src/server/core/context.js';
import { createInbox } from '../src/server/domains/inboxes/service.js';
import { rebuildRollups } from '../src/server/domains/reports/rollup.js';
import { createToken } from '../src/server/domains/tokens/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { commit, intEnv, machineFacts, machineLine, postgresVersion, writeReport } from './machine.js';
import { createScratch, scratchConfig } from './storage.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = intEnv('BENCH_REPORTS_RUNS', 20, 1);
const SIZES = (process.env.BENCH_REPORTS_SIZES ?? '100000,1000000').split(',').map(Number).sort((a, b) => a - b);
const TARGET_MS = 500;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10;
};

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('bench:reports runs on PostgreSQL: set DATABASE_URL (1M conversations on PGlite take too long to seed here)');
  console.log(machineLine());
  const scratch = await createScratch('postgres');
  const heard = await buildHeard({ config: scratchConfig(scratch), roles: ['web'], smtpPort: false });
  const raw = heard.ctx.database.raw;
  const problems: string[] = [];
  const results: Record<string, unknown>[] = [];
  try {
    const { workspace, member } = await inTransaction(heard.ctx, (tx) => ensureMember(tx, { workspaceName: 'Bench Co', email: 'bench@example.test', password: 'correct horse battery', role: 'owner' }));
    const actor: Actor = { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: 'owner', via: 'session', scopes: ['read', 'write', 'admin'] };
    const inbox = await inTransaction(heard.ctx, (tx) => createInbox(tx, actor, { name: 'Bench', channel: 'email', address: 'support@bench.example' }));
    const { token } = await inTransaction(heard.ctx, (tx) => createToken(tx, actor, { name: 'bench', scopes: ['read'] }));
    const headers = { authorization: `Bearer ${token}` };
    const {
      rows: [contact],
    } = await raw.query<{ id: string }>(`insert into contacts (id, workspace_id, name) values (gen_random_uuid(), $1, 'Bench customer') returning id`, [workspace.id]);
    const teams = Array.from({ length: 4 }, () => crypto.randomUUID());
    const agents = Array.from({ length: 12 }, () => crypto.randomUUID());

    let seeded = 0;
    for (const size of SIZES) {
      const t0 = performance.now();
      // Conversations spread over the last 365 days, then their facts: answered after up to 10 hours
      // (one in ten not yet), solved after up to 50 hours (one in seven not yet), one in five rated.
      await raw.query(
        `insert into conversations (id, workspace_id, number, inbox_id, contact_id, subject, status, created_at, last_message_at)
         select gen_random_uuid(), $1, g, $2, $3, 'Question ' || g, case when g % 7 = 0 then 'open' else 'solved' end::conversation_status, t, t
           from generate_series($4::int + 1, $5::int) g,
                lateral (select now() - make_interval(mins => ((g::bigint * 7919) % 525600)::int) as t) x`,
        [workspace.id, inbox.id, contact.id, seeded, size],
      );
      await raw.query(
        `insert into conversation_facts (conversation_id, workspace_id, number, created_at, channel, inbox_id, team_id, assignee_id, tags,
                                         first_response_at, first_response_minutes, solved_at, resolution_minutes, reopen_count, pending_rounds,
                                         sla_met, sla_missed, csat_rating, rated_at)
         select c.id, c.workspace_id, c.number, c.created_at,
                (array['email','widget','api','portal','phone'])[1 + c.number % 5], c.inbox_id,
                case when c.number % 5 = 4 then null else ($3::uuid[])[1 + c.number % 4] end,
                case when c.number % 13 = 0 then null else ($4::uuid[])[1 + c.number % 12] end,
                array[(array['billing','refund','shipping','bug','login','feedback'])[1 + c.number % 6]],
                case when c.number % 10 <> 0 then c.created_at + make_interval(mins => c.number % 600) end,
                case when c.number % 10 <> 0 then (c.number % 600)::float end,
                case when c.number % 7 <> 0 then c.created_at + make_interval(mins => c.number % 3000) end,
                case when c.number % 7 <> 0 then (c.number % 3000)::float end,
                (c.number % 20 = 0)::int, c.number % 3, (c.number % 4 <> 0)::int, (c.number % 4 = 0)::int,
                case when c.number % 5 = 0 and c.number % 7 <> 0 then (array['good','okay','bad'])[1 + c.number % 3] end,
                case when c.number % 5 = 0 and c.number % 7 <> 0 then c.created_at + make_interval(mins => c.number % 3000 + 60) end
           from conversations c where c.workspace_id = $1 and c.number > $2`,
        [workspace.id, seeded, teams, agents],
      );
      const t1 = performance.now();
      // The day rollups as `heard reports rebuild` makes them (a running Heard keeps them as facts change).
      await rebuildRollups(heard.ctx.db);
      await raw.exec('analyze conversations; analyze conversation_facts; analyze report_daily; analyze report_times');
      seeded = size;
      const seedS = Math.round((t1 - t0) / 100) / 10;
      const rollupS = Math.round((performance.now() - t1) / 100) / 10;
      console.log(`\n${size.toLocaleString('en')} conversations (seeded in ${seedS} s, day rollups rebuilt in ${rollupS} s)`);

      const today = new Date().toISOString().slice(0, 10);
      const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
      const cases: { name: string; url: string; count: string; values: unknown[] }[] = [
        { name: 'overview, last 30 days', url: 'overview', count: `created_at >= now() - interval '60 days'`, values: [] },
        { name: 'overview, last 30 days, team filter', url: `overview?teamId=${teams[0]}`, count: `created_at >= now() - interval '60 days' and team_id = '${teams[0]}'`, values: [] },
        { name: 'overview by hour, last 7 days', url: `overview?by=hour&from=${new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10)}`, count: `created_at >= now() - interval '14 days'`, values: [] },
        { name: 'breakdown by team, last 30 days', url: 'breakdown?dimension=team', count: `created_at >= now() - interval '30 days'`, values: [] },
        { name: 'breakdown by tag, last 30 days', url: 'breakdown?dimension=tag', count: `created_at >= now() - interval '30 days'`, values: [] },
        { name: 'satisfaction, last 30 days', url: 'satisfaction', count: `rated_at >= now() - interval '30 days'`, values: [] },
        { name: 'overview, a whole year', url: `overview?from=${yearAgo}&to=${today}`, count: `true`, values: [] },
        { name: 'overview, a whole year, tag filter', url: `overview?from=${yearAgo}&to=${today}&tag=refund`, count: `'refund' = any(tags)`, values: [] },
        { name: 'overview, 30 days, team and tag', url: `overview?teamId=${teams[0]}&tag=refund`, count: `created_at >= now() - interval '60 days' and team_id = '${teams[0]}' and 'refund' = any(tags)`, values: [] },
        { name: 'breakdown by agent, a whole year', url: `breakdown?dimension=agent&from=${yearAgo}&to=${today}`, count: `true`, values: [] },
      ];
      for (const c of cases) {
        const times: number[] = [];
        const counts: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const t = performance.now();
          const res = await heard.app.inject({ url: `/api/v1/reports/${c.url}`, headers });
          times.push(performance.now() - t);
          if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode} ${res.body}`);
          const u = performance.now();
          await raw.query(`select count(*) from conversation_facts where workspace_id = $1 and ${c.count}`, [workspace.id]);
          counts.push(performance.now() - u);
        }
        const r = { size, report: c.name, p50: pct(times, 50), p95: pct(times, 95), countP50: pct(counts, 50), countP95: pct(counts, 95) };
        results.push(r);
        console.log(`  ${c.name.padEnd(40)} p50 ${String(r.p50).padStart(7)} ms  p95 ${String(r.p95).padStart(7)} ms   count(*) p50 ${String(r.countP50).padStart(7)} ms  p95 ${String(r.countP95).padStart(7)} ms`);
        if (size >= 1_000_000 && r.p95 > TARGET_MS) problems.push(`${c.name} at ${size.toLocaleString('en')}: p95 ${r.p95} ms is over ${TARGET_MS} ms`);
      }
    }
    const versions = { postgres: await postgresVersion(process.env.DATABASE_URL) };
    writeReport(path.join(here, 'results', 'reports-latest.json'), { commit: commit(), machine: machineFacts(), versions, settings: { RUNS, SIZES }, results }, problems);
  } finally {
    await heard.close();
    await scratch.remove();
  }
}

await main();
