import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpFiles, kbArticles, kbCategories } from '../../db/schema/index.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { buildArticle, buildCategory, HelpBrowser, multipart, pngBytes, publishHelpCenter } from '../../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('knowledge base API', () => {
  let h: TestHeard;
  let owner: Client;
  let admin: Client;
  let agent: Client;
  let light: Client;
  let stranger: Client;
  let slug: string;

  const api = (by: Pick<Client, 'headers'>, method: string, path: string, payload?: unknown) =>
    h.app.inject({ method: method as 'GET', url: `/api/v1${path}`, headers: by.headers, payload: payload as object });
  const upload = (by: Pick<Client, 'headers'>, file: { filename: string; contentType: string; content: Buffer | string }) => {
    const body = multipart({}, [{ field: 'file', ...file }]);
    return h.app.inject({ method: 'POST', url: '/api/v1/kb/images', headers: { ...by.headers, 'content-type': body.contentType }, payload: body.payload });
  };

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'KB Co', name: 'Olga Owner' });
    admin = await buildMember(h.ctx, { workspace: 'KB Co', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'KB Co', role: 'agent', name: 'Avery Agent' });
    light = await buildMember(h.ctx, { workspace: 'KB Co', role: 'light' });
    stranger = await buildMember(h.ctx, { workspace: 'Other KB Co' });
    slug = (await publishHelpCenter(h.app, owner)).slug;
  });
  afterAll(() => h?.stop());

  it('writes, reads, changes and lists categories and articles, rendering the Markdown once', async () => {
    const cat = await api(agent, 'POST', '/kb/categories', { name: 'Billing & Payments', description: 'Invoices and cards' });
    expect(cat.statusCode, cat.body).toBe(201);
    expect(json(cat)).toMatchObject({ slug: 'billing-payments', name: 'Billing & Payments', articleCount: 0 });

    const created = await api(agent, 'POST', '/kb/articles', { title: 'Update your card', body: '## Steps\n\n1. Open **Billing**\n2. Click *Change*', categoryId: json(cat).id });
    expect(created.statusCode, created.body).toBe(201);
    const a = json(created);
    expect(a).toMatchObject({ slug: 'update-your-card', status: 'draft', categoryId: json(cat).id, url: `/help/${slug}/articles/update-your-card`, author: { name: 'Avery Agent' } });
    expect(a.html).toContain('<h2 id="steps">Steps</h2>');
    expect(a.html).toContain('<strong>Billing</strong>');

    const changed = await api(owner, 'PATCH', `/kb/articles/${a.id}`, { title: 'Update your payment card', body: 'Open **Billing** now.' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(json(changed)).toMatchObject({ title: 'Update your payment card', slug: 'update-your-card', body: 'Open **Billing** now.', updatedBy: { name: 'Olga Owner' }, author: { name: 'Avery Agent' } });
    expect(json(changed).html).toBe('<p>Open <strong>Billing</strong> now.</p>\n');

    const read = json(await api(light, 'GET', `/kb/articles/${a.id}`));
    expect(read).toMatchObject({ title: 'Update your payment card', body: 'Open **Billing** now.' });
    const list = json(await api(light, 'GET', '/kb/articles'));
    expect(list.items.map((x: any) => x.id)).toContain(a.id);
    // The list carries no bodies: the editor loads one article at a time.
    expect(list.items.find((x: any) => x.id === a.id).body).toBeUndefined();
    const cats = json(await api(light, 'GET', '/kb/categories')).items;
    expect(cats.find((c: any) => c.id === json(cat).id)).toMatchObject({ articleCount: 1, publishedCount: 0 });

    const renamed = await api(agent, 'PATCH', `/kb/categories/${json(cat).id}`, { name: 'Billing', slug: 'billing' });
    expect(json(renamed)).toMatchObject({ name: 'Billing', slug: 'billing' });
  });

  it('refuses bad input with 422 naming the field, and writes nothing', async () => {
    const before = await countRows(h.ctx.db, kbArticles);
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '' }, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: 'Long', body: 'x'.repeat(100_001) }, 'body'],
      [{ title: 'Bad slug', slug: 'Not A Slug!' }, 'slug'],
      [{ title: 'Bad slug', slug: '-leading' }, 'slug'],
      [{ title: 'Unknown category', categoryId: '0190a0a0-0000-7000-8000-000000000000' }, 'categoryId'],
      [{ title: 'Bad status', status: 'live' }, 'status'],
    ];
    for (const [payload, field] of cases) {
      const res = await api(agent, 'POST', '/kb/articles', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res).errors.map((e: any) => e.field)).toContain(field);
    }
    const a = await buildArticle(h.app, agent, { title: 'Valid one' });
    const patch = await api(agent, 'PATCH', `/kb/articles/${a.id}`, { title: '', body: 'y'.repeat(100_001) });
    expect(patch.statusCode).toBe(422);
    expect(json(patch).errors.map((e: any) => e.field).sort()).toEqual(['body', 'title']);
    expect(await countRows(h.ctx.db, kbArticles)).toBe(before + 1);
    expect(json(await api(agent, 'GET', `/kb/articles/${a.id}`)).title).toBe('Valid one');

    const catBefore = await countRows(h.ctx.db, kbCategories);
    expect(json(await api(agent, 'POST', '/kb/categories', { name: '' })).errors[0].field).toBe('name');
    expect(json(await api(agent, 'POST', '/kb/categories', { name: 'Ok', slug: 'UPPER' })).errors[0].field).toBe('slug');
    expect(await countRows(h.ctx.db, kbCategories)).toBe(catBefore);
  });

  it('makes slugs from titles, unique in the workspace with -2, and refuses a taken one', async () => {
    const first = await buildArticle(h.app, agent, { title: 'Reset your password' });
    const second = await buildArticle(h.app, agent, { title: 'Reset your password!' });
    const third = await buildArticle(h.app, agent, { title: 'Reset   your password' });
    expect([first.slug, second.slug, third.slug]).toEqual(['reset-your-password', 'reset-your-password-2', 'reset-your-password-3']);
    expect((await buildArticle(h.app, agent, { title: 'Über Größen & Maße' })).slug).toBe('uber-grossen-masse');
    // Another workspace may use the same address for its own article.
    expect((await buildArticle(h.app, stranger, { title: 'Reset your password' })).slug).toBe('reset-your-password');

    const taken = await api(agent, 'POST', '/kb/articles', { title: 'Anything', slug: 'reset-your-password' });
    expect(taken.statusCode).toBe(422);
    expect(json(taken).errors).toEqual([{ field: 'slug', reason: expect.stringMatching(/another article/) }]);
    const moved = await api(agent, 'PATCH', `/kb/articles/${third.id}`, { slug: 'reset-your-password-2' });
    expect(moved.statusCode).toBe(422);
    expect(json(moved).errors[0].field).toBe('slug');
    // Keeping its own slug is no conflict.
    expect((await api(agent, 'PATCH', `/kb/articles/${third.id}`, { slug: third.slug, title: 'Reset it' })).statusCode).toBe(200);

    const c1 = await buildCategory(h.app, agent, { name: 'Account' });
    const c2 = await buildCategory(h.app, agent, { name: 'Account' });
    expect([c1.slug, c2.slug]).toEqual(['account', 'account-2']);
    const catTaken = await api(agent, 'PATCH', `/kb/categories/${c2.id}`, { slug: 'account' });
    expect(catTaken.statusCode).toBe(422);
    expect(json(catTaken).errors[0].field).toBe('slug');
  });

  it('lets light members read only, refuses agents deletes with a reason, and lets admins delete', async () => {
    const a = await buildArticle(h.app, agent, { title: 'Delete me maybe' });
    const cat = await buildCategory(h.app, agent, { name: 'Doomed' });
    for (const [method, path, payload] of [
      ['POST', '/kb/articles', { title: 'By a light member' }],
      ['PATCH', `/kb/articles/${a.id}`, { title: 'Changed by light' }],
      ['POST', '/kb/categories', { name: 'Light' }],
      ['PATCH', `/kb/categories/${cat.id}`, { name: 'Light' }],
      ['POST', '/kb/preview', { body: 'x' }],
    ] as const) {
      const res = await api(light, method, path, payload);
      expect(res.statusCode, `${method} ${path}`).toBe(403);
    }
    expect(json(await api(light, 'GET', `/kb/articles/${a.id}`)).title).toBe('Delete me maybe');

    const byAgent = await api(agent, 'DELETE', `/kb/articles/${a.id}`);
    expect(byAgent.statusCode).toBe(403);
    expect(json(byAgent).detail).toBe('Only admins delete articles (a token needs the admin scope); archive it instead');
    const catByAgent = await api(agent, 'DELETE', `/kb/categories/${cat.id}`);
    expect(catByAgent.statusCode).toBe(403);
    expect(json(catByAgent).detail).toBe('Only admins delete categories (a token needs the admin scope)');
    expect((await api(agent, 'GET', `/kb/articles/${a.id}`)).statusCode).toBe(200);
    // Archiving is what agents do instead.
    expect(json(await api(agent, 'PATCH', `/kb/articles/${a.id}`, { status: 'archived' })).status).toBe('archived');

    const inCat = await buildArticle(h.app, agent, { title: 'Kept without a category', categoryId: cat.id });
    expect((await api(admin, 'DELETE', `/kb/categories/${cat.id}`)).statusCode).toBe(204);
    expect(json(await api(agent, 'GET', `/kb/articles/${inCat.id}`)).categoryId).toBeNull();
    expect((await api(admin, 'DELETE', `/kb/articles/${a.id}`)).statusCode).toBe(204);
    expect((await api(agent, 'GET', `/kb/articles/${a.id}`)).statusCode).toBe(404);
    expect((await api(admin, 'DELETE', `/kb/articles/${a.id}`)).statusCode).toBe(404);

    const audit = json(await api(owner, 'GET', '/audit-log')).items;
    expect(audit.find((e: any) => e.action === 'kb.article.delete')).toMatchObject({ actorMemberId: admin.memberId, targetId: a.id, data: { title: 'Delete me maybe' } });
    expect(audit.find((e: any) => e.action === 'kb.category.delete')).toMatchObject({ targetId: cat.id, data: { name: 'Doomed' } });
  });

  it('takes PNG images and serves them at their address as image/png with nosniff; refuses SVG, HTML and files over 5 MB', async () => {
    const png = pngBytes();
    const res = await upload(agent, { filename: 'screen shot.png', contentType: 'image/png', content: png });
    expect(res.statusCode, res.body).toBe(201);
    const img = json(res);
    expect(img).toMatchObject({ contentType: 'image/png', size: png.length, markdown: `![screen shot](${img.url})` });
    expect(img.url).toMatch(/^\/help\/files\/[0-9a-f-]{36}\/screen%20shot\.png$/);

    const served = await h.app.inject({ url: img.url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(png)).toBe(true);
    // A made-up id is a plain 404.
    expect((await h.app.inject({ url: '/help/files/0190a0a0-0000-7000-8000-000000000000/x.png' })).statusCode).toBe(404);

    const before = await countRows(h.ctx.db, helpFiles);
    const svg = await upload(agent, { filename: 'logo.png', contentType: 'image/png', content: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>' });
    expect(svg.statusCode).toBe(422);
    expect(json(svg).errors[0]).toMatchObject({ field: 'file', reason: expect.stringMatching(/PNG, JPEG, WebP or GIF/) });
    const html = await upload(agent, { filename: 'page.html', contentType: 'text/html', content: '<script>alert(1)</script>' });
    expect(html.statusCode).toBe(422);
    const big = await upload(agent, { filename: 'big.png', contentType: 'image/png', content: pngBytes(5 * 1024 * 1024) });
    expect(big.statusCode).toBe(422);
    expect(json(big).errors).toEqual([{ field: 'file', reason: 'must be at most 5 MB' }]);
    expect((await upload(light, { filename: 'a.png', contentType: 'image/png', content: png })).statusCode).toBe(403);
    expect(await countRows(h.ctx.db, helpFiles)).toBe(before);
  });

  it('previews the HTML readers will see, with HTML in the Markdown shown as text', async () => {
    const res = await api(agent, 'POST', '/kb/preview', { body: '# Hello\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1)) [good](https://example.com)' });
    expect(res.statusCode).toBe(200);
    const { html } = json(res);
    expect(html).toContain('<h1 id="hello">Hello</h1>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<script/i);
    // The javascript: link stays words on the page, never a link.
    expect(html).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
    expect(html).toContain('[bad](javascript:alert(1))');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer">good</a>');
  });

  it("lists readers' answers and comments to \"was this helpful?\", newest first", async () => {
    const a = await buildArticle(h.app, agent, { title: 'Ship to another country' });
    const page = `/help/${slug}/articles/${a.slug}`;
    const yes = new HelpBrowser(h.app, h.ctx.secret);
    await yes.get(page);
    expect((await yes.post(`${page}/feedback`, { helpful: 'yes' })).statusCode).toBe(303);
    const no = new HelpBrowser(h.app, h.ctx.secret);
    await no.get(page);
    await no.post(`${page}/feedback`, { helpful: 'no' });
    const thanks = await no.get(page);
    const commentAction = /action="([^"]+\/comment)"/.exec(thanks.body)![1];
    expect((await no.post(commentAction, { comment: 'I ship to Norway, which is not in the EU.' })).statusCode).toBe(303);

    const all = json(await api(light, 'GET', `/kb/articles/${a.id}/feedback`));
    expect(all).toMatchObject({ helpfulYes: 1, helpfulNo: 1 });
    expect(all.items.map((i: any) => [i.helpful, i.comment])).toEqual([
      [false, 'I ship to Norway, which is not in the EU.'],
      [true, null],
    ]);
    const comments = json(await api(light, 'GET', `/kb/articles/${a.id}/feedback?comments=1`));
    expect(comments.items).toHaveLength(1);
    expect(json(await api(light, 'GET', `/kb/articles/${a.id}`))).toMatchObject({ helpfulYes: 1, helpfulNo: 1 });
  });

  it("keeps workspaces apart: another workspace's articles and categories are not found", async () => {
    const mine = await buildArticle(h.app, agent, { title: 'Ours only' });
    const cat = await buildCategory(h.app, agent, { name: 'Ours' });
    for (const [method, path, payload] of [
      ['GET', `/kb/articles/${mine.id}`, undefined],
      ['PATCH', `/kb/articles/${mine.id}`, { title: 'Theirs now' }],
      ['DELETE', `/kb/articles/${mine.id}`, undefined],
      ['GET', `/kb/articles/${mine.id}/feedback`, undefined],
      ['PATCH', `/kb/categories/${cat.id}`, { name: 'Theirs' }],
      ['DELETE', `/kb/categories/${cat.id}`, undefined],
    ] as const) {
      const res = await api(stranger, method, path, payload);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
    }
    expect(json(await api(stranger, 'GET', '/kb/articles?limit=200')).items.map((x: any) => x.id)).not.toContain(mine.id);
    expect(json(await api(stranger, 'GET', '/kb/categories')).items.map((x: any) => x.id)).not.toContain(cat.id);
    const intoOurs = await api(stranger, 'POST', '/kb/articles', { title: 'In their category', categoryId: cat.id });
    expect(intoOurs.statusCode).toBe(422);
    expect(json(intoOurs).errors[0].field).toBe('categoryId');
    expect(json(await api(agent, 'GET', `/kb/articles/${mine.id}`)).title).toBe('Ours only');
  });

  it('pages the list with nextCursor, newest change first, every article once', async () => {
    const ws = await buildMember(h.ctx, { workspace: 'Paging Co' });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await buildArticle(h.app, ws, { title: `Paged ${i}` })).id);
    // Touching the first makes it the most recent.
    await api(ws, 'PATCH', `/kb/articles/${made[0]}`, { title: 'Paged 0, changed' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api(ws, 'GET', `/kb/articles?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = json(res);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((x: any) => x.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([made[0], made[4], made[3], made[2], made[1]]);
    // q finds titles by their words, and by spelling like them.
    expect(json(await api(ws, 'GET', '/kb/articles?q=changed')).items.map((x: any) => x.id)).toEqual([made[0]]);
    expect(json(await api(ws, 'GET', '/kb/articles?q=changd')).items.map((x: any) => x.id)).toEqual([made[0]]);
    expect(json(await api(ws, 'GET', '/kb/articles?q=zebra')).items).toEqual([]);
    // And the text by its words, stemmed: "refund" finds "refunded" in the body (what Ctrl+K lists under Articles).
    const body = (await buildArticle(h.app, ws, { title: 'Returns desk', body: 'Your card is refunded within five days.' })).id;
    expect(json(await api(ws, 'GET', '/kb/articles?q=refund')).items.map((x: any) => x.id)).toEqual([body]);
    // Changes within one millisecond (PostgreSQL keeps microseconds): none is skipped at a page's edge.
    const close = await buildMember(h.ctx, { workspace: 'Microsecond Co' });
    const same: string[] = [];
    for (let i = 0; i < 3; i++) same.push((await buildArticle(h.app, close, { title: `Same millisecond ${i}` })).id);
    for (const [i, id] of same.entries()) await h.ctx.db.update(kbArticles).set({ updatedAt: sql`${`2030-01-01 00:00:00.000${9 - i * 4}00+00`}::timestamptz` }).where(eq(kbArticles.id, id));
    const paged: string[] = [];
    for (let cursor: string | null = '', i = 0; cursor !== null && i < 5; i++) {
      const body: { items: { id: string }[]; nextCursor: string | null } = json(await api(close, 'GET', `/kb/articles?limit=1${cursor ? `&cursor=${cursor}` : ''}`));
      paged.push(...body.items.map((x) => x.id));
      cursor = body.nextCursor;
    }
    expect(paged).toEqual(same);
    const bad = await api(ws, 'GET', '/kb/articles?cursor=bm90LWEtY3Vyc29y');
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors[0].field).toBe('querystring.cursor');
  });

  it('sets publishedAt when an article is first published, and keeps it through archiving and publishing again', async () => {
    const draft = await buildArticle(h.app, agent, { title: 'Lifecycle', status: 'draft' });
    expect(draft.publishedAt).toBeNull();
    const published = json(await api(agent, 'PATCH', `/kb/articles/${draft.id}`, { status: 'published' }));
    expect(published.status).toBe('published');
    expect(published.publishedAt).not.toBeNull();
    const archived = json(await api(agent, 'PATCH', `/kb/articles/${draft.id}`, { status: 'archived' }));
    expect(archived).toMatchObject({ status: 'archived', publishedAt: published.publishedAt });
    await new Promise((r) => setTimeout(r, 20));
    const again = json(await api(agent, 'PATCH', `/kb/articles/${draft.id}`, { status: 'published' }));
    expect(again).toMatchObject({ status: 'published', publishedAt: published.publishedAt });
    expect(json(await api(agent, 'PATCH', `/kb/articles/${draft.id}`, { status: 'draft' })).publishedAt).toBe(published.publishedAt);
    expect((await buildArticle(h.app, agent, { title: 'Born published', status: 'published' })).publishedAt).not.toBeNull();
    const byStatus = json(await api(agent, 'GET', '/kb/articles?status=draft&limit=200')).items;
    expect(byStatus.every((x: any) => x.status === 'draft')).toBe(true);
    expect(byStatus.map((x: any) => x.id)).toContain(draft.id);
  });
});
