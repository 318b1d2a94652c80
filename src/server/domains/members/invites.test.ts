import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, invites, members, users } from '../../db/schema/index.js';
import { buildMember, signIn, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('invites by link', () => {
  let h: TestHeard;
  let owner: Client;
  let admin: Client;
  let agent: Client;

  beforeAll(async () => {
    h = await startTestHeard({ HEARD_PUBLIC_URL: 'https://help.example.test' });
    owner = await buildMember(h.ctx, { workspace: 'Invite Co' });
    admin = await buildMember(h.ctx, { workspace: 'Invite Co', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'Invite Co', role: 'agent' });
  });
  afterAll(() => h.stop());

  const invite = (by: Pick<Client, 'headers'>, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: '/api/v1/members/invites', headers: by.headers, payload });
  const accept = (payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invite', payload });
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

  it('lets an admin invite by link; the invitee sets a name and password, joins with the role and is signed in', async () => {
    const res = await invite(admin, { email: 'New.Hire@Example.test', role: 'agent', name: 'New Hire' });
    expect(res.statusCode).toBe(201);
    const inv = json(res);
    expect(inv).toMatchObject({ email: 'new.hire@example.test', role: 'agent', name: 'New Hire', url: expect.stringMatching(/^https:\/\/help\.example\.test\/app\/invite\?token=heard_inv_/) });
    expect(new Date(inv.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    // Only the hash is stored.
    const [row] = await h.ctx.db.select().from(invites).where(eq(invites.id, inv.id));
    expect(row.tokenHash).not.toContain(tokenOf(inv.url));
    const listed = json(await h.app.inject({ url: '/api/v1/members/invites', headers: owner.headers })).items;
    expect(listed.map((i: any) => i.id)).toContain(inv.id);
    expect(JSON.stringify(listed)).not.toContain(tokenOf(inv.url));

    const joined = await accept({ token: tokenOf(inv.url), name: 'Nia Hire', password: 'a good long password' });
    expect(joined.statusCode).toBe(200);
    const body = json(joined);
    expect(body).toEqual({ memberId: expect.any(String), workspaceId: owner.workspaceId, csrfToken: expect.any(String) });
    const cookie = joined.cookies.find((c) => c.name === 'heard_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const me = json(await h.app.inject({ url: '/api/v1/me', headers: { cookie: `heard_session=${cookie!.value}` } }));
    expect(me).toMatchObject({ user: { email: 'new.hire@example.test', name: 'Nia Hire' }, member: { id: body.memberId, role: 'agent' }, workspace: { id: owner.workspaceId } });
    expect((await signIn(h.app, 'new.hire@example.test', 'a good long password')).memberId).toBe(body.memberId);

    // Used once: the same link again is refused, and it left the open list.
    const again = await accept({ token: tokenOf(inv.url), name: 'Twice', password: 'a good long password' });
    expect(again.statusCode).toBe(422);
    expect(json(again).errors[0].field).toBe('token');
    expect(json(await h.app.inject({ url: '/api/v1/members/invites', headers: owner.headers })).items.map((i: any) => i.id)).not.toContain(inv.id);
    const actions = (await h.ctx.db.select().from(auditLog).where(eq(auditLog.workspaceId, owner.workspaceId))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['member.invite', 'member.invite_accept']));
  });

  it('adds someone who already has an account only with that account’s password, which it never changes', async () => {
    const elsewhere = await buildMember(h.ctx, { workspace: 'Their Own Co', email: `existing-${Date.now()}@example.test` });
    const inv = json(await invite(admin, { email: elsewhere.email, role: 'light' }));
    const before = await countRows(h.ctx.db, members);
    const takeover = await accept({ token: tokenOf(inv.url), name: 'Attacker', password: 'attacker chosen password' });
    expect(takeover.statusCode).toBe(422);
    expect(json(takeover).errors).toEqual([{ field: 'password', reason: expect.stringMatching(/already has a Heard account/) }]);
    expect(await countRows(h.ctx.db, members)).toBe(before);
    await expect(signIn(h.app, elsewhere.email, 'attacker chosen password')).rejects.toThrow(/401/);

    const ok = await accept({ token: tokenOf(inv.url), name: 'Ignored', password: 'correct horse battery' });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).workspaceId).toBe(owner.workspaceId);
    const [u] = await h.ctx.db.select().from(users).where(eq(users.email, elsewhere.email));
    expect(u.name).not.toBe('Ignored');
    expect(json(await h.app.inject({ url: `/api/v1/members/${json(ok).memberId}`, headers: agent.headers })).role).toBe('light');
  });

  it('revokes, expires, and refuses agents, owner invites by admins, members already in, and bad input', async () => {
    const inv = json(await invite(admin, { email: 'revoked@example.test' }));
    expect(inv.role).toBe('agent');
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/members/invites/${inv.id}`, headers: admin.headers })).statusCode).toBe(204);
    expect((await accept({ token: tokenOf(inv.url), name: 'R', password: 'long enough pw' })).statusCode).toBe(422);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/members/invites/${inv.id}`, headers: admin.headers })).statusCode).toBe(404);

    const old = json(await invite(admin, { email: 'late@example.test' }));
    await h.ctx.db.update(invites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invites.id, old.id));
    expect(json(await accept({ token: tokenOf(old.url), name: 'Late', password: 'long enough pw' })).errors[0].field).toBe('token');

    const before = await countRows(h.ctx.db, invites);
    expect((await invite(agent, { email: 'x@example.test' })).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/v1/members/invites', headers: agent.headers })).statusCode).toBe(403);
    expect((await invite(admin, { email: 'boss@example.test', role: 'owner' })).statusCode).toBe(403);
    expect((await invite(admin, { email: agent.email })).statusCode).toBe(409);
    for (const [payload, field] of [
      [{ email: 'nope' }, 'email'],
      [{ email: 'a@example.test', role: 'god' }, 'role'],
      [{ email: 'a@example.test', name: '' }, 'name'],
    ] as const) {
      const res = await invite(admin, payload);
      expect(res.statusCode).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    expect(await countRows(h.ctx.db, invites)).toBe(before);
    expect((await invite(owner, { email: 'co-owner@example.test', role: 'owner' })).statusCode).toBe(201);

    const fresh = json(await invite(admin, { email: 'weak@example.test' }));
    for (const [payload, field] of [
      [{ token: tokenOf(fresh.url), name: 'W', password: 'short' }, 'password'],
      [{ token: tokenOf(fresh.url), name: '', password: 'long enough pw' }, 'name'],
      [{ token: 'heard_inv_made_up', name: 'W', password: 'long enough pw' }, 'token'],
    ] as const) {
      const res = await accept(payload);
      expect(res.statusCode).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    expect((await accept({ token: tokenOf(fresh.url), name: 'W', password: 'long enough pw' })).statusCode).toBe(200);
  });

  it("keeps workspaces apart: another workspace's admin cannot see or revoke an invitation", async () => {
    const inv = json(await invite(admin, { email: 'private@example.test' }));
    const stranger = await buildMember(h.ctx, { workspace: 'Invite Elsewhere' });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/members/invites/${inv.id}`, headers: stranger.headers })).statusCode).toBe(404);
    expect(json(await h.app.inject({ url: '/api/v1/members/invites', headers: stranger.headers })).items).toEqual([]);
    expect(json(await h.app.inject({ url: '/api/v1/members/invites', headers: admin.headers })).items.map((i: any) => i.id)).toContain(inv.id);
  });
});
