import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { FORM_COOKIE, issueFormToken } from '../../src/server/helpcenter/forms.js';
import { type Client, signIn } from '../factories.js';
import { json } from './heard.js';
import { waitFor } from './receiver.js';
import type { SunkMail } from './smtp-sink.js';

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

type Caller = Pick<Client, 'headers'>;

/** The help center's settings as the API answers them. */
export interface HelpCenterSettings {
  slug: string;
  url: string;
  title: string;
  published: boolean;
  portalInboxId: string | null;
  topics: { id: string; name: string }[];
  language: string;
  [k: string]: unknown;
}

/** Publishes the caller's help center through the API (with a unique slug unless one is given), and answers its settings. */
export async function publishHelpCenter(app: FastifyInstance, admin: Caller, patch: Record<string, unknown> = {}): Promise<HelpCenterSettings> {
  const res = await app.inject({ method: 'PATCH', url: '/api/v1/help-center', headers: admin.headers, payload: { slug: `help-${unique()}`, published: true, ...patch } });
  if (res.statusCode !== 200) throw new Error(`publish: ${res.statusCode} ${res.body}`);
  return json(res) as HelpCenterSettings;
}

export interface BuiltCategory {
  id: string;
  slug: string;
  name: string;
}

/** A knowledge-base category, made through the API. */
export async function buildCategory(app: FastifyInstance, by: Caller, input: { name?: string; slug?: string; description?: string; position?: number } = {}): Promise<BuiltCategory> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/kb/categories', headers: by.headers, payload: { name: `Category ${unique()}`, ...input } });
  if (res.statusCode !== 201) throw new Error(`category: ${res.statusCode} ${res.body}`);
  return json(res) as BuiltCategory;
}

export interface BuiltArticle {
  id: string;
  slug: string;
  title: string;
  status: string;
  url: string;
  publishedAt: string | null;
  [k: string]: unknown;
}

/** A knowledge-base article, made through the API: published unless told otherwise. */
export async function buildArticle(
  app: FastifyInstance,
  by: Caller,
  input: { title?: string; body?: string; status?: 'draft' | 'published' | 'archived'; categoryId?: string | null; slug?: string } = {},
): Promise<BuiltArticle> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/kb/articles', headers: by.headers, payload: { title: `Article ${unique()}`, body: 'Some words.', status: 'published', ...input } });
  if (res.statusCode !== 201) throw new Error(`article: ${res.statusCode} ${res.body}`);
  return json(res) as BuiltArticle;
}

export interface UploadFile {
  field?: string;
  filename: string;
  contentType: string;
  content: Buffer | string;
}

/** A multipart/form-data body with the fields first (in the given order), then the files, as a browser sends a form. */
export function multipart(fields: Record<string, string>, files: UploadFile[] = []) {
  const boundary = `----heardtest${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'files'}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType}\r\n\r\n`));
    parts.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The smallest valid PNG (1×1, transparent), with `padding` bytes after it when a larger file is wanted. */
