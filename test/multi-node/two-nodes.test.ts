import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, type AgentClient, type AgentEvent } from '../helpers/agent-client.js';
import { freePorts, heardBin, type Node, root, startNode, stopNode, waitHealthy } from '../helpers/heard-process.js';

/**
 * DESIGN §7: any number of stateless `heard` nodes share one PostgreSQL and one Redis.
 * Two real `heard start` processes; what is written through one node reaches the agents
 * connected to the other. Runs only in the PostgreSQL project with REDIS_URL set
 * (vitest.config.ts).
 */

const run = promisify(execFile);

async function api<T = any>(node: Node, method: string, url: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${node.url}${url}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} on ${node.name}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Signs in on `node` through the login endpoint, as a browser would, and returns the session cookie. */
async function signIn(node: Node, email: string, password: string) {
  const res = await fetch(`${node.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login on ${node.name}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('heard_session='));
  return cookie!.split(';')[0];
}

describe('two heard nodes on one PostgreSQL and one Redis', () => {
  const base = process.env.DATABASE_URL!;
  const dbName = `heard_multinode_${crypto.randomBytes(6).toString('hex')}`;
  const password = 'correct horse battery';
  const workspace = `Two nodes ${crypto.randomBytes(3).toString('hex')}`;
  const ownerEmail = `owner-${crypto.randomBytes(4).toString('hex')}@example.test`;
  const colleagueEmail = `colleague-${crypto.randomBytes(4).toString('hex')}@example.test`;
  let env: NodeJS.ProcessEnv;
  let a: Node;
  let b: Node;
  let bearer: Record<string, string>;
  let inboxId: string;
  let onA: AgentClient;
  let onB: AgentClient;
  let conversationId: string;
  const clients: AgentClient[] = [];
  let dbCreated = false;

  const cli = async (...args: string[]) => (await run(process.execPath, [heardBin, ...args], { cwd: root, env })).stdout;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    dbCreated = true;
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    env = {
      ...process.env,
      DATABASE_URL: u.toString(),
      REDIS_URL: process.env.REDIS_URL,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      HEARD_ALLOW_PRIVATE_WEBHOOKS: '1',
      HEARD_SMTP_PORT: '0',
    };
    const [portA, portB] = await freePorts(2);
    // Started together: they migrate the same fresh database at the same moment.
    a = startNode('node A', portA, env);
    b = startNode('node B', portB, env);
    await Promise.all([waitHealthy(a), waitHealthy(b)]);

    await cli('admin', 'create', '--email', ownerEmail, '--password', password, '--workspace', workspace);
    await cli('admin', 'create', '--email', colleagueEmail, '--password', password, '--workspace', workspace);
    const token = (await cli('token', 'create', '--email', ownerEmail)).trim().split('\n').pop()!;
    bearer = { authorization: `Bearer ${token}` };
    inboxId = (await api(a, 'POST', '/api/v1/inboxes', bearer, { name: 'API', channel: 'api', callbackUrl: 'http://127.0.0.1:9/unused' })).id;

    onA = await connectAgent(a.url, await signIn(a, ownerEmail, password));
    onB = await connectAgent(b.url, await signIn(b, ownerEmail, password));
    clients.push(onA, onB);
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all([a, b].filter(Boolean).map((n) => stopNode(n)));
    if (dbCreated) {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    }
  }, 60_000);

  /** Every socket got the event exactly once: one node dispatched it, Redis carried it to the other. */
  const onceEach = (e: AgentEvent) => {
    for (const c of [onA, onB]) expect(c.events.filter((x) => x.id === e.id)).toHaveLength(1);
  };

  it('a message posted through node A reaches the agent connected to node B', async () => {
    const inbound = await api(a, 'POST', `/api/v1/inboxes/${inboxId}/messages`, bearer, {
      contact: { externalId: 'cust-1', name: 'Customer' },
      text: 'Hello from node A',
      clientMessageId: 'm-1',
    });
    conversationId = inbound.conversationId;
    const created = await onB.waitForEvent((e) => e.type === 'conversation.created' && e.conversationId === conversationId, 5_000);
    const message = await onB.waitForEvent((e) => e.type === 'message.created' && e.conversationId === conversationId, 5_000);
    expect(message.data).toMatchObject({ messageId: inbound.messageId, direction: 'in' });
    // The agent on A gets them too; whichever node dispatched, one socket got them over Redis.
    await onA.waitForEvent((e) => e.id === message.id, 5_000);
    await onA.waitForEvent((e) => e.id === created.id, 5_000);
    onceEach(created);
    onceEach(message);
  });

  it('a change made through node B reaches the agent connected to node A', async () => {
    await api(b, 'PATCH', `/api/v1/conversations/${conversationId}`, bearer, { status: 'pending', priority: 'urgent' });
    const updated = await onA.waitForEvent((e) => e.type === 'conversation.updated' && e.conversationId === conversationId, 5_000);
    expect(updated.data.changes).toEqual({ status: { from: 'open', to: 'pending' }, priority: { from: 'normal', to: 'urgent' } });
    await onB.waitForEvent((e) => e.id === updated.id, 5_000);
    onceEach(updated);
  });

  it('a visitor chatting through node B gets the answer an agent sends through node A, live', async () => {
    const widget = await api(a, 'POST', '/api/v1/inboxes', bearer, { name: 'Chat', channel: 'widget' });
    const publicKey = widget.widget.publicKey as string;
    const session = await fetch(`${b.url}/widget/v1/${publicKey}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json());
    const visitor = io(`${b.url}/visitor`, { path: '/socket.io', transports: ['websocket'], auth: { publicKey, token: session.token }, forceNew: true, reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        visitor.on('connect', () => resolve());
        visitor.on('connect_error', reject);
      });
      const ack = (await visitor.emitWithAck('message:send', { clientMessageId: 'multi-1', text: 'Hi, I am on node B' })) as { ok: boolean; conversationId: string };
      expect(ack.ok).toBe(true);
      await onA.waitForEvent((e) => e.type === 'message.created' && e.conversationId === ack.conversationId, 5_000);
      const answered = new Promise<{ text: string; from: string }>((resolve) => visitor.on('message', (m: { text: string; from: string }) => m.text === 'Answer from node A' && resolve(m)));
      await api(a, 'POST', `/api/v1/conversations/${ack.conversationId}/messages`, bearer, { text: 'Answer from node A' });
      const got = await Promise.race([answered, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the visitor on node B got no answer')), 5_000))]);
      expect(got.from).toBe('agent');
    } finally {
      visitor.close();
    }
  });

  it('shares presence across nodes, and a node stopped with SIGTERM exits cleanly and says who left', async () => {
    const colleague = await connectAgent(b.url, await signIn(b, colleagueEmail, password));
    clients.push(colleague);
    const colleagueId = (await api(b, 'GET', '/api/v1/me', { cookie: await signIn(b, colleagueEmail, password) })).member.id;
    const ownerId = (await api(a, 'GET', '/api/v1/me', bearer)).member.id;
    await onA.waitForPresence((p) => p.memberId === colleagueId && p.online, 5_000);
    expect((await onA.presenceList(6_000)).sort()).toEqual([ownerId, colleagueId].sort());

    const started = Date.now();
    const exit = await stopNode(b);
    expect(exit, b.output).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(8_000);
    // The colleague was only on B; the owner is still on A, so only the colleague went offline.
    await onA.waitForPresence((p) => p.memberId === colleagueId && !p.online, 5_000);
    expect(onA.presence.filter((p) => p.memberId === ownerId && !p.online)).toEqual([]);
    expect(await onA.presenceList(6_000)).toEqual([ownerId]);
    expect(b.output).not.toMatch(/"level":(50|60)/);
  });
});
