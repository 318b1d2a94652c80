/**
 * `npm run bench` (third part, alone: `npm run bench:visitors`): many chat widget visitors
 * connected to one Heard node, beside a raw WebSocket echo server measured in the same run.
 *
 * Heard runs in a process of its own (its memory is its own). This process is the load:
 *   1. opens BENCH_VISITORS visitor sessions (POST /widget/v1/:key/session) and connects
 *      each visitor's socket (/visitor, WebSocket transport);
 *   2. reads Heard's RSS before and after: memory per connection;
 *   3. visitor → agent: BENCH_VISITOR_MESSAGES visitors each send a message (paced at
 *      BENCH_VISITOR_RATE per second, default 20) and an agent's /agent socket is timed
 *      receiving it (what has not arrived 30 s after the last one counts as lost);
 *   4. agent → visitor: the agent answers each over the API and the visitor's socket is
 *      timed receiving the answer;
 * and the baseline: the same number of raw `ws` connections to an echo server in its own
 * process, its memory per connection, and the echo round trip at the same pace.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { WebSocket, WebSocketServer } from 'ws';
import { buildHeard } from '../src/server/app.js';
import { inTransaction } from '../src/server/core/context.js';
import { createInbox } from '../src/server/domains/inboxes/service.js';
import { createToken } from '../src/server/domains/tokens/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { createScratch, type Engine, scratchConfig } from './storage.js';
import { percentiles } from './workload.js';

const self = fileURLToPath(import.meta.url);
const N = Number(process.env.BENCH_VISITORS ?? 5000);
const M = Number(process.env.BENCH_VISITOR_MESSAGES ?? 300);
const RATE = Number(process.env.BENCH_VISITOR_RATE ?? 20);
const PASSWORD = 'correct horse battery';

type ServerInfo = { url: string; publicKey: string; token: string; email: string };
/** Memory the process holds for its objects: the JS heap and what it allocated outside it (buffers), after a GC. */
const held = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const rss = () => process.memoryUsage().rss;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `done()` or `ms` has passed: what has not arrived by then counts as lost. */
async function until(done: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await sleep(100);
}

/** The server side, in its own process: Heard, or the echo baseline. Answers "rss" requests over IPC. */
async function serve(kind: 'heard' | 'echo', scratch: { dataDir?: string; databaseUrl?: string }) {
  process.on('message', (m: { type: string }) => {
    if (m.type === 'rss') {
      global.gc?.();
      process.send!({ type: 'rss', rss: rss(), held: held() });
    }
  });
  if (kind === 'echo') {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    process.send!({ type: 'ready', info: { url: `ws://127.0.0.1:${port}` } });
    return;
  }
  const config = scratchConfig(scratch, { HEARD_LOGIN_RATE_LIMIT: '100000000', HEARD_WIDGET_RATE_LIMIT: '100000000', HEARD_SMTP_PORT: '0' });
  const heard = await buildHeard({ config, smtpPort: false });
  await heard.app.listen({ port: 0, host: '127.0.0.1' });
  await heard.start();
  const url = `http://127.0.0.1:${(heard.app.server.address() as { port: number }).port}`;
  const email = 'agent@bench.example';
  const { member, workspace } = await inTransaction(heard.ctx, (tx) => ensureMember(tx, { workspaceName: 'Bench Chat', email, password: PASSWORD, role: 'owner' }));
  const actor = { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: member.role, via: 'session' as const, scopes: ['read', 'write', 'admin'] as ('read' | 'write' | 'admin')[] };
  const { token } = await inTransaction(heard.ctx, (tx) => createToken(tx, actor, { name: 'bench', scopes: ['read', 'write', 'admin'] }));
  const inbox = await inTransaction(heard.ctx, (tx) => createInbox(tx, actor, { name: 'Chat', channel: 'widget' }));
  process.send!({ type: 'ready', info: { url, publicKey: (inbox.config as { publicKey: string }).publicKey, token, email } });
}

