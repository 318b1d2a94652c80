/**
 * `npm run bench:scale`: the agent app's busiest reads on a large workspace. One Heard gets
 * 100,000 conversations on PGlite and, with DATABASE_URL, 1,000,000 on PostgreSQL, each with
 * five messages (seeded with generate_series in SQL: the API would take hours), then answers
 * GET /views (the rail's counts), conversation search (a frequent word, a rare one, one
 * found nowhere, two common words) and contact search (part of a name, part of an address)
 * through its routes (app.inject: routing, authentication, validation and serialization
 * included), BENCH_SCALE_RUNS times one after another and again from 8 callers at once.
 * Beside them, in the same run: a select of one conversation by primary key, and GET /me.
 * Settings: BENCH_SCALE_SIZES ("pglite:100000,postgres:1000000"; a size alone means both),
 * BENCH_SCALE_RUNS (40), BENCH_SCALE_CONCURRENCY (8), BENCH_ENGINES, BENCH_SCALE_KEEP=1 (keep the
 * PostgreSQL database and print its URL, to look at plans afterwards), BENCH_SCALE_REUSE=<that URL>
 * (measure it again without seeding).
 * The report goes to bench/results/scale-latest.json.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHeard } from '../src/server/app.js';
import type { Actor } from '../src/server/core/actor.js';
import { inTransaction } from '../src/server/core/context.js';
import { foldViewCounts } from '../src/server/domains/conversations/views.js';
import { createInbox } from '../src/server/domains/inboxes/service.js';
import { createTeam } from '../src/server/domains/teams/service.js';
import { createToken } from '../src/server/domains/tokens/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { commit, intEnv, machineFacts, machineLine, pgliteVersion, pickList, postgresVersion, writeReport } from './machine.js';
import { createScratch, type Engine, type Scratch, scratchConfig } from './storage.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = intEnv('BENCH_SCALE_RUNS', 40, 1);
const CONCURRENCY = intEnv('BENCH_SCALE_CONCURRENCY', 8, 1);
const ENGINES = pickList<Engine>('BENCH_ENGINES', ['pglite', 'postgres'], process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
/** Keep the seeded PostgreSQL database, to look at plans with EXPLAIN afterwards (drop it yourself). */
const KEEP = process.env.BENCH_SCALE_KEEP === '1';
/** The URL a kept run printed: measure that database again, without seeding (the current code migrates it first). */
const REUSE = process.env.BENCH_SCALE_REUSE;
const TARGETS: Record<string, number> = { views: 30, search: 100, contacts: 50 };

function sizeFor(engine: Engine) {
  const raw = process.env.BENCH_SCALE_SIZES ?? 'pglite:100000,postgres:1000000';
  for (const part of raw.split(',')) {
    const [a, b] = part.split(':');
    if (b === undefined && Number(a) > 0) return Number(a);
    if (a === engine && Number(b) > 0) return Number(b);
  }
  throw new Error(`BENCH_SCALE_SIZES names no size for ${engine}: "${raw}"`);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10;
};

/**
 * The words of the seeded text, most frequent first: a word's share of draws falls as 1/rank
 * (log-uniform ranks), as in real text. The first are support words; the rest are made up.
 */
const COMMON = ['order', 'please', 'help', 'refund', 'shipping', 'account', 'invoice', 'password', 'delivery', 'payment', 'thanks', 'problem', 'login', 'package', 'price', 'subscription', 'cancel', 'email', 'address', 'return'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'to', 'vas', 'pel', 'dor', 'fi', 'gun', 'har', 'zen', 'qua', 'bri', 'sol', 'tem'];
const VOCABULARY = [...COMMON, ...Array.from({ length: 3000 - COMMON.length }, (_, i) => SYLLABLES[i % 16] + SYLLABLES[Math.floor(i / 16) % 16] + SYLLABLES[Math.floor(i / 256) % 16])];
/** In one message of 20,011. */
const RARE = 'zanzibar';
const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Lukas', 'Mara', 'Noah', 'Olga', 'Paul', 'Rosa', 'Samir', 'Tara', 'Uwe', 'Vera', 'Wim', 'Yara', 'Zoe'];
const LAST = ['Schmidt', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Rossi', 'Dubois', 'Novak', 'Kowalski', 'Jensen', 'Silva', 'Garcia', 'Müller', 'Weber', 'Fischer', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Lange', 'Krause', 'Braun', 'Keller', 'Vogel', 'Frank', 'Berger', 'Roth', 'Haas', 'Sommer'];

