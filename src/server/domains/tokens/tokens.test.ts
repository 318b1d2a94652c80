import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, buildToken, sendInbound, signIn, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('API tokens', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let agentSession: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Tokens Co' });
    agent = await buildMember(h.ctx, { workspace: 'Tokens Co', role: 'agent' });
    agentSession = await signIn(h.app, agent.email);
  });
  afterAll(() => h.stop());

  const me = (headers: Record<string, string>) => h.app.inject({ url: '/api/v1/me', headers });

  it('shows a new token once, at creation; listing never contains it', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: owner.headers, payload: { name: 'Reporting', scopes: ['read'] } });
    expect(res.statusCode).toBe(201);
    const created = json(res);
    expect(created).toMatchObject({ id: expect.any(String), name: 'Reporting', scopes: ['read'], memberId: owner.memberId, token: expect.stringMatching(/^heard_pat_/) });
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created.prefix.length).toBeLessThan(created.token.length / 2);

    const list = await h.app.inject({ url: '/api/v1/tokens', headers: owner.headers });
    expect(list.statusCode).toBe(200);
    const listed = json(list).items.find((t: any) => t.id === created.id);
    expect(listed).toMatchObject({ name: 'Reporting', prefix: created.prefix, scopes: ['read'] });
    expect(listed).not.toHaveProperty('token');
    expect(list.body).not.toContain(created.token);
    expect(list.body).not.toMatch(/hash/i);

    const works = await me({ authorization: `Bearer ${created.token}` });
    expect(json(works)).toMatchObject({ via: 'token', scopes: ['read'] });
  });

  it('lets a read-only token read but not write (403)', async () => {
    const inbox = await buildApiInbox(h.app, owner);
    const inbound = await sendInbound(h.app, owner, inbox.id);
    const ro = await buildToken(h.app, owner, { scopes: ['read'] });

    expect((await h.app.inject({ url: '/api/v1/conversations', headers: ro.headers })).statusCode).toBe(200);
    expect((await h.app.inject({ url: `/api/v1/conversations/${inbound.conversationId}/timeline`, headers: ro.headers })).statusCode).toBe(200);

    const writes = [
      { method: 'PATCH' as const, url: `/api/v1/conversations/${inbound.conversationId}`, payload: { status: 'solved' } },
      { method: 'POST' as const, url: `/api/v1/conversations/${inbound.conversationId}/messages`, payload: { text: 'hi', kind: 'note' } },
      { method: 'POST' as const, url: `/api/v1/inboxes/${inbox.id}/messages`, payload: { contact: { externalId: 'ro-1' }, text: 'x', clientMessageId: 'ro-1' } },
      { method: 'PATCH' as const, url: `/api/v1/contacts/${inbound.contactId}`, payload: { name: 'Renamed' } },
      { method: 'POST' as const, url: '/api/v1/inboxes', payload: { name: 'New', channel: 'widget' } },
      { method: 'POST' as const, url: '/api/v1/tokens', payload: { name: 'escalate', scopes: ['read', 'write', 'admin'] } },
    ];
    for (const w of writes) {
      const res = await h.app.inject({ ...w, headers: ro.headers });
      expect(res.statusCode, `${w.method} ${w.url}`).toBe(403);
    }
    const conv = json(await h.app.inject({ url: `/api/v1/conversations/${inbound.conversationId}/timeline`, headers: owner.headers }));
    expect(conv.conversation.status).toBe('open');
    expect(conv.items).toHaveLength(2); // the customer's message and the conversation.created event
  });

  it('makes a revoked token 401 immediately, and drops it from the list', async () => {
    const t = await buildToken(h.app, owner, { scopes: ['read', 'write'] });
    expect((await me(t.headers)).statusCode).toBe(200);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: owner.headers });
    expect(del.statusCode).toBe(204);
    const after = await me(t.headers);
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(await h.app.inject({ url: '/api/v1/tokens', headers: owner.headers })).items.map((x: any) => x.id)).not.toContain(t.id);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: t.headers })).statusCode).toBe(401);
  });

  it('lets a token with the admin scope revoke itself', async () => {
    const t = await buildToken(h.app, owner, { scopes: ['read', 'admin'] });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: t.headers })).statusCode).toBe(204);
    expect((await me(t.headers)).statusCode).toBe(401);
  });

  it('does not let an agent create an admin-scope token, nor a token for someone else', async () => {
    const before = await countRows(h.ctx.db, apiTokens);
    const admin = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: agentSession.headers, payload: { name: 'mine', scopes: ['read', 'admin'] } });
    expect(admin.statusCode).toBe(422);
    expect(admin.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(admin).errors).toEqual([{ field: 'scopes', reason: expect.any(String) }]);
    const forOwner = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: agentSession.headers,
      payload: { name: 'theirs', scopes: ['read'], memberId: owner.memberId },
    });
    expect(forOwner.statusCode).toBe(403);
    expect(await countRows(h.ctx.db, apiTokens)).toBe(before);

    // A read/write token for themselves is fine, and acts with the agent's role.
    const own = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: agentSession.headers, payload: { name: 'mine' } });
    expect(own.statusCode).toBe(201);
    expect(json(own).scopes).toEqual(['read', 'write']);
    const asAgent = await me({ authorization: `Bearer ${json(own).token}` });
    expect(json(asAgent).member).toMatchObject({ id: agent.memberId, role: 'agent' });
  });

  it('manages tokens from a session or with the admin scope only', async () => {
    // The agent's own read/write token cannot mint more tokens.
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: agent.headers, payload: { name: 'more' } })).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/v1/tokens', headers: agent.headers })).statusCode).toBe(403);
    // The owner's admin-scope token can.
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: owner.headers, payload: { name: 'more' } })).statusCode).toBe(201);
  });

  it("shows an agent only their own tokens and never lets them revoke someone else's", async () => {
    const ownersToken = await buildToken(h.app, owner);
    const list = json(await h.app.inject({ url: '/api/v1/tokens', headers: agentSession.headers })).items;
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((t: any) => t.memberId === agent.memberId)).toBe(true);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${ownersToken.id}`, headers: agentSession.headers });
    expect(del.statusCode).toBe(404);
    expect((await me(ownersToken.headers)).statusCode).toBe(200);

    // An admin sees everyone's, and may make one for another member (without the admin scope for an agent).
    const all = json(await h.app.inject({ url: '/api/v1/tokens', headers: owner.headers })).items;
    expect(all.some((t: any) => t.memberId === agent.memberId)).toBe(true);
    const forAgent = await buildToken(h.app, owner, { memberId: agent.memberId, scopes: ['read'] });
    expect(json(await me(forAgent.headers)).member.id).toBe(agent.memberId);
    const adminForAgent = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: owner.headers,
      payload: { name: 'x', scopes: ['admin'], memberId: agent.memberId },
    });
    expect(adminForAgent.statusCode).toBe(422);
  });

  it('validates the request: name, scopes and ids', async () => {
    const before = await countRows(h.ctx.db, apiTokens);
    const cases: [Record<string, unknown>, string][] = [
      [{ scopes: ['read'] }, 'name'],
      [{ name: 'x', scopes: ['root'] }, 'scopes.0'],
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x', memberId: 'not-a-uuid' }, 'memberId'],
    ];
    for (const [payload, field] of cases) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: owner.headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res).errors.map((e: any) => e.field)).toContain(field);
    }
    expect((await h.app.inject({ method: 'DELETE', url: '/api/v1/tokens/123', headers: owner.headers })).statusCode).toBe(422);
    expect(await countRows(h.ctx.db, apiTokens)).toBe(before);
  });

  it("keeps workspaces apart: another workspace's member cannot revoke a token (404)", async () => {
    const victim = await buildToken(h.app, owner);
    const stranger = await buildMember(h.ctx, { workspace: 'Other Tokens Co' });
    const res = await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${victim.id}`, headers: stranger.headers });
    expect(res.statusCode).toBe(404);
    expect((await me(victim.headers)).statusCode).toBe(200);
    const theirs = json(await h.app.inject({ url: '/api/v1/tokens', headers: stranger.headers })).items;
    expect(theirs.map((t: any) => t.memberId)).toEqual([stranger.memberId]);
  });

  describe('no role raises itself through a token', () => {
    let admin: Client;
    let adminSession: Awaited<ReturnType<typeof signIn>>;
    let ownerSession: Awaited<ReturnType<typeof signIn>>;
    const post = (headers: Record<string, string>, payload: object) => h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload });
    const auditFor = async (targetId: string) =>
      (json(await h.app.inject({ url: '/api/v1/audit-log?limit=200', headers: owner.headers })).items as any[]).filter((a) => a.targetId === targetId);

    beforeAll(async () => {
      admin = await buildMember(h.ctx, { workspace: 'Tokens Co', role: 'admin' });
      adminSession = await signIn(h.app, admin.email);
      ownerSession = await signIn(h.app, owner.email);
    });

    it("refuses an admin a token acting as the owner, from a session or an admin token, and writes nothing", async () => {
      const before = await countRows(h.ctx.db, apiTokens);
      for (const headers of [adminSession.headers, admin.headers]) {
        const res = await post(headers, { name: 'x', memberId: owner.memberId, scopes: ['read', 'write', 'admin'] });
        expect(res.statusCode).toBe(403);
        expect(json(res).detail).toMatch(/only an owner/i);
      }
      // Nor for an agent: a token for someone else is an owner's act alone.
      expect((await post(adminSession.headers, { name: 'x', memberId: agent.memberId, scopes: ['read'] })).statusCode).toBe(403);
      expect(await countRows(h.ctx.db, apiTokens)).toBe(before);
      // And so the admin cannot become owner.
      const promote = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${admin.memberId}`, headers: admin.headers, payload: { role: 'owner' } });
      expect(promote.statusCode).toBe(403);
    });

    it("lets an owner make a token for an admin that has the admin's powers only, and the audit log names the owner", async () => {
      const made = await post(ownerSession.headers, { name: 'For the admin', memberId: admin.memberId, scopes: ['read', 'write', 'admin'] });
      expect(made.statusCode).toBe(201);
      expect(json(made)).toMatchObject({ memberId: admin.memberId, createdByMemberId: owner.memberId });
      const headers = { authorization: `Bearer ${json(made).token}` };
      expect(json(await me(headers)).member).toMatchObject({ id: admin.memberId, role: 'admin' });

      // The admin's powers: no owner role for anyone through it.
      const promote = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${admin.memberId}`, headers, payload: { role: 'owner' } });
      expect(promote.statusCode).toBe(403);
      // Nor a token made by it for someone else: the owner's hand does not pass on.
      expect((await post(headers, { name: 'y', memberId: agent.memberId, scopes: ['read'] })).statusCode).toBe(403);

      // An admin act through it is the owner's, on the admin's behalf.
      const tag = await h.app.inject({ method: 'POST', url: '/api/v1/tags', headers, payload: { name: `vip-${Date.now()}` } });
      expect(tag.statusCode).toBe(201);
      const [entry] = await auditFor(json(tag).id);
      expect(entry).toMatchObject({ action: 'tag.create', actorMemberId: owner.memberId, onBehalfOfMemberId: admin.memberId });
      const [creation] = await auditFor(json(made).id);
      expect(creation).toMatchObject({ action: 'token.create', actorMemberId: owner.memberId, onBehalfOfMemberId: null, data: { memberId: admin.memberId } });
    });

    it("ends a token made for someone else when its maker stops being an owner", async () => {
      const second = await buildMember(h.ctx, { workspace: 'Tokens Co', role: 'owner' });
      const secondSession = await signIn(h.app, second.email);
      const made = await post(secondSession.headers, { name: 'For the agent', memberId: agent.memberId, scopes: ['read'] });
      expect(made.statusCode).toBe(201);
      const headers = { authorization: `Bearer ${json(made).token}` };
      expect((await me(headers)).statusCode).toBe(200);
      const demote = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${second.memberId}`, headers: owner.headers, payload: { role: 'admin' } });
      expect(demote.statusCode).toBe(200);
      expect((await me(headers)).statusCode).toBe(401);
      // The second owner's own token still works: it was theirs, with their (now admin) role.
      expect(json(await me(second.headers)).member).toMatchObject({ id: second.memberId, role: 'admin' });
    });

    it('never lets a token make a token with scopes it lacks', async () => {
      const narrow = await post(ownerSession.headers, { name: 'Admin but no write', scopes: ['read', 'admin'] });
      expect(narrow.statusCode).toBe(201);
      const res = await post({ authorization: `Bearer ${json(narrow).token}` }, { name: 'wider', scopes: ['read', 'write', 'admin'] });
      expect(res.statusCode).toBe(422);
      expect(json(res).errors).toEqual([{ field: 'scopes', reason: expect.stringContaining('write') }]);
    });
  });

  it('lets a read/write token of an admin change nothing for good: deletes need the admin scope, on every kind of content', async () => {
    const admin = await buildMember(h.ctx, { workspace: 'Tokens Co', role: 'admin', scopes: ['read', 'write'] });
    const category = json(await h.app.inject({ method: 'POST', url: '/api/v1/kb/categories', headers: owner.headers, payload: { name: `Cat ${Date.now()}` } }));
    const article = json(
      await h.app.inject({ method: 'POST', url: '/api/v1/kb/articles', headers: owner.headers, payload: { title: `Art ${Date.now()}`, body: 'Body', categoryId: category.id } }),
    );
    const tag = json(await h.app.inject({ method: 'POST', url: '/api/v1/tags', headers: owner.headers, payload: { name: `t-${Date.now()}` } }));
    for (const url of [`/api/v1/kb/articles/${article.id}`, `/api/v1/kb/categories/${category.id}`, `/api/v1/tags/${tag.id}`]) {
      const res = await h.app.inject({ method: 'DELETE', url, headers: admin.headers });
      expect(res.statusCode, url).toBe(403);
    }
    expect((await h.app.inject({ url: `/api/v1/kb/articles/${article.id}`, headers: owner.headers })).statusCode).toBe(200);
    // With the admin scope, the same admin may.
    const full = await buildToken(h.app, await signIn(h.app, admin.email), { scopes: ['read', 'write', 'admin'] });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/kb/articles/${article.id}`, headers: full.headers })).statusCode).toBe(204);
  });
});
