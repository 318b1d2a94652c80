import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { freePorts } from '../helpers/heard-process.js';

/**
 * The end-to-end harness: the built agent app served by a real `heard start` process on a
 * fresh database (a new PostgreSQL database when DATABASE_URL is set, else PGlite in a
 * temporary HEARD_DATA_DIR), driven by Debian's Chromium through playwright-core.
 * No browser is ever downloaded.
 */

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const heardBin = path.join(root, 'bin/heard.js');
const distIndex = path.join(root, 'dist/web/index.html');
const distWidget = path.join(root, 'dist/widget/widget.js');
const distHelp = path.join(root, 'dist/help/help.js');
const run = promisify(execFile);

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOTS = path.join(root, 'test-results/screenshots');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the agent app, the widget and the help center's assets (`npm run build`) when dist/web, dist/widget or dist/help is missing or older than its source. */
export function ensureBuilt() {
  const fresh = (built: string, src: string) => fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(path.join(root, src));
  if (fresh(distIndex, 'src/web') && fresh(distWidget, 'src/widget') && fresh(distHelp, 'src/help')) return;
  // Vitest sets NODE_ENV=test, which would bundle React's development build: test what users get.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
}

export interface Account {
  email: string;
  password: string;
  name: string;
}

export interface E2EHeard {
  url: string;
  /** The owner created with `heard admin create`. */
  owner: Account;
  /** An API token of the owner (read, write, admin), from `heard token create`. */
  ownerToken: string;
  engine: 'pglite' | 'postgres';
  /** Where API channel inboxes send replies: a local endpoint that answers 200 and keeps what it got. */
  callbackUrl: string;
  callbacks: unknown[];
  /** Calls the REST API with a token; answers the status and the parsed body. */
  api<T = Record<string, unknown>>(method: string, pathname: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  /** Adds a member through the API (as the owner) who can sign in with a password. */
  addMember(role: 'admin' | 'agent' | 'light', name: string): Promise<Account & { id: string }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Start with `--demo` (the demo workspace) instead of an empty one with an owner. */
  demo?: boolean;
  /** More environment for `heard start` and the CLI (e.g. SMTP_URL), over the harness's own. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts Heard for one test file. With the embedded database, the owner and token are
 * created before the server starts (only one process may open PGlite).
 */
export async function startHeard(opts: StartOptions = {}): Promise<E2EHeard> {
  ensureBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-e2e-'));
  const base = process.env.DATABASE_URL;
  let dbName: string | undefined;
  let databaseUrl = '';
  if (base) {
    dbName = `heard_e2e_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const callbacks: unknown[] = [];
  const sink = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      callbacks.push(body ? (JSON.parse(body) as unknown) : null);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const callbackUrl = `http://127.0.0.1:${(sink.address() as net.AddressInfo).port}/heard`;
  const port = (await freePorts(1))[0];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HEARD_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    HEARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    HEARD_ALLOW_PRIVATE_WEBHOOKS: '1',
    HEARD_LOGIN_RATE_LIMIT: '1000',
    HEARD_API_RATE_LIMIT: '100000',
    // No SMTP listener: several servers may run at once and would contend for its port.
    HEARD_SMTP_PORT: '0',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const cli = async (args: string[]) => (await run(process.execPath, [heardBin, ...args], { cwd: root, env, timeout: 60_000 })).stdout.trim();

  const owner: Account = { email: 'olivia@example.com', password: 'correct horse battery', name: 'Olivia Owner' };
  let ownerToken = '';
  if (!opts.demo) {
    await cli(['admin', 'create', '--email', owner.email, '--password', owner.password, '--name', owner.name, '--workspace', 'E2E Outfitters']);
    ownerToken = (await cli(['token', 'create', '--email', owner.email, '--name', 'e2e'])).split('\n').pop()!;
  }

  const child: ChildProcess = spawn(process.execPath, [heardBin, 'start', ...(opts.demo ? ['--demo'] : [])], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // Loading the demo on a busy two-core machine can take a minute and more.
  const end = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`heard start exited:\n${output}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > end) {
      // Not left running behind a failed test.
      child.kill('SIGKILL');
      throw new Error(`heard start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (opts.demo) {
    const m = /Sign in at \S+ as (\S+)\s+Password: (\S+)/.exec(output);
    if (!m) throw new Error(`no demo sign-in in the output:\n${output}`);
    owner.email = m[1];
    owner.password = m[2];
  }

  const api: E2EHeard['api'] = async (method, pathname, body, token = ownerToken) => {
    const res = await fetch(`${url}/api/v1${pathname}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
  };

  let n = 0;
  return {
    url,
    owner,
    ownerToken,
    engine: base ? 'postgres' : 'pglite',
    callbackUrl,
    callbacks,
    api,
    async addMember(role, name) {
      n += 1;
      const account = { email: `${role}${n}@example.com`, password: 'another long passphrase', name };
      const r = await api<{ id: string }>('POST', '/members', { ...account, role });
      if (r.status !== 201) throw new Error(`adding a member: ${r.status} ${JSON.stringify(r.body)}`);
      return { ...account, id: r.body.id };
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      sink.closeAllConnections();
      await new Promise((resolve) => sink.close(resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (base && dbName) {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`drop database if exists ${dbName} with (force)`);
        await c.end();
      }
    },
  };
}

/** Chromium with a fresh profile (playwright-core gives each launch a new temporary user data dir). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface ContextOptions {
  width?: number;
  /** 800 unless given: a phone is 844 tall, a tablet 1024. */
  height?: number;
  colorScheme?: 'light' | 'dark';
  /** A touch screen (a phone): taps, and no hover. */
  touch?: boolean;
  /** The browser's language (e.g. 'de-DE'); the app follows it for a member who has not chosen one. */
  locale?: string;
}

/** A separate browser context (its own cookies), like a second person at another computer. */
export async function newContext(browser: Browser, opts: ContextOptions = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 }, colorScheme: opts.colorScheme ?? 'light', hasTouch: opts.touch ?? false, ...(opts.locale ? { locale: opts.locale } : {}) });
  ctx.setDefaultTimeout(10_000);
  return ctx;
}

/** A browser with the owner signed in, where most suites start; confirm dialogs are accepted. */
export async function ownerSession(heard: E2EHeard) {
  const browser = await launchBrowser();
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  await signIn(page, heard, heard.owner);
  return { browser, ctx, page };
}

/** Signs in through the login screen and waits until the app has left it. */
export async function signIn(page: Page, heard: E2EHeard, account: Account) {
  await page.goto(`${heard.url}/app/login`);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

/** Saves a full-page screenshot to test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Posts a customer's message through the API channel into `inboxId`, opening a
 * conversation (or adding to the contact's open one). Answers the conversation's number.
 */
export async function customerWrites(heard: E2EHeard, inboxId: string, contact: { externalId: string; name: string }, text: string, subject?: string) {
  const r = await heard.api<{ conversationNumber: number; conversationId: string }>('POST', `/inboxes/${inboxId}/messages`, {
    contact,
    text,
    subject,
    clientMessageId: crypto.randomUUID(),
  });
  if (r.status !== 201) throw new Error(`customer message: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Creates an API channel inbox (as the owner) whose replies go to the harness's local endpoint. */
export async function createInbox(heard: E2EHeard, name = 'Web chat bridge') {
  const r = await heard.api<{ id: string }>('POST', '/inboxes', { name, channel: 'api', callbackUrl: heard.callbackUrl });
  if (r.status !== 201) throw new Error(`creating an inbox: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}
