import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, buildTeam, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('conversation lists: sorting, unread, views and bulk changes', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let inbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Lists Co', name: 'Olive Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Lists Co', role: 'agent', name: 'Arlo Agent' });
    inbox = await buildApiInbox(h.app, owner);
  });
  afterAll(() => h.stop());

  const list = async (by: Client, query: string) => {
    const res = await h.app.inject({ url: `/api/v1/conversations?${query}`, headers: by.headers });
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return json(res) as { items: any[]; nextCursor: string | null };
  };
  const patch = (by: Client, id: string, payload: Record<string, unknown>) => h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: by.headers, payload });
  const views = async (by: Client) => {
    const res = await h.app.inject({ url: '/api/v1/views', headers: by.headers });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  /** Every page of a query, following nextCursor. */
  const allPages = async (by: Client, query: string, limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page = await list(by, `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return ids;
  };

  describe('sorting with keyset pages', () => {
    let ws: Client;
    const ids: string[] = [];
    beforeAll(async () => {
      ws = await buildMember(h.ctx, { workspace: 'Sorting Co' });
      const wsInbox = await buildApiInbox(h.app, ws);
      const priorities = ['low', 'normal', 'high', 'urgent'] as const;
      for (let i = 0; i < 13; i++) {
        const c = await sendInbound(h.app, ws, wsInbox.id, { contact: { externalId: `s${i}` } });
        ids.push(c.conversationId);
        // Waiting since: several share a time, some are not waiting at all (answered).
        const waitingSince = i % 4 === 3 ? null : new Date(Date.UTC(2026, 0, 1 + (i % 5)));
        await h.ctx.db.update(conversations).set({ priority: priorities[i % 4], waitingSince }).where(eq(conversations.id, c.conversationId));
      }
    });

    it('sorts by waiting longest first, never-waiting last, and pages through each exactly once', async () => {
      const rows = await h.ctx.db.select().from(conversations).where(eq(conversations.workspaceId, ws.workspaceId));
      const expected = [...rows]
        .sort((a, b) => {
          if (a.waitingSince && b.waitingSince) return a.waitingSince.getTime() - b.waitingSince.getTime() || (a.id < b.id ? -1 : 1);
          if (a.waitingSince) return -1;
          if (b.waitingSince) return 1;
          return a.id < b.id ? -1 : 1;
        })
        .map((r) => r.id);
      expect(await allPages(ws, 'sort=waiting', 100)).toEqual(expected);
      for (const limit of [1, 3, 4]) expect(await allPages(ws, 'sort=waiting', limit), `limit ${limit}`).toEqual(expected);
    });

    it('sorts by priority, urgent first, then newest, and pages through each exactly once', async () => {
      const rows = await h.ctx.db.select().from(conversations).where(eq(conversations.workspaceId, ws.workspaceId));
      const rank = { urgent: 0, high: 1, normal: 2, low: 3 };
      const expected = [...rows]
        .sort((a, b) => rank[a.priority] - rank[b.priority] || b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || (a.id < b.id ? 1 : -1))
        .map((r) => r.id);
      const first = await list(ws, 'sort=priority&limit=100');
      expect(first.items.map((x) => x.priority).slice(0, 4)).toEqual(['urgent', 'urgent', 'urgent', 'high']);
      expect(await allPages(ws, 'sort=priority', 100)).toEqual(expected);
      for (const limit of [1, 2, 5]) expect(await allPages(ws, 'sort=priority', limit), `limit ${limit}`).toEqual(expected);
    });

    it('sorts newest first by default and refuses a cursor of another sort', async () => {
      const newest = await allPages(ws, 'sort=newest', 4);
      expect(newest).toEqual(await allPages(ws, 'x=1', 100));
      expect(newest).toHaveLength(13);
      const page = await list(ws, 'sort=priority&limit=2');
      const res = await h.app.inject({ url: `/api/v1/conversations?sort=waiting&cursor=${page.nextCursor}`, headers: ws.headers });
      expect(res.statusCode).toBe(422);
      expect(json(res).errors[0].field).toMatch(/cursor$/);
      expect((await h.app.inject({ url: '/api/v1/conversations?sort=oldest', headers: ws.headers })).statusCode).toBe(422);
    });
  });

  it('shows what the list needs: contact name, preview, channel, unread, waiting since, assignee, snooze', async () => {
    const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'shape', name: 'Sam Shape' }, text: 'What shape is my order in?' });
    const { items } = await list(owner, `contact=${c.contactId}`);
    expect(items[0]).toMatchObject({
      id: c.conversationId,
      contact: { id: c.contactId, name: 'Sam Shape' },
      preview: 'What shape is my order in?',
      channel: 'api',
      unread: true,
      waitingSince: expect.any(String),
      assigneeId: null,
      snoozedUntil: null,
    });
  });

  it('filters by channel and snoozed', async () => {
    const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'chan' } });
    expect((await list(owner, 'channel=api&limit=100')).items.map((x) => x.id)).toContain(c.conversationId);
    expect((await list(owner, 'channel=email')).items).toEqual([]);
    await patch(owner, c.conversationId, { snoozedUntil: new Date(Date.now() + 3_600_000).toISOString() }).then((r) => expect(r.statusCode, r.body).toBe(200));
    expect((await list(owner, 'snoozed=true&limit=100')).items.map((x) => x.id)).toEqual([c.conversationId]);
    expect((await list(owner, 'snoozed=false&limit=100')).items.map((x) => x.id)).not.toContain(c.conversationId);
    expect((await list(owner, 'view=open&limit=100')).items.map((x) => x.id)).not.toContain(c.conversationId);
    expect((await h.app.inject({ url: '/api/v1/conversations?channel=fax', headers: owner.headers })).statusCode).toBe(422);
    await patch(owner, c.conversationId, { snoozedUntil: null });
  });

  describe('unread per member', () => {
    it('is unread until the member marks it read, for that member only; a new customer message makes it unread again', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'unread' } });
      const unread = async (by: Client) => json(await h.app.inject({ url: `/api/v1/conversations/${c.conversationId}`, headers: by.headers })).unread as boolean;
      expect(await unread(owner)).toBe(true);
      expect(await unread(agent)).toBe(true);
      // Opening (GET, timeline) does not mark it read.
      await h.app.inject({ url: `/api/v1/conversations/${c.conversationId}/timeline`, headers: owner.headers });
      expect(await unread(owner)).toBe(true);

      const res = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${c.conversationId}/read`, headers: owner.headers });
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res)).toMatchObject({ conversationId: c.conversationId, unread: false, lastReadAt: expect.any(String) });
      expect(await unread(owner)).toBe(false);
      expect(await unread(agent)).toBe(true);
      expect((await list(owner, `contact=${c.contactId}`)).items[0].unread).toBe(false);

      // An agent's own reply does not make it unread; the customer's next message does.
      await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${c.conversationId}/messages`, headers: owner.headers, payload: { text: 'On it' } });
      expect(await unread(owner)).toBe(false);
      await new Promise((r) => setTimeout(r, 5));
      await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'unread' }, text: 'Any news?' });
      expect(await unread(owner)).toBe(true);
    });

    it("refuses to mark another workspace's conversation read (404)", async () => {
      const stranger = await buildMember(h.ctx, { workspace: 'Unread Elsewhere' });
      const c = await sendInbound(h.app, owner, inbox.id);
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${c.conversationId}/read`, headers: stranger.headers });
      expect(res.statusCode).toBe(404);
    });
  });

  describe('views with counts', () => {
    let ws: Client;
    let wsAgent: Client;
    let team: { id: string; name: string };
    let inboxA: { id: string };
    let inboxB: { id: string };

    beforeAll(async () => {
      ws = await buildMember(h.ctx, { workspace: 'Views Co', name: 'Vera Views' });
      wsAgent = await buildMember(h.ctx, { workspace: 'Views Co', role: 'agent', name: 'Vic Agent' });
      team = await buildTeam(h.app, ws, { name: 'Billing' });
      inboxA = await buildApiInbox(h.app, ws);
      inboxB = await buildApiInbox(h.app, ws);
    });

    it('counts mine, unassigned, open, mentions, snoozed, solved, each team and inbox; the list view shows the same rows', async () => {
      const make = async (inboxId: string, update: Record<string, unknown> = {}) => {
        const c = await sendInbound(h.app, ws, inboxId);
        if (Object.keys(update).length) await patch(ws, c.conversationId, update).then((r) => expect(r.statusCode, r.body).toBe(200));
        return c.conversationId;
      };
      await make(inboxA.id); // open, unassigned
      await make(inboxA.id); // open, unassigned
      await make(inboxA.id, { assigneeId: ws.memberId }); // mine, open
      await make(inboxB.id, { assigneeId: ws.memberId, status: 'pending' }); // mine, pending
      await make(inboxB.id, { assigneeId: wsAgent.memberId, teamId: team.id }); // open, team
      await make(inboxB.id, { status: 'solved' });
      await make(inboxB.id, { status: 'solved', assigneeId: ws.memberId });
      await make(inboxB.id, { status: 'closed' }); // done too: the Solved view lists solved and closed
      await make(inboxA.id, { assigneeId: ws.memberId, snoozedUntil: new Date(Date.now() + 3_600_000).toISOString() }); // snoozed: in no open view
      const mentioned = await make(inboxA.id, { status: 'pending' });
      const note = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${mentioned}/messages`, headers: wsAgent.headers, payload: { kind: 'note', text: '@vera views can you look?' } });
      expect(note.statusCode, note.body).toBe(201);

      const v = await views(ws);
      expect(v).toMatchObject({ mine: 2, unassigned: 2, open: 4, mentions: 1, snoozed: 1, solved: 3 });
      expect(v.teams).toEqual([{ id: team.id, name: 'Billing', count: 1 }]);
      expect(v.inboxes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: inboxA.id, channel: 'api', count: 3 }),
          expect.objectContaining({ id: inboxB.id, channel: 'api', count: 1 }),
        ]),
      );
      for (const view of ['mine', 'unassigned', 'open', 'mentions', 'snoozed', 'solved'] as const) {
        expect((await list(ws, `view=${view}&limit=100`)).items, view).toHaveLength(v[view]);
      }
      // The agent app's Solved list asks for view=solved; its rail count is the same number.
      expect((await list(ws, 'view=solved&limit=100')).items.map((x) => x.status).sort()).toEqual(['closed', 'solved', 'solved']);
      expect((await list(ws, `view=open&team=${team.id}`)).items).toHaveLength(1);
      expect((await list(ws, `view=open&inbox=${inboxA.id}`)).items).toHaveLength(3);

      // Mentions count until the member reads the conversation; another member's counts are their own.
      expect((await views(wsAgent)).mentions).toBe(0);
      expect((await views(wsAgent)).mine).toBe(1);
      await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${mentioned}/read`, headers: ws.headers });
      expect((await views(ws)).mentions).toBe(0);
    });

    it('stays fast with 10,000 conversations', async () => {
      const big = await buildMember(h.ctx, { workspace: 'Big Co' });
      const bigInbox = await buildApiInbox(h.app, big);
      const seed = await sendInbound(h.app, big, bigInbox.id);
      const [row] = await h.ctx.db.select().from(conversations).where(eq(conversations.id, seed.conversationId));
      const statuses = ['open', 'pending', 'solved', 'closed'] as const;
      for (let start = 2; start <= 10_000; start += 1000) {
        const batch = [];
        for (let n = start; n < Math.min(start + 1000, 10_001); n++) {
          batch.push({
            workspaceId: big.workspaceId,
            number: n,
            inboxId: row.inboxId,
            contactId: row.contactId,
            status: statuses[n % 4],
            assigneeId: n % 3 === 0 ? big.memberId : null,
            lastMessageAt: new Date(Date.now() - n * 1000),
            lastInboundAt: new Date(Date.now() - n * 1000),
            waitingSince: n % 2 ? new Date(Date.now() - n * 1000) : null,
          });
        }
        await h.ctx.db.insert(conversations).values(batch);
      }
      const t0 = performance.now();
      const v = await views(big);
      const countsMs = performance.now() - t0;
      expect(v.open).toBe(2501); // 2,500 inserted, and the seed
      const t1 = performance.now();
      const page = await list(big, 'view=mine&sort=waiting&limit=50');
      const listMs = performance.now() - t1;
      expect(page.items).toHaveLength(50);
      expect(countsMs).toBeLessThan(1000);
      expect(listMs).toBeLessThan(1000);
    });
  });

  describe('bulk changes', () => {
    it('applies a change to many conversations through the same rules, and reports each one refused', async () => {
      const light = await buildMember(h.ctx, { workspace: 'Lists Co', role: 'light' });
      const stranger = await buildMember(h.ctx, { workspace: 'Bulk Elsewhere' });
      const strangerInbox = await buildApiInbox(h.app, stranger);
      const a = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'bulk-a' } });
      const b = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'bulk-b' } });
      const foreign = await sendInbound(h.app, stranger, strangerInbox.id);
      await patch(owner, a.conversationId, { tags: ['old'] });

      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/conversations/bulk',
        headers: agent.headers,
        payload: { ids: [a.conversationId, b.conversationId, foreign.conversationId], update: { status: 'pending', priority: 'high', assigneeId: agent.memberId, addTags: ['bulk'], removeTags: ['old'] } },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res)).toEqual({ updated: 2, failed: [{ id: foreign.conversationId, reason: 'Conversation not found' }] });
      for (const id of [a.conversationId, b.conversationId]) {
        const c = json(await h.app.inject({ url: `/api/v1/conversations/${id}`, headers: owner.headers }));
        expect(c).toMatchObject({ status: 'pending', priority: 'high', assigneeId: agent.memberId, tags: ['bulk'] });
        const t = json(await h.app.inject({ url: `/api/v1/conversations/${id}/timeline`, headers: owner.headers }));
        expect(t.items.some((i: any) => i.type === 'event' && i.event.type === 'conversation.updated' && i.event.data.changes.status?.to === 'pending')).toBe(true);
      }

      // A light member changes only what is assigned to them: the rest is reported, not changed.
      await patch(owner, b.conversationId, { assigneeId: null });
      const lightRes = await h.app.inject({ method: 'POST', url: '/api/v1/conversations/bulk', headers: light.headers, payload: { ids: [b.conversationId], update: { status: 'solved' } } });
      expect(json(lightRes)).toEqual({ updated: 0, failed: [{ id: b.conversationId, reason: expect.stringMatching(/assigned to you/) }] });

      // Bad input is refused whole.
      const bad = await h.app.inject({ method: 'POST', url: '/api/v1/conversations/bulk', headers: owner.headers, payload: { ids: [a.conversationId], update: { subject: 'x' } } });
      expect(bad.statusCode).toBe(422);
      const tooMany = Array.from({ length: 501 }, () => a.conversationId);
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/conversations/bulk', headers: owner.headers, payload: { ids: tooMany, update: { status: 'open' } } })).statusCode).toBe(422);
      const badAssignee = await h.app.inject({ method: 'POST', url: '/api/v1/conversations/bulk', headers: owner.headers, payload: { ids: [a.conversationId], update: { assigneeId: stranger.memberId } } });
      expect(json(badAssignee)).toEqual({ updated: 0, failed: [{ id: a.conversationId, reason: 'assigneeId: no such member' }] });
    });
  });
});
