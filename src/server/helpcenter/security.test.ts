import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityThreads, conversations, kbFeedback } from '../db/schema/index.js';
import { buildMember, type Client } from '../../../test/factories.js';
import { countRows } from '../../../test/helpers/database.js';
import {
  answerQuestion,
  askQuestion,
  buildArticle,
  buildEmailInbox,
  HelpBrowser,
  memberBrowser,
  multipart,
  publishHelpCenter,
  signInCustomer,
} from '../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../test/helpers/heard.js';
import { startSmtpSink } from '../../../test/helpers/smtp-sink.js';
import { FORM_COOKIE, issueFormToken } from './forms.js';

/** Markdown that tries to run script, load things or leave the page, in the ways people have found. */
const HOSTILE = [
  '<script>alert("s1")</script>',
  '<img src=x onerror=alert("s2")>',
  '<iframe src="https://evil.example/frame"></iframe>',
  '<a href="javascript:alert(3)">raw html link</a>',
  '<div onclick="alert(4)" style="background:url(javascript:alert(5))">raw div</div>',
  '<svg onload=alert(6)><circle r="1"/></svg>',
  '[plain js](javascript:alert(7))',
  '[mixed case](JaVaScRiPt:alert(8))',
  '[spaced](  javascript:alert(9))',
  '[entity](javascript&#58;alert(10))',
  '[tabbed](java\tscript:alert(11))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=)',
  '[vb](vbscript:msgbox(13))',
  '![img js](javascript:alert(14))',
  '![img data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTUpPjwvc3ZnPg==)',
  '<javascript:alert(16)>',
  'www.example.com/<script>alert(17)</script>',
  '[title attr](https://example.com "x\\" onmouseover=\\"alert(18)")',
  '<style>body{display:none}</style>',
  '<form action="https://evil.example"><input name="password"></form>',
  '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '``<script>alert(19)</script>``',
].join('\n\n');

