import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, heardBin, type Node, processStorage, root, startNode, stopNode, waitHealthy } from '../../../test/helpers/heard-process.js';
import { startSmtpSink } from '../../../test/helpers/smtp-sink.js';

const run = promisify(execFile);

/**
 * A reply that was being sent when its process died goes out soon after, once. A real
 * `heard` process sends a reply to a real SMTP server that holds the message's DATA
 * unanswered; the process is SIGKILLed there, and restarted. The job the dead process held
 * is taken over once its heartbeat has been silent for 15 s, not after pg-boss's 15 minutes.
 */
describe('a crash in the middle of sending a reply', () => {
  let storage: Awaited<ReturnType<typeof processStorage>>;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let env: NodeJS.ProcessEnv;
  let node: Node | undefined;
  let httpPort: number;
  let token: string;
  let inboxId: string;
  // The first message's DATA is held until the process that sent it is dead; later ones pass.
  let holding: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  let holds = 0;
  const email = `owner-${crypto.randomBytes(3).toString('hex')}@crash.test`;

  const api = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const res = await fetch(`${node!.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.json ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.json ? JSON.stringify(init.json) : init.body,
    });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    storage = await processStorage('deliver-crash');
    sink = await startSmtpSink({
      hold: () => {
        if (holds++ > 0) return Promise.resolve();
        holding();
        return new Promise(() => undefined);
      },
    });
    [httpPort] = await freePorts(1);
    env = { ...process.env, ...storage.env, REDIS_URL: '', HOST: '127.0.0.1', HEARD_SMTP_PORT: '0', SMTP_URL: sink.url, HEARD_MAIL_DOMAIN: 'crash.test', LOG_LEVEL: 'warn' };
    const cli = async (...args: string[]) => (await run(process.execPath, [heardBin, ...args], { cwd: root, env, timeout: 60_000 })).stdout;
    await cli('admin', 'create', '--email', email, '--password', 'correct horse battery', '--workspace', 'Crash Co');
    token = (await cli('token', 'create', '--email', email)).trim().split('\n').pop()!;
    node = startNode('heard', httpPort, env);
    await waitHealthy(node);
    const inbox = await api('/inboxes', { method: 'POST', json: { name: 'Support', channel: 'email', address: 'support@crash.test' } });
    expect(inbox.status).toBe(201);
    inboxId = inbox.body.id;
  }, 120_000);

  afterAll(async () => {
    if (node) await stopNode(node);
    await sink?.close();
    await storage?.remove();
  });

  it('sends it within seconds of the restart, exactly once, and records it sent', async () => {
    const raw = ['From: Customer <customer@buyer.test>', 'To: support@crash.test', 'Subject: Where is my order?', 'Message-ID: <order-1@buyer.test>', '', 'It has been a week.', ''].join('\r\n');
    const received = await api(`/inboxes/${inboxId}/mime`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw });
    expect(received.status).toBe(201);
    const reply = await api(`/conversations/${received.body.conversationId}/messages`, { method: 'POST', json: { text: 'It left the warehouse today.' } });
    expect(reply.status).toBe(201);

    await held;
    node!.child.kill('SIGKILL');
    await node!.exited;
    expect(sink.received).toHaveLength(0);

    node = startNode('heard (restarted)', httpPort, env);
    await waitHealthy(node);
    // A bound on correctness, far below pg-boss's 15 minutes: the takeover comes ~20 s after the kill.
    await expect.poll(() => sink.received.length, { timeout: 45_000, interval: 250 }).toBe(1);
    // Stopping waits for the running delivery to record what it did.
    await stopNode(node);
    node = undefined;

    const [{ id, delivery_status: status }] = await storage.rows<{ id: string; delivery_status: string }>(sql`select id, delivery_status from messages where direction = 'out'`);
    expect(status).toBe('sent');
    const ids = sink.received.map((m) => m.mail.messageId);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(new RegExp(`^<m\\.${id.replace(/-/g, '')}\\.`));
    expect(sink.received[0].mail.text).toContain('It left the warehouse today.');
    // Nothing is left that could send it again: the crashed run and its retry are both done.
    const jobs = await storage.rows<{ state: string }>(sql`select state from pgboss.job where name = 'deliver-message'`);
    expect(jobs.map((j) => j.state)).toEqual(['completed']);
  }, 180_000);
});
