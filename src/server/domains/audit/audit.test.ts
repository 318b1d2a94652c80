import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, buildTeam, buildToken, sendInbound, signIn, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('audit log', () => {
  let h: TestHeard;
  let owner: Client;
  let admin: Client;
  let agent: Client;

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Audit Co' });
    admin = await buildMember(h.ctx, { workspace: 'Audit Co', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'Audit Co', role: 'agent' });
  });
  afterAll(() => h.stop());

  const audit = async (by: Pick<Client, 'headers'> = owner, query = '') => {
    const res = await h.app.inject({ url: `/api/v1/audit-log${query}`, headers: by.headers });
    expect(res.statusCode).toBe(200);
    return json(res).items as any[];
  };

  it("records admins' actions: who, what and on which target, newest first", async () => {
    const team = await buildTeam(h.app, admin, { name: 'Escalations' });
    await h.app.inject({ method: 'PATCH', url: `/api/v1/teams/${team.id}`, headers: admin.headers, payload: { name: 'Escalations 2' } });
    const added = json(await h.app.inject({ method: 'POST', url: '/api/v1/members', headers: admin.headers, payload: { email: 'audited@example.test', name: 'Audited' } }));
    await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${added.id}`, headers: admin.headers, payload: { role: 'light' } });
    const inbox = await buildApiInbox(h.app, admin, 'https://hooks.example.test/a');
    await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/rotate-secret`, headers: admin.headers });
    const token = await buildToken(h.app, admin, { scopes: ['read'] });
    await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}`, headers: admin.headers });
    const a = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'audit-a' } });
    const b = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'audit-b' } });
    await h.app.inject({ method: 'POST', url: `/api/v1/contacts/${a.contactId}/merge`, headers: agent.headers, payload: { sourceId: b.contactId } });
    await h.app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, headers: admin.headers });

    const items = await audit(admin);
    expect(items.slice(0, 11).map((e) => [e.action, e.targetId])).toEqual([
      ['team.delete', team.id],
      ['contact.merge', a.contactId],
      ['token.revoke', token.id],
      ['token.create', token.id],
      ['inbox.rotate_secret', inbox.id],
      ['inbox.create', inbox.id],
      ['member.update', added.id],
      ['member.add', added.id],
      ['team.update', team.id],
      ['team.create', team.id],
      // buildMember's own token, made by the owner when the test began
      ['token.create', expect.any(String)],
    ]);
    const byAction = (action: string) => items.find((e) => e.action === action);
    expect(byAction('member.update')).toMatchObject({ actorMemberId: admin.memberId, targetType: 'member', data: { role: 'light' }, workspaceId: admin.workspaceId });
    expect(byAction('contact.merge')).toMatchObject({ actorMemberId: agent.memberId, data: { sourceId: b.contactId } });
    expect(byAction('token.create')).toMatchObject({ data: { scopes: ['read'] } });
    const times = items.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    // Secrets are never written to the log.
    const raw = (await h.app.inject({ url: '/api/v1/audit-log?limit=200', headers: owner.headers })).body;
    expect(raw).not.toContain(token.token);
    expect(raw).not.toContain(inbox.signingSecret);
    expect(raw).not.toMatch(/whsec_|heard_pat_/);
  });

  it('pages with limit and before', async () => {
    await buildTeam(h.app, owner, { name: 'Old one' });
    await new Promise((r) => setTimeout(r, 30));
    const cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 30));
    await buildTeam(h.app, owner, { name: 'New one' });
    const latest = await audit(owner, '?limit=1');
    expect(latest).toHaveLength(1);
    expect(latest[0]).toMatchObject({ action: 'team.create', data: { name: 'New one' } });
    const older = await audit(owner, `?before=${encodeURIComponent(cut)}&limit=200`);
    expect(older[0]).toMatchObject({ action: 'team.create', data: { name: 'Old one' } });
    expect(older.every((e) => Date.parse(e.createdAt) < Date.parse(cut))).toBe(true);
    for (const query of ['?limit=0', '?limit=201', '?before=yesterday-ish']) {
      const res = await h.app.inject({ url: `/api/v1/audit-log${query}`, headers: owner.headers });
      expect(res.statusCode, query).toBe(422);
    }
  });

  it('writes no entry for a refused or rejected action', async () => {
    const before = await countRows(h.ctx.db, auditLog);
    await h.app.inject({ method: 'POST', url: '/api/v1/teams', headers: agent.headers, payload: { name: 'Nope' } });
    await h.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Ghosts', memberIds: ['0190a0a0-0000-7000-8000-000000000000'] } });
    await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${owner.memberId}`, headers: owner.headers, payload: { role: 'agent' } });
    await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: (await signIn(h.app, agent.email)).headers, payload: { name: 'x', scopes: ['admin'] } });
    expect(await countRows(h.ctx.db, auditLog)).toBe(before);
  });

  it('is for admins only, with the admin scope', async () => {
    const light = await buildMember(h.ctx, { workspace: 'Audit Co', role: 'light' });
    const readOnly = await buildToken(h.app, owner, { scopes: ['read'] });
    for (const who of [agent, light, readOnly]) {
      expect((await h.app.inject({ url: '/api/v1/audit-log', headers: who.headers })).statusCode).toBe(403);
    }
    expect((await h.app.inject({ url: '/api/v1/audit-log' })).statusCode).toBe(401);
    const session = await signIn(h.app, admin.email);
    expect((await h.app.inject({ url: '/api/v1/audit-log', headers: { cookie: session.cookie } })).statusCode).toBe(200);
  });

  it("keeps workspaces apart: another workspace's owner sees none of this log", async () => {
    const stranger = await buildMember(h.ctx, { workspace: 'Audit Elsewhere' });
    await buildTeam(h.app, stranger, { name: 'Their team' });
    const theirs = await audit(stranger, '?limit=200');
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((e) => e.workspaceId === stranger.workspaceId)).toBe(true);
    const ours = await audit(owner, '?limit=200');
    expect(ours.every((e) => e.workspaceId === owner.workspaceId)).toBe(true);
    expect(ours.some((e) => e.data?.name === 'Their team')).toBe(false);
  });
});