/** The tags of an HTML page with their attributes (values with entities decoded): what a browser would build, text left out. */
function tagsOf(html: string) {
  const decode = (v: string) =>
    v
      .replace(/&#x([0-9a-f]+);?/gi, (_, x: string) => String.fromCodePoint(Number.parseInt(x, 16)))
      .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&quot;/g, '"')
      .replace(/&apos;|&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&colon;/gi, ':')
      .replace(/&amp;/g, '&');
  const tags: { name: string; attrs: Record<string, string> }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/\s+([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) attrs[a[1].toLowerCase()] = decode((a[2] ?? '').replace(/^["']|["']$/g, ''));
    tags.push({ name: m[1].toLowerCase(), attrs });
  }
  return tags;
}

/**
 * What must never be in a page built from the Markdown above: script but our own, frames,
 * plug-ins, SVG, event-handler attributes, or a URL that runs or embeds something.
 */
function expectInert(html: string) {
  const tags = tagsOf(html);
  expect(tags.length).toBeGreaterThan(10);
  for (const t of tags) {
    const where = `<${t.name} ${JSON.stringify(t.attrs)}>`;
    expect(['iframe', 'frame', 'object', 'embed', 'svg', 'math', 'base'], where).not.toContain(t.name);
    if (t.name === 'input') expect(t.attrs.type, where).not.toBe('password');
    if (t.name === 'img') expect(t.attrs.src, where).toMatch(/^(https:\/\/|\/help\/)/);
    if (t.name === 'script') expect(t.attrs.src, where).toMatch(/^\/help\/assets\/help\.js\?v=/);
    if (t.name === 'meta') expect(t.attrs['http-equiv'], where).toBeUndefined();
    if (t.name === 'form') expect(t.attrs.action, where).toMatch(/^\/help\//);
    for (const [name, value] of Object.entries(t.attrs)) {
      expect(name, where).not.toMatch(/^on/);
      if (['href', 'src', 'action', 'formaction', 'data', 'srcset', 'xlink:href', 'poster'].includes(name)) {
        expect(value.replace(/[\s\u0000-\u001f]/g, ''), where).not.toMatch(/^(javascript|vbscript|data|file):/i);
      }
      if (name === 'style') expect(value, where).not.toMatch(/url\(|expression\(/i);
    }
  }
  // No <style> but the brand colour in a page's head.
  expect(tags.filter((t) => t.name === 'style')).toHaveLength(html.includes('<head>') ? 1 : 0);
}

/** Help center security: forms that cannot be forged or flooded, Markdown that cannot run, pages with a CSP, and who sees what. */
describe('help center security', () => {
  let h: TestHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let owner: Client;
  let agent: Client;
  const slug = 'safe';
  const base = `/help/${slug}`;
  let article: { id: string; slug: string };

  const api = (by: Pick<Client, 'headers'>, method: string, path: string, payload?: unknown) =>
    h.app.inject({ method: method as 'GET', url: `/api/v1${path}`, headers: by.headers, payload: payload as object });
  const reader = async (url = base) => {
    const b = new HelpBrowser(h.app, h.ctx.secret);
    await b.get(url);
    return b;
  };
  const filesDir = () => path.join(h.ctx.config.dataDir, 'files');

  beforeAll(async () => {
    sink = await startSmtpSink();
    // A low limit on forms, so the rate limit shows; each browser comes from an address of its own.
    h = await startTestHeard({ SMTP_URL: sink.url, HEARD_HELP_RATE_LIMIT: '6' });
    owner = await buildMember(h.ctx, { workspace: 'Safe Co' });
    agent = await buildMember(h.ctx, { workspace: 'Safe Co', role: 'agent', name: 'Avery Agent' });
    await buildEmailInbox(h.app, owner);
    await publishHelpCenter(h.app, owner, { slug, footer: `Footer\n\n${HOSTILE}` });
    article = await buildArticle(h.app, agent, { title: 'Hostile article', body: `# Hostile\n\nSafe words stay.\n\n${HOSTILE}\n\n![fine image](https://cdn.example.com/ok.png) [fine link](https://example.com/ok)` });
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  describe('forms', () => {
    const feedback = () => `${base}/articles/${article.slug}/feedback`;
    const feedbackRows = () => countRows(h.ctx.db, kbFeedback);

    it('refuses a form without a token, with a wrong or forged one, or with one for another browser (403), and stores nothing', async () => {
      const before = await feedbackRows();
      const forged: [string, (b: HelpBrowser) => string | undefined][] = [
        ['no token', () => undefined],
        ['empty', () => ''],
        ['garbage', () => 'garbage'],
        ['signature changed', (b) => b.agedToken().replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
        ['time changed', (b) => {
          const [ts, id, sig] = b.agedToken().split('.');
          return `${(Number.parseInt(ts, 36) - 1).toString(36)}.${id}.${sig}`;
        }],
        ['signed with another secret', (b) => issueFormToken('another-secret', b.cookie(FORM_COOKIE)!, Date.now() - 5000)],
        ["for another browser's cookie", () => issueFormToken(h.ctx.secret, 'someone-elses-cookie-value', Date.now() - 5000)],
        ['more than a day old', (b) => issueFormToken(h.ctx.secret, b.cookie(FORM_COOKIE)!, Date.now() - 25 * 3_600_000)],
      ];
      for (const [what, token] of forged) {
        const b = await reader(`${base}/articles/${article.slug}`);
        const t = token(b);
        const res = await b.request({
          method: 'POST',
          url: feedback(),
          payload: new URLSearchParams({ ...(t === undefined ? {} : { _form: t }), helpful: 'yes' }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(res.statusCode, what).toBe(403);
        expect(res.body, what).toContain('This form has expired or did not come from this page.');
      }
      // A valid token without the cookie it belongs to.
      const b = await reader(`${base}/articles/${article.slug}`);
      const noCookie = await h.app.inject({ method: 'POST', url: feedback(), remoteAddress: '10.99.99.1', payload: new URLSearchParams({ _form: b.agedToken(), helpful: 'yes' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(noCookie.statusCode).toBe(403);
      expect(await feedbackRows()).toBe(before);
      // The same browser's proper token works.
      expect((await b.post(feedback(), { helpful: 'yes' })).statusCode).toBe(303);
      expect(await feedbackRows()).toBe(before + 1);
    });

    it('refuses a multipart form whose token is missing, or comes after the files, before storing anything', async () => {
      const b = await reader(`${base}/contact`);
      const before = await countRows(h.ctx.db, conversations);
      const fields = { name: 'Mallory', email: 'mallory@customers.test', subject: 'Forged', message: 'Forged form' };
      const noToken = multipart(fields, [{ filename: 'a.txt', contentType: 'text/plain', content: 'a' }]);
      const res = await b.request({ method: 'POST', url: `${base}/contact`, payload: noToken.payload, headers: { 'content-type': noToken.contentType } });
      expect(res.statusCode).toBe(403);
      // The token after a file: refused at the file, which is not stored.
      const stored = () => (fs.existsSync(filesDir()) ? fs.readdirSync(filesDir(), { recursive: true }).length : 0);
      const filesBefore = stored();
      const boundary = '----late-token';
      const late = [
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="late.txt"\r\nContent-Type: text/plain\r\n\r\nbytes sent before any token ${Date.now()}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="_form"\r\n\r\n${b.agedToken()}\r\n`,
        ...Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
        `--${boundary}--\r\n`,
      ].join('');
      const lateRes = await b.request({ method: 'POST', url: `${base}/contact`, payload: late, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
      expect(lateRes.statusCode).toBe(403);
      expect(stored()).toBe(filesBefore);
      const wrong = multipart({ _form: 'not.a.token', ...fields });
      expect((await b.request({ method: 'POST', url: `${base}/contact`, payload: wrong.payload, headers: { 'content-type': wrong.contentType } })).statusCode).toBe(403);
      expect(await countRows(h.ctx.db, conversations)).toBe(before);
    });

    it('refuses forms sent from another site (Origin), and takes those from its own', async () => {
      const b = await reader(`${base}/articles/${article.slug}`);
      const before = await feedbackRows();
      for (const origin of ['https://evil.example', 'http://localhost.evil.example', `${h.ctx.config.publicUrl}.evil.example`]) {
        const res = await b.post(feedback(), { helpful: 'no' }, { origin });
        expect(res.statusCode, origin).toBe(403);
        expect(res.body).toContain('This form was sent from another website');
      }
      const contact = await reader(`${base}/contact`);
      expect((await contact.postMultipart(`${base}/contact`, { name: 'x' }, [], { origin: 'https://evil.example' })).statusCode).toBe(403);
      expect(await feedbackRows()).toBe(before);
      expect((await b.post(feedback(), { helpful: 'no' }, { origin: h.ctx.config.publicUrl })).statusCode).toBe(303);
      expect(await feedbackRows()).toBe(before + 1);
    });

    it('limits the forms one address may send a minute (429 page), without slowing pages or other addresses', async () => {
      const b = await reader(`${base}/articles/${article.slug}`);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await b.post(feedback(), { helpful: 'yes' })).statusCode);
      expect(statuses.slice(0, 6).every((s) => s === 303)).toBe(true);
      const limited = await b.post(feedback(), { helpful: 'yes' });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(limited.body).toContain('Too many requests from here. Please wait a minute, then try again.');
      expect(limited.headers['retry-after']).toBeDefined();
      // Reading goes on, and another address may still send.
      expect((await b.get(`${base}/articles/${article.slug}`)).statusCode).toBe(200);
      const other = await reader(`${base}/articles/${article.slug}`);
      expect((await other.post(feedback(), { helpful: 'yes' })).statusCode).toBe(303);
    });

    it('refuses characters PostgreSQL cannot store with a page naming the field', async () => {
      const b = new HelpBrowser(h.app, h.ctx.secret);
      await signInCustomer(b, sink, slug, 'nul@customers.test');
      await b.get(`${base}/community/ask`);
      const res = await b.post(`${base}/community`, { title: 'A question with a \u0000 NUL', body: 'Body \u0000 with NUL', displayName: 'Nu\u0000l' });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toMatch(/(title|body|displayName): must not contain a NUL character/);
      const contact = await reader(`${base}/contact`);
      const sent = await contact.postMultipart(`${base}/contact`, { name: 'N\u0000ul', email: 'nul2@customers.test', subject: 'Sub\u0000ject', message: 'Mes\u0000sage' });
      expect(sent.statusCode).toBe(422);
      expect(sent.body).toContain('name: must not contain a NUL character');
      // Nothing of either was stored.
      const threads = await h.app.inject({ url: `${base}/community` });
      expect(threads.body).not.toContain('A question with a');
      expect((await h.ctx.database.raw.query(`select count(*)::int as n from conversations where subject like 'Sub%ject'`)).rows[0]).toEqual({ n: 0 });
    });
  });

  describe('what pages show', () => {
    it('renders hostile Markdown in articles and the footer inert, keeping safe links and staff images', async () => {
      const res = await h.app.inject({ url: `${base}/articles/${article.slug}` });
      expect(res.statusCode).toBe(200);
      expectInert(res.body);
      expect(res.body).toContain('Safe words stay.');
      expect(res.body).toContain('<p>&lt;script&gt;alert("s1")&lt;/script&gt;</p>');
      expect(res.body).toContain('<img src="https://cdn.example.com/ok.png" alt="fine image"');
      expect(res.body).toContain('<a href="https://example.com/ok" rel="noopener noreferrer">fine link</a>');
      expectInert((await h.app.inject({ url: base })).body);
      const stored = json(await api(agent, 'GET', `/kb/articles/${article.id}`));
      expectInert(stored.html);
    });

    it("renders hostile Markdown in customers' questions and answers inert, their images as links, their links nofollow", async () => {
      const b = new HelpBrowser(h.app, h.ctx.secret);
      await signInCustomer(b, sink, slug, 'mallory@customers.test');
      const n = await askQuestion(b, slug, '<script>alert("title")</script> question', `${HOSTILE}\n\n![pixel](https://tracker.example/p.gif)`, { displayName: '<img src=x onerror=alert(1)>' });
      await answerQuestion(b, slug, n, `${HOSTILE}\n\n[my site](https://spam.example)`);
      for (const url of [`${base}/community/${n}`, `${base}/community`, base, `${base}/search?q=question`]) {
        const res = await h.app.inject({ url });
        expect(res.statusCode, url).toBe(200);
        expectInert(res.body);
      }
      const page = (await h.app.inject({ url: `${base}/community/${n}` })).body;
      expect(page).toContain('<h1>&lt;script>alert(&quot;title&quot;)&lt;/script> question</h1>');
      expect(page).toContain('<span class="byline">&lt;img src=x onerror=alert(1)></span>');
      // No image loads from a customer's post: it is a link to it.
      expect(page).not.toContain('<img src="https://tracker.example');
      expect(page).toContain('<a href="https://tracker.example/p.gif" rel="nofollow ugc noopener noreferrer">pixel</a>');
      expect(page).toContain('<a href="https://spam.example" rel="nofollow ugc noopener noreferrer">my site</a>');
      const json404 = await h.app.inject({ url: `${base}/search.json?q=question` });
      expect(json404.headers['content-type']).toMatch(/^application\/json/);
    });

    it('escapes what readers type that comes back on the page', async () => {
      const q = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
      const res = await h.app.inject({ url: `${base}/search?q=${encodeURIComponent(q)}` });
      expectInert(res.body);
      expect(res.body).toContain('&quot;>&lt;script>');
      const b = await reader(`${base}/portal/sign-in`);
      const signIn = await b.post(`${base}/portal/sign-in`, { email: q });
      expect(signIn.statusCode).toBe(422);
      expectInert(signIn.body);
      const back = await h.app.inject({ url: `${base}/portal/sign-in?return=${encodeURIComponent('javascript:alert(1)')}` });
      expect(back.body).toContain(`name="return" value="${base}/portal"`);
    });

    it('sends a Content-Security-Policy on every page, error pages included', async () => {
      const b = await reader(`${base}/articles/${article.slug}`);
      const pages = [
        await h.app.inject({ url: base }),
        await h.app.inject({ url: `${base}/articles/${article.slug}` }),
        await h.app.inject({ url: `${base}/search?q=x` }),
        await h.app.inject({ url: `${base}/community` }),
        await h.app.inject({ url: `${base}/contact` }),
        await h.app.inject({ url: `${base}/portal/sign-in` }),
        await h.app.inject({ url: `${base}/nope` }),
        await h.app.inject({ url: '/help/no-such-center' }),
        await h.app.inject({ method: 'POST', url: `${base}/articles/${article.slug}/feedback`, payload: 'helpful=yes', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        await b.post(`${base}/articles/${article.slug}/feedback`, { helpful: 'yes' }, { origin: 'https://evil.example' }),
      ];
      for (const res of pages) {
        const csp = String(res.headers['content-security-policy']);
        expect(csp, `${res.statusCode} ${res.body.slice(0, 80)}`).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
      expect(pages.map((p) => p.statusCode)).toEqual([200, 200, 200, 200, 200, 200, 404, 404, 403, 403]);
    });
  });

  describe('who sees what', () => {
    it('keeps an unpublished help center from the public, on every route, and shows it to its members as a preview', async () => {
      const ws = await buildMember(h.ctx, { workspace: 'Draft Co' });
      await publishHelpCenter(h.app, ws, { slug: 'draftco' });
      const a = await buildArticle(h.app, ws, { title: 'Not yet public' });
      const b = await reader('/help/draftco');
      await api(ws, 'PATCH', '/help-center', { published: false });
      for (const path of ['', '/articles/not-yet-public', '/search?q=public', '/search.json?q=public', '/community', '/contact', '/portal/sign-in', '/sitemap.xml', '/opensearch.xml', `/suggestions/article/${a.id}`]) {
        const res = await h.app.inject({ url: `/help/draftco${path}` });
        expect(res.statusCode, path).toBe(404);
        expect(res.body, path).not.toContain('Not yet public');
      }
      const posted = await b.post('/help/draftco/articles/not-yet-public/feedback', { helpful: 'yes' });
      expect(posted.statusCode).toBe(404);
      expect((await h.app.inject({ url: '/robots.txt' })).body).not.toContain('draftco');

      const member = await memberBrowser(h.app, h.ctx.secret, ws.email);
      const preview = await member.get('/help/draftco/articles/not-yet-public');
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain('Preview: this help center is not published yet. Only your team sees it.');
      expect(preview.body).toContain('<meta name="robots" content="noindex"/>');
      // A member of another workspace is the public.
      const outsider = await memberBrowser(h.app, h.ctx.secret, owner.email);
      expect((await outsider.get('/help/draftco')).statusCode).toBe(404);
    });

    it("shows no staff controls to portal customers or to other workspaces' members, and refuses their moderation", async () => {
      const staff = await memberBrowser(h.app, h.ctx.secret, agent.email);
      const n = await askQuestion(staff, slug, 'A question staff can moderate', 'Details.');
      const staffPage = await staff.get(`${base}/community/${n}`);
      expect(staffPage.body).toContain(`action="${base}/community/${n}/moderate"`);
      expect(staffPage.body).toContain('class="staffbar"');

      const customer = new HelpBrowser(h.app, h.ctx.secret);
      await signInCustomer(customer, sink, slug, 'curious@customers.test');
      const rival = await buildMember(h.ctx, { workspace: 'Rival Safe Co', role: 'owner' });
      const outsider = await memberBrowser(h.app, h.ctx.secret, rival.email);
      const draft = await buildArticle(h.app, agent, { title: 'Staff only draft', status: 'draft' });
      for (const who of [customer, outsider]) {
        const page = await who.get(`${base}/community/${n}`);
        expect(page.statusCode).toBe(200);
        expect(page.body).not.toContain('/moderate"');
        expect(page.body).not.toContain('class="staffbar"');
        expect(page.body).not.toContain('/article"');
        expect((await who.post(`${base}/community/${n}/moderate`, { action: 'delete', reason: 'not mine' })).statusCode).toBe(403);
        expect((await who.post(`${base}/community/${n}/article`)).statusCode).toBe(403);
        expect((await who.get(`${base}/articles/${draft.slug}`)).statusCode).toBe(404);
        expect((await who.get(`${base}/community?filter=moderated`)).body).not.toContain('Moderated');
      }
      const [t] = await h.ctx.db.select().from(communityThreads).where(eq(communityThreads.number, n));
      expect(t.deletedAt).toBeNull();
      expect(t.articleId).toBeNull();
      // The outsider answering is a stranger with no portal session: sent to sign in, and nothing is posted.
      const answered = await outsider.post(`${base}/community/${n}/answers`, { body: 'Answer as a rival' });
      expect(answered.statusCode).toBe(303);
      expect(json(await api(agent, 'GET', `/community/threads/${t.id}`)).posts).toEqual([]);
    });
  });
});