export function pngBytes(padding = 0): Buffer {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
  return padding ? Buffer.concat([png, Buffer.alloc(padding)]) : png;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/**
 * A browser for the public help center, over app.inject(): it keeps the cookies the
 * server sets (by name and path, sending only those whose path covers the request, as
 * browsers do), reads form tokens out of pages, and posts forms the way a person does.
 * Each browser comes from an address of its own, so the per-address rate limits count
 * each reader apart.
 */
export class HelpBrowser {
  readonly cookies: StoredCookie[] = [];
  /** The last page this browser loaded. */
  last: LightMyRequestResponse | undefined;

  constructor(
    private readonly app: FastifyInstance,
    private readonly secret: string,
    readonly remoteAddress = `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`,
    readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) HeardTest/1.0',
  ) {}

  /** Sets a cookie the way another part of the product would (the agent app's session). */
  setCookie(name: string, value: string, path = '/') {
    const i = this.cookies.findIndex((c) => c.name === name && c.path === path);
    if (i >= 0) this.cookies.splice(i, 1);
    this.cookies.push({ name, value, path });
  }

  /** The value of a cookie this browser keeps, by name (the most specific path first). */
  cookie(name: string): string | undefined {
    return [...this.cookies].sort((a, b) => b.path.length - a.path.length).find((c) => c.name === name)?.value;
  }

  private cookieHeader(url: string): string | undefined {
    const path = url.split('?')[0];
    const sent = this.cookies
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .sort((a, b) => b.path.length - a.path.length);
    return sent.length ? sent.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; path?: string; maxAge?: number; expires?: Date }[]) {
      const path = c.path ?? '/';
      const i = this.cookies.findIndex((x) => x.name === c.name && x.path === path);
      if (i >= 0) this.cookies.splice(i, 1);
      const gone = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (!gone) this.cookies.push({ name: c.name, value: c.value, path });
    }
    return res;
  }

  async request(opts: { method?: string; url: string; headers?: Record<string, string>; payload?: string | Buffer }) {
    const cookie = this.cookieHeader(opts.url);
    const res = await this.app.inject({
      method: (opts.method ?? 'GET') as 'GET',
      url: opts.url,
      remoteAddress: this.remoteAddress,
      headers: { 'user-agent': this.userAgent, ...(cookie ? { cookie } : {}), ...opts.headers },
      payload: opts.payload,
    });
    return this.keep(res);
  }

  /** Loads a page (keeping it as `last`, where form tokens are read from). */
  async get(url: string, headers: Record<string, string> = {}) {
    this.last = await this.request({ url, headers });
    return this.last;
  }

  /** The `_form` token of the n-th form of a page (the last one loaded by default). */
  formToken(html = this.last?.body ?? '', index = 0): string {
    const tokens = [...html.matchAll(/name="_form" value="([^"]+)"/g)].map((m) => m[1]);
    if (!tokens[index]) throw new Error(`no form token #${index} on the page`);
    return tokens[index];
  }

  /**
   * A token for this browser's form cookie, shown `ageMs` ago: what a page gave a person
   * who then took a few seconds to fill the form in (the server refuses faster ones as a bot's).
   */
  agedToken(ageMs = 5000): string {
    const cookie = this.cookie(FORM_COOKIE);
    if (!cookie) throw new Error('no form cookie yet: load a page of the help center first');
    return issueFormToken(this.secret, cookie, Date.now() - ageMs);
  }

  /** Posts a form as application/x-www-form-urlencoded, with a token a person would have (aged) unless `_form` is given. */
  async post(url: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const body = new URLSearchParams({ _form: this.agedToken(), ...fields }).toString();
    return this.request({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Posts a form as multipart/form-data (the token first, as the page's form has it), with files. */
  async postMultipart(url: string, fields: Record<string, string> = {}, files: UploadFile[] = [], headers: Record<string, string> = {}) {
    const body = multipart({ _form: this.agedToken(), ...fields }, files);
    return this.request({ method: 'POST', url, payload: body.payload, headers: { 'content-type': body.contentType, ...headers } });
  }
}

/** The path of a sign-in link (…/portal/auth/<token>) in a sign-in mail. */
export function signInLinkOf(mail: SunkMail): string {
  const m = /https?:\/\/[^\s/]+(\/help\/[^\s]+\/portal\/auth\/[\w-]+)/.exec(mail.mail.text ?? '');
  if (!m) throw new Error(`no sign-in link in: ${mail.mail.text}`);
  return m[1];
}

/** Waits for the next mail to an address that matches, among those the sink got after `after` mails. */
export async function mailTo(sink: { received: SunkMail[] }, address: string, match: (m: SunkMail) => boolean = () => true, after = 0): Promise<SunkMail> {
  return waitFor(() => sink.received.slice(after).find((m) => m.to.includes(address.toLowerCase()) && match(m)), 10_000);
}

/**
 * Signs a customer in to a help center's portal the way they do it: asks for a link on
 * the sign-in page, takes it out of the mail the sink got, opens it (which does not use
 * it) and presses the button (which does). The browser then holds the portal cookie.
 */
export async function signInCustomer(browser: HelpBrowser, sink: { received: SunkMail[] }, slug: string, email: string) {
  const before = sink.received.length;
  const page = await browser.get(`/help/${slug}/portal/sign-in`);
  if (page.statusCode !== 200) throw new Error(`sign-in page: ${page.statusCode} ${page.body}`);
  const asked = await browser.post(`/help/${slug}/portal/sign-in`, { email });
  if (asked.statusCode !== 200) throw new Error(`sign-in request: ${asked.statusCode} ${asked.body}`);
  const mail = await mailTo(sink, email, (m) => /portal\/auth\//.test(m.mail.text ?? ''), before);
  const link = signInLinkOf(mail);
  const opened = await browser.get(link);
  if (opened.statusCode !== 200) throw new Error(`sign-in link: ${opened.statusCode} ${opened.body}`);
  const used = await browser.post(link);
  if (used.statusCode !== 303) throw new Error(`sign-in: ${used.statusCode} ${used.body}`);
  if (!browser.cookie('heard_portal')) throw new Error('no portal cookie after signing in');
  return { link, mail };
}

/** An e-mail inbox that sends through SMTP_URL (the sink): sign-in links, confirmations and portal answers leave from it. */
export async function buildEmailInbox(app: FastifyInstance, admin: Caller, address = `support-${unique()}@heard.test`) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin.headers, payload: { name: `Mail ${unique()}`, channel: 'email', address } });
  if (res.statusCode !== 201) throw new Error(`email inbox: ${res.statusCode} ${res.body}`);
  return json(res) as { id: string; address: string };
}

/** HTML with Preact's escaping undone for the few entities it writes: for assertions on text. */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** A browser signed in to the agent app as a member (their heard_session cookie): the help center shows them drafts and the team's controls. */
export async function memberBrowser(app: FastifyInstance, secret: string, email: string) {
  const session = await signIn(app, email);
  const browser = new HelpBrowser(app, secret);
  browser.setCookie('heard_session', session.cookie.slice(session.cookie.indexOf('=') + 1), '/');
  return browser;
}

/** Asks a question in a help center's community through its page (as whoever the browser is), and answers the thread's number. */
export async function askQuestion(browser: HelpBrowser, slug: string, title: string, body: string, extra: Record<string, string> = {}) {
  await browser.get(`/help/${slug}/community/ask`);
  const res = await browser.post(`/help/${slug}/community`, { title, body, ...extra });
  const m = /\/community\/(\d+)$/.exec(String(res.headers.location ?? ''));
  if (res.statusCode !== 303 || !m) throw new Error(`ask: ${res.statusCode} ${res.body.slice(0, 500)}`);
  return Number(m[1]);
}

/** Answers a thread through its page; answers the new post's id. */
export async function answerQuestion(browser: HelpBrowser, slug: string, number: number, body: string, extra: Record<string, string> = {}) {
  await browser.get(`/help/${slug}/community/${number}`);
  const res = await browser.post(`/help/${slug}/community/${number}/answers`, { body, ...extra });
  const m = /#post-([0-9a-f-]{36})$/.exec(String(res.headers.location ?? ''));
  if (res.statusCode !== 303 || !m) throw new Error(`answer: ${res.statusCode} ${res.body.slice(0, 500)}`);
  return m[1];
}

/** A community thread as the team's API shows it, found by its number. */
export async function threadByNumber(app: FastifyInstance, member: Caller, number: number) {
  const res = await app.inject({ url: '/api/v1/community/threads?limit=100', headers: member.headers });
  const t = (json(res).items as { id: string; number: number }[]).find((x) => x.number === number);
  if (!t) throw new Error(`no thread #${number}`);
  const full = await app.inject({ url: `/api/v1/community/threads/${t.id}`, headers: member.headers });
  return json(full) as { id: string; number: number; posts: { id: string; body: string; hidden: boolean; deleted: boolean; accepted: boolean; author: { name: string; staff: boolean } }[]; [k: string]: unknown };
}
