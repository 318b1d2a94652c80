import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpCenters, inboxes } from '../../db/schema/index.js';
import { selectRows } from '../../db/client.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import {
  answerQuestion,
  askQuestion,
  buildArticle,
  buildEmailInbox,
  HelpBrowser,
  memberBrowser,
  multipart,
  pngBytes,
  publishHelpCenter,
  threadByNumber,
} from '../../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

const MARK = /\u0001([^\u0002]*)\u0002/g;
const marked = (s: string) => [...s.matchAll(MARK)].map((m) => m[1].toLowerCase());

describe('help center settings, logo, stats and search', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let light: Client;

  const api = (by: Pick<Client, 'headers'>, method: string, path: string, payload?: unknown) =>
    h.app.inject({ method: method as 'GET', url: `/api/v1${path}`, headers: by.headers, payload: payload as object });
  const patch = (by: Pick<Client, 'headers'>, payload: Record<string, unknown>) => api(by, 'PATCH', '/help-center', payload);
  const fields = (res: { body: string }) => (json(res as never).errors as { field: string }[]).map((e) => e.field);
  const moderateThread = async (by: Client, id: string, action: string, reason?: string) => {
    const res = await api(by, 'POST', `/community/threads/${id}/moderate`, { action, reason });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Acme Help Co', name: 'Olga Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Acme Help Co', role: 'agent', name: 'Avery Agent' });
    light = await buildMember(h.ctx, { workspace: 'Acme Help Co', role: 'light' });
  });
  afterAll(() => h?.stop());

  describe('settings', () => {
    it('answers defaults on the first GET: named after the workspace, unpublished, no portal inbox yet', async () => {
      const res = await api(light, 'GET', '/help-center');
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res)).toEqual({
        slug: 'acme-help-co',
        url: `${h.ctx.config.publicUrl}/help/acme-help-co`,
        title: 'Acme Help Co',
        published: false,
        color: '#2563eb',
        logoUrl: null,
        footer: '',
        locale: 'en',
        language: 'english',
        portalInboxId: null,
        topics: [],
        communityEnabled: true,
        canSendMail: false,
        updatedAt: expect.any(String),
      });
      // Asking again finds the same one.
      expect(json(await api(owner, 'GET', '/help-center')).slug).toBe('acme-help-co');
      // Unpublished: the public finds nothing there.
      expect((await h.app.inject({ url: '/help/acme-help-co' })).statusCode).toBe(404);
    });

    it('refuses a reserved or taken slug, a bad colour and repeated topic ids with 422 naming the field, and changes nothing', async () => {
      const other = await buildMember(h.ctx, { workspace: 'Other Help Co' });
      await api(other, 'GET', '/help-center');
      for (const reserved of ['assets', 'files', 'api']) {
        const res = await patch(owner, { slug: reserved });
        expect(res.statusCode, reserved).toBe(422);
        expect(fields(res)).toEqual(['slug']);
      }
      const taken = await patch(owner, { slug: 'other-help-co' });
      expect(taken.statusCode).toBe(422);
      expect(json(taken).errors).toEqual([{ field: 'slug', reason: 'is the address of another help center' }]);
      expect(fields(await patch(owner, { slug: 'Has Spaces' }))).toEqual(['slug']);
      expect(fields(await patch(owner, { slug: 'x' }))).toEqual(['slug']);
      for (const color of ['red', '#12345', '#1234567', 'rgb(0,0,0)', '#12345g']) expect(fields(await patch(owner, { color })), color).toEqual(['color']);
      const topics = await patch(owner, { topics: [{ id: 'billing', name: 'Billing' }, { id: 'billing', name: 'Invoices' }] });
      expect(topics.statusCode).toBe(422);
      expect(fields(topics)).toEqual(['topics']);
      expect(fields(await patch(owner, { topics: [{ id: 'has space', name: 'X' }] }))).toEqual(['topics.0.id']);
      const mail = await buildEmailInbox(h.app, owner);
      const notPortal = await patch(owner, { portalInboxId: mail.id });
      expect(fields(notPortal)).toEqual(['portalInboxId']);

      const now = json(await api(owner, 'GET', '/help-center'));
      // The email inbox has no outgoing server, and this server no SMTP_URL: no sign-in mail could leave yet.
      expect(now).toMatchObject({ slug: 'acme-help-co', color: '#2563eb', topics: [], published: false, canSendMail: false });
    });

    it('lets only owners and admins change settings; everyone in the workspace reads them', async () => {
      expect((await patch(agent, { title: 'By an agent' })).statusCode).toBe(403);
      expect((await patch(light, { title: 'By a light member' })).statusCode).toBe(403);
      const ok = await patch(owner, { title: 'Acme Help', color: '#0F766E', footer: '**Acme** · [Status](https://status.acme.test)', topics: [{ id: 'billing', name: 'Billing' }, { id: 'shipping', name: 'Shipping' }] });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(json(ok)).toMatchObject({ title: 'Acme Help', color: '#0F766E', footer: '**Acme** · [Status](https://status.acme.test)', topics: [{ id: 'billing' }, { id: 'shipping' }] });
      expect(json(await api(agent, 'GET', '/help-center')).title).toBe('Acme Help');
      const audit = json(await api(owner, 'GET', '/audit-log')).items;
      expect(audit.find((e: any) => e.action === 'help_center.update')).toMatchObject({ actorMemberId: owner.memberId, data: { title: 'Acme Help', footer: '(changed)' } });
    });

    it('publishing opens it to the public and makes one portal inbox for its contact form', async () => {
      const hc = await publishHelpCenter(h.app, owner, { slug: 'acme' });
      expect(hc).toMatchObject({ slug: 'acme', published: true, url: `${h.ctx.config.publicUrl}/help/acme` });
      expect(hc.portalInboxId).toMatch(/^[0-9a-f-]{36}$/);
      const [inbox] = await h.ctx.db.select().from(inboxes).where(eq(inboxes.id, hc.portalInboxId!));
      expect(inbox).toMatchObject({ channel: 'portal', name: 'Help center', workspaceId: owner.workspaceId });
      // Publishing again (or any change) makes no second one.
      const again = json(await patch(owner, { published: true, title: 'Acme Help' }));
      expect(again.portalInboxId).toBe(hc.portalInboxId);
      const portals = json(await api(owner, 'GET', '/inboxes')).items.filter((i: any) => i.channel === 'portal');
      expect(portals).toHaveLength(1);

      const home = await h.app.inject({ url: '/help/acme' });
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('<title>Acme Help</title>');
      expect(home.body).toContain('--brand:#0F766E');
      expect(home.body).toContain('<strong>Acme</strong>');
      // The old address serves nothing of its own any more.
      const old = await h.app.inject({ url: '/help/acme-help-co' });
      expect(old.statusCode === 404 || (old.statusCode === 301 && old.headers.location === '/help/acme'), `${old.statusCode} ${old.headers.location}`).toBe(true);
    });
  });

  describe('logo', () => {
    const uploadLogo = (by: Pick<Client, 'headers'>, content: Buffer | string, contentType = 'image/png') => {
      const body = multipart({}, [{ field: 'file', filename: 'logo.png', contentType, content }]);
      return h.app.inject({ method: 'POST', url: '/api/v1/help-center/logo', headers: { ...by.headers, 'content-type': body.contentType }, payload: body.payload });
    };

    it('takes a PNG, serves it at the logo address with nosniff, shows it on the pages, and removes it', async () => {
      const png = pngBytes(10);
      const res = await uploadLogo(owner, png);
      expect(res.statusCode, res.body).toBe(200);
      const { logoUrl } = json(res);
      expect(logoUrl).toMatch(/^\/help\/acme\/logo\?v=[0-9a-f]{16}$/);
      const served = await h.app.inject({ url: logoUrl });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/png');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.rawPayload.equals(png)).toBe(true);
      expect((await h.app.inject({ url: '/help/acme' })).body).toContain(`<img src="${logoUrl.replace('&', '&amp;')}"`);

      expect((await uploadLogo(agent, png)).statusCode).toBe(403);
      const svg = await uploadLogo(owner, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/svg+xml');
      expect(svg.statusCode).toBe(422);
      expect(fields(svg)).toEqual(['file']);
      const big = await uploadLogo(owner, pngBytes(1024 * 1024));
      expect(big.statusCode).toBe(422);
      expect(json(big).errors).toEqual([{ field: 'file', reason: 'must be at most 1 MB' }]);
      // Refused uploads leave the logo as it was.
      expect(json(await api(owner, 'GET', '/help-center')).logoUrl).toBe(logoUrl);

      const removed = await api(owner, 'DELETE', '/help-center/logo');
      expect(json(removed).logoUrl).toBeNull();
      expect((await h.app.inject({ url: '/help/acme/logo' })).statusCode).toBe(404);
      expect((await h.app.inject({ url: '/help/acme' })).body).not.toContain('/help/acme/logo');
    });
  });

  describe('search', () => {
    const search = async (q: string, extra = '') => {
      const res = await h.app.inject({ url: `/help/acme/search.json?q=${encodeURIComponent(q)}${extra}` });
      expect(res.statusCode, res.body).toBe(200);
      return json(res) as { total: number; items: { kind: string; title: string; titleHighlight: string; snippet: string; url: string }[] };
    };
    /** The titles the search page lists for a query (the page is where the websearch syntax applies). */
    const titles = async (q: string) => {
      const res = await h.app.inject({ url: `/help/acme/search?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, res.body).toBe(200);
      return [...res.body.matchAll(/<h2 class="h3"><a href="[^"]+">(.*?)<\/a>/g)].map((m) => m[1].replace(/<\/?mark>/g, '').replace(/&amp;/g, '&'));
    };
    /** And what the suggestions as people type list. */
    const suggested = async (q: string) => (await search(q)).items.map((i) => i.title);
    let staff: HelpBrowser;

    beforeAll(async () => {
      staff = await memberBrowser(h.app, h.ctx.secret, agent.email);
    });

    it('ranks title matches first and articles ahead of threads, across both, with the matched words highlighted', async () => {
      const title = await buildArticle(h.app, agent, { title: 'Change your password', body: 'Open the account settings and choose a new one.' });
      const body = await buildArticle(h.app, agent, { title: 'Account settings', body: 'Here you change your e-mail address. The password is elsewhere.' });
      const n = await askQuestion(staff, 'acme', 'How do I change my password?', 'I forgot it and want a new one.');
      const result = await search('password');
      expect(result.items.map((i) => [i.kind, i.title])).toEqual([
        ['article', 'Change your password'],
        ['thread', 'How do I change my password?'],
        ['article', 'Account settings'],
      ]);
      expect(result.total).toBe(3);
      expect(result.items[0].url).toBe(`/help/acme/articles/${title.slug}`);
      expect(result.items[1].url).toBe(`/help/acme/community/${n}`);
      expect(marked(result.items[0].titleHighlight)).toEqual(['password']);
      expect(marked(result.items[2].snippet)).toEqual(['password']);
      expect(result.items[2].title).toBe(body.title);
      // Word forms: "changing" finds "change".
      expect(await titles('changing passwords')).toEqual(expect.arrayContaining(['Change your password', 'How do I change my password?']));

      // The page shows them as <mark>, with nothing of the markers left.
      const page = await h.app.inject({ url: '/help/acme/search?q=password' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<mark>password</mark>');
      expect(page.body).toContain('3 results for “password”');
      expect(page.body).not.toMatch(/[\u0001\u0002]/);
    });

    it('pages results: ten to a page, with the total', async () => {
      for (let i = 0; i < 12; i++) await buildArticle(h.app, agent, { title: `Voucher rule ${i}`, body: 'Vouchers apply at checkout.' });
      const first = await h.app.inject({ url: '/help/acme/search?q=voucher' });
      expect(first.body).toContain('12 results for “voucher”');
      expect(first.body.match(/<li><p class="kind">/g)).toHaveLength(10);
      expect(first.body).toContain('1 / 2');
      const second = await h.app.inject({ url: '/help/acme/search?q=voucher&page=2' });
      expect(second.body.match(/<li><p class="kind">/g)).toHaveLength(2);
      const titlesOf = (html: string) => [...html.matchAll(/<h2 class="h3"><a href="[^"]+">(.*?)<\/a>/g)].map((m) => m[1].replace(/<\/?mark>/g, ''));
      expect(new Set([...titlesOf(first.body), ...titlesOf(second.body)]).size).toBe(12);
      // The suggestions ask for a few at a time.
      const few = await search('voucher', '&limit=5');
      expect(few.items).toHaveLength(5);
      expect(few.total).toBe(12);
    });

    it('never finds drafts, archived articles, hidden or deleted threads, or hidden answers, by words or by spelling', async () => {
      await buildArticle(h.app, agent, { title: 'Zebra crossing rules', body: 'Visible zebra article.' });
      await buildArticle(h.app, agent, { title: 'Zebra draft notes', body: 'zebra', status: 'draft' });
      const archived = await buildArticle(h.app, agent, { title: 'Zebra archive', body: 'zebra' });
      await api(agent, 'PATCH', `/kb/articles/${archived.id}`, { status: 'archived' });
      const hidden = await threadByNumber(h.app, agent, await askQuestion(staff, 'acme', 'Zebra hidden question', 'zebra'));
      await moderateThread(agent, hidden.id, 'hide', 'off topic');
      const deleted = await threadByNumber(h.app, agent, await askQuestion(staff, 'acme', 'Zebra deleted question', 'zebra'));
      await moderateThread(agent, deleted.id, 'delete', 'spam');
      const visibleN = await askQuestion(staff, 'acme', 'Where can I cross the road?', 'Near the school.');
      const post = await answerQuestion(staff, 'acme', visibleN, 'Use the zebra by the park.');
      expect(await titles('zebra')).toEqual(expect.arrayContaining(['Where can I cross the road?']));
      expect((await api(agent, 'POST', `/community/posts/${post}/moderate`, { action: 'hide', reason: 'wrong' })).statusCode).toBe(200);

      expect(await titles('zebra')).toEqual(['Zebra crossing rules']);
      expect(await suggested('zebra')).toEqual(['Zebra crossing rules']);
      // Spelt wrong, the titles are matched by similarity: still only what the public may read.
      expect(await titles('zebre')).toEqual(['Zebra crossing rules']);
      expect(await suggested('zebre')).toEqual(['Zebra crossing rules']);
      expect(await titles('"zebra draft"')).toEqual([]);
      const many = await titles('zebra archive hidden deleted draft question');
      for (const hiddenTitle of ['Zebra archive', 'Zebra draft notes', 'Zebra hidden question', 'Zebra deleted question']) expect(many).not.toContain(hiddenTitle);
    });

    it('forgives typos in short queries: "pasword" finds "Reset your password"', async () => {
      await buildArticle(h.app, agent, { title: 'Reset your password', body: 'Use the link on the sign-in page.' });
      const result = await search('pasword');
      expect(result.items.map((i) => i.title)).toContain('Reset your password');
      const page = await h.app.inject({ url: '/help/acme/search?q=pasword' });
      // Corrected to the articles' spelling, and said so.
      expect(page.body).toContain('Nothing has “pasword”');
      expect(page.body).toContain('for “password”');
      expect(page.body).toContain('Reset your <mark>password</mark>');
      expect(await suggested('pasword')).toContain('Reset your password');
      // Words that are nowhere find nothing, spelt like nothing either.
      expect(await titles('xylophone quartz zeppelin walrus')).toEqual([]);
    });

    it('corrects a misspelt word to one the articles use: "refnd" finds what "refund" finds', async () => {
      const returns = await buildArticle(h.app, agent, { title: 'How to send an item back', body: 'Print the label; the refund reaches your card within five days of the returns desk scanning it.' });
      expect(await titles('refund')).toContain('How to send an item back');
      expect(await titles('refnd')).toContain('How to send an item back');
      expect(await titles('retrns desk')).toContain('How to send an item back');
      const page = await h.app.inject({ url: '/help/acme/search?q=refnd' });
      expect(page.body).toContain('Nothing has “refnd”');
      expect(page.body).toContain('for “refund”');
      expect(await suggested('refnd')).toContain('How to send an item back');
      // The vocabulary follows the articles: unpublished, its words correct nothing.
      expect((await api(agent, 'PATCH', `/kb/articles/${returns.id}`, { status: 'draft' })).statusCode).toBe(200);
      expect(await titles('refnd')).not.toContain('How to send an item back');
      const [row] = await selectRows<{ n: number }>(h.ctx.db, sql`select count(*)::int as n from help_center_words where word = 'refund' and articles > 0`);
      expect(row.n).toBe(0);
    });

    it('understands websearch syntax, and is safe with odd input', async () => {
      expect(await titles('password -reset')).not.toContain('Reset your password');
      expect(await titles('password -reset')).toContain('Change your password');
      const phrase = await titles('"change your password"');
      expect(phrase).toContain('Change your password');
      // "Account settings" has both words, apart.
      expect(phrase).not.toContain('Account settings');
      expect(phrase).not.toContain('Reset your password');
      expect(await titles('"password change"')).toEqual([]);
      expect(await titles('reset or change')).toEqual(expect.arrayContaining(['Change your password', 'Reset your password']));
      for (const odd of ["'", "''", '&|!', '!!!', '(', ')', '"', ':*', 'a & b | !c', "password' or 1=1 --", '\\', '<script>', '-', '--', 'or', '%', '_']) {
        const res = await h.app.inject({ url: `/help/acme/search.json?q=${encodeURIComponent(odd)}` });
        expect(res.statusCode, odd).toBe(200);
        const page = await h.app.inject({ url: `/help/acme/search?q=${encodeURIComponent(odd)}` });
        expect(page.statusCode, odd).toBe(200);
        expect(page.body).not.toContain('<script>');
      }
      // A NUL is no search: a page saying so, never a failed query.
      const nul = await h.app.inject({ url: `/help/acme/search?q=${encodeURIComponent('\u0000x')}` });
      expect(nul.statusCode).toBe(422);
      expect(nul.body).toContain('querystring.q: must not contain a NUL character');
      expect((await h.app.inject({ url: `/help/acme/search.json?q=${encodeURIComponent('\u0000x')}` })).statusCode).toBe(422);
      // A very long query is searched by its beginning; repeated or unknown parameters are ignored.
      const long = 'password '.repeat(2000);
      const res = await h.app.inject({ url: `/help/acme/search?q=${encodeURIComponent(long)}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<mark>password</mark>');
      expect(json(await h.app.inject({ url: `/help/acme/search.json?q=${encodeURIComponent(long)}` })).items.length).toBeGreaterThan(0);
      expect((await h.app.inject({ url: '/help/acme/search?q=a&q=b&page=x' })).statusCode).toBe(200);
      expect((await h.app.inject({ url: '/help/acme/search.json?q=password&kinds=bogus&limit=999' })).statusCode).toBe(200);
    });

    it("never finds another workspace's content", async () => {
      const other = await buildMember(h.ctx, { workspace: 'Rival Co' });
      await publishHelpCenter(h.app, other, { slug: 'rival' });
      await buildArticle(h.app, other, { title: 'Quokka care guide', body: 'Quokkas need shade.' });
      await buildArticle(h.app, agent, { title: 'Our own quokka page', body: 'We love quokkas.' });
      expect(await titles('quokka')).toEqual(['Our own quokka page']);
      expect(await suggested('quokka')).toEqual(['Our own quokka page']);
      expect(await titles('quoka')).toEqual(['Our own quokka page']);
      expect(await suggested('quoka')).toEqual(['Our own quokka page']);
      const theirs = await h.app.inject({ url: '/help/rival/search.json?q=quokka' });
      expect(json(theirs).items.map((i: any) => i.title)).toEqual(['Quokka care guide']);
    });
  });

  describe('language', () => {
    it('re-indexes articles and questions in the new language: German stemming finds "Passwörter" by "Passwort"', async () => {
      const de = await buildMember(h.ctx, { workspace: 'Deutsch GmbH' });
      await publishHelpCenter(h.app, de, { slug: 'deutsch' });
      await buildArticle(h.app, de, { title: 'Zugang wiederherstellen', body: 'Alle Passwörter werden verschlüsselt gespeichert.' });
      const browser = await memberBrowser(h.app, h.ctx.secret, de.email);
      await askQuestion(browser, 'deutsch', 'Wo ändere ich meine Daten?', 'Die Kennwörter meiner Kollegen sind alt.');
      const found = async (q: string) => {
        const res = await h.app.inject({ url: `/help/deutsch/search.json?q=${encodeURIComponent(q)}` });
        return (json(res).items as { title: string; snippet: string }[]).filter((i) => marked(i.snippet).length > 0).map((i) => i.title);
      };
      expect(await found('Passwort')).toEqual([]);
      expect(await found('Kennwort')).toEqual([]);

      const changed = await api(de, 'PATCH', '/help-center', { language: 'german', locale: 'de' });
      expect(json(changed)).toMatchObject({ language: 'german', locale: 'de' });
      expect(await found('Passwort')).toEqual(['Zugang wiederherstellen']);
      expect(await found('Kennwort')).toEqual(['Wo ändere ich meine Daten?']);
      // What is written after the change is stemmed in German too.
      await buildArticle(h.app, de, { title: 'Rechnungen herunterladen', body: 'Ihre Rechnungen finden Sie im Konto.' });
      expect(await found('Rechnung')).toEqual(['Rechnungen herunterladen']);
      // The pages speak German now.
      const home = await h.app.inject({ url: '/help/deutsch' });
      expect(home.body).toContain('<html lang="de">');
      expect(home.body).toContain('Wie können wir helfen?');
      expect((await api(de, 'PATCH', '/help-center', { language: 'klingon' })).statusCode).toBe(422);
    });
  });

  describe('stats', () => {
    it('counts articles, helpfulness, comments, suggestions that solved the question, and open community questions', async () => {
      const ws = await buildMember(h.ctx, { workspace: 'Stats Co' });
      await publishHelpCenter(h.app, ws, { slug: 'stats' });
      const a = await buildArticle(h.app, ws, { title: 'Track a parcel', body: 'Use the tracking link.' });
      await buildArticle(h.app, ws, { title: 'Return a parcel', body: 'Print the label.' });
      await buildArticle(h.app, ws, { title: 'Draft about parcels', status: 'draft' });
      const empty = json(await api(ws, 'GET', '/help-center/stats'));
      expect(empty).toEqual({
        articles: { published: 2, drafts: 1, views: 0, helpfulYes: 0, helpfulNo: 0, commentsLast30Days: 0 },
        suggestionsLast30Days: { opened: 0, solved: 0 },
        community: { threads: 0, unanswered: 0, accepted: 0 },
      });

      const page = `/help/stats/articles/${a.slug}`;
      for (const helpful of ['yes', 'yes', 'no']) {
        const reader = new HelpBrowser(h.app, h.ctx.secret);
        await reader.get(page);
        await reader.post(`${page}/feedback`, { helpful });
        if (helpful === 'no') {
          const action = /action="([^"]+\/comment)"/.exec((await reader.get(page)).body)![1];
          await reader.post(action, { comment: 'Where is the link?' });
        }
      }
      // A contact-form suggestion opened twice, once said to have solved it.
      const visitor = new HelpBrowser(h.app, h.ctx.secret);
      await visitor.get('/help/stats/contact');
      const opened = await visitor.get(`/help/stats/suggestions/article/${a.id}?q=where%20is%20my%20parcel`);
      expect(opened.statusCode).toBe(303);
      const deflection = /deflection=([0-9a-f-]{36})/.exec(String(opened.headers.location))![1];
      await visitor.get(String(opened.headers.location));
      expect((await visitor.post(`/help/stats/suggestions/${deflection}/solved`)).statusCode).toBe(303);
      await visitor.get(`/help/stats/suggestions/article/${a.id}?q=parcel`);

      const staff = await memberBrowser(h.app, h.ctx.secret, ws.email);
      await askQuestion(staff, 'stats', 'Nobody answered this yet', 'Still waiting.');
      const answered = await askQuestion(staff, 'stats', 'Answered and accepted one', 'Please help.');
      const post = await answerQuestion(staff, 'stats', answered, 'Here is how.');
      const t = await threadByNumber(h.app, ws, answered);
      expect((await api(ws, 'POST', `/community/threads/${t.id}/accept`, { postId: post })).statusCode).toBe(200);
      const hidden = await threadByNumber(h.app, ws, await askQuestion(staff, 'stats', 'A hidden question here', 'Spam.'));
      await moderateThread(ws, hidden.id, 'hide', 'spam');

      const stats = json(await api(ws, 'GET', '/help-center/stats'));
      expect(stats).toEqual({
        // Views are added in batches every few seconds (site tests count them).
        articles: { published: 2, drafts: 1, views: expect.any(Number), helpfulYes: 2, helpfulNo: 1, commentsLast30Days: 1 },
        suggestionsLast30Days: { opened: 2, solved: 1 },
        community: { threads: 2, unanswered: 1, accepted: 1 },
      });
      expect(json(await api(ws, 'GET', `/kb/articles/${a.id}`))).toMatchObject({ helpfulYes: 2, helpfulNo: 1, deflections: 1 });
      // Another workspace's figures are its own.
      expect(json(await api(light, 'GET', '/help-center/stats')).suggestionsLast30Days).toEqual({ opened: 0, solved: 0 });
    });
  });

  it('keeps the API document building with the help center routes in it', async () => {
    const res = await h.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = json(res);
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/help-center', '/api/v1/help-center/logo', '/api/v1/help-center/stats', '/api/v1/kb/articles', '/api/v1/kb/articles/{id}', '/api/v1/kb/images', '/api/v1/community/threads/{id}/moderate']) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    expect(doc.paths['/api/v1/help-center'].patch.requestBody.content['application/json'].schema.properties).toHaveProperty('slug');
    // The public pages are HTML, not API.
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/help'))).toEqual([]);
    const [row] = await h.ctx.db.select().from(helpCenters).where(eq(helpCenters.workspaceId, owner.workspaceId));
    expect(row.slug).toBe('acme');
  });
});
