import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, buildTeam, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('saved views', () => {
  let h: TestHeard;
  let owner: Client;
  let admin: Client;
  let ada: Client;
  let ben: Client;
  let light: Client;
  let billing: { id: string };
  let inbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Views Co', name: 'Olive Owner' });
    admin = await buildMember(h.ctx, { workspace: 'Views Co', role: 'admin', name: 'Adam Admin' });
    ada = await buildMember(h.ctx, { workspace: 'Views Co', role: 'agent', name: 'Ada Agent' });
    ben = await buildMember(h.ctx, { workspace: 'Views Co', role: 'agent', name: 'Ben Agent' });
    light = await buildMember(h.ctx, { workspace: 'Views Co', role: 'light', name: 'Lou Light' });
    billing = await buildTeam(h.app, owner, { name: 'Billing', memberIds: [ada.memberId, light.memberId] });
    inbox = await buildApiInbox(h.app, owner);
  });
  afterAll(() => h.stop());

  const call = (by: Client, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
    h.app.inject({ method, url: `/api/v1${url}`, headers: by.headers, payload });
  const create = async (by: Client, payload: Record<string, unknown>) => {
    const res = await call(by, 'POST', '/saved-views', payload);
    expect(res.statusCode, res.body).toBe(201);
    return json(res) as { id: string; name: string; filters: Record<string, unknown>; personal: boolean; teamId: string | null; position: number; editable: boolean };
  };
  const visible = async (by: Client) => {
    const res = await call(by, 'GET', '/saved-views');
    expect(res.statusCode, res.body).toBe(200);
    return (json(res).items as { id: string; name: string; editable: boolean; position: number }[]);
  };
  const savedCounts = async (by: Client) => {
    const res = await call(by, 'GET', '/views');
    expect(res.statusCode, res.body).toBe(200);
    return json(res).saved as Record<string, number>;
  };
  /** Every conversation GET /conversations lists for the filters, as the saved view would ask for them. */
  const listed = async (by: Client, filters: Record<string, unknown>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (k !== 'sort') q.set(k, Array.isArray(v) ? v.join(',') : String(v));
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(by, 'GET', `/conversations?${q}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = json(res) as { items: { id: string }[]; nextCursor: string | null };
      ids.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  };
  const firstError = (res: { body: string }) => (json(res as never).errors as { field: string; reason: string }[])[0];

  describe('who sees and changes what', () => {
    it("shows a personal view to its owner only; to anyone else it does not exist", async () => {
      const mine = await create(ada, { name: 'My urgent', personal: true, filters: { priority: 'urgent' } });
      expect(mine).toMatchObject({ personal: true, teamId: null, editable: true, position: 0, filters: { priority: 'urgent' } });
      expect((await visible(ada)).map((v) => v.id)).toContain(mine.id);
      for (const other of [ben, owner, admin]) {
        expect((await visible(other)).map((v) => v.id)).not.toContain(mine.id);
        expect(Object.keys(await savedCounts(other))).not.toContain(mine.id);
        expect((await call(other, 'PATCH', `/saved-views/${mine.id}`, { name: 'Taken' })).statusCode).toBe(404);
        expect((await call(other, 'DELETE', `/saved-views/${mine.id}`)).statusCode).toBe(404);
      }
      const renamed = await call(ada, 'PATCH', `/saved-views/${mine.id}`, { name: 'Urgent for me' });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(json(renamed)).toMatchObject({ name: 'Urgent for me', filters: { priority: 'urgent' } });
    });

    it("shows a team view to the team's members and to admins, and lets them change it; others neither see nor change it", async () => {
      const team = await create(ada, { name: 'Billing VIPs', teamId: billing.id, filters: { tag: 'vip', status: ['open', 'pending'] } });
      expect(team).toMatchObject({ personal: false, teamId: billing.id, editable: true });
      for (const sees of [ada, light, owner, admin]) expect((await visible(sees)).find((v) => v.id === team.id), 'sees').toBeDefined();
      expect((await visible(ben)).map((v) => v.id)).not.toContain(team.id);
      expect((await call(ben, 'PATCH', `/saved-views/${team.id}`, { name: 'Mine now' })).statusCode).toBe(404);
      expect((await call(ben, 'DELETE', `/saved-views/${team.id}`)).statusCode).toBe(404);

      // Ben may not add views to a team he is not in; admins may, to any team.
      expect((await call(ben, 'POST', '/saved-views', { name: 'Sneaky', teamId: billing.id, filters: {} })).statusCode).toBe(403);
      const byAdmin = await create(admin, { name: 'Billing backlog', teamId: billing.id, filters: { status: ['open'] } });
      expect(byAdmin.position).toBe(1);

      // Members of the team change it, including a light member; everyone who may, sees it editable.
      expect((await visible(light)).find((v) => v.id === team.id)?.editable).toBe(true);
      const res = await call(light, 'PATCH', `/saved-views/${team.id}`, { name: 'VIPs in billing', position: 1 });
      expect(res.statusCode, res.body).toBe(200);
      expect((await visible(ada)).filter((v) => [team.id, byAdmin.id].includes(v.id)).map((v) => [v.name, v.position])).toEqual([
        ['Billing backlog', 0],
        ['VIPs in billing', 1],
      ]);
      expect((await call(admin, 'DELETE', `/saved-views/${byAdmin.id}`)).statusCode).toBe(204);
      expect((await visible(ada)).find((v) => v.id === team.id)?.position).toBe(0);
    });

    it('records who created, changed and deleted team views in the audit log, and not personal views', async () => {
      const team = await create(ada, { name: 'Audited', teamId: billing.id, filters: { priority: 'high' } });
      await call(ada, 'PATCH', `/saved-views/${team.id}`, { filters: { priority: 'urgent' } });
      await call(ada, 'DELETE', `/saved-views/${team.id}`);
      const personal = await create(ada, { name: 'Not audited', personal: true, filters: {} });
      const log = json(await call(owner, 'GET', '/audit-log?limit=200')).items as { action: string; targetId: string; actorMemberId: string; data: Record<string, unknown> }[];
      const about = log.filter((e) => e.targetId === team.id).map((e) => [e.action, e.actorMemberId]);
      expect(about).toEqual([
        ['saved_view.delete', ada.memberId],
        ['saved_view.update', ada.memberId],
        ['saved_view.create', ada.memberId],
      ]);
      expect(log.filter((e) => e.targetId === personal.id)).toEqual([]);
    });

    it('leaves a team member who leaves the team without its views, and takes them away with a deleted team', async () => {
      const temp = await buildTeam(h.app, owner, { name: 'Temporary', memberIds: [ben.memberId] });
      const v = await create(ben, { name: 'Temp work', teamId: temp.id, filters: {} });
      expect((await visible(ben)).map((x) => x.id)).toContain(v.id);
      await call(owner, 'PATCH', `/teams/${temp.id}`, { memberIds: [] });
      expect((await visible(ben)).map((x) => x.id)).not.toContain(v.id);
      expect((await call(ben, 'PATCH', `/saved-views/${v.id}`, { name: 'Still mine?' })).statusCode).toBe(404);
      expect((await visible(owner)).map((x) => x.id)).toContain(v.id);
      await call(owner, 'DELETE', `/teams/${temp.id}`);
      expect((await visible(owner)).map((x) => x.id)).not.toContain(v.id);
    });

    it("keeps a read-only token from saving, and another workspace's members from everything", async () => {
      const reader = await buildMember(h.ctx, { workspace: 'Views Co', role: 'agent', scopes: ['read'] });
      expect((await call(reader, 'POST', '/saved-views', { name: 'Read only', personal: true, filters: {} })).statusCode).toBe(403);
      const stranger = await buildMember(h.ctx, { workspace: 'Elsewhere Inc' });
      const team = await create(owner, { name: 'Ours', teamId: billing.id, filters: {} });
      expect((await visible(stranger)).map((x) => x.id)).not.toContain(team.id);
      expect((await call(stranger, 'DELETE', `/saved-views/${team.id}`)).statusCode).toBe(404);
      const res = await call(stranger, 'POST', '/saved-views', { name: 'Theirs', teamId: billing.id, filters: {} });
      expect(res.statusCode).toBe(422);
      expect(firstError(res)).toMatchObject({ field: 'teamId' });
    });
  });

  describe('bad input names the field', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an empty name', { name: '  ', personal: true, filters: {} }, 'name'],
      ['both personal and a team', { name: 'Both', personal: true, teamId: '0190a0b0-0000-7000-8000-000000000001', filters: {} }, 'teamId'],
      ['neither personal nor a team', { name: 'Neither', filters: {} }, 'personal'],
      ['personal: false without a team', { name: 'Neither', personal: false, filters: {} }, 'personal'],
      ['a team not of this workspace', { name: 'Lost', teamId: '0190a0b0-0000-7000-8000-000000000001', filters: {} }, 'teamId'],
      ['filters.team not a team of this workspace', { name: 'Lost', personal: true, filters: { team: '0190a0b0-0000-7000-8000-000000000001' } }, 'filters.team'],
      ['filters.inbox not an inbox of this workspace', { name: 'Lost', personal: true, filters: { inbox: '0190a0b0-0000-7000-8000-000000000001' } }, 'filters.inbox'],
      ['filters.assignee not a member of this workspace', { name: 'Lost', personal: true, filters: { assignee: '0190a0b0-0000-7000-8000-000000000001' } }, 'filters.assignee'],
      ['an unknown status', { name: 'Odd', personal: true, filters: { status: ['open', 'lost'] } }, 'filters.status.1'],
      ['an unknown sort', { name: 'Odd', personal: true, filters: { sort: 'oldest' } }, 'filters.sort'],
      ['a filter saved views do not keep', { name: 'Odd', personal: true, filters: { q: 'refund' } }, 'filters'],
      ['no filters at all', { name: 'Odd', personal: true }, 'filters'],
    ];
    for (const [what, payload, field] of cases) {
      it(`refuses ${what} (422, ${field})`, async () => {
        const before = (await visible(ada)).length;
        const res = await call(ada, 'POST', '/saved-views', payload);
        expect(res.statusCode, res.body).toBe(422);
        expect(firstError(res).field).toBe(field);
        expect((await visible(ada)).length).toBe(before);
      });
    }

    it('refuses a change to filters naming a team of another workspace, and keeps the view as it was', async () => {
      const v = await create(ada, { name: 'Keep me', personal: true, filters: { priority: 'low' } });
      const other = await buildMember(h.ctx, { workspace: 'Other Teams Ltd' });
      const theirs = await buildTeam(h.app, other, { name: 'Theirs' });
      const res = await call(ada, 'PATCH', `/saved-views/${v.id}`, { name: 'Changed', filters: { team: theirs.id } });
      expect(res.statusCode).toBe(422);
      expect(firstError(res).field).toBe('filters.team');
      expect((await visible(ada)).find((x) => x.id === v.id)?.name).toBe('Keep me');
    });
  });

  describe('counts', () => {
    let ws: { owner: Client; agent: Client; inbox: { id: string }; team: { id: string } };
    beforeAll(async () => {
      const o = await buildMember(h.ctx, { workspace: 'Counting Co', name: 'Cora Owner' });
      const a = await buildMember(h.ctx, { workspace: 'Counting Co', role: 'agent', name: 'Carl Agent' });
      ws = { owner: o, agent: a, inbox: await buildApiInbox(h.app, o), team: await buildTeam(h.app, o, { name: 'Support', memberIds: [o.memberId, a.memberId] }) };
      const priorities = ['low', 'normal', 'high', 'urgent'] as const;
      const statuses = ['open', 'open', 'pending', 'solved', 'on_hold'] as const;
      for (let i = 0; i < 24; i++) {
        const c = await sendInbound(h.app, o, ws.inbox.id, { contact: { externalId: `count-${i}` } });
        await h.ctx.db
          .update(conversations)
          .set({
            priority: priorities[i % 4],
            status: statuses[i % 5],
            assigneeId: i % 3 === 0 ? o.memberId : i % 3 === 1 ? a.memberId : null,
            teamId: i % 2 ? ws.team.id : null,
            tags: i % 4 === 1 ? ['vip'] : [],
            snoozedUntil: i % 7 === 0 ? new Date(Date.now() + 3_600_000) : null,
          })
          .where(eq(conversations.id, c.conversationId));
      }
    });

    it('counts each saved view as many as its list holds, in one answer with the other views', async () => {
      const filterSets: Record<string, unknown>[] = [
        {},
        { priority: 'high' },
        { status: ['open', 'pending'], snoozed: false },
        { status: ['solved'] },
        { tag: 'vip' },
        { assignee: 'none', status: ['open'] },
        { assignee: ws.agent.memberId },
        { team: ws.team.id, priority: 'urgent' },
        { team: 'none' },
        { inbox: ws.inbox.id, snoozed: true },
        { channel: 'api', priority: 'low', sort: 'waiting' },
        { channel: 'email' },
      ];
      const views = [];
      for (const [i, filters] of filterSets.entries()) views.push(await create(ws.owner, { name: `View ${i}`, personal: true, filters }));
      const counts = await savedCounts(ws.owner);
      expect(Object.keys(counts).sort()).toEqual(views.map((v) => v.id).sort());
      for (const [i, v] of views.entries()) expect(counts[v.id], JSON.stringify(filterSets[i])).toBe((await listed(ws.owner, filterSets[i])).length);
      // Not all the same number, nor all nothing: the filters narrow.
      expect(new Set(Object.values(counts)).size).toBeGreaterThan(4);
      expect(counts[views[0].id]).toBe(24);
      expect(counts[views[11].id]).toBe(0);
    });

    it("counts 'me' as whoever looks at a team view", async () => {
      const v = await create(ws.owner, { name: 'Mine in support', teamId: ws.team.id, filters: { assignee: 'me', status: ['open', 'pending'] } });
      const forOwner = (await savedCounts(ws.owner))[v.id];
      const forAgent = (await savedCounts(ws.agent))[v.id];
      expect(forOwner).toBe((await listed(ws.owner, { assignee: 'me', status: 'open,pending' })).length);
      expect(forAgent).toBe((await listed(ws.agent, { assignee: 'me', status: 'open,pending' })).length);
      expect(forOwner).toBeGreaterThan(0);
      expect(forAgent).toBeGreaterThan(0);
      // Each sees their own: the two lists share no conversation.
      const ownerIds = await listed(ws.owner, { assignee: ws.owner.memberId, status: 'open,pending' });
      const agentIds = await listed(ws.agent, { assignee: ws.agent.memberId, status: 'open,pending' });
      expect([forOwner, forAgent]).toEqual([ownerIds.length, agentIds.length]);
      expect(ownerIds.filter((id) => agentIds.includes(id))).toEqual([]);
    });

    it('follows a new matching conversation', async () => {
      const v = await create(ws.agent, { name: 'Urgent unassigned', personal: true, filters: { priority: 'urgent', assignee: 'none' } });
      const before = (await savedCounts(ws.agent))[v.id];
      const c = await sendInbound(h.app, ws.owner, ws.inbox.id, { contact: { externalId: 'count-new' } });
      expect((await savedCounts(ws.agent))[v.id]).toBe(before);
      await call(ws.owner, 'PATCH', `/conversations/${c.conversationId}`, { priority: 'urgent' });
      expect((await savedCounts(ws.agent))[v.id]).toBe(before + 1);
    });
  });

  it('works in the workspace it was made in only: the inbox of the first workspace is refused in another', async () => {
    const other = await buildMember(h.ctx, { workspace: 'Inbox Thieves' });
    const res = await call(other, 'POST', '/saved-views', { name: 'Their inbox', personal: true, filters: { inbox: inbox.id } });
    expect(res.statusCode).toBe(422);
    expect(firstError(res).field).toBe('filters.inbox');
  });
});
