import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMember, type Client } from '../../../../test/factories.js';
import { buildArticle, publishHelpCenter } from '../../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

/** Sentences typed into a suggestion box, and searches whose words no article has all of. */
describe('search by some of the words', () => {
  let h: TestHeard;
  let owner: Client;
  let slug = '';

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Modes Co', role: 'owner' });
    slug = (await publishHelpCenter(h.app, owner)).slug;
    await buildArticle(h.app, owner, { title: 'Tent pole broken on day two', body: 'A snapped pole is covered by the warranty: we send a new section.' });
    await buildArticle(h.app, owner, { title: 'Choosing a sleeping bag', body: 'Warmth ratings explained.' });
  });
  afterAll(() => h.stop());

  it('suggests articles with any of the words a customer types, the best first', async () => {
    const res = await h.app.inject({ url: `/help/${slug}/search.json?q=${encodeURIComponent('my tent pole snapped yesterday')}` });
    expect(res.statusCode).toBe(200);
    const { items } = json(res) as { items: { title: string }[] };
    expect(items.map((i) => i.title)).toEqual(['Tent pole broken on day two']);
  });

  it('shows, on the search page, results with some of the words when none has all, and says so', async () => {
    const res = await h.app.inject({ url: `/help/${slug}/search?q=${encodeURIComponent('tent pole zipper')}` });
    expect(res.body).toContain('Nothing has all of “tent pole zipper”; 1 result has some of its words:');
    expect(res.body).toContain('<mark>Tent</mark> <mark>pole</mark> broken on day two');
    // With all its words found, a query is not relaxed.
    const exact = await h.app.inject({ url: `/help/${slug}/search?q=${encodeURIComponent('tent pole')}` });
    expect(exact.body).toContain('1 result for “tent pole”');
  });

  it('keeps a quoted phrase or an excluded word exact: no results is the answer then', async () => {
    const res = await h.app.inject({ url: `/help/${slug}/search?q=${encodeURIComponent('"tent zipper"')}` });
    expect(res.body).toContain('Nothing found for “&quot;tent zipper&quot;”.');
  });
});
