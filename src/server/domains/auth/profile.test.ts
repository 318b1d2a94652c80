import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMember, signIn, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

const PASSWORD = 'correct horse battery';

describe('my profile', () => {
  let h: TestHeard;
  let agent: Client;

  beforeAll(async () => {
    h = await startTestHeard();
    agent = await buildMember(h.ctx, { workspace: 'Profile Co', role: 'agent', name: 'Andy Agent' });
  });
  afterAll(() => h.stop());

  const me = (headers: Record<string, string>) => h.app.inject({ url: '/api/v1/me', headers });
  const changePassword = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: '/api/v1/me/password', headers, payload });

  it('changes my name and signature, and answers like GET /me', async () => {
    const session = await signIn(h.app, agent.email);
    const res = await h.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: session.headers, payload: { name: 'Andy A.', signature: '-- Andy' } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ user: { name: 'Andy A.' }, member: { id: agent.memberId, signature: '-- Andy' }, csrfToken: session.csrf });
    expect(json(await me(agent.headers))).toMatchObject({ user: { name: 'Andy A.' }, member: { signature: '-- Andy' } });
    const onlySignature = await h.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: agent.headers, payload: { signature: '' } });
    expect(json(onlySignature)).toMatchObject({ user: { name: 'Andy A.' }, member: { signature: '' } });
    for (const [payload, field] of [
      [{ name: '' }, 'name'],
      [{ signature: 'x'.repeat(5001) }, 'signature'],
    ] as const) {
      const bad = await h.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: agent.headers, payload });
      expect(bad.statusCode).toBe(422);
      expect(json(bad).errors.map((e: any) => e.field)).toEqual([field]);
    }
    expect(json(await me(agent.headers)).user.name).toBe('Andy A.');
  });

  it('keeps my language and clock for this workspace, "auto" until I choose, and refuses ones the app does not speak', async () => {
    const m = await buildMember(h.ctx, { workspace: 'Profile Co', role: 'agent' });
    expect(json(await me(m.headers)).member).toMatchObject({ locale: 'auto', timeFormat: 'auto' });
    const res = await h.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: m.headers, payload: { locale: 'de', timeFormat: '24h' } });
    expect(res.statusCode).toBe(200);
    expect(json(res).member).toMatchObject({ locale: 'de', timeFormat: '24h' });
    // Changing one thing keeps the others.
    await h.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: m.headers, payload: { timeFormat: '12h' } });
    expect(json(await me(m.headers)).member).toMatchObject({ locale: 'de', timeFormat: '12h' });
    // Another workspace of the same person keeps its own.
    const elsewhere = await buildMember(h.ctx, { workspace: 'Other Co', role: 'agent', email: m.email });
    expect(json(await me(elsewhere.headers)).member).toMatchObject({ locale: 'auto', timeFormat: 'auto' });
    for (const [payload, field] of [
      [{ locale: 'fr' }, 'locale'],
      [{ locale: '' }, 'locale'],
      [{ timeFormat: '13h' }, 'timeFormat'],
    ] as const) {
      const bad = await h.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: m.headers, payload });
      expect(bad.statusCode).toBe(422);
      expect(json(bad).errors).toEqual([{ field, reason: expect.stringContaining('must be one of') }]);
    }
    expect(json(await me(m.headers)).member).toMatchObject({ locale: 'de', timeFormat: '12h' });
  });

  it('tells my availability, which I switch to away and back', async () => {
    expect(json(await me(agent.headers)).member.availability).toBe('available');
    const away = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${agent.memberId}`, headers: agent.headers, payload: { availability: 'away' } });
    expect(away.statusCode).toBe(200);
    expect(json(await me(agent.headers)).member.availability).toBe('away');
    await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${agent.memberId}`, headers: agent.headers, payload: { availability: 'available' } });
    expect(json(await me(agent.headers)).member.availability).toBe('available');
  });

  it('changes my password: the current one is checked, other sessions end and this one stays', async () => {
    const m = await buildMember(h.ctx, { workspace: 'Profile Co', role: 'agent' });
    const here = await signIn(h.app, m.email);
    const elsewhere = await signIn(h.app, m.email);

    const wrong = await changePassword(here.headers, { currentPassword: 'not it at all', newPassword: 'a brand new secret' });
    expect(wrong.statusCode).toBe(422);
    expect(json(wrong).errors).toEqual([{ field: 'currentPassword', reason: expect.any(String) }]);
    const short = await changePassword(here.headers, { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.statusCode).toBe(422);
    expect(json(short).errors.map((e: any) => e.field)).toEqual(['newPassword']);
    expect((await me(elsewhere.headers)).statusCode).toBe(200);

    const ok = await changePassword(here.headers, { currentPassword: PASSWORD, newPassword: 'a brand new secret' });
    expect(ok.statusCode).toBe(204);
    expect((await me(here.headers)).statusCode).toBe(200);
    expect((await me(elsewhere.headers)).statusCode).toBe(401);
    await expect(signIn(h.app, m.email, PASSWORD)).rejects.toThrow(/401/);
    expect((await signIn(h.app, m.email, 'a brand new secret')).memberId).toBe(m.memberId);
    // API tokens are not sessions: they keep working, and cannot change the password.
    expect((await me(m.headers)).statusCode).toBe(200);
    expect((await changePassword(m.headers, { currentPassword: 'a brand new secret', newPassword: 'taken over!' })).statusCode).toBe(403);
  });
});
