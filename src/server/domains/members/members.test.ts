import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, users } from '../../db/schema/index.js';
import { buildMember, signIn, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('members', () => {
  let h: TestHeard;
  let owner: Client;
  let admin: Client;
  let agent: Client;

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Members Co', name: 'Olga Owner' });
    admin = await buildMember(h.ctx, { workspace: 'Members Co', role: 'admin', name: 'Ada Admin' });
    agent = await buildMember(h.ctx, { workspace: 'Members Co', role: 'agent', name: 'Andy Agent' });
  });
  afterAll(() => h.stop());

  const patch = (by: Pick<Client, 'headers'>, id: string, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'PATCH', url: `/api/v1/members/${id}`, headers: by.headers, payload });
  const get = (by: Pick<Client, 'headers'>, id: string) => h.app.inject({ url: `/api/v1/members/${id}`, headers: by.headers });

  it('lets an admin add a member who can then sign in', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/members',
      headers: admin.headers,
      payload: { email: 'New.Person@Example.test', name: 'New Person', password: 'a long password' },
    });
    expect(res.statusCode).toBe(201);
    const m = json(res);
    expect(m).toMatchObject({ email: 'new.person@example.test', name: 'New Person', role: 'agent', active: true });
    expect(res.body).not.toMatch(/password|hash/i);

    const list = json(await h.app.inject({ url: '/api/v1/members', headers: agent.headers })).items;
    expect(list.map((x: any) => x.id)).toContain(m.id);
    expect(json(await get(agent, m.id))).toMatchObject({ id: m.id, email: 'new.person@example.test' });

    const session = await signIn(h.app, 'new.person@example.test', 'a long password');
    expect(session.memberId).toBe(m.id);

    const again = await h.app.inject({ method: 'POST', url: '/api/v1/members', headers: admin.headers, payload: { email: 'new.person@example.test', name: 'Twice' } });
    expect(again.statusCode).toBe(409);
  });

  it('lets an admin change a role and a name; the member sees it', async () => {
    const m = await buildMember(h.ctx, { workspace: 'Members Co', role: 'agent' });
    const res = await patch(admin, m.memberId, { role: 'light', name: 'Lena Light' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ id: m.memberId, role: 'light', name: 'Lena Light' });
    const mine = json(await h.app.inject({ url: '/api/v1/me', headers: m.headers }));
    expect(mine).toMatchObject({ member: { role: 'light' }, user: { name: 'Lena Light' } });
  });

  it('refuses an agent on admin endpoints, on the server, and writes nothing', async () => {
    const before = await Promise.all([countRows(h.ctx.db, members), countRows(h.ctx.db, users)]);
    const add = await h.app.inject({ method: 'POST', url: '/api/v1/members', headers: agent.headers, payload: { email: 'sneaky@example.test', name: 'Sneaky', role: 'admin' } });
    expect(add.statusCode).toBe(403);
    expect(add.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Through a session too: the browser app hiding a button is not the protection.
    const session = await signIn(h.app, agent.email);
    const viaSession = await h.app.inject({ method: 'POST', url: '/api/v1/members', headers: session.headers, payload: { email: 'sneaky@example.test', name: 'Sneaky' } });
    expect(viaSession.statusCode).toBe(403);
    expect(await Promise.all([countRows(h.ctx.db, members), countRows(h.ctx.db, users)])).toEqual(before);

    expect((await patch(agent, agent.memberId, { role: 'admin' })).statusCode).toBe(403);
    expect((await patch(session, agent.memberId, { role: 'owner' })).statusCode).toBe(403);
    expect((await patch(agent, admin.memberId, { active: false })).statusCode).toBe(403);
    expect((await patch(agent, admin.memberId, { name: 'Renamed by agent' })).statusCode).toBe(403);
    expect(json(await get(owner, agent.memberId)).role).toBe('agent');
    expect(json(await get(owner, admin.memberId))).toMatchObject({ active: true, name: 'Ada Admin' });
    expect((await h.app.inject({ url: '/api/v1/audit-log', headers: agent.headers })).statusCode).toBe(403);
  });

  it('lets anyone change their own name and signature', async () => {
    const res = await patch(agent, agent.memberId, { name: 'Andy A.', signature: 'Cheers, Andy' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ name: 'Andy A.', signature: 'Cheers, Andy', role: 'agent' });
  });

  it('lets only an owner make or unmake owners', async () => {
    const add = await h.app.inject({ method: 'POST', url: '/api/v1/members', headers: admin.headers, payload: { email: 'boss@example.test', name: 'Boss', role: 'owner' } });
    expect(add.statusCode).toBe(403);
    expect((await patch(admin, agent.memberId, { role: 'owner' })).statusCode).toBe(403);
    expect((await patch(admin, owner.memberId, { role: 'agent' })).statusCode).toBe(403);
    // An admin cannot lock an owner out by deactivating them either.
    const second = await buildMember(h.ctx, { workspace: 'Members Co', role: 'owner' });
    expect((await patch(admin, second.memberId, { active: false })).statusCode).toBe(403);
    expect(json(await get(owner, second.memberId)).active).toBe(true);
    // An admin's token without the admin scope acts as an agent for roles.
    const adminWrite = await buildMember(h.ctx, { workspace: 'Members Co', role: 'admin', scopes: ['read', 'write'] });
    expect((await patch(adminWrite, agent.memberId, { role: 'admin' })).statusCode).toBe(403);
    expect(json(await get(owner, agent.memberId)).role).toBe('agent');

    const byOwner = await h.app.inject({ method: 'POST', url: '/api/v1/members', headers: owner.headers, payload: { email: 'co-owner@example.test', name: 'Co Owner', role: 'owner' } });
    expect(byOwner.statusCode).toBe(201);
    expect((await patch(owner, json(byOwner).id, { role: 'admin' })).statusCode).toBe(200);
    expect((await patch(owner, second.memberId, { active: false })).statusCode).toBe(200);
  });

  it('never demotes or deactivates the last active owner (422 naming the field)', async () => {
    const solo = await buildMember(h.ctx, { workspace: 'Solo Owner Co' });
    const demote = await patch(solo, solo.memberId, { role: 'admin' });
    expect(demote.statusCode).toBe(422);
    expect(demote.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(demote).errors).toEqual([{ field: 'role', reason: expect.stringMatching(/owner/) }]);
    const deactivate = await patch(solo, solo.memberId, { active: false, name: 'Should not stick' });
    expect(deactivate.statusCode).toBe(422);
    expect(json(deactivate).errors).toEqual([{ field: 'active', reason: expect.stringMatching(/owner/) }]);
    const still = json(await get(solo, solo.memberId));
    expect(still).toMatchObject({ role: 'owner', active: true });
    expect(still.name).not.toBe('Should not stick');

    // With a second active owner, the first may step down; then the second is the last one.
    const co = await buildMember(h.ctx, { workspace: 'Solo Owner Co', role: 'owner' });
    expect((await patch(solo, solo.memberId, { role: 'admin' })).statusCode).toBe(200);
    const last = await patch(co, co.memberId, { active: false });
    expect(last.statusCode).toBe(422);
    expect(json(last).errors[0].field).toBe('active');
  });

  it('rejects bad input with the field, and writes nothing', async () => {
    const before = await countRows(h.ctx.db, members);
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'not-an-email', name: 'X' }, 'email'],
      [{ email: 'x@example.test', name: '' }, 'name'],
      [{ email: 'x@example.test', name: 'X', role: 'superuser' }, 'role'],
      [{ email: 'x@example.test', name: 'X', password: 'short' }, 'password'],
    ];
    for (const [payload, field] of cases) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/members', headers: admin.headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    expect((await patch(admin, agent.memberId, { active: 'no' })).statusCode).toBe(422);
    expect((await get(admin, 'not-a-uuid')).statusCode).toBe(422);
    expect((await get(admin, '0190a0a0-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect(await countRows(h.ctx.db, members)).toBe(before);
  });

  it("keeps workspaces apart: another workspace's owner gets 404 for a member, who stays unchanged", async () => {
    const stranger = await buildMember(h.ctx, { workspace: 'Members Elsewhere' });
    const read = await get(stranger, agent.memberId);
    expect(read.statusCode).toBe(404);
    expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const payload of [{ name: 'Hijacked' }, { role: 'owner' }, { active: false }]) {
      expect((await patch(stranger, agent.memberId, payload)).statusCode, JSON.stringify(payload)).toBe(404);
    }
    const list = json(await h.app.inject({ url: '/api/v1/members', headers: stranger.headers })).items;
    expect(list.map((m: any) => m.id)).toEqual([stranger.memberId]);
    expect(json(await get(owner, agent.memberId))).toMatchObject({ role: 'agent', active: true });
    expect(json(await get(owner, agent.memberId)).name).not.toBe('Hijacked');
  });
});
