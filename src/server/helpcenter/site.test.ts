import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpDeflections, kbFeedback } from '../db/schema/index.js';
import { buildMember, type Client } from '../../../test/factories.js';
import { countRows } from '../../../test/helpers/database.js';
import {
  answerQuestion,
  askQuestion,
  buildArticle,
  buildCategory,
  buildEmailInbox,
  HelpBrowser,
  memberBrowser,
  publishHelpCenter,
  signInCustomer,
  textOf,
  threadByNumber,
} from '../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../test/helpers/heard.js';
import { waitFor } from '../../../test/helpers/receiver.js';
import { popularArticles, publishedCategories } from '../domains/knowledge-base/published.js';
import { startSmtpSink } from '../../../test/helpers/smtp-sink.js';

/**
 * The public help center's pages, as readers, crawlers and the team see them: the
 * knowledge base, "was this helpful?", the contact form's suggestions, the community
 * with the staff's controls, and what crawlers ask for.
 */
describe('help center site', () => {
  let h: TestHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let owner: Client;
  let agent: Client;
  const slug = 'shop';
  const base = `/help/${slug}`;
  let category: { id: string; slug: string; name: string };
  let article: { id: string; slug: string; title: string };
  let draft: { id: string; slug: string };
  let archived: { id: string; slug: string };

  const api = (by: Pick<Client, 'headers'>, method: string, path: string, payload?: unknown) =>
    h.app.inject({ method: method as 'GET', url: `/api/v1${path}`, headers: by.headers, payload: payload as object });
  const page = (url: string, headers: Record<string, string> = {}) => h.app.inject({ url, headers: { 'user-agent': 'Mozilla/5.0 Test', ...headers } });
  const reader = () => new HelpBrowser(h.app, h.ctx.secret);

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTestHeard({ SMTP_URL: sink.url });
    owner = await buildMember(h.ctx, { workspace: 'Shop Co', name: 'Olga Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Shop Co', role: 'agent', name: 'Avery Agent' });
    await buildEmailInbox(h.app, owner);
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  it('sends /help to the one published help center, and says so plainly when there is none or several', async () => {
    const none = await page('/help');
    expect(none.statusCode).toBe(404);
    expect(none.body).toBe('No help center is published on this server.\n');
    await publishHelpCenter(h.app, owner, { slug, title: 'Shop Help' });
    const one = await page('/help');
    expect(one.statusCode).toBe(302);
    expect(one.headers.location).toBe(base);

    category = await buildCategory(h.app, agent, { name: 'Orders', description: 'Placing and changing orders' });
    article = await buildArticle(h.app, agent, { title: 'Change an order', body: '## Before it ships\n\nOpen **My orders** and choose *Change*.', categoryId: category.id });
    draft = await buildArticle(h.app, agent, { title: 'Secret draft about orders', status: 'draft', categoryId: category.id });
    archived = await buildArticle(h.app, agent, { title: 'Old archived order policy', categoryId: category.id });
    await api(agent, 'PATCH', `/kb/articles/${archived.id}`, { status: 'archived' });
  });

  it('shows the home page with its categories, popular articles and the way to a person', async () => {
    await buildCategory(h.app, agent, { name: 'Only drafts here' }).then((c) => buildArticle(h.app, agent, { title: 'Draft only', status: 'draft', categoryId: c.id }));
    const res = await page(base);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toMatch(/^<!doctype html><html lang="en">/);
    expect(res.body).toContain('<title>Shop Help</title>');
    expect(res.body).toContain(`<link rel="canonical" href="${h.ctx.config.publicUrl}${base}"/>`);
    const text = textOf(res.body);
    expect(text).toContain('How can we help?');
    expect(text).toContain('Orders');
    expect(text).toContain('Change an order');
    expect(text).not.toContain('Secret draft');
    expect(text).not.toContain('Old archived');
    // A category with nothing published is not shown.
    expect(text).not.toContain('Only drafts here');
    expect(res.body).toContain(`href="${base}/contact"`);
    expect(res.body).toContain(`href="${base}/categories/${category.slug}"`);
  });

  it('shows a category with its published articles only, and a 404 page for an unknown one', async () => {
    const res = await page(`${base}/categories/${category.slug}`);
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('Placing and changing orders');
    expect(text).toContain('Change an order');
    expect(text).toContain('1 article');
    expect(text).not.toContain('Secret draft');
    expect(text).not.toContain('Old archived');
    const missing = await page(`${base}/categories/nope`);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Page not found');
    expect(missing.body).toContain('<title>Page not found · Shop Help</title>');
  });

  it('shows a published article to everyone, and drafts and archived ones only to members of its workspace', async () => {
    const res = await page(`${base}/articles/${article.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h2 id="before-it-ships">Before it ships</h2>');
    expect(res.body).toContain('<strong>My orders</strong>');
    expect(res.body).toContain(`<a href="${base}/categories/${category.slug}">Orders</a>`);
    expect(textOf(res.body)).toContain('by Avery Agent');
    expect(res.body).not.toContain('name="robots"');
    expect(res.body).toContain('Was this article helpful?');

    for (const a of [draft, archived]) {
      const pub = await page(`${base}/articles/${a.slug}`);
      expect(pub.statusCode).toBe(404);
      expect(pub.body).toContain('Page not found');
    }
    const staff = await memberBrowser(h.app, h.ctx.secret, agent.email);
    const preview = await staff.get(`${base}/articles/${draft.slug}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Draft: only your team sees it.');
    expect(preview.body).toContain('<meta name="robots" content="noindex"/>');
    expect(preview.body).not.toContain('rel="canonical"');
    expect((await staff.get(`${base}/articles/${archived.slug}`)).body).toContain('Archived: only your team sees it.');
    // A member of another workspace is the public here.
    const rival = await buildMember(h.ctx, { workspace: 'Rival Shop' });
    const outsider = await memberBrowser(h.app, h.ctx.secret, rival.email);
    expect((await outsider.get(`${base}/articles/${draft.slug}`)).statusCode).toBe(404);
    expect((await page(`${base}/articles/no-such-article`)).statusCode).toBe(404);
  });

  it('suggests related articles: those sharing words of the title first, then others of its category, never drafts', async () => {
    const cancel = await buildArticle(h.app, agent, { title: 'Cancel an order', categoryId: category.id });
    const shipping = await buildArticle(h.app, agent, { title: 'Shipping times', categoryId: category.id });
    const elsewhere = await buildArticle(h.app, agent, { title: 'Order history export' });
    const res = await page(`${base}/articles/${cancel.slug}`);
    const related = /<section aria-labelledby="related-h">(.*?)<\/section>/s.exec(res.body)![1];
    const titles = [...related.matchAll(/<a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(titles.slice(0, 2).sort()).toEqual([article.title, elsewhere.title].sort());
    expect(titles).toContain(shipping.title);
    expect(titles).not.toContain('Cancel an order');
    expect(titles.join(' ')).not.toMatch(/Secret draft|Old archived/);
  });

  it("counts readers' views in batches; crawlers and the team are not readers", async () => {
    const counted = await buildArticle(h.app, agent, { title: 'Counting views here' });
    const staff = await memberBrowser(h.app, h.ctx.secret, agent.email);
    await staff.get(`${base}/articles/${counted.slug}`);
    await page(`${base}/articles/${counted.slug}`, { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
    await h.app.inject({ url: `${base}/articles/${counted.slug}`, headers: { 'user-agent': '' } });
    for (let i = 0; i < 3; i++) await reader().get(`${base}/articles/${counted.slug}`);
    const staffThread = await askQuestion(staff, slug, 'Counting thread views', 'How many?');
    await staff.get(`${base}/community/${staffThread}`);
    await reader().get(`${base}/community/${staffThread}`);
    await reader().get(`${base}/community/${staffThread}`);

    // The counter adds its tallies every few seconds; here, at once.
    const views = async () => json(await api(agent, 'GET', `/kb/articles/${counted.id}`)).views as number;
    await h.views.flush();
    // Exactly the readers': had the crawler, the empty user agent or the member been counted, the total would be past 3.
    expect(await views()).toBe(3);
    const t = await threadByNumber(h.app, agent, staffThread);
    expect(json(await api(agent, 'GET', `/community/threads/${t.id}`)).views).toBe(2);
  });

  it('lists the most read first, on the home page and in their category, and follows an article moved or archived', async () => {
    const first = await buildCategory(h.app, agent, { name: 'Read most' });
    const second = await buildCategory(h.app, agent, { name: 'Moved to' });
    const some = await buildArticle(h.app, agent, { title: 'Read by one', categoryId: first.id });
    const most = await buildArticle(h.app, agent, { title: 'Read by five', categoryId: first.id });
    const none = await buildArticle(h.app, agent, { title: 'Read by nobody', categoryId: first.id });
    await reader().get(`${base}/articles/${some.slug}`);
    for (let i = 0; i < 5; i++) await reader().get(`${base}/articles/${most.slug}`);
    await h.views.flush();

    const home = async () => {
      const top = await publishedCategories(h.ctx.db, owner.workspaceId);
      const titles = (id: string) => top.find((c) => c.category.id === id)?.top.map((a) => a.title) ?? null;
      const ours = new Set([some.id, most.id, none.id]);
      const popular = (await popularArticles(h.ctx.db, owner.workspaceId, 100)).filter((a) => ours.has(a.id)).map((a) => a.title);
      return { first: titles(first.id), second: titles(second.id), popular };
    };
    let now = await home();
    expect(now.first).toEqual(['Read by five', 'Read by one', 'Read by nobody']);
    expect(now.second).toBeNull();
    expect(now.popular).toEqual(['Read by five', 'Read by one', 'Read by nobody']);
    // The home page shows the same order.
    const html = (await page(base)).body;
    expect(html.indexOf('Read by five')).toBeLessThan(html.indexOf('Read by one'));

    expect((await api(agent, 'PATCH', `/kb/articles/${most.id}`, { categoryId: second.id })).statusCode).toBe(200);
    now = await home();
    expect(now.first).toEqual(['Read by one', 'Read by nobody']);
    expect(now.second).toEqual(['Read by five']);
    expect((await api(agent, 'PATCH', `/kb/articles/${most.id}`, { status: 'archived' })).statusCode).toBe(200);
    now = await home();
    expect(now.second).toBeNull();
    expect(now.popular).toEqual(['Read by one', 'Read by nobody']);
    expect(json(await api(agent, 'GET', `/kb/articles/${most.id}`)).views).toBe(5);
    // A category deleted leaves its articles without one, and out of every category's list.
    expect((await api(owner, 'DELETE', `/kb/categories/${first.id}`)).statusCode).toBe(204);
    now = await home();
    expect(now.first).toBeNull();
    expect(now.popular).toEqual(['Read by one', 'Read by nobody']);
  });

  it('counts "was this helpful?" once per reader, and takes a comment on their own answer only', async () => {
    const a = await buildArticle(h.app, agent, { title: 'Return an item' });
    const path = `${base}/articles/${a.slug}`;
    const first = reader();
    await first.get(path);
    const voted = await first.post(`${path}/feedback`, { helpful: 'no' });
    expect(voted.statusCode).toBe(303);
    expect(voted.headers.location).toBe(`${path}#feedback`);
    // A second click (or a reload of the form) counts nothing more.
    await first.post(`${path}/feedback`, { helpful: 'no' });
    await first.post(`${path}/feedback`, { helpful: 'yes' });
    let counts = json(await api(agent, 'GET', `/kb/articles/${a.id}/feedback`));
    expect(counts).toMatchObject({ helpfulYes: 0, helpfulNo: 1 });
    expect(counts.items).toHaveLength(1);
    const thanks = await first.get(path);
    expect(textOf(thanks.body)).toContain('Thanks for telling us.');
    expect(textOf(thanks.body)).toContain('0 of 1 readers found this helpful');
    const commentAction = /action="([^"]+\/feedback\/([0-9a-f-]{36})\/comment)"/.exec(thanks.body)!;
    const feedbackId = commentAction[2];

    // Someone else cannot comment on that answer, even knowing its id.
    const other = reader();
    await other.get(path);
    const refused = await other.post(commentAction[1], { comment: 'Not my answer' });
    expect(refused.statusCode).toBe(404);
    // Nor with a cookie of their own making.
    other.setCookie('heard_helpful', `${Buffer.from(JSON.stringify([{ articleId: a.id, id: feedbackId, helpful: false }])).toString('base64url')}.forged`, base);
    expect((await other.post(commentAction[1], { comment: 'Forged' })).statusCode).toBe(404);
    const [row] = await h.ctx.db.select().from(kbFeedback).where(eq(kbFeedback.id, feedbackId));
    expect(row.comment).toBeNull();

    expect((await first.post(commentAction[1], { comment: 'The label printer link is broken.' })).headers.location).toBe(`${path}?commented=1#feedback`);
    // Once only: a second comment does not replace the first.
    await first.post(commentAction[1], { comment: 'Second thoughts' });
    expect(textOf((await first.get(path)).body)).toContain('Thank you. Our team will read it.');
    counts = json(await api(agent, 'GET', `/kb/articles/${a.id}/feedback`));
    expect(counts.items.map((i: any) => i.comment)).toEqual(['The label printer link is broken.']);

    // Another reader's answer counts.
    await other.post(`${path}/feedback`, { helpful: 'yes' });
    expect(json(await api(agent, 'GET', `/kb/articles/${a.id}/feedback`))).toMatchObject({ helpfulYes: 1, helpfulNo: 1 });
    // A draft takes no answers.
    await other.get(path);
    expect((await other.post(`${base}/articles/${draft.slug}/feedback`, { helpful: 'yes' })).statusCode).toBe(404);
  });

  it('searches from the page and from the suggestions script', async () => {
    await buildArticle(h.app, agent, { title: 'Gift wrapping options', body: 'We wrap gifts in recycled paper.' });
    const res = await page(`${base}/search?q=wrapping`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<mark>wrapping</mark>');
    expect(res.body).toContain('<meta name="robots" content="noindex"/>');
    const suggest = json(await page(`${base}/search.json?q=gift`));
    expect(suggest.items[0]).toMatchObject({ kind: 'article', title: 'Gift wrapping options', url: expect.stringMatching(/\/articles\/gift-wrapping-options$/) });
    expect(suggest.items[0].suggestionUrl).toMatch(new RegExp(`^${base}/suggestions/article/[0-9a-f-]{36}\\?q=gift$`));
    // Too short to suggest anything yet.
    expect(json(await page(`${base}/search.json?q=gi`))).toEqual({ total: 0, items: [] });
    expect(textOf((await page(`${base}/search`)).body)).toContain('Type a few words');
  });

  it('records an opened suggestion, asks whether it solved the question, and counts "solved" once', async () => {
    const a = await buildArticle(h.app, agent, { title: 'Track your parcel', body: 'Use the tracking link in the mail.' });
    const visitor = reader();
    await visitor.get(`${base}/contact`);
    const opened = await visitor.get(`${base}/suggestions/article/${a.id}?q=${encodeURIComponent('where is my parcel')}`);
    expect(opened.statusCode).toBe(303);
    const m = new RegExp(`^${base}/articles/track-your-parcel\\?deflection=([0-9a-f-]{36})$`).exec(String(opened.headers.location));
    expect(m).not.toBeNull();
    const [d] = await h.ctx.db.select().from(helpDeflections).where(eq(helpDeflections.id, m![1]));
    expect(d).toMatchObject({ articleId: a.id, query: 'where is my parcel', solved: false });

    const shown = await visitor.get(String(opened.headers.location));
    expect(textOf(shown.body)).toContain('Did this answer your question?');
    expect(shown.body).toContain(`action="${base}/suggestions/${d.id}/solved"`);
    const solved = await visitor.post(`${base}/suggestions/${d.id}/solved`);
    expect(solved.statusCode).toBe(303);
    await visitor.post(`${base}/suggestions/${d.id}/solved`);
    expect(textOf((await visitor.get(String(opened.headers.location))).body)).toContain('Glad it helped!');
    expect(json(await api(agent, 'GET', `/kb/articles/${a.id}`)).deflections).toBe(1);
    const stats = json(await api(agent, 'GET', '/help-center/stats'));
    expect(stats.suggestionsLast30Days).toEqual({ opened: 1, solved: 1 });

    // Threads are suggested too; what the public cannot read is not.
    const staff = await memberBrowser(h.app, h.ctx.secret, agent.email);
    const n = await askQuestion(staff, slug, 'Can I change the delivery address?', 'After ordering.');
    const t = await threadByNumber(h.app, agent, n);
    const toThread = String((await visitor.get(`${base}/suggestions/thread/${t.id}?q=address`)).headers.location);
    expect(toThread).toMatch(new RegExp(`^${base}/community/${n}\\?deflection=[0-9a-f-]{36}$`));
    // The thread asks too, and a "yes" comes back to it.
    const threadPage = await visitor.get(toThread);
    expect(textOf(threadPage.body)).toContain('Did this answer your question?');
    const threadDeflection = toThread.split('deflection=')[1];
    const back = await visitor.post(`${base}/suggestions/${threadDeflection}/solved`);
    expect(back.headers.location).toBe(toThread);
    expect(textOf((await visitor.get(toThread)).body)).toContain('Glad it helped!');
    expect(json(await api(agent, 'GET', '/help-center/stats')).suggestionsLast30Days).toEqual({ opened: 2, solved: 2 });
    // Another suggestion's id on this thread asks nothing.
    expect(textOf((await visitor.get(`${base}/community/${n}?deflection=${d.id}`)).body)).not.toContain('Did this answer your question?');
    const before = await countRows(h.ctx.db, helpDeflections);
    expect((await visitor.get(`${base}/suggestions/article/${draft.id}?q=x`)).statusCode).toBe(404);
    expect((await visitor.get(`${base}/suggestions/article/0190a0a0-0000-7000-8000-000000000000`)).statusCode).toBe(404);
    expect((await visitor.get(`${base}/suggestions/video/${a.id}`)).statusCode).toBe(404);
    await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action: 'hide', reason: 'moved' });
    expect((await visitor.get(`${base}/suggestions/thread/${t.id}?q=address`)).statusCode).toBe(404);
    expect(await countRows(h.ctx.db, helpDeflections)).toBe(before);
    expect((await visitor.post(`${base}/suggestions/0190a0a0-0000-7000-8000-000000000000/solved`)).statusCode).toBe(404);
  });

  it('shows the community, asks anonymous visitors to sign in, and lets customers ask and answer', async () => {
    const anon = reader();
    const ask = await anon.get(`${base}/community/ask`);
    expect(ask.statusCode).toBe(200);
    expect(textOf(ask.body)).toContain('Sign in to ask or answer.');
    expect(ask.body).not.toContain(`action="${base}/community"`);
    // Posting without signing in leads to signing in, and stores nothing.
    const posted = await anon.post(`${base}/community`, { title: 'Anonymous question', body: 'Hello?' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toMatch(new RegExp(`^${base}/portal/sign-in\\?return=`));

    const customer = reader();
    await signInCustomer(customer, sink, slug, 'dora@customers.test');
    const n = await askQuestion(customer, slug, 'Do you ship to Iceland?', 'And how long does it take?', { displayName: 'Dora' });
    const thread = await page(`${base}/community/${n}`);
    expect(thread.statusCode).toBe(200);
    expect(textOf(thread.body)).toContain('Do you ship to Iceland?');
    expect(textOf(thread.body)).toContain('Dora ·');
    expect(thread.body).toContain(`<link rel="canonical" href="${h.ctx.config.publicUrl}${base}/community/${n}"/>`);
    const list = textOf((await page(`${base}/community`)).body);
    expect(list).toContain('Do you ship to Iceland?');
    expect(list).toContain('Asked by Dora');
    expect(textOf((await page(`${base}/community?filter=unanswered`)).body)).toContain('Do you ship to Iceland?');
    expect(textOf((await page(`${base}/community?filter=answered`)).body)).not.toContain('Do you ship to Iceland?');
    expect(textOf((await page(base)).body)).toContain('Do you ship to Iceland?');
    for (const n of ['999999', 'abc', '0', '-1', '1.5', '99999999999', '2147483648']) expect((await page(`${base}/community/${n}`)).statusCode, n).toBe(404);
  });

  it("gives the team its controls through the agent app's session: answer as staff, accept, hide, lock, delete", async () => {
    const customer = reader();
    await signInCustomer(customer, sink, slug, 'eve@customers.test');
    const n = await askQuestion(customer, slug, 'Is the blue jacket waterproof?', 'Asking before I buy.', { displayName: 'Eve' });
    const other = await answerQuestion(customer, slug, n, 'I think so?');
    const staff = await memberBrowser(h.app, h.ctx.secret, agent.email);
    const threadPage = await staff.get(`${base}/community/${n}`);
    expect(textOf(threadPage.body)).toContain('Signed in to Heard as Avery Agent');
    expect(threadPage.body).toContain(`action="${base}/community/${n}/moderate"`);
    expect(threadPage.body).toContain(`action="${base}/community/${n}/posts/${other}/moderate"`);
    expect(textOf(threadPage.body)).toContain('Answer as staff');

    const post = await answerQuestion(staff, slug, n, 'Yes: 10,000 mm, taped seams.');
    // A form with a broken answer id is refused as such, not as a failure of ours.
    await staff.get(`${base}/community/${n}`);
    const broken = await staff.post(`${base}/community/${n}/accept`, { postId: 'not-an-id' });
    expect(broken.statusCode).toBe(422);
    expect(textOf((await page(`${base}/community/${n}`)).body)).toContain('Avery Agent Staff');
    await staff.get(`${base}/community/${n}`);
    expect((await staff.post(`${base}/community/${n}/accept`, { postId: post })).statusCode).toBe(303);
    expect((await threadByNumber(h.app, agent, n)).posts.find((p) => p.id === post)!.accepted).toBe(true);
    expect((await staff.post(`${base}/community/${n}/posts/${other}/moderate`, { action: 'hide', reason: 'guesswork' })).statusCode).toBe(303);
    expect((await page(`${base}/community/${n}`)).body).not.toContain('I think so?');
    expect((await staff.post(`${base}/community/${n}/moderate`, { action: 'lock', reason: 'answered' })).statusCode).toBe(303);
    expect(textOf((await page(`${base}/community/${n}`)).body)).toContain('This thread is locked: answered');
    const deleted = await staff.post(`${base}/community/${n}/moderate`, { action: 'delete', reason: 'old' });
    expect(deleted.headers.location).toBe(`${base}/community`);
    expect((await page(`${base}/community/${n}`)).statusCode).toBe(404);

    // Without the form's token the session alone does nothing (another site could send the cookie).
    const m2 = await askQuestion(customer, slug, 'A second question to moderate', 'Details.');
    const bare = await staff.request({ method: 'POST', url: `${base}/community/${m2}/moderate`, payload: 'action=hide&reason=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bare.statusCode).toBe(403);
    expect((await threadByNumber(h.app, agent, m2)).hidden).toBe(false);
    // A customer has no controls, and posting to them is refused.
    const asCustomer = await customer.get(`${base}/community/${m2}`);
    expect(asCustomer.body).not.toContain('/moderate"');
    expect(asCustomer.body).not.toContain('Answer as staff');
    expect((await customer.post(`${base}/community/${m2}/moderate`, { action: 'hide', reason: 'mine' })).statusCode).toBe(403);
    expect((await threadByNumber(h.app, agent, m2)).hidden).toBe(false);
  });

  it('lists only what the public may read in the sitemap, and the help centers in robots.txt', async () => {
    const staff = await memberBrowser(h.app, h.ctx.secret, agent.email);
    const visible = await askQuestion(staff, slug, 'A visible question for crawlers', 'Yes.');
    const hidden = await threadByNumber(h.app, agent, await askQuestion(staff, slug, 'A hidden question for nobody', 'No.'));
    await api(agent, 'POST', `/community/threads/${hidden.id}/moderate`, { action: 'hide', reason: 'spam' });
    const res = await page(`${base}/sitemap.xml`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const root = h.ctx.config.publicUrl;
    const locs = [...res.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual(expect.arrayContaining([`${root}${base}`, `${root}${base}/contact`, `${root}${base}/community`, `${root}${base}/articles/${article.slug}`, `${root}${base}/categories/${category.slug}`, `${root}${base}/community/${visible}`]));
    expect(locs).not.toContain(`${root}${base}/articles/${draft.slug}`);
    expect(locs).not.toContain(`${root}${base}/articles/${archived.slug}`);
    expect(locs).not.toContain(`${root}${base}/community/${hidden.number}`);
    // A category with nothing published is no page for crawlers (the home page leaves it out too).
    expect(res.body).not.toContain('/categories/only-drafts-here');

    const other = await buildMember(h.ctx, { workspace: 'Unpublished Co' });
    const unpublished = json(await api(other, 'GET', '/help-center')).slug;
    expect((await page(`/help/${unpublished}/sitemap.xml`)).statusCode).toBe(404);

    const robots = await page('/robots.txt');
    expect(robots.statusCode).toBe(200);
    expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(robots.body).toContain('Disallow: /api/');
    expect(robots.body).toContain(`Disallow: ${base}/portal/`);
    expect(robots.body).toContain(`Sitemap: ${root}${base}/sitemap.xml`);
    expect(robots.body).not.toContain(unpublished);
  });

  it('describes its search for browsers (OpenSearch), serves no logo it does not have, and shows 404 pages in its own look', async () => {
    const os = await page(`${base}/opensearch.xml`);
    expect(os.statusCode).toBe(200);
    expect(os.headers['content-type']).toBe('application/opensearchdescription+xml; charset=utf-8');
    expect(os.body).toContain('<ShortName>Shop Help</ShortName>');
    expect(os.body).toContain(`template="${h.ctx.config.publicUrl}${base}/search?q={searchTerms}"`);
    expect((await page(base)).body).toContain(`<link rel="search" type="application/opensearchdescription+xml" href="${base}/opensearch.xml"`);

    expect((await page(`${base}/logo`)).statusCode).toBe(404);
    const missing = await page(`${base}/no/such/page`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(textOf(missing.body)).toContain('We couldn’t find that page.');
    expect(missing.body).toContain(`<a class="button" href="${base}">`);
    const unknown = await page('/help/no-such-help-center');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toBe('Not found\n');
    expect((await page('/help/no-such-help-center/articles/x')).statusCode).toBe(404);
  });

  it('closes the community pages when the community is off, and leaves it out of navigation and search', async () => {
    const ws = await buildMember(h.ctx, { workspace: 'Quiet Co' });
    await publishHelpCenter(h.app, ws, { slug: 'quiet' });
    const staff = await memberBrowser(h.app, h.ctx.secret, ws.email);
    await askQuestion(staff, 'quiet', 'A question about lamps', 'Lamps?');
    await buildArticle(h.app, ws, { title: 'Lamps and bulbs', body: 'Lamps.' });
    expect(json(await page('/help/quiet/search.json?q=lamps')).items).toHaveLength(2);
    await api(ws, 'PATCH', '/help-center', { communityEnabled: false });
    expect((await page('/help/quiet/community')).statusCode).toBe(404);
    expect((await page('/help/quiet/community/1')).statusCode).toBe(404);
    expect((await page('/help/quiet')).body).not.toContain('href="/help/quiet/community"');
    expect(json(await page('/help/quiet/search.json?q=lamps')).items.map((i: any) => i.kind)).toEqual(['article']);
    expect(await h.ctx.db.select().from(kbFeedback).where(and(eq(kbFeedback.workspaceId, ws.workspaceId)))).toEqual([]);
    // Several help centers published now: /help cannot guess.
    const several = await page('/help');
    expect(several.statusCode).toBe(404);
    expect(several.body).toContain('Several help centers are published here');
  });
});
