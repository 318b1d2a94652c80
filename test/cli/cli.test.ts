import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engine, type TestDatabase } from '../helpers/database.js';

const BIN = path.resolve('bin/heard.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// Each test starts real processes (PGlite opens in each), so a busy machine needs room.
describe('the heard command', { timeout: 90_000 }, () => {
  let env: Record<string, string>;
  let dataDir: string;
  let testDb: TestDatabase | undefined;
  const servers: ChildProcess[] = [];

  const heard = (args: string[], extra: Record<string, string> = {}) =>
    new Promise<Run>((resolve) => {
      execFile('node', [BIN, ...args], { env: { ...process.env, ...env, ...extra }, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  async function startServer(args: string[] = []) {
    const port = await freePort();
    const child = spawn('node', [BIN, 'start', ...args], { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' } });
    servers.push(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const url = `http://127.0.0.1:${port}`;
    const end = Date.now() + 45_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`heard start exited: ${out}`);
      const ok = await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false);
      if (ok) break;
      if (Date.now() > end) throw new Error(`heard start did not come up: ${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const stop = async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    };
    return { url, child, output: () => out, stop };
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-cli-'));
    // No SMTP listener: this file runs on both engines at once, and they would contend for its port.
    env = { HEARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '', HEARD_SMTP_PORT: '0' };
    if (engine === 'postgres') {
      testDb = await createTestDatabase();
      await testDb.database.close();
      env.DATABASE_URL = testDb.url!;
    }
  });

  afterAll(async () => {
    for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
    if (testDb) await testDb.drop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies migrations', async () => {
    const r = await heard(['migrate']);
    expect(r.stdout).toContain(`Migrations applied (${engine})`);
    expect(r.code).toBe(0);
  });

  it('names the setting and the reason for a bad value', async () => {
    const r = await heard(['migrate'], { PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Invalid configuration:\n\s+PORT: /);
  });

  it('refuses a short password, naming the field, and creates nothing', async () => {
    const r = await heard(['admin', 'create', '--email', 'short@example.com', '--password', 'abc']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('password: must be at least 8 characters');
    const t = await heard(['token', 'create', '--email', 'short@example.com']);
    expect(t.stderr).toContain('No user with e-mail short@example.com');
  });

  it('creates an owner and a token that the running server accepts', async () => {
    const a = await heard(['admin', 'create', '--email', 'ceo@example.com', '--password', 'long enough pw', '--workspace', 'Gum Co']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Owner ceo@example.com in workspace "Gum Co"');
    const t = await heard(['token', 'create', '--email', 'ceo@example.com', '--name', 'bridge']);
    const token = t.stdout.trim();
    expect(token).toMatch(/^heard_pat_[A-Za-z0-9_-]{40,}$/);
    const server = await startServer();
    try {
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      const body = (await me.json()) as { workspace: { name: string }; member: { role: string } };
      expect(body.workspace.name).toBe('Gum Co');
      expect(body.member.role).toBe('owner');
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'CEO@example.com', password: 'long enough pw' }),
      });
      expect(login.status).toBe(200);
      // On the embedded database the server has the data folder to itself; the commands go through it.
      const second = await heard(['token', 'create', '--email', 'ceo@example.com', '--name', 'while running']);
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      const again = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${second.stdout.trim()}` } });
      expect(again.status).toBe(200);
      const owner = await heard(['admin', 'create', '--email', 'cto@example.com', '--password', 'another long pw', '--workspace', 'Gum Co']);
      expect(owner.stdout).toContain('Owner cto@example.com in workspace "Gum Co"');
      const cto = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'cto@example.com', password: 'another long pw' }),
      });
      expect(cto.status).toBe(200);
      // The command's own errors read as they do without a server.
      const short = await heard(['admin', 'create', '--email', 'cfo@example.com', '--password', 'abc']);
      expect(short.code).toBe(1);
      expect(short.stderr).toContain('password: must be at least 8 characters');
      const unknown = await heard(['token', 'create', '--email', 'nobody@example.com']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No user with e-mail nobody@example.com');
      if (engine === 'pglite') {
        // Other commands still need the database itself, which stays the server's alone.
        const r = await heard(['reports', 'rebuild']);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/in use by another Heard process/);
      }
    } finally {
      await server.stop();
    }
    expect(server.child.exitCode).toBe(0);
  });

  it('loads the demo once and prints its sign-in once', { timeout: 180_000 }, async () => {
    const first = await heard(['demo']);
    expect(first.stdout).toMatch(/Password: \S+/);
    const second = await heard(['demo']);
    expect(second.stdout).toContain('exists already');
    expect(second.stdout).not.toMatch(/Password:/);
    const token = (await heard(['token', 'create', '--email', 'owner@acme.test'])).stdout.trim();
    const server = await startServer(['--demo']);
    try {
      expect(server.output()).not.toMatch(/Password:/);
      const res = await fetch(`${server.url}/api/v1/conversations?limit=100`, { headers: { authorization: `Bearer ${token}` } });
      const list = (await res.json()) as { items: { subject: string; number: number }[] };
      expect(list.items.length).toBe(11);
      expect(list.items.map((c) => c.subject)).toContain('GPS unit keeps rebooting after firmware 4.2');
    } finally {
      await server.stop();
    }
  });
});