function startServer(kind: 'heard' | 'echo', scratch: { dataDir?: string; databaseUrl?: string }) {
  const child = fork(self, ['serve', kind, JSON.stringify(scratch)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, '--expose-gc'] });
  const ready = new Promise<ServerInfo>((resolve, reject) => {
    child.on('message', (m: { type: string; info?: ServerInfo }) => m.type === 'ready' && resolve(m.info!));
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited with ${code}`)));
  });
  const serverRss = () =>
    new Promise<{ rss: number; held: number }>((resolve) => {
      const on = (m: { type: string; rss?: number; held?: number }) => {
        if (m.type !== 'rss') return;
        child.off('message', on);
        resolve({ rss: m.rss!, held: m.held! });
      };
      child.on('message', on);
      child.send({ type: 'rss' });
    });
  return { child, ready, serverRss, stop: () => child.kill('SIGKILL') };
}

/** Runs `fn` for each item, `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

async function benchHeard(engine: Engine) {
  const scratch = await createScratch(engine);
  const server = startServer('heard', { dataDir: scratch.dataDir, databaseUrl: scratch.databaseUrl });
  const sockets: Socket[] = [];
  try {
    const info = await server.ready;
    const api = (path: string, init: RequestInit = {}) => fetch(`${info.url}${path}`, init);
    const t0 = performance.now();
    const tokens: string[] = new Array(N);
    await pool([...Array(N).keys()], 32, async (i) => {
      const res = await api(`/widget/v1/${info.publicKey}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!res.ok) throw new Error(`session: ${res.status} ${await res.text()}`);
      tokens[i] = ((await res.json()) as { token: string }).token;
    });
    const sessionsSec = (performance.now() - t0) / 1000;
    const before = await server.serverRss();
    const t1 = performance.now();
    await pool([...Array(N).keys()], 200, async (i) => {
      const s = io(`${info.url}/visitor`, { path: '/socket.io', transports: ['websocket'], auth: { publicKey: info.publicKey, token: tokens[i] }, forceNew: true, reconnection: false });
      sockets[i] = s;
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', (err) => reject(new Error(`visitor socket: ${err.message}`)));
      });
    });
    const connectSec = (performance.now() - t1) / 1000;
    await sleep(1000);
    const after = await server.serverRss();

    // The agent: a signed-in member's /agent socket.
    const login = await api('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: info.email, password: PASSWORD }) });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('heard_session='))!.split(';')[0];
    const agent = io(`${info.url}/agent`, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie, origin: info.url }, forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      agent.once('connect', () => resolve());
      agent.once('connect_error', (err) => reject(new Error(`agent socket: ${err.message}`)));
    });
    const agentGot = new Map<string, number>();
    agent.on('event', (e: { type: string; data: { messageId?: string; direction?: string } }) => {
      if (e.type === 'message.created' && e.data.direction === 'in' && e.data.messageId) agentGot.set(e.data.messageId, performance.now());
    });

    // Visitor → agent.
    const sent: { visitor: number; start: number; messageId?: string; conversationId?: string }[] = [];
    const pick = (k: number) => Math.floor((k * N) / M) % N;
    for (let k = 0; k < M; k++) {
      const v = pick(k);
      const entry: { visitor: number; start: number; messageId?: string; conversationId?: string } = { visitor: v, start: performance.now() };
      sent.push(entry);
      void sockets[v].emitWithAck('message:send', { clientMessageId: `b-${k}`, text: `Question ${k} from visitor ${v}` }).then((a: { ok?: boolean; message?: { id: string }; conversationId?: string }) => {
        entry.messageId = a.message?.id;
        entry.conversationId = a.conversationId;
      });
      await sleep(1000 / RATE);
    }
    await until(() => sent.every((x) => x.messageId && agentGot.has(x.messageId)), 30_000);
    const v2a = sent.filter((s) => s.messageId && agentGot.has(s.messageId)).map((s) => agentGot.get(s.messageId!)! - s.start);

    // Agent → visitor.
    const got = new Map<string, number>();
    for (const s of new Set(sent.map((x) => x.visitor))) {
      sockets[s].on('message', (m: { text: string; from: string }) => {
        if (m.from === 'agent') got.set(m.text, performance.now());
      });
    }
    const answers: { text: string; start: number }[] = [];
    for (const [k, s] of sent.entries()) {
      if (!s.conversationId) continue;
      const text = `Answer ${k}`;
      const start = performance.now();
      answers.push({ text, start });
      void api(`/api/v1/conversations/${s.conversationId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      await sleep(1000 / RATE);
    }
    await until(() => answers.every((a) => got.has(a.text)), 30_000);
    const a2v = answers.filter((a) => got.has(a.text)).map((a) => got.get(a.text)! - a.start);
    agent.close();
    return {
      engine,
      connected: sockets.filter((s) => s.connected).length,
      sessionsSec,
      connectSec,
      perConnection: (after.held - before.held) / N,
      serverRss: after.rss,
      v2a: { ...percentiles(v2a), n: v2a.length },
      a2v: { ...percentiles(a2v), n: a2v.length },
    };
  } finally {
    for (const s of sockets) s?.close();
    server.stop();
    await sleep(300);
    await scratch.remove();
  }
}

async function benchEcho() {
  const server = startServer('echo', {});
  const clients: WebSocket[] = [];
  try {
    const info = await server.ready;
    const before = await server.serverRss();
    await pool([...Array(N).keys()], 200, async (i) => {
      const ws = new WebSocket(info.url);
      clients[i] = ws;
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
    });
    await sleep(1000);
    const after = await server.serverRss();
    const times: number[] = [];
    for (let k = 0; k < M; k++) {
      const ws = clients[Math.floor((k * N) / M) % N];
      const start = performance.now();
      ws.once('message', () => times.push(performance.now() - start));
      ws.send(`echo ${k}`);
      await sleep(1000 / RATE);
    }
    await sleep(1000);
    return { connected: clients.filter((c) => c.readyState === WebSocket.OPEN).length, perConnection: (after.held - before.held) / N, rtt: { ...percentiles(times), n: times.length } };
  } finally {
    for (const c of clients) c?.terminate();
    server.stop();
  }
}

async function main() {
  const engines: Engine[] = (process.env.BENCH_ENGINES?.split(',') as Engine[] | undefined) ?? (process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);
  console.log(`\nHeard chat widget benchmark: ${N} visitors connected at once to one node, ${M} messages each way at ${RATE}/s`);
  const echo = await benchEcho();
  const rows: string[][] = [];
  for (const engine of engines) {
    const r = await benchHeard(engine);
    rows.push([
      `Heard /visitor (${engine})`,
      `${r.connected}/${N}`,
      kb(r.perConnection),
      `${r.v2a.p50.toFixed(1)} / ${r.v2a.p99.toFixed(1)} (${r.v2a.n})`,
      `${r.a2v.p50.toFixed(1)} / ${r.a2v.p99.toFixed(1)} (${r.a2v.n})`,
      `${r.sessionsSec.toFixed(1)} s / ${r.connectSec.toFixed(1)} s`,
      mb(r.serverRss),
    ]);
  }
  rows.push(['baseline: raw ws echo', `${echo.connected}/${N}`, kb(echo.perConnection), `${echo.rtt.p50.toFixed(1)} / ${echo.rtt.p99.toFixed(1)} (${echo.rtt.n}) round trip`, '-', '-', '-']);
  const cols = ['server', 'connected', 'memory/conn', 'visitor→agent p50/p99 ms', 'agent→visitor p50/p99 ms', 'sessions / sockets', 'server RSS'];
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(line(cols));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  process.exit(0);
}

if (process.argv[2] === 'serve') {
  await serve(process.argv[3] as 'heard' | 'echo', JSON.parse(process.argv[4]));
} else {
  await main();
}
