import Fastify, { type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, type Client, sendInbound } from '../../../../test/factories.js';
import { engine } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { multipart, publishHelpCenter } from '../../../../test/helpers/help-center.js';
import { installErrorHandler } from './error-handler.js';

/**
 * The input a security review found answering 500 (some with the failed SQL in the page):
 * each is now a 4xx naming the field, and nothing is written; what no person typed (a
 * mail's headers, an uploaded file's name) is stored without the characters PostgreSQL cannot hold.
 */
describe('input no route can store', () => {
  let h: TestHeard;
  let owner: Client;
  let conversationNumber: number;

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Guard Co' });
    const inbox = await buildApiInbox(h.app, owner);
    conversationNumber = (await sendInbound(h.app, owner, inbox.id)).conversationNumber;
    await publishHelpCenter(h.app, owner, { slug: 'guard' });
  });
  afterAll(() => h.stop());

  const count = async (table: string) => (await h.ctx.database.raw.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0].n;
  const expectProblem = (res: LightMyRequestResponse, status: number, field?: string) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (field) expect(json(res).errors).toContainEqual(expect.objectContaining({ field }));
    expect(res.body).not.toMatch(/select|insert|update .* set|\bat .*\.ts:\d+/i);
  };
  const post = (url: string, payload: string | Buffer) => h.app.inject({ method: 'POST', url, headers: { ...owner.headers, 'content-type': 'application/json' }, payload });

  it('refuses a NUL in a body field, a nested field, a key, the query and the path, naming it', async () => {
    const teams = await count('teams');
    expectProblem(await post('/api/v1/teams', JSON.stringify({ name: 'a\u0000b' })), 422, 'name');
    expectProblem(await post('/api/v1/teams', JSON.stringify({ name: 'Team', memberIds: ['x\u0000'] })), 422, 'memberIds.0');
    expect(await count('teams')).toBe(teams);
    const inbox = await buildApiInbox(h.app, owner);
    const messages = await count('messages');
    expectProblem(await post(`/api/v1/inboxes/${inbox.id}/messages`, JSON.stringify({ contact: { externalId: 'x', name: 'N\u0000' }, text: 'Hi' })), 422, 'contact.name');
    expectProblem(await post(`/api/v1/inboxes/${inbox.id}/messages`, JSON.stringify({ contact: { externalId: 'x', name: 'N', ['k\u0000']: 1 }, text: 'Hi' })), 422, 'contact.k\\u0000');
    expect(await count('messages')).toBe(messages);
    expectProblem(await h.app.inject({ url: '/api/v1/conversations?q=%00', headers: owner.headers }), 422, 'querystring.q');
    expectProblem(await h.app.inject({ url: '/api/v1/contacts?q=a%00', headers: owner.headers }), 422, 'querystring.q');
    expectProblem(await h.app.inject({ url: '/api/v1/conversations/%00', headers: owner.headers }), 422, 'params.id');
    // Not even percent-encoding: refused before any route, still as problem+json.
    expectProblem(await h.app.inject({ url: '/api/v1/conversations/%FF', headers: owner.headers }), 400);
  });

  it('asks who is calling before looking at their input: an anonymous NUL is a 401', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/teams', payload: { name: 'x\u0000' } });
    expectProblem(res, 401);
  });

  it('refuses an unpaired surrogate (JSON\'s \\ud800) in text and in JSON values, naming the field', async () => {
    const inbox = await buildApiInbox(h.app, owner);
    const { contactId } = await sendInbound(h.app, owner, inbox.id);
    const teams = await count('teams');
    expectProblem(await post('/api/v1/teams', '{"name":"x\\udc00y"}'), 422, 'name');
    expect(await count('teams')).toBe(teams);
    const patch = (payload: string) => h.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contactId}`, headers: { ...owner.headers, 'content-type': 'application/json' }, payload });
    expectProblem(await patch('{"attributes":{"plan":"x\\ud800y"}}'), 422, 'attributes.plan');
    expectProblem(await patch('{"name":"x\\ud800"}'), 422, 'name');
    // A pair is a character like any other.
    expect((await patch(JSON.stringify({ name: 'Smiley \u{1F600}' }))).statusCode).toBe(200);
  });

  it('ingests mail with NULs in its encoded headers and parts, replaced, rather than failing it', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Mail', channel: 'email', address: 'guard@guard.test' } });
    const inbox = json(res) as { id: string };
    const b64 = (s: string) => `=?utf-8?B?${Buffer.from(s).toString('base64')}?=`;
    const mail = [
      `From: ${b64('Pat\u0000 Doe')} <pat@customer.test>`,
      'To: guard@guard.test',
      'Cc: "Odd" <od\u0000d@customer.test>',
      `Subject: ${b64('Hel\u0000lo')}`,
      'Message-ID: <nul\u0000id@customer.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hi\u0000 there</p>',
      '--b',
      `Content-Type: text/plain; name="${b64('no\u0000te.txt')}"`,
      'Content-Disposition: attachment',
      '',
      'file',
      '--b--',
      '',
    ].join('\r\n');
    const sent = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: mail });
    expect(sent.statusCode, sent.body).toBe(201);
    const timeline = json(await h.app.inject({ url: `/api/v1/conversations/${json(sent).conversationId}`, headers: owner.headers }));
    // Stored with the NUL replaced (U+FFFD), as the e-mail channel cleans what it cannot store.
    expect(timeline.subject).toBe('Hel\uFFFDlo');
    expect(JSON.stringify(timeline)).not.toContain('\\u0000');
  });

  it('keeps a NUL out of an uploaded file name, which is cleaned rather than refused', async () => {
    const body = multipart({}, [{ filename: 'inv\u0000oice.txt', contentType: 'text/plain', content: 'hello' }]);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...owner.headers, 'content-type': body.contentType }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<{ filename: string }[]>(res).map((a) => a.filename)).toEqual(['invoice.txt']);
  });

  it('refuses a JSON body that is not UTF-8, or nests 5,000 levels, before parsing it', async () => {
    const teams = await count('teams');
    const bad = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const utf8 = await post('/api/v1/teams', bad);
    expectProblem(utf8, 422, 'body');
    expect(json(utf8).detail).toBe('body: is not valid UTF-8');
    const deep = `{"name":"Deep","memberIds":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expectProblem(await post('/api/v1/teams', deep), 422, 'body');
    const object = `{"subject":"x","customFields":{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`;
    expectProblem(await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationNumber}`, headers: { ...owner.headers, 'content-type': 'application/json' }, payload: object }), 422, 'body');
    expect(await count('teams')).toBe(teams);
    // Brackets inside strings are text, not nesting.
    const res = await post('/api/v1/teams', JSON.stringify({ name: `${'['.repeat(80)}` }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('searches for numbers past any conversation number as text, and refuses them as the number in a path', async () => {
    const search = await h.app.inject({ url: '/api/v1/conversations?q=99999999999999999999', headers: owner.headers });
    expect(search.statusCode, search.body).toBe(200);
    expect(json(search).items).toEqual([]);
    expect(json(await h.app.inject({ url: `/api/v1/conversations?q=%23${conversationNumber}`, headers: owner.headers })).items).toHaveLength(1);
    expectProblem(await h.app.inject({ url: '/api/v1/conversations/99999999999999999999', headers: owner.headers }), 422, 'params.id');
    expect((await h.app.inject({ url: `/api/v1/conversations/${conversationNumber}`, headers: owner.headers })).statusCode).toBe(200);
  });

  it('answers the public help center with its own 4xx page, never 500 or SQL', async () => {
    for (const url of ['/help/%00', '/help/guard/search?q=%00', '/help/guard/articles/%00', '/help/guard/community/99999999999999999999', '/help/guard/portal/conversations/99999999999999999999']) {
      const res = await h.app.inject({ url });
      expect(res.statusCode, `${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toMatch(/select|from "|Failed query/i);
    }
    // Cookies are no route's fields, but their values are looked up too.
    for (const cookie of ['heard_session=%00', 'heard_portal=%00', 'heard_help_form=%00']) {
      const res = await h.app.inject({ url: '/help/guard', headers: { cookie } });
      expect(res.statusCode, `${cookie}: ${res.body}`).toBe(200);
      expectProblem(await h.app.inject({ url: '/api/v1/me', headers: { cookie } }), 401);
    }
    const page = await h.app.inject({ url: '/help/guard/search?q=%00' });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('querystring.q: must not contain a NUL character');
  });

  it('answers 422 without the statement when bad input still reaches the database', async () => {
    // A server with only the error handler: the statements fail on PostgreSQL (or PGlite) itself.
    const app = Fastify();
    installErrorHandler(app);
    const statements: Record<string, [string, unknown[]]> = {
      nul: ["select E'a\\000b' as t", []],
      range: ['select $1::int as n', ['99999999999999999999']],
      // PGlite answers this one without an error (rows of nothing); PostgreSQL runs out of stack depth.
      ...(engine === 'postgres' ? { deep: ['select $1::jsonb as j', [`${'['.repeat(100_000)}${']'.repeat(100_000)}`]] as [string, unknown[]] } : {}),
    };
    app.get('/fail/:what', async (req) => {
      const [text, values] = statements[(req.params as { what: string }).what];
      return (await h.ctx.database.raw.query(text, values)).rows;
    });
    for (const what of Object.keys(statements)) {
      const res = await app.inject({ url: `/fail/${what}` });
      expect(res.statusCode, `${what}: ${res.body}`).toBe(422);
      expectProblem(res, 422, 'body');
      expect(res.body, what).not.toContain('$1');
    }
    await app.close();
  });
});