/** One word drawn from VOCABULARY (the query's parameter `p`), log-uniform by rank. */
const word = (p: string) => `(${p}::text[])[1 + least(floor(exp(random() * ln(array_length(${p}::text[], 1))))::int - 1, array_length(${p}::text[], 1) - 1)]`;

async function seed(raw: { query: (t: string, v?: unknown[]) => Promise<unknown>; exec: (t: string) => Promise<void> }, ws: string, size: number, ids: { inboxes: string[]; teams: string[]; agents: string[]; member: string }) {
  const contacts = Math.max(100, Math.floor(size / 10));
  const t0 = performance.now();
  await raw.query(
    `insert into contacts (id, workspace_id, name, created_at, updated_at)
     select gen_random_uuid(), $1, ($2::text[])[1 + g % array_length($2::text[], 1)] || ' ' || ($3::text[])[1 + (g / array_length($2::text[], 1)) % array_length($3::text[], 1)],
            now() - make_interval(mins => g), now()
       from generate_series(1, $4::int) g`,
    [ws, FIRST, LAST, contacts],
  );
  await raw.exec(`create table bench_contacts as select id, name, row_number() over (order by created_at desc, id) as rn from contacts`);
  await raw.exec(`create index on bench_contacts (rn)`);
  await raw.query(
    `insert into contact_identities (id, workspace_id, contact_id, kind, value)
     select gen_random_uuid(), $1, id, 'email', lower(replace(name, ' ', '.')) || '.' || rn || '@example.com' from bench_contacts`,
    [ws],
  );
  // Text indexes are built once after the rows are in: faster than growing them row by row.
  const dropped: string[] = [];
  for (const name of ['messages_search_idx', 'messages_conversation_idx', 'conversations_search_idx']) {
    const [{ def }] = ((await raw.query(`select pg_get_indexdef($1::regclass) as def`, [name])) as { rows: { def: string }[] }).rows;
    dropped.push(def);
    await raw.exec(`drop index ${name}`);
  }
  const batch = 100_000;
  for (let lo = 1; lo <= size; lo += batch) {
    const hi = Math.min(size, lo + batch - 1);
    await raw.query(
      `insert into conversations (id, workspace_id, number, inbox_id, contact_id, subject, status, priority, assignee_id, team_id, tags,
                                  last_message_at, last_inbound_at, waiting_since, snoozed_until, sla_due_at, created_at, updated_at)
       select gen_random_uuid(), $2, g, ($3::uuid[])[1 + g % 3], bc.id,
              array_to_string(array(select ${word('$9')} from generate_series(1, 3 + g % 3)), ' '),
              x.status::conversation_status,
              (array['low','normal','normal','normal','high','urgent'])[1 + g % 6]::conversation_priority,
              case when g % 3 = 0 then null else ($5::uuid[])[1 + g % array_length($5::uuid[], 1)] end,
              case when g % 5 = 0 then null else ($4::uuid[])[1 + g % array_length($4::uuid[], 1)] end,
              array[(array['billing','refund','shipping','bug','login','vip'])[1 + g % 6]],
              x.at, x.at, case when x.status = 'open' then x.at end,
              case when x.status = 'open' and g % 97 = 0 then now() + make_interval(hours => 1 + g % 100) end,
              case when x.status in ('open', 'pending') then now() + make_interval(mins => (g % 10080) - 1440) end,
              x.at - interval '1 hour', x.at
         from generate_series($6::int, $7::int) g
         join bench_contacts bc on bc.rn = 1 + (g::bigint * 7919) % $8
         cross join lateral (select case when (g::bigint * 2654435761) % 100 < 10 then 'open' when (g::bigint * 2654435761) % 100 < 15 then 'pending'
                                         when (g::bigint * 2654435761) % 100 < 17 then 'on_hold' when (g::bigint * 2654435761) % 100 < 95 then 'solved' else 'closed' end as status,
                                    now() - make_interval(secs => ($1::int - g) * 31536000.0 / $1::int) as at) x`,
      [size, ws, ids.inboxes, ids.teams, ids.agents, lo, hi, contacts, VOCABULARY],
    );
    // Five messages each, the customer's and the team's in turn, of 8 to 12 words.
    await raw.query(
      `insert into messages (id, workspace_id, conversation_id, inbox_id, direction, channel, contact_id, text, delivery_status, created_at)
       select gen_random_uuid(), c.workspace_id, c.id, c.inbox_id,
              (case when i % 2 = 1 then 'in' else 'out' end)::message_direction, 'email', c.contact_id,
              array_to_string(array(select ${word('$1')} from generate_series(1, 8 + (c.number + i) % 5)), ' ')
                || case when (c.number::bigint * 5 + i) % 20011 = 0 then ' ${RARE}' else '' end,
              (case when i % 2 = 1 then 'received' else 'sent' end)::delivery_status,
              c.last_message_at - make_interval(mins => (5 - i) * 30)
         from conversations c cross join generate_series(1, 5) i
        where c.workspace_id = $2 and c.number between $3 and $4`,
      [VOCABULARY, ws, lo, hi],
    );
    process.stdout.write(`\r  seeded ${hi.toLocaleString('en')} conversations`);
  }
  // Mentions of the measuring member in one note of about 25,000 messages.
  await raw.query(
    `insert into note_mentions (message_id, member_id, conversation_id, created_at)
     select id, $1, conversation_id, created_at from messages where workspace_id = $2 and (hashtext(id::text) % 25000) = 0`,
    [ids.member, ws],
  );
  const t1 = performance.now();
  for (const def of dropped) await raw.exec(def);
  await raw.exec('drop table bench_contacts');
  await raw.exec('analyze');
  return { seedS: Math.round((t1 - t0) / 100) / 10, indexS: Math.round((performance.now() - t1) / 100) / 10 };
}

