import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ne } from 'drizzle-orm';
import { contacts, conversations, events, messages } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, buildTeam, buildToken, sendInbound, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { listConversations } from './list-conversations.js';
import { ConversationListQuerySchema } from './schema.js';
import { startReceiver, waitFor } from '../../../../test/helpers/receiver.js';

/** Events a request could have written: earlier replies' retries (message.delivery) go on in the background meanwhile. */
const notDelivery = ne(events.type, 'message.delivery');


describe('conversations', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let light: Client;
  let inbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Conversations Co', name: 'Olga Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Conversations Co', role: 'agent', name: 'Andy Agent' });
    light = await buildMember(h.ctx, { workspace: 'Conversations Co', role: 'light', name: 'Lena Light' });
    inbox = await buildApiInbox(h.app, owner);
  });
  afterAll(() => h.stop());

  const get = (by: Pick<Client, 'headers'>, id: string | number) => h.app.inject({ url: `/api/v1/conversations/${id}`, headers: by.headers });
  const timeline = async (id: string) => json(await h.app.inject({ url: `/api/v1/conversations/${id}/timeline`, headers: owner.headers }));
  const patch = (by: Pick<Client, 'headers'>, id: string, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: by.headers, payload });
  const post = (by: Pick<Client, 'headers'>, id: string, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: by.headers, payload });
  const updates = (t: any) => t.items.filter((i: any) => i.type === 'event' && i.event.type === 'conversation.updated').map((i: any) => i.event);

  describe('list filters', () => {
    let ws: Client;
    let wsAgent: Client;
    const c: Record<string, { conversationId: string; conversationNumber: number }> = {};
    let team: { id: string };
    let inboxA: { id: string };
    let inboxB: { id: string };

    const list = async (query: string, by: Pick<Client, 'headers'> = ws) => {
      const res = await h.app.inject({ url: `/api/v1/conversations?${query}`, headers: by.headers });
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      const ids = json(res).items.map((i: any) => i.id) as string[];
      return Object.entries(c)
        .filter(([, v]) => ids.includes(v.conversationId))
        .map(([k]) => k)
        .sort();
    };

    beforeAll(async () => {
      // A workspace of its own, so other tests' conversations do not show up here.
      ws = await buildMember(h.ctx, { workspace: 'Filters Co' });
      wsAgent = await buildMember(h.ctx, { workspace: 'Filters Co', role: 'agent' });
      team = await buildTeam(h.app, ws);
      inboxA = await buildApiInbox(h.app, ws);
      inboxB = await buildApiInbox(h.app, ws);
      c.refund = await sendInbound(h.app, ws, inboxA.id, { contact: { externalId: 'f1' }, text: 'Refund for order 1234 please' });
      c.parcel = await sendInbound(h.app, ws, inboxA.id, { contact: { externalId: 'f2' }, text: 'My parcel never arrived' });
      c.vip = await sendInbound(h.app, ws, inboxB.id, { contact: { externalId: 'f3' }, text: 'Upgrade my plan' });
      c.invoice = await sendInbound(h.app, ws, inboxB.id, { contact: { externalId: 'f4' }, text: 'Hello there' });
      await sendInbound(h.app, ws, inboxB.id, { contact: { externalId: 'f4' }, text: 'Where is my invoice?' });
      const set = (key: string, payload: Record<string, unknown>) => patch(ws, c[key].conversationId, payload).then((r) => expect(r.statusCode).toBe(200));
      await set('refund', { priority: 'urgent', tags: ['billing'], assigneeId: wsAgent.memberId, teamId: team.id });
      await set('parcel', { status: 'pending' });
      await set('vip', { status: 'solved', priority: 'high', tags: ['vip', 'billing-later'], assigneeId: ws.memberId });
      await set('invoice', { status: 'on_hold' });
    });

    it('filters by one status or a comma-separated list', async () => {
      expect(await list('status=open')).toEqual(['refund']);
      expect(await list('status=open,pending')).toEqual(['parcel', 'refund']);
      expect(await list('status=solved,on_hold')).toEqual(['invoice', 'vip']);
      expect(await list('')).toEqual(['invoice', 'parcel', 'refund', 'vip']);
    });

    it('filters by assignee: me, none, or a member id', async () => {
      expect(await list('assignee=me')).toEqual(['vip']);
      expect(await list('assignee=me', wsAgent)).toEqual(['refund']);
      expect(await list('assignee=none')).toEqual(['invoice', 'parcel']);
      expect(await list(`assignee=${wsAgent.memberId}`)).toEqual(['refund']);
    });

    it('filters by team, inbox, tag and priority, and combines filters', async () => {
      expect(await list(`team=${team.id}`)).toEqual(['refund']);
      expect(await list('team=none')).toEqual(['invoice', 'parcel', 'vip']);
      expect(await list(`inbox=${inboxB.id}`)).toEqual(['invoice', 'vip']);
      expect(await list('tag=billing')).toEqual(['refund']);
      expect(await list('tag=vip')).toEqual(['vip']);
      expect(await list('priority=urgent')).toEqual(['refund']);
      expect(await list('priority=low')).toEqual([]);
      expect(await list(`inbox=${inboxA.id}&status=pending`)).toEqual(['parcel']);
    });

    it('searches the subject and every message text, and finds a conversation by its number', async () => {
      expect(await list('q=refund')).toEqual(['refund']);
      expect(await list('q=parcel')).toEqual(['parcel']);
      // "invoice" is only in the second message, not the subject.
      expect(await list('q=invoice')).toEqual(['invoice']);
      expect(await list(`q=${encodeURIComponent('"never arrived"')}`)).toEqual(['parcel']);
      expect(await list(`q=${c.parcel.conversationNumber}`)).toEqual(['parcel']);
      expect(await list(`q=${encodeURIComponent('#' + c.vip.conversationNumber)}`)).toEqual(['vip']);
      expect(await list('q=1234')).toEqual(['refund']);
      expect(await list('q=nothing-matches-this')).toEqual([]);
      // Odd input is a search, never a server error.
      for (const q of ['"', '-', 'a & b | !c', "o'brien", '((', '#', '%_\\']) {
        const res = await h.app.inject({ url: `/api/v1/conversations?q=${encodeURIComponent(q)}`, headers: ws.headers });
        expect(res.statusCode, q).toBe(200);
      }
    });

    it('finds the same conversations whether it collects the matches by index or walks the list', async () => {
      const actor = { workspaceId: ws.workspaceId, memberId: ws.memberId, userId: ws.memberId, role: 'owner' as const, via: 'token' as const, scopes: ['read' as const] };
      const names = new Map(Object.entries(c).map(([k, v]) => [v.conversationId, k]));
      const queries = ['refund', 'invoice', '"never arrived"', String(c.parcel.conversationNumber), '1234', 'my -parcel', 'refund or upgrade', 'nothing-matches-this', 'my'];
      for (const text of queries) {
        for (const extra of [{}, { status: ['open' as const, 'pending' as const] }, { sort: 'waiting' as const }]) {
          const q = ConversationListQuerySchema.parse({ q: text, limit: '2' });
          const found = async (searchWalkAfter: number) => {
            const ids: string[] = [];
            let cursor: string | undefined;
            do {
              const page = await listConversations(h.ctx.db, actor, { ...q, ...extra, cursor }, { searchWalkAfter });
              ids.push(...page.items.map((i) => names.get(i.id) ?? i.id));
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
            return ids;
          };
          const byIndex = await found(Number.POSITIVE_INFINITY);
          expect(await found(-1), `${text} ${JSON.stringify(extra)}`).toEqual(byIndex);
          if (text === 'my' && !Object.keys(extra).length) expect(byIndex.length, 'a word in more than one conversation').toBeGreaterThan(1);
        }
      }
    });

    it('shows each conversation with its contact and a preview of the last message', async () => {
      const res = json(await h.app.inject({ url: `/api/v1/conversations?inbox=${inboxB.id}&status=on_hold`, headers: ws.headers }));
      expect(res.items).toHaveLength(1);
      expect(res.items[0]).toMatchObject({ id: c.invoice.conversationId, number: c.invoice.conversationNumber, subject: 'Hello there', preview: 'Where is my invoice?', contact: { id: expect.any(String) } });
    });

    it('rejects an unknown filter value with 422 naming the field', async () => {
      const cases: [string, RegExp][] = [
        ['status=open,bogus', /status$/],
        ['priority=critical', /priority$/],
        ['assignee=someone', /assignee$/],
        ['team=x', /team$/],
        ['limit=0', /limit$/],
        ['limit=101', /limit$/],
        ['tag=a,b', /tag$/],
        ['cursor=garbage', /cursor$/],
      ];
      for (const [query, field] of cases) {
        const res = await h.app.inject({ url: `/api/v1/conversations?${query}`, headers: ws.headers });
        expect(res.statusCode, query).toBe(422);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(json(res).errors.map((e: any) => e.field), query).toEqual([expect.stringMatching(field)]);
      }
    });
  });

  it('pages through 60 conversations with keyset cursors: every one exactly once, in order', async () => {
    const ws = await buildMember(h.ctx, { workspace: 'Paging Co' });
    const wsInbox = await buildApiInbox(h.app, ws);
    const created: string[] = [];
    for (let i = 0; i < 60; i++) created.push((await sendInbound(h.app, ws, wsInbox.id, { contact: { externalId: `p${i}` } })).conversationId);

    const all = json(await h.app.inject({ url: '/api/v1/conversations?limit=100', headers: ws.headers }));
    expect(all.nextCursor).toBeNull();
    const order = all.items.map((i: any) => i.id) as string[];
    expect([...order].sort()).toEqual([...created].sort());
    const times = all.items.map((i: any) => Date.parse(i.lastMessageAt)) as number[];
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    let late: string | undefined;
    do {
      const url: string = `/api/v1/conversations?limit=25${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json(await h.app.inject({ url, headers: ws.headers }));
      sizes.push(page.items.length);
      seen.push(...page.items.map((i: any) => i.id));
      cursor = page.nextCursor;
      // A conversation arriving mid-way sorts before the cursor: it neither shifts nor repeats the pages after it.
      if (!late) late = (await sendInbound(h.app, ws, wsInbox.id, { contact: { externalId: 'late' } })).conversationId;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([25, 25, 10]);
    expect(seen).toEqual(order);
    expect(new Set(seen).size).toBe(60);
    expect(seen).not.toContain(late);
  });

  it('gets a conversation by id and by number', async () => {
    const inbound = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'by-number', name: 'Nora Number' }, text: 'Find me' });
    const byId = await get(agent, inbound.conversationId);
    expect(byId.statusCode).toBe(200);
    expect(json(byId)).toMatchObject({
      id: inbound.conversationId,
      number: inbound.conversationNumber,
      status: 'open',
      priority: 'normal',
      subject: 'Find me',
      contact: { id: inbound.contactId, name: 'Nora Number' },
      assigneeId: null,
      tags: [],
    });
    const byNumber = await get(agent, inbound.conversationNumber);
    expect(json(byNumber)).toEqual(json(byId));
    const t = json(await h.app.inject({ url: `/api/v1/conversations/${inbound.conversationNumber}/timeline`, headers: agent.headers }));
    expect(t.conversation.id).toBe(inbound.conversationId);

    expect((await get(agent, 999_999)).statusCode).toBe(404);
    expect((await get(agent, '0190a0a0-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const bad = await get(agent, 'not-an-id');
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors[0].field).toMatch(/id$/);
  });

  it('records every change on the timeline as conversation.updated with from and to', async () => {
    const team = await buildTeam(h.app, owner);
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    const steps: [Record<string, unknown>, Record<string, { from: unknown; to: unknown }>][] = [
      [{ status: 'pending' }, { status: { from: 'open', to: 'pending' } }],
      [{ priority: 'high' }, { priority: { from: 'normal', to: 'high' } }],
      [{ assigneeId: agent.memberId }, { assigneeId: { from: null, to: agent.memberId } }],
      [{ teamId: team.id }, { teamId: { from: null, to: team.id } }],
      [{ tags: ['billing', 'refund'] }, { tags: { from: [], to: ['billing', 'refund'] } }],
      [{ addTags: ['vip', 'billing'] }, { tags: { from: ['billing', 'refund'], to: ['billing', 'refund', 'vip'] } }],
      [{ removeTags: ['refund'] }, { tags: { from: ['billing', 'refund', 'vip'], to: ['billing', 'vip'] } }],
      [{ customFields: { orderId: 'A-42', plan: 'pro' } }, { customFields: { from: {}, to: { orderId: 'A-42', plan: 'pro' } } }],
      [{ customFields: { plan: null } }, { customFields: { from: { orderId: 'A-42', plan: 'pro' }, to: { orderId: 'A-42' } } }],
      [{ status: 'solved', priority: 'low', assigneeId: null }, { status: { from: 'pending', to: 'solved' }, priority: { from: 'high', to: 'low' }, assigneeId: { from: agent.memberId, to: null } }],
    ];
    for (const [payload] of steps) {
      const res = await patch(agent, conversationId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(200);
    }
    const t = await timeline(conversationId);
    const changes = updates(t);
    expect(changes.map((e: any) => e.data.changes)).toEqual(steps.map(([, expected]) => expected));
    expect(changes.every((e: any) => e.actorMemberId === agent.memberId && e.actorName === 'Andy Agent')).toBe(true);
    expect(t.conversation).toMatchObject({ status: 'solved', priority: 'low', assigneeId: null, teamId: team.id, tags: ['billing', 'vip'], customFields: { orderId: 'A-42' } });

    // A change to what already is records nothing.
    const same = await patch(agent, conversationId, { status: 'solved', tags: ['billing', 'vip'] });
    expect(same.statusCode).toBe(200);
    expect(updates(await timeline(conversationId))).toHaveLength(steps.length);
  });

  it('keeps every tag when agents tag the same conversation at the same moment', async () => {
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    const tags = Array.from({ length: 8 }, (_, i) => `at-once-${i}`);
    const results = await Promise.all(tags.map((tag) => patch(owner, conversationId, { addTags: [tag] })));
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const res = await h.app.inject({ url: `/api/v1/conversations/${conversationId}`, headers: owner.headers });
    expect([...json(res).tags].sort()).toEqual(tags);
  });

  it('rejects a bad change with 422 naming the field, and writes nothing', async () => {
    const stranger = await buildMember(h.ctx, { workspace: 'Conversations Elsewhere 0' });
    const strangersTeam = await buildTeam(h.app, stranger);
    const inactive = await buildMember(h.ctx, { workspace: 'Conversations Co', role: 'agent' });
    await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${inactive.memberId}`, headers: owner.headers, payload: { active: false } });
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    const before = await Promise.all([countRows(h.ctx.db, events, notDelivery), countRows(h.ctx.db, messages)]);
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 'bogus' }, 'status'],
      [{ priority: 'meh' }, 'priority'],
      [{ assigneeId: stranger.memberId, status: 'solved' }, 'assigneeId'],
      [{ assigneeId: inactive.memberId }, 'assigneeId'],
      [{ assigneeId: 'me' }, 'assigneeId'],
      [{ teamId: strangersTeam.id, priority: 'urgent' }, 'teamId'],
      [{ tags: ['a'], addTags: ['b'] }, 'tags'],
      [{ tags: ['a,b'] }, 'tags.0'],
      [{ customFields: ['x'] }, 'customFields'],
    ];
    for (const [payload, field] of cases) {
      const res = await patch(owner, conversationId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res).errors.map((e: any) => e.field), JSON.stringify(payload)).toEqual([field]);
    }
    for (const [payload, field] of [
      [{ text: '' }, 'text'],
      [{ text: '   ' }, 'text'],
      [{}, 'text'],
      [{ text: 'hi', kind: 'email' }, 'kind'],
      [{ text: 'hi', status: 'done' }, 'status'],
    ] as const) {
      const res = await post(owner, conversationId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    expect(await Promise.all([countRows(h.ctx.db, events, notDelivery), countRows(h.ctx.db, messages)])).toEqual(before);
    expect(json(await get(owner, conversationId))).toMatchObject({ status: 'open', priority: 'normal', assigneeId: null, teamId: null });
  });

  it('sends a reply to the customer and keeps a note inside Heard', async () => {
    const receiver = await startReceiver();
    try {
      const replyInbox = await buildApiInbox(h.app, owner, receiver.url);
      const { conversationId } = await sendInbound(h.app, owner, replyInbox.id, { text: 'Where is my order?' });
      const note = await post(agent, conversationId, { text: 'Customer is on the old plan', kind: 'note' });
      expect(note.statusCode).toBe(201);
      expect(json(note)).toMatchObject({ direction: 'note', authorMemberId: agent.memberId, text: 'Customer is on the old plan' });
      expect(json(note).deliveryStatus).not.toBe('queued');

      const reply = await post(agent, conversationId, { text: 'It ships today.', status: 'pending' });
      expect(reply.statusCode).toBe(201);
      expect(json(reply)).toMatchObject({ direction: 'out', deliveryStatus: 'queued', text: 'It ships today.' });

      await waitFor(() => receiver.received.length > 0 || undefined);
      // Give a wrongly queued note every chance to go out, then check it did not.
      await waitFor(async () => (await timeline(conversationId)).items.some((i: any) => i.message?.id === json(reply).id && i.message.deliveryStatus === 'sent') || undefined);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received.map(({ id, text }) => ({ id, text }))).toEqual([{ id: json(reply).id, text: 'It ships today.' }]);

      const t = await timeline(conversationId);
      expect(t.items.filter((i: any) => i.type === 'message').map((i: any) => [i.message.direction, i.message.text])).toEqual([
        ['in', 'Where is my order?'],
        ['note', 'Customer is on the old plan'],
        ['out', 'It ships today.'],
      ]);
      expect(t.conversation.status).toBe('pending');
      expect(updates(t).map((e: any) => e.data.changes)).toEqual([{ status: { from: 'open', to: 'pending' } }]);
      expect(t.conversation.firstResponseAt).toBeTruthy();
      // The list's preview is what the customer saw, never the note.
      expect(json(await get(owner, conversationId)).preview).toBe('It ships today.');
    } finally {
      await receiver.close();
    }
  });

  it('lets a light member note anywhere, but reply and change only what is assigned to them', async () => {
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    const note = await post(light, conversationId, { text: 'FYI from the exec', kind: 'note' });
    expect(note.statusCode).toBe(201);

    const before = (await timeline(conversationId)).items.length;
    const reply = await post(light, conversationId, { text: 'Hi, the CEO here' });
    expect(reply.statusCode).toBe(403);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await patch(light, conversationId, { status: 'solved' })).statusCode).toBe(403);
    expect((await patch(light, conversationId, { assigneeId: light.memberId })).statusCode).toBe(403);
    // A note cannot carry a change the light member may not make on its own.
    expect((await post(light, conversationId, { text: 'closing this', kind: 'note', status: 'closed' })).statusCode).toBe(403);
    const unchanged = await timeline(conversationId);
    expect(unchanged.items).toHaveLength(before);
    expect(unchanged.conversation).toMatchObject({ status: 'open', assigneeId: null });

    expect((await patch(agent, conversationId, { assigneeId: light.memberId })).statusCode).toBe(200);
    expect((await post(light, conversationId, { text: 'Hi, the CEO here' })).statusCode).toBe(201);
    expect((await patch(light, conversationId, { priority: 'high', status: 'pending' })).statusCode).toBe(200);
    expect((await post(light, conversationId, { text: 'done', kind: 'note', status: 'solved' })).statusCode).toBe(201);
    expect(json(await get(light, conversationId))).toMatchObject({ priority: 'high', status: 'solved' });
  });

  it('reopens a solved conversation when the customer writes again; a closed one starts anew', async () => {
    const first = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'reopen-1' }, text: 'Broken' });
    expect((await patch(agent, first.conversationId, { status: 'solved' })).statusCode).toBe(200);
    const again = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'reopen-1' }, text: 'Still broken' });
    expect(again.conversationId).toBe(first.conversationId);
    const t = await timeline(first.conversationId);
    expect(t.conversation.status).toBe('open');
    const last = updates(t).at(-1);
    expect(last.data.changes).toEqual({ status: { from: 'solved', to: 'open' } });
    expect(last.actorMemberId).toBeNull();

    expect((await patch(agent, first.conversationId, { status: 'closed' })).statusCode).toBe(200);
    const fresh = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'reopen-1' }, text: 'New problem' });
    expect(fresh.conversationId).not.toBe(first.conversationId);
    expect(fresh.conversationNumber).toBeGreaterThan(first.conversationNumber);
    expect(json(await get(owner, first.conversationId)).status).toBe('closed');
  });

  describe('bad input', () => {
    it('rejects an inbound message without a usable contact or clientMessageId (422 naming the field) and stores nothing', async () => {
      const before = await Promise.all([countRows(h.ctx.db, contacts), countRows(h.ctx.db, conversations), countRows(h.ctx.db, messages), countRows(h.ctx.db, events, notDelivery)]);
      const cases: [Record<string, unknown>, string][] = [
        [{ text: 'hi', clientMessageId: 'v1' }, 'contact'],
        [{ contact: { name: 'No identity' }, text: 'hi', clientMessageId: 'v2' }, 'contact'],
        [{ contact: { email: 'not-an-email' }, text: 'hi', clientMessageId: 'v3' }, 'contact.email'],
        [{ contact: { phone: 'call me' }, text: 'hi', clientMessageId: 'v4' }, 'contact.phone'],
        [{ contact: { externalId: 'x' }, text: 'hi' }, 'clientMessageId'],
        [{ contact: { externalId: 'x' }, text: 'hi', clientMessageId: '   ' }, 'clientMessageId'],
        [{ contact: { externalId: 'x' }, clientMessageId: 'v5' }, 'text'],
        [{ contact: { externalId: 'x' }, text: '   ', clientMessageId: 'v6' }, 'text'],
        [{ contact: { externalId: 'x' }, text: 42, clientMessageId: 'v7' }, 'text'],
      ];
      for (const [payload, field] of cases) {
        const res = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/messages`, headers: owner.headers, payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const body = json(res);
        expect(body).toMatchObject({ status: 422, title: expect.any(String) });
        expect(body.errors.map((e: any) => e.field), JSON.stringify(payload)).toContain(field);
        expect(body.errors.every((e: any) => typeof e.reason === 'string' && e.reason.length > 0)).toBe(true);
      }
      // HTML that sanitises to nothing is empty too.
      const scripted = await h.app.inject({
        method: 'POST',
        url: `/api/v1/inboxes/${inbox.id}/messages`,
        headers: owner.headers,
        payload: { contact: { externalId: 'x' }, html: '<script>alert(1)</script>', clientMessageId: 'v8' },
      });
      expect(scripted.statusCode).toBe(422);
      expect(json(scripted).errors[0].field).toBe('text');
      expect(await Promise.all([countRows(h.ctx.db, contacts), countRows(h.ctx.db, conversations), countRows(h.ctx.db, messages), countRows(h.ctx.db, events, notDelivery)])).toEqual(before);
    });

    it('answers malformed JSON and a wrong content type with 4xx problem+json, never 500', async () => {
      const { conversationId } = await sendInbound(h.app, owner, inbox.id);
      for (const body of ['{"text": "unterminated', '', 'null', '[1,2]', '"just a string"']) {
        const res = await h.app.inject({
          method: 'POST',
          url: `/api/v1/conversations/${conversationId}/messages`,
          headers: { ...owner.headers, 'content-type': 'application/json' },
          body,
        });
        expect(res.statusCode, body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, body).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      const form = await h.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: { ...owner.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'text=hi',
      });
      expect(form.statusCode).toBe(415);
      expect(form.headers['content-type']).toMatch(/^application\/problem\+json/);
      const plain = await h.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: { ...owner.headers, 'content-type': 'text/plain' },
        body: 'hi',
      });
      expect(plain.statusCode).toBe(422);
      expect(json(plain).errors[0].field).toBe('body');
      expect((await timeline(conversationId)).items.filter((i: any) => i.type === 'message')).toHaveLength(1);
    });

    it('answers an unknown route with 404 problem+json', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/nothing-here'],
        ['DELETE', '/api/v1/conversations/1'],
        ['GET', '/api/v2/conversations'],
      ] as const) {
        const res = await h.app.inject({ method, url, headers: owner.headers });
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(json(res)).toMatchObject({ status: 404, title: 'Not Found' });
      }
    });

    it('never leaks a stack trace or a database message in an error', async () => {
      const res = await h.app.inject({ url: '/api/v1/conversations?cursor=eyJ4Ijoi', headers: owner.headers });
      expect(res.statusCode).toBe(422);
      expect(res.body).not.toMatch(/at .*\.ts:\d+|stack|SELECT|syntax error/i);
    });
  });

  it("keeps workspaces apart: another workspace's member gets 404 for a conversation, which stays unchanged", async () => {
    const stranger = await buildMember(h.ctx, { workspace: 'Conversations Elsewhere' });
    const theirInbox = await buildApiInbox(h.app, stranger);
    const theirs = await sendInbound(h.app, stranger, theirInbox.id);
    expect(theirs.conversationNumber).toBe(1);
    const mine = await sendInbound(h.app, owner, inbox.id, { text: 'Private matter' });
    expect(mine.conversationNumber).toBeGreaterThan(1);
    const before = await timeline(mine.conversationId);

    const tries = [
      { method: 'GET' as const, url: `/api/v1/conversations/${mine.conversationId}` },
      { method: 'GET' as const, url: `/api/v1/conversations/${mine.conversationNumber}` },
      { method: 'GET' as const, url: `/api/v1/conversations/${mine.conversationId}/timeline` },
      { method: 'GET' as const, url: `/api/v1/conversations/${mine.conversationNumber}/timeline` },
      { method: 'PATCH' as const, url: `/api/v1/conversations/${mine.conversationId}`, payload: { status: 'closed', assigneeId: null } },
      { method: 'PATCH' as const, url: `/api/v1/conversations/${mine.conversationNumber}`, payload: { status: 'closed' } },
      { method: 'POST' as const, url: `/api/v1/conversations/${mine.conversationId}/messages`, payload: { text: 'Phishing link' } },
      { method: 'POST' as const, url: `/api/v1/conversations/${mine.conversationNumber}/messages`, payload: { text: 'note', kind: 'note' } },
    ];
    for (const t of tries) {
      const res = await h.app.inject({ ...t, headers: stranger.headers });
      expect(res.statusCode, `${t.method} ${t.url}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).not.toContain('Private matter');
    }
    // The number 1 is their own conversation #1, never ours.
    expect(json(await get(stranger, 1)).id).toBe(theirs.conversationId);
    const listed = json(await h.app.inject({ url: '/api/v1/conversations?q=Private', headers: stranger.headers })).items;
    expect(listed).toEqual([]);
    expect(json(await h.app.inject({ url: `/api/v1/conversations?contact=${mine.contactId}`, headers: stranger.headers })).items).toEqual([]);
    expect(await timeline(mine.conversationId)).toEqual(before);
  });
});
