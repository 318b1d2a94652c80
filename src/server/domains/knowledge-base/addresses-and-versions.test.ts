import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMember, type Client } from '../../../../test/factories.js';
import { buildArticle, publishHelpCenter } from '../../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

/** Two people editing one article, and addresses that change: nobody's edit is lost unseen, no link breaks. */
describe('article versions and moved addresses', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let slug = '';

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Versions Co', role: 'owner', name: 'Olivia Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Versions Co', role: 'agent', name: 'Alex Agent' });
    slug = (await publishHelpCenter(h.app, owner)).slug;
  });
  afterAll(() => h.stop());

  it("refuses a save made to an older version than the article's, naming who saved since", async () => {
    const a = await buildArticle(h.app, owner, { title: 'Packing a tent', body: 'Roll, do not fold.' });
    const opened = a.updatedAt as string;
    const first = await h.app.inject({ method: 'PATCH', url: `/api/v1/kb/articles/${a.id}`, headers: agent.headers, payload: { body: 'Roll it, never fold it.', baseUpdatedAt: opened } });
    expect(first.statusCode).toBe(200);

    const second = await h.app.inject({ method: 'PATCH', url: `/api/v1/kb/articles/${a.id}`, headers: owner.headers, payload: { body: 'Fold it in three.', baseUpdatedAt: opened } });
    expect(second.statusCode).toBe(409);
    expect(json(second).detail).toBe('Alex Agent saved this article after you opened it; reload it to see their changes before saving yours');
    const now = json(await h.app.inject({ url: `/api/v1/kb/articles/${a.id}`, headers: owner.headers }));
    expect(now.body).toBe('Roll it, never fold it.');

    // Made to the version they now have, it is saved.
    const third = await h.app.inject({ method: 'PATCH', url: `/api/v1/kb/articles/${a.id}`, headers: owner.headers, payload: { body: 'Roll it.', baseUpdatedAt: now.updatedAt } });
    expect(third.statusCode).toBe(200);
  });

  it('keeps an article’s old address leading to it after its address changes, until another article takes it', async () => {
    const a = await buildArticle(h.app, owner, { title: 'Wash the jacket', slug: 'wash-jacket' });
    const moved = await h.app.inject({ method: 'PATCH', url: `/api/v1/kb/articles/${a.id}`, headers: owner.headers, payload: { slug: 'washing-the-trail-jacket' } });
    expect(moved.statusCode).toBe(200);

    const old = await h.app.inject({ url: `/help/${slug}/articles/wash-jacket?deflection=x` });
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(`/help/${slug}/articles/washing-the-trail-jacket?deflection=x`);
    expect((await h.app.inject({ url: old.headers.location as string })).statusCode).toBe(200);

    // A new article at the old address is that address's now.
    await buildArticle(h.app, owner, { title: 'Wash jackets, a summary', slug: 'wash-jacket' });
    const taken = await h.app.inject({ url: `/help/${slug}/articles/wash-jacket` });
    expect(taken.statusCode).toBe(200);
    expect(taken.body).toContain('Wash jackets, a summary');
  });

  it("keeps the help center's old address leading to the new one, and gives it up to another help center that claims it", async () => {
    const article = await buildArticle(h.app, owner, { title: 'Find your order number' });
    const before = slug;
    const after = `${slug}-new`;
    await publishHelpCenter(h.app, owner, { slug: after });

    const old = await h.app.inject({ url: `/help/${before}/articles/${article.slug}` });
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(`/help/${after}/articles/${article.slug}`);

    const other = await buildMember(h.ctx, { workspace: 'Other Co', role: 'owner' });
    await publishHelpCenter(h.app, other, { slug: before, title: 'Other Co help' });
    const claimed = await h.app.inject({ url: `/help/${before}` });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.body).toContain('Other Co help');
    slug = after;
  });
});
