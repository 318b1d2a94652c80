import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMember, signIn, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

const PASSWORD = 'correct horse battery';

describe('auth', () => {
  let h: TestHeard;
  /** A second Heard that allows only three sign-in attempts a minute. */
  let limited: TestHeard;
  let owner: Client;

  beforeAll(async () => {
    [h, limited] = await Promise.all([startTestHeard(), startTestHeard({ HEARD_LOGIN_RATE_LIMIT: '3' })]);
    owner = await buildMember(h.ctx, { workspace: 'Auth Co', name: 'Olga Owner' });
  });
  afterAll(async () => {
    await Promise.all([h?.stop(), limited?.stop()]);
  });

  const me = (headers: Record<string, string>) => h.app.inject({ url: '/api/v1/me', headers });

  it('signs in with an httpOnly SameSite=Lax session cookie and returns the CSRF token', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'heard_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.secure).toBeFalsy(); // plain http in tests; an https public URL makes it Secure
    expect(cookie!.value.length).toBeGreaterThanOrEqual(32);
    const body = json(res);
    expect(body).toEqual({ memberId: owner.memberId, workspaceId: owner.workspaceId, csrfToken: expect.any(String) });
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(24);
    // The session secret travels in the cookie only, never in a body a script could read.
    expect(res.body).not.toContain(cookie!.value);
  });

  it('signs in whatever the case of the e-mail address', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email.toUpperCase(), password: PASSWORD } });
    expect(res.statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown e-mail with the same 401', async () => {
    const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: 'not the password' } });
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.test', password: 'not the password' } });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.cookies).toHaveLength(0);
    }
    expect(json(wrong)).toEqual(json(unknown));
  });

  it('rejects a sign-in without e-mail or password as invalid input', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email } });
    expect(res.statusCode).toBe(422);
    expect(json(res).errors).toContainEqual({ field: 'password', reason: expect.any(String) });
  });

  it('tells who is calling on GET /me, by session cookie and by bearer token', async () => {
    const session = await signIn(h.app, owner.email);
    const bySession = await me({ cookie: session.cookie });
    expect(bySession.statusCode).toBe(200);
    expect(json(bySession)).toMatchObject({
      user: { email: owner.email },
      member: { id: owner.memberId, role: 'owner' },
      workspace: { id: owner.workspaceId, name: 'Auth Co' },
      via: 'session',
      scopes: ['read', 'write', 'admin', 'events'],
    });
    // A reloaded app gets its session's CSRF token back from /me; a token has none.
    expect(json(bySession).csrfToken).toBe(session.csrf);
    const byToken = await me(owner.headers);
    expect(byToken.statusCode).toBe(200);
    expect(json(byToken)).toMatchObject({ member: { id: owner.memberId }, via: 'token' });
    expect(json(byToken)).not.toHaveProperty('csrfToken');
    // What /me says never includes the password or the session secret.
    expect(bySession.body).not.toMatch(/password|hash/i);
    expect(bySession.body).not.toContain(session.cookie.split('=')[1]);
  });

  it('answers 401 without credentials, with a malformed Authorization header, an unknown token or an unknown cookie', async () => {
    const tries: Record<string, string>[] = [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer heard_pat_nope' }, { cookie: 'heard_session=forged' }];
    for (const headers of tries) {
      const res = await me(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('asks for credentials before it looks at the input', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/teams', payload: { name: '' } });
    expect(res.statusCode).toBe(401);
  });

  it('ends the session on the server at logout, so the old cookie no longer works', async () => {
    const session = await signIn(h.app, owner.email);
    expect((await me({ cookie: session.cookie })).statusCode).toBe(200);
    const out = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'heard_session');
    expect(cleared?.value).toBe('');
    // A copy of the cookie kept by an attacker (or the browser) is dead too.
    expect((await me({ cookie: session.cookie })).statusCode).toBe(401);
    // Other sessions of the same person live on.
    expect((await me(owner.headers)).statusCode).toBe(200);
  });

  it('refuses a cookie-authenticated write without the right X-CSRF-Token, and accepts it with the token', async () => {
    const session = await signIn(h.app, owner.email);
    const write = (headers: Record<string, string>, signature: string) =>
      h.app.inject({ method: 'PATCH', url: `/api/v1/members/${owner.memberId}`, headers, payload: { signature } });

    const none = await write({ cookie: session.cookie }, 'forged 1');
    expect(none.statusCode).toBe(403);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(none).detail).toMatch(/CSRF/);

    const other = await signIn(h.app, owner.email);
    expect((await write({ cookie: session.cookie, 'x-csrf-token': other.csrf }, 'forged 2')).statusCode).toBe(403);
    expect((await write({ cookie: session.cookie, 'x-csrf-token': 'x' }, 'forged 3')).statusCode).toBe(403);
    expect(json(await me(owner.headers)).member.signature).toBe('');

    const ok = await write(session.headers, '— Olga');
    expect(ok.statusCode).toBe(200);
    expect(json(await me(owner.headers)).member.signature).toBe('— Olga');
    // Reads need no CSRF token.
    expect((await me({ cookie: session.cookie })).statusCode).toBe(200);
  });

  it('needs no CSRF token for bearer-token requests', async () => {
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${owner.memberId}`, headers: owner.headers, payload: { signature: 'via token' } });
    expect(res.statusCode).toBe(200);
    expect(json(res).signature).toBe('via token');
  });

  it('signs in to the workspace asked for when a person belongs to several', async () => {
    const email = 'two-places@example.test';
    const first = await buildMember(h.ctx, { workspace: 'First Place', email });
    const second = await buildMember(h.ctx, { workspace: 'Second Place', email, role: 'agent' });
    const byDefault = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
    expect(json(byDefault).workspaceId).toBe(first.workspaceId);
    const chosen = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD, workspaceId: second.workspaceId } });
    expect(json(chosen)).toMatchObject({ workspaceId: second.workspaceId, memberId: second.memberId });
    const cookie = chosen.cookies.find((c) => c.name === 'heard_session')!;
    expect(json(await me({ cookie: `heard_session=${cookie.value}` }))).toMatchObject({ workspace: { id: second.workspaceId }, member: { role: 'agent' } });
    const notMine = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD, workspaceId: owner.workspaceId } });
    expect(notMine.statusCode).toBe(401);
  });

  it("stops a deactivated member's sessions and tokens at once, and their sign-in", async () => {
    const agent = await buildMember(h.ctx, { workspace: 'Auth Co', role: 'agent' });
    const session = await signIn(h.app, agent.email);
    expect((await me({ cookie: session.cookie })).statusCode).toBe(200);
    expect((await me(agent.headers)).statusCode).toBe(200);

    const off = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${agent.memberId}`, headers: owner.headers, payload: { active: false } });
    expect(off.statusCode).toBe(200);
    expect(json(off).active).toBe(false);

    expect((await me({ cookie: session.cookie })).statusCode).toBe(401);
    expect((await me(agent.headers)).statusCode).toBe(401);
    const again = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: PASSWORD } });
    expect(again.statusCode).toBe(401);

    // Reactivated, the same token works again (it was never revoked).
    await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${agent.memberId}`, headers: owner.headers, payload: { active: true } });
    expect((await me(agent.headers)).statusCode).toBe(200);
  });

  it('limits sign-in attempts per address with 429', async () => {
    const member = await buildMember(limited.ctx);
    const attempt = (password: string) => limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: member.email, password } });
    for (let i = 0; i < 3; i++) expect((await attempt('guess ' + i)).statusCode).toBe(401);
    const blocked = await attempt(PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.cookies).toHaveLength(0);
    // Another address is not held back, and the rest of the API is not limited by it.
    const elsewhere = await limited.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: member.email, password: PASSWORD },
      remoteAddress: '10.1.2.3',
    });
    expect(elsewhere.statusCode).toBe(200);
    expect((await limited.app.inject({ url: '/api/v1/me', headers: member.headers })).statusCode).toBe(200);
  });

  it('limits password reset requests per client like sign-in', async () => {
    const ask = (i: number) =>
      limited.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: `person${i}@example.test` }, remoteAddress: '10.9.9.9' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(i)).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