async function measure(engine: Engine, problems: string[], results: Record<string, unknown>[]) {
  const size = sizeFor(engine);
  const scratch: Scratch = REUSE && engine === 'postgres' ? { engine, databaseUrl: REUSE, remove: async () => {} } : await createScratch(engine);
  const heard = await buildHeard({ config: scratchConfig(scratch), roles: ['web'], smtpPort: false });
  const raw = heard.ctx.database.raw;
  try {
    const { workspace, member } = await inTransaction(heard.ctx, (tx) => ensureMember(tx, { workspaceName: 'Scale Co', email: 'bench@example.test', password: 'correct horse battery', role: 'owner' }));
    const actor: Actor = { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: 'owner', via: 'session', scopes: ['read', 'write', 'admin'] };
    if (REUSE && scratch.databaseUrl === REUSE) {
      const { token } = await inTransaction(heard.ctx, (tx) => createToken(tx, actor, { name: 'bench again', scopes: ['read', 'write'] }));
      console.log(`\n${engine}: the database kept by an earlier run`);
      await cases(engine, size, heard, { authorization: `Bearer ${token}` }, problems, results);
      return;
    }
    const agents = [member.id];
    for (let i = 1; i < 8; i++) {
      const a = await inTransaction(heard.ctx, (tx) => ensureMember(tx, { workspaceName: 'Scale Co', email: `agent${i}@example.test`, password: 'correct horse battery', role: 'agent' }));
      agents.push(a.member.id);
    }
    const inboxes: string[] = [];
    for (const [i, name] of ['Support', 'Sales', 'Billing'].entries()) {
      inboxes.push((await inTransaction(heard.ctx, (tx) => createInbox(tx, actor, { name, channel: 'email', address: `inbox${i}@bench.example` }))).id);
    }
    const teams: string[] = [];
    for (const name of ['First line', 'Second line', 'Billing', 'Partners']) teams.push((await inTransaction(heard.ctx, (tx) => createTeam(tx, actor, { name, memberIds: agents.slice(0, 4) }))).id);
    const { token } = await inTransaction(heard.ctx, (tx) => createToken(tx, actor, { name: 'bench', scopes: ['read', 'write'] }));
    const headers = { authorization: `Bearer ${token}` };
    // A few saved views, as agents keep them: counted with every GET /views.
    for (const [name, filters] of [
      ['Urgent open', { priority: 'urgent', status: ['open'] }],
      ['My pending', { assignee: 'me', status: ['pending'] }],
      ['Billing inbox, unassigned', { inbox: inboxes[2], assignee: 'none' }],
      ['VIP', { tag: 'vip', status: ['open'] }],
    ] as const) {
      const res = await heard.app.inject({ method: 'POST', url: '/api/v1/saved-views', headers, payload: { name, filters, personal: true } });
      if (res.statusCode !== 201) throw new Error(`saved view: ${res.statusCode} ${res.body}`);
    }

    console.log(`\n${engine}: ${size.toLocaleString('en')} conversations, ${(size * 5).toLocaleString('en')} messages`);
    const { seedS, indexS } = await seed(raw, workspace.id, size, { inboxes, teams, agents, member: member.id });
    await foldViewCounts(heard.ctx.db);
    console.log(`\r  seeded in ${seedS} s, text indexes built and analyzed in ${indexS} s; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    await cases(engine, size, heard, headers, problems, results);
  } finally {
    await heard.close();
    if (KEEP && scratch.engine === 'postgres') console.log(`  kept the database: ${scratch.databaseUrl}`);
    else await scratch.remove();
  }
}

/** Times each case on a seeded database. */
async function cases(engine: Engine, size: number, heard: Awaited<ReturnType<typeof buildHeard>>, headers: Record<string, string>, problems: string[], results: Record<string, unknown>[]) {
  const raw = heard.ctx.database.raw;
  {

    const {
      rows: [{ id: someId }],
    } = await raw.query<{ id: string }>(`select id from conversations where number = $1`, [Math.floor(size / 2)]);
    const {
      rows: [{ value: someAddress }],
    } = await raw.query<{ value: string }>(`select value from contact_identities order by value limit 1 offset $1`, [Math.floor(size / 20)]);
    const addressPart = someAddress.split('@')[0].slice(2);

    const get = (url: string) => async () => {
      const res = await heard.app.inject({ url, headers });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json() as unknown;
    };
    const cases: { name: string; group: string; run: () => Promise<unknown> }[] = [
      { name: 'baseline: select by primary key', group: 'baseline', run: () => raw.query('select * from conversations where id = $1', [someId]) },
      { name: 'baseline: GET /me', group: 'baseline', run: get('/api/v1/me') },
      { name: 'GET /views (4 saved views)', group: 'views', run: get('/api/v1/views') },
      { name: 'search: a frequent word', group: 'search', run: get('/api/v1/conversations?q=order') },
      { name: 'search: a rare word', group: 'search', run: get(`/api/v1/conversations?q=${RARE}`) },
      { name: 'search: a word found nowhere', group: 'search', run: get('/api/v1/conversations?q=xylophonic') },
      { name: 'search: two common words', group: 'search', run: get(`/api/v1/conversations?q=${encodeURIComponent('refund shipping')}`) },
      { name: 'contacts: part of a name', group: 'contacts', run: get('/api/v1/contacts?q=wagne') },
      { name: 'contacts: part of an address', group: 'contacts', run: get(`/api/v1/contacts?q=${encodeURIComponent(addressPart)}`) },
    ];
    // What each search finds, so a fast answer is not an empty one by mistake.
    for (const c of cases.filter((x) => x.group !== 'baseline')) {
      const body = (await c.run()) as { items?: unknown[]; open?: number };
      console.log(`  ${c.name.padEnd(34)} ${body.items ? `${body.items.length} on the first page` : `open ${body.open}`}`);
    }
    console.log(`\n  ${''.padEnd(34)} ${'one at a time'.padEnd(30)} ${CONCURRENCY} at once`);
    console.log(`  ${''.padEnd(34)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}    ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}  (ms)`);
    for (const c of cases) {
      for (let i = 0; i < 3; i++) await c.run();
      const seq: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await c.run();
        seq.push(performance.now() - t);
      }
      const par: number[] = [];
      let left = RUNS * 2;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (left-- > 0) {
            const t = performance.now();
            await c.run();
            par.push(performance.now() - t);
          }
        }),
      );
      const r = { engine, size, case: c.name, p50: pct(seq, 50), p95: pct(seq, 95), p99: pct(seq, 99), concurrentP50: pct(par, 50), concurrentP95: pct(par, 95), concurrentP99: pct(par, 99), load: os.loadavg()[0] };
      results.push(r);
      const f = (x: number) => String(x).padStart(8);
      console.log(`  ${c.name.padEnd(34)} ${f(r.p50)} ${f(r.p95)} ${f(r.p99)}    ${f(r.concurrentP50)} ${f(r.concurrentP95)} ${f(r.concurrentP99)}`);
      const target = TARGETS[c.group];
      if (target && r.p95 > target) problems.push(`${engine} ${size.toLocaleString('en')}: ${c.name} p95 ${r.p95} ms is over ${target} ms`);
    }
    console.log(`  load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  }
}

async function main() {
  console.log(machineLine());
  const problems: string[] = [];
  const results: Record<string, unknown>[] = [];
  for (const engine of ENGINES) await measure(engine, problems, results);
  const versions = { pglite: pgliteVersion(), postgres: process.env.DATABASE_URL ? await postgresVersion(process.env.DATABASE_URL) : undefined };
  writeReport(path.join(here, 'results', 'scale-latest.json'), { commit: commit(), machine: machineFacts(), versions, settings: { RUNS, CONCURRENCY, ENGINES }, results }, problems);
}

await main();
