import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityPosts, communityThreads } from '../../db/schema/index.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import {
  answerQuestion,
  askQuestion,
  buildEmailInbox,
  HelpBrowser,
  memberBrowser,
  publishHelpCenter,
  signInCustomer,
  textOf,
  threadByNumber,
} from '../../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink.js';

describe('community', () => {
  let h: TestHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let owner: Client;
  let agent: Client;
  let light: Client;
  let staff: HelpBrowser;
  const slug = 'town';
  const base = `/help/${slug}`;
  let n = 0;

  const api = (by: Pick<Client, 'headers'>, method: string, path: string, payload?: unknown) =>
    h.app.inject({ method: method as 'GET', url: `/api/v1${path}`, headers: by.headers, payload: payload as object });
  /** A customer signed in to the portal, with the name the community shows. */
  const customer = async (name: string) => {
    const b = new HelpBrowser(h.app, h.ctx.secret);
    await signInCustomer(b, sink, slug, `${name.toLowerCase().replace(/\W/g, '')}-${n++}@customers.test`);
    return Object.assign(b, { displayName: name });
  };
  const ask = (b: HelpBrowser & { displayName?: string }, title: string, body = 'Some details here.') => askQuestion(b, slug, title, body, b.displayName ? { displayName: b.displayName } : {});
  const answer = (b: HelpBrowser & { displayName?: string }, number: number, body: string) => answerQuestion(b, slug, number, body, b.displayName ? { displayName: b.displayName } : {});
  const publicPage = (number: number) => h.app.inject({ url: `${base}/community/${number}` });

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTestHeard({ SMTP_URL: sink.url });
    owner = await buildMember(h.ctx, { workspace: 'Town Co', name: 'Olga Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Town Co', role: 'agent', name: 'Avery Agent' });
    light = await buildMember(h.ctx, { workspace: 'Town Co', role: 'light', name: 'Lee Light' });
    await buildEmailInbox(h.app, owner);
    await publishHelpCenter(h.app, owner, { slug });
    staff = await memberBrowser(h.app, h.ctx.secret, agent.email);
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  it('lets staff answer with the staff badge; customers answer under the name they chose', async () => {
    const alice = await customer('Alice Asker');
    const number = await ask(alice, 'How do I pause my subscription?');
    const t = await threadByNumber(h.app, agent, number);
    const res = await api(agent, 'POST', `/community/threads/${t.id}/posts`, { body: 'Open **Billing**, then *Pause*.' });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ author: { name: 'Avery Agent', staff: true }, html: '<p>Open <strong>Billing</strong>, then <em>Pause</em>.</p>\n', accepted: false });
    const bob = await customer('Bob Builder');
    await answer(bob, number, 'I did it from the app, works too.');

    const page = textOf((await publicPage(number)).body);
    expect(page).toContain('Avery Agent Staff');
    expect(page).toContain('Bob Builder ·');
    expect(page).not.toContain('Bob Builder Staff');
    expect(page).toContain('Alice Asker');
    // Customers' addresses are never shown.
    expect(page).not.toContain('@customers.test');
    // Light members read; they do not answer.
    expect((await api(light, 'POST', `/community/threads/${t.id}/posts`, { body: 'Me too' })).statusCode).toBe(403);
    const view = await threadByNumber(h.app, light, number);
    expect(view.posts.map((p) => [p.author.name, p.author.staff])).toEqual([
      ['Avery Agent', true],
      ['Bob Builder', false],
    ]);
  });

  it('accepts and un-accepts an answer: staff and the asker may, another customer may not', async () => {
    const asker = await customer('Ann Asker');
    const other = await customer('Otto Other');
    const number = await ask(asker, 'Which charger fits the X2?');
    const post = await answer(other, number, 'The 30 W USB-C one.');
    const t = await threadByNumber(h.app, agent, number);

    // Another customer: refused, nothing changes.
    await other.get(`${base}/community/${number}`);
    const refused = await other.post(`${base}/community/${number}/accept`, { postId: post });
    expect(refused.statusCode).toBe(403);
    expect((await threadByNumber(h.app, agent, number)).posts[0].accepted).toBe(false);
    // The page offers the asker the button, not the other customer.
    expect((await asker.get(`${base}/community/${number}`)).body).toContain(`${base}/community/${number}/accept`);
    expect((await other.get(`${base}/community/${number}`)).body).not.toContain(`/community/${number}/accept`);

    expect((await asker.post(`${base}/community/${number}/accept`, { postId: post })).statusCode).toBe(303);
    expect((await threadByNumber(h.app, agent, number)).posts[0].accepted).toBe(true);
    expect(textOf((await publicPage(number)).body)).toContain('Accepted answer');
    expect((await asker.post(`${base}/community/${number}/accept`, { postId: '' })).statusCode).toBe(303);
    expect((await threadByNumber(h.app, agent, number)).posts[0].accepted).toBe(false);

    const byStaff = await api(agent, 'POST', `/community/threads/${t.id}/accept`, { postId: post });
    expect(json(byStaff)).toEqual({ id: t.id, acceptedPostId: post });
    expect(json(await api(agent, 'POST', `/community/threads/${t.id}/accept`, { postId: null }))).toEqual({ id: t.id, acceptedPostId: null });
    expect((await api(light, 'POST', `/community/threads/${t.id}/accept`, { postId: post })).statusCode).toBe(403);
    // Only an answer of this thread can be accepted.
    const elsewhere = await answer(other, await ask(asker, 'Another question entirely'), 'An answer elsewhere');
    const wrong = await api(agent, 'POST', `/community/threads/${t.id}/accept`, { postId: elsewhere });
    expect(wrong.statusCode).toBe(422);
    expect(json(wrong).errors[0].field).toBe('postId');
  });

  it('requires a reason to hide, lock or delete (422), and none to undo', async () => {
    const b = await customer('Rhea Reason');
    const number = await ask(b, 'Reasons are required here?');
    const post = await answer(b, number, 'Self-answer.');
    const t = await threadByNumber(h.app, agent, number);
    for (const action of ['hide', 'lock', 'delete']) {
      for (const reason of [undefined, '', '   ']) {
        const res = await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action, reason });
        expect(res.statusCode, `${action} ${JSON.stringify(reason)}`).toBe(422);
        expect(json(res).errors[0].field).toBe('reason');
      }
    }
    for (const action of ['hide', 'delete']) {
      const res = await api(agent, 'POST', `/community/posts/${post}/moderate`, { action });
      expect(res.statusCode).toBe(422);
      expect(json(res).errors[0].field).toBe('reason');
    }
    expect(json(await api(agent, 'POST', `/community/posts/${post}/moderate`, { action: 'lock', reason: 'x' })).errors[0].field).toBe('action');
    // Nothing was moderated.
    const view = await threadByNumber(h.app, agent, number);
    expect(view).toMatchObject({ hidden: false, locked: false, deleted: false });
    expect(json(await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action: 'unhide' }))).toEqual({ ok: true, hidden: false, locked: false, deleted: false });
    expect(json(await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action: 'unlock' })).ok).toBe(true);
    expect((await api(light, 'POST', `/community/threads/${t.id}/moderate`, { action: 'hide', reason: 'light' })).statusCode).toBe(403);
    // Through the page, too: a staff member's form without a reason is refused.
    await staff.get(`${base}/community/${number}`);
    expect((await staff.post(`${base}/community/${number}/moderate`, { action: 'hide', reason: '' })).statusCode).toBe(422);
    expect((await threadByNumber(h.app, agent, number)).hidden).toBe(false);
  });

  it('takes hidden and deleted content off the public pages, and shows it to staff with its reason', async () => {
    const b = await customer('Mona Moderated');
    const c = await customer('Carl Commenter');
    const number = await ask(b, 'Is there a student discount?', 'I am a student at the university.');
    const hiddenPost = await answer(c, number, 'Buy my coupons at spam.example');
    const deletedPost = await answer(c, number, 'Call me at 555-0100 for cheap deals');
    const keptPost = await answer(c, number, 'Yes, 20 % with a student card.');
    expect((await api(agent, 'POST', `/community/posts/${hiddenPost}/moderate`, { action: 'hide', reason: 'advertising' })).statusCode).toBe(200);
    expect((await api(agent, 'POST', `/community/posts/${deletedPost}/moderate`, { action: 'delete', reason: 'personal data' })).statusCode).toBe(200);

    const pub = (await publicPage(number)).body;
    expect(pub).toContain('20 % with a student card');
    expect(pub).not.toContain('spam.example');
    expect(pub).not.toContain('555-0100');
    expect(pub).not.toContain('advertising');
    expect(pub).not.toContain(hiddenPost);
    const mod = textOf((await staff.get(`${base}/community/${number}`)).body);
    expect(mod).toContain('Buy my coupons at spam.example');
    expect(mod).toContain('Hidden by a moderator: advertising');
    expect(mod).toContain('Removed by a moderator: personal data');
    // Deleted words are gone from every page, the team's included.
    expect(mod).not.toContain('555-0100');
    const view = await threadByNumber(h.app, agent, number);
    expect(view.posts.find((p) => p.id === deletedPost)).toMatchObject({ deleted: true, body: '', deletedReason: 'personal data' });
    expect(view.posts.find((p) => p.id === hiddenPost)).toMatchObject({ hidden: true, hiddenReason: 'advertising' });
    expect(view.answerCount).toBe(1);
    expect(keptPost).toBeTruthy();

    // A hidden thread: gone for the public (page, list, sitemap), there for staff with the reason.
    const t = await threadByNumber(h.app, agent, number);
    await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action: 'hide', reason: 'duplicate of #1' });
    expect((await publicPage(number)).statusCode).toBe(404);
    expect((await h.app.inject({ url: `${base}/community` })).body).not.toContain('student discount');
    expect((await h.app.inject({ url: `${base}/sitemap.xml` })).body).not.toContain(`/community/${number}<`);
    expect(textOf((await staff.get(`${base}/community/${number}`)).body)).toContain('Hidden by a moderator: duplicate of #1');
    expect((await staff.get(`${base}/community?filter=moderated`)).body).toContain('student discount');
    // The customer who asked does not see it either.
    expect((await b.get(`${base}/community/${number}`)).statusCode).toBe(404);

    // A deleted thread: gone for everyone but its reason.
    const d = await ask(b, 'Please delete this question', 'Contains my home address: 1 Main St.');
    const dt = await threadByNumber(h.app, agent, d);
    await api(agent, 'POST', `/community/threads/${dt.id}/moderate`, { action: 'delete', reason: 'personal data' });
    expect((await publicPage(d)).statusCode).toBe(404);
    const staffView = textOf((await staff.get(`${base}/community/${d}`)).body);
    expect(staffView).toContain('Removed by a moderator: personal data');
    expect(staffView).not.toContain('1 Main St');
    expect(json(await api(agent, 'GET', `/community/threads/${dt.id}`))).toMatchObject({ deleted: true, deletedReason: 'personal data', html: '' });
    expect((await api(agent, 'POST', `/community/threads/${dt.id}/moderate`, { action: 'unhide' })).statusCode).toBe(409);
  });

  it('takes no answers in a locked thread, until it is unlocked', async () => {
    const b = await customer('Lars Locked');
    const number = await ask(b, 'Will this thread be locked?');
    const t = await threadByNumber(h.app, agent, number);
    expect(json(await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action: 'lock', reason: 'answered in the article' }))).toMatchObject({ locked: true });
    const before = await countRows(h.ctx.db, communityPosts);
    await b.get(`${base}/community/${number}`);
    expect(b.last!.body).toContain('This thread is locked: answered in the article');
    expect(b.last!.body).not.toContain(`${base}/community/${number}/answers`);
    const refused = await b.post(`${base}/community/${number}/answers`, { body: 'Sneaking an answer in', displayName: 'Lars' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('locked');
    const byStaff = await api(agent, 'POST', `/community/threads/${t.id}/posts`, { body: 'Staff cannot either' });
    expect(byStaff.statusCode).toBe(409);
    expect(await countRows(h.ctx.db, communityPosts)).toBe(before);
    await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action: 'unlock' });
    expect(await answer(b, number, 'Now it works')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("toggles a customer's vote, and never counts one's own", async () => {
    const asker = await customer('Vera Voted');
    const voter = await customer('Walt Voter');
    const number = await ask(asker, 'Vote for this question please');
    const post = await answer(voter, number, 'An answer to vote on');
    const t = await threadByNumber(h.app, agent, number);
    const vote = (b: HelpBrowser, targetId: string) => b.post(`${base}/community/votes`, { targetId, return: `${base}/community/${number}` });
    const score = async () => {
      const v = json(await api(agent, 'GET', `/community/threads/${t.id}`));
      return [v.score, v.posts[0].score];
    };
    await voter.get(`${base}/community/${number}`);
    expect((await vote(voter, t.id)).statusCode).toBe(303);
    expect(await score()).toEqual([1, 0]);
    expect((await voter.get(`${base}/community/${number}`)).body).toContain('aria-pressed="true"');
    await vote(voter, t.id);
    expect(await score()).toEqual([0, 0]);
    await vote(asker, post);
    expect(await score()).toEqual([0, 1]);
    // One's own question or answer: refused, and not counted.
    await asker.get(`${base}/community/${number}`);
    expect((await vote(asker, t.id)).statusCode).toBe(422);
    expect((await vote(voter, post)).statusCode).toBe(422);
    expect(await score()).toEqual([0, 1]);
    const anon = new HelpBrowser(h.app, h.ctx.secret);
    await anon.get(`${base}/community/${number}`);
    // Nobody votes without signing in: they are taken to sign in, and nothing is counted.
    const r = await vote(anon, t.id);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toMatch(new RegExp(`^${base}/portal/sign-in\\?return=`));
    expect(await score()).toEqual([0, 1]);
  });

  it('lets a customer post ten questions and answers an hour, then says 429', async () => {
    const busy = await customer('Busy Bee');
    const first = await ask(busy, 'Question number one of many');
    for (let i = 2; i <= 5; i++) await ask(busy, `Question number ${i} of many`);
    for (let i = 1; i <= 5; i++) await answer(busy, first, `Answer number ${i}`);
    const threads = await countRows(h.ctx.db, communityThreads);
    await busy.get(`${base}/community/ask`);
    const eleventh = await busy.post(`${base}/community`, { title: 'Question number eleven', body: 'Too many' });
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.headers['retry-after']).toBe('3600');
    expect(eleventh.body).toContain('Too many requests from here');
    expect((await busy.post(`${base}/community/${first}/answers`, { body: 'One more answer' })).statusCode).toBe(429);
    expect(await countRows(h.ctx.db, communityThreads)).toBe(threads);
    // Others are not held back by it.
    const calm = await customer('Calm Carla');
    expect(await ask(calm, 'A question from someone else')).toBeGreaterThan(0);
  });

  it('keeps titles and posts within their sizes, saying which field', async () => {
    const b = await customer('Sam Size');
    await b.get(`${base}/community/ask`);
    const threads = await countRows(h.ctx.db, communityThreads);
    const short = await b.post(`${base}/community`, { title: 'Hi?', body: 'Short title', displayName: 'Sam' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('id="title-error"');
    expect(short.body).toContain('Please write at least 5 characters.');
    // What was typed stays in the form.
    expect(short.body).toContain('Short title');
    const long = await b.post(`${base}/community`, { title: 'A long question body', body: 'x'.repeat(10_001), displayName: 'Sam' });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('id="body-error"');
    const longTitle = await b.post(`${base}/community`, { title: 't'.repeat(201), body: 'ok', displayName: 'Sam' });
    expect(longTitle.statusCode).toBe(422);
    expect(longTitle.body).toContain('id="title-error"');
    // A customer without a name must give one.
    const noName = await b.post(`${base}/community`, { title: 'A question without a name', body: 'Who am I?' });
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('id="displayName-error"');
    expect(await countRows(h.ctx.db, communityThreads)).toBe(threads);

    const number = await ask(b, 'A question of normal size');
    await b.get(`${base}/community/${number}`);
    const bigAnswer = await b.post(`${base}/community/${number}/answers`, { body: 'y'.repeat(10_001) });
    expect(bigAnswer.statusCode).toBe(422);
    expect(bigAnswer.body).toContain('id="answer-error"');
    const t = await threadByNumber(h.app, agent, number);
    const apiLong = await api(agent, 'POST', `/community/threads/${t.id}/posts`, { body: 'z'.repeat(10_001) });
    expect(apiLong.statusCode).toBe(422);
    expect(json(apiLong).errors[0].field).toBe('body');
    expect(json(await api(agent, 'POST', `/community/threads/${t.id}/posts`, { body: '   ' })).errors[0].field).toBe('body');

    // Sent faster than a person types, with fields empty: the empty fields are marked, not "that was quick".
    await b.get(`${base}/community/ask`);
    const hasty = await b.post(`${base}/community`, { _form: b.formToken(), title: '', body: '', displayName: 'Sam' });
    expect(hasty.statusCode).toBe(422);
    expect(hasty.body).toContain('id="title-error"');
    expect(hasty.body).not.toContain('That was quick!');
    // Complete but as fast: then it is asked to be sent again.
    await b.get(`${base}/community/ask`);
    const quick = await b.post(`${base}/community`, { _form: b.formToken(), title: 'A complete question', body: 'Sent in no time', displayName: 'Sam' });
    expect(quick.statusCode).toBe(200);
    expect(quick.body).toContain('That was quick!');
    await b.get(`${base}/community/${number}`);
    const hastyAnswer = await b.post(`${base}/community/${number}/answers`, { _form: b.formToken(b.last?.body, 0), body: '' });
    expect(hastyAnswer.statusCode).toBe(422);
    expect(hastyAnswer.body).not.toContain('That was quick!');
  });

  it('turns a thread into a draft article with the question and the accepted answer; refuses one without an answer', async () => {
    const b = await customer('Tina Thread');
    const c = await customer('Uma Answer');
    const number = await ask(b, 'How do I export my data?', 'I need a **CSV** of my orders.');
    await answer(c, number, 'Wrong answer, ignore me.');
    const good = await answer(c, number, 'Go to *Settings → Export* and choose CSV.');
    const t = await threadByNumber(h.app, agent, number);
    await api(agent, 'POST', `/community/threads/${t.id}/accept`, { postId: good });

    const res = await api(agent, 'POST', `/community/threads/${t.id}/article`, {});
    expect(res.statusCode, res.body).toBe(201);
    const article = json(res);
    expect(article).toMatchObject({ title: 'How do I export my data?', status: 'draft', sourceThreadId: t.id });
    expect(article.body).toContain('I need a **CSV** of my orders.');
    expect(article.body).toContain('Go to *Settings → Export* and choose CSV.');
    expect(article.body).not.toContain('Wrong answer');
    expect(json(await api(agent, 'GET', `/community/threads/${t.id}`)).articleId).toBe(article.id);
    // Not twice.
    expect((await api(agent, 'POST', `/community/threads/${t.id}/article`, {})).statusCode).toBe(409);
    // The draft is not public, so the thread does not link to it yet; staff see it is there.
    expect((await publicPage(number)).body).not.toContain('This question became an article');
    expect((await staff.get(`${base}/community/${number}`)).body).toContain('A draft article was made from this thread: How do I export my data?');
    await api(agent, 'PATCH', `/kb/articles/${article.id}`, { status: 'published' });
    expect(textOf((await publicPage(number)).body)).toContain(`This question became an article: How do I export my data?`);

    const bare = await ask(b, 'A question nobody answered');
    const bt = await threadByNumber(h.app, agent, bare);
    const refused = await api(agent, 'POST', `/community/threads/${bt.id}/article`, {});
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors[0].field).toBe('threadId');
    expect((await api(light, 'POST', `/community/threads/${bt.id}/article`, {})).statusCode).toBe(403);

    // From the thread's page, staff land in the editor.
    const staffAnswered = await ask(b, 'Staff will answer this one');
    await answer(staff, staffAnswered, 'Here is the official answer.');
    await staff.get(`${base}/community/${staffAnswered}`);
    const made = await staff.post(`${base}/community/${staffAnswered}/article`);
    expect(made.statusCode).toBe(303);
    expect(made.headers.location).toMatch(/^\/app\/kb\/articles\/[0-9a-f-]{36}$/);
  });

  it('records moderation in the audit log with who, what and why', async () => {
    const b = await customer('Audrey Audit');
    const number = await ask(b, 'Audit this question please');
    const post = await answer(b, number, 'Self answer to audit');
    const t = await threadByNumber(h.app, agent, number);
    await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action: 'lock', reason: 'heated' });
    await api(agent, 'POST', `/community/posts/${post}/moderate`, { action: 'hide', reason: 'rude' });
    await api(agent, 'POST', `/community/threads/${t.id}/moderate`, { action: 'delete', reason: 'spam wave' });
    const items = json(await api(owner, 'GET', '/audit-log')).items as any[];
    const ours = items.filter((e) => e.targetId === t.id || e.targetId === post).map((e) => [e.action, e.targetType, e.data.reason, e.actorMemberId]);
    expect(ours).toEqual([
      ['community.delete', 'community_thread', 'spam wave', agent.memberId],
      ['community.hide', 'community_post', 'rude', agent.memberId],
      ['community.lock', 'community_thread', 'heated', agent.memberId],
    ]);
  });

  it("keeps another workspace's members out: their API sees none of these threads", async () => {
    const rival = await buildMember(h.ctx, { workspace: 'Rival Town' });
    const b = await customer('Xena Cross');
    const number = await ask(b, 'A question for Town Co only');
    const t = await threadByNumber(h.app, agent, number);
    expect((await api(rival, 'GET', `/community/threads/${t.id}`)).statusCode).toBe(404);
    expect((await api(rival, 'POST', `/community/threads/${t.id}/moderate`, { action: 'hide', reason: 'x' })).statusCode).toBe(404);
    expect((await api(rival, 'POST', `/community/threads/${t.id}/posts`, { body: 'x' })).statusCode).toBe(404);
    expect(json(await api(rival, 'GET', '/community/threads')).items).toEqual([]);
  });
});
