import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, buildTeam, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { conversations, events, messages, ruleFirings } from '../../db/schema/index.js';
import { MAX_RULE_DEPTH, runTimeRules } from './engine.js';

describe('rules', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;
  let stranger: Client;
  let inbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Rules Co', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'Rules Co', role: 'agent' });
    stranger = await buildMember(h.ctx, { workspace: 'Elsewhere', role: 'owner' });
    inbox = await buildApiInbox(h.app, admin);
  });
  afterAll(() => h.stop());

  const createRule = async (payload: Record<string, unknown>) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/rules', headers: admin.headers, payload });
    expect(res.statusCode, res.body).toBe(201);
    return json(res) as { id: string; name: string; position: number };
  };
  const disable = (id: string) => h.app.inject({ method: 'PATCH', url: `/api/v1/rules/${id}`, headers: admin.headers, payload: { enabled: false } });
  const conversation = async (id: string) => (await h.ctx.db.select().from(conversations).where(eq(conversations.id, id)))[0];
  const firings = async (conversationId: string) =>
    (await h.ctx.db.select().from(events).where(and(eq(events.conversationId, conversationId), eq(events.type, 'rule.fired'))).orderBy(events.seq)).map(
      (e) => e.data as { ruleId: string; ruleName: string },
    );
  const arrive = async (body: Record<string, unknown> = {}) => {
    const r = await sendInbound(h.app, admin, inbox.id, body);
    await h.dispatcher.flush();
    return r.conversationId;
  };
  const patch = async (id: string, payload: Record<string, unknown>) => {
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: admin.headers, payload });
    expect(res.statusCode, res.body).toBe(200);
    await h.dispatcher.flush();
  };

  it('is read by every member, written by admins only, and refuses bad input naming the field', async () => {
    const good = { name: 'Urgent words', trigger: 'message.received', actions: [{ type: 'set_priority', priority: 'urgent' }] };
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/rules', headers: agent.headers, payload: good })).statusCode).toBe(403);
    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/rules', headers: admin.headers, payload: { ...good, trigger: 'sometimes' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('trigger');
    const foreign = await h.app.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: admin.headers,
      payload: { ...good, actions: [{ type: 'assign_member', memberId: stranger.memberId }] },
    });
    expect(foreign.statusCode).toBe(422);
    expect(json(foreign).errors[0].field).toBe('actions.0.memberId');
    const r = await createRule({ ...good, enabled: false });
    const list = json(await h.app.inject({ url: '/api/v1/rules', headers: agent.headers })).items as { id: string }[];
    expect(list.map((x) => x.id)).toContain(r.id);
    expect((await h.app.inject({ url: `/api/v1/rules/${r.id}`, headers: stranger.headers })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/rules/${r.id}`, headers: admin.headers })).statusCode).toBe(204);
  });

  it('changes only what a change names: moving or switching a rule keeps its conditions and state', async () => {
    const conditions = { match: 'any', conditions: [{ field: 'subject', operator: 'contains', value: 'invoice' }] };
    const r = await createRule({ name: 'Kept', enabled: false, trigger: 'message.received', conditions, actions: [{ type: 'add_tags', tags: ['kept'] }] });
    const change = async (payload: Record<string, unknown>) => {
      const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/rules/${r.id}`, headers: admin.headers, payload });
      expect(res.statusCode, res.body).toBe(200);
      return json(res) as { position: number; enabled: boolean; conditions: unknown; name: string };
    };
    expect(await change({ position: 7 })).toMatchObject({ position: 7, enabled: false, conditions });
    expect(await change({ enabled: true })).toMatchObject({ position: 7, enabled: true, conditions });
    expect(await change({ name: 'Renamed' })).toMatchObject({ name: 'Renamed', enabled: true, conditions });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/rules/${r.id}`, headers: admin.headers })).statusCode).toBe(204);
  });

  it('fires in order on a new customer message, each rule seeing what the ones before it did, and puts each firing on the timeline', async () => {
    const second = await createRule({
      name: 'Urgent ones to the VIP tag',
      position: 20,
      trigger: 'message.received',
      conditions: { match: 'all', conditions: [{ field: 'priority', operator: 'is', value: 'urgent' }] },
      actions: [{ type: 'add_tags', tags: ['vip'] }, { type: 'add_note', text: 'Escalated by rule' }],
    });
    const first = await createRule({
      name: 'Outage reports are urgent',
      position: 10,
      trigger: 'message.received',
      conditions: { match: 'all', conditions: [{ field: 'text', operator: 'contains', value: 'OUTAGE' }] },
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    });
    const hit = await arrive({ text: 'We have an outage since noon' });
    const miss = await arrive({ text: 'A question about invoices' });
    expect(await conversation(hit)).toMatchObject({ priority: 'urgent', tags: ['vip'] });
    expect((await firings(hit)).map((f) => f.ruleName)).toEqual([first.name, second.name]);
    expect(await conversation(miss)).toMatchObject({ priority: 'normal', tags: [] });
    expect(await firings(miss)).toEqual([]);
    const timeline = json(await h.app.inject({ url: `/api/v1/conversations/${hit}/timeline`, headers: agent.headers })).items as any[];
    expect(timeline.filter((i) => i.type === 'event' && i.event.type === 'rule.fired').map((i) => i.event.data.ruleName)).toEqual([first.name, second.name]);
    expect(timeline.some((i) => i.type === 'message' && i.message.text === 'Escalated by rule' && i.message.direction === 'note')).toBe(true);
    await disable(first.id);
    await disable(second.id);
  });

  it('matches all or any of its conditions', async () => {
    const conditions = [
      { field: 'subject', operator: 'contains', value: 'refund' },
      { field: 'contact.domain', operator: 'is', value: 'acme.test' },
    ];
    const all = await createRule({ name: 'All', trigger: 'conversation.created', conditions: { match: 'all', conditions }, actions: [{ type: 'add_tags', tags: ['all'] }] });
    const any = await createRule({ name: 'Any', trigger: 'conversation.created', conditions: { match: 'any', conditions }, actions: [{ type: 'add_tags', tags: ['any'] }] });
    const both = await arrive({ subject: 'Refund please', contact: { email: 'ann@acme.test' } });
    const one = await arrive({ subject: 'Refund please', contact: { email: 'bob@other.test' } });
    const none = await arrive({ subject: 'Hello', contact: { email: 'cy@other.test' } });
    expect((await conversation(both)).tags.sort()).toEqual(['all', 'any']);
    expect((await conversation(one)).tags).toEqual(['any']);
    expect((await conversation(none)).tags).toEqual([]);
    await disable(all.id);
    await disable(any.id);
  });

  it('never fires again on what it caused itself, and stops a chain of rules at the depth limit', async () => {
    // Each firing changes the priority twice: without the guard it would trigger itself for ever.
    const self = await createRule({
      name: 'Flapper',
      trigger: 'priority.changed',
      actions: [{ type: 'set_priority', priority: 'low' }, { type: 'set_priority', priority: 'high' }],
    });
    const id = await arrive();
    await patch(id, { priority: 'urgent' });
    expect((await firings(id)).map((f) => f.ruleId)).toEqual([self.id]);
    expect((await conversation(id)).priority).toBe('high');
    await disable(self.id);

    // step-1 … step-7: each adds its tag once it sees the one before; only MAX_RULE_DEPTH of them may follow the agent's change.
    // In reverse order, so each step runs on the event of the one before rather than all on the agent's.
    const steps = [];
    for (let i = 1; i <= MAX_RULE_DEPTH + 2; i++) {
      steps.push(
        await createRule({
          name: `Step ${i}`,
          position: 100 - i,
          trigger: 'tags.changed',
          conditions: {
            match: 'all',
            conditions: [
              { field: 'tags', operator: 'contains', value: `step-${i - 1}` },
              { field: 'tags', operator: 'not_contains', value: `step-${i}` },
            ],
          },
          actions: [{ type: 'add_tags', tags: [`step-${i}`] }],
        }),
      );
    }
    const chained = await arrive();
    await patch(chained, { addTags: ['step-0'] });
    const tags = (await conversation(chained)).tags;
    expect(tags.filter((t) => t.startsWith('step-')).sort()).toEqual(Array.from({ length: MAX_RULE_DEPTH + 1 }, (_, i) => `step-${i}`));
    for (const s of steps) await disable(s.id);
  });

  it('calls its webhook once, after its changes committed', async () => {
    const received: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const rule = await createRule({
      name: 'Tell the CRM',
      trigger: 'conversation.created',
      actions: [{ type: 'add_tags', tags: ['crm'] }, { type: 'webhook', url: `http://127.0.0.1:${port}/hook` }],
    });
    const id = await arrive();
    server.close();
    expect(received.map((b) => JSON.parse(b))).toEqual([expect.objectContaining({ event: 'rule.fired', conversationId: id, rule: { id: rule.id, name: 'Tell the CRM' } })]);
    expect((await conversation(id)).tags).toEqual(['crm']);
    await disable(rule.id);
  });

  it('answers from a shared canned response, never from a personal one', async () => {
    const canned = async (by: Client, shared: boolean) =>
      json(await h.app.inject({ method: 'POST', url: '/api/v1/canned-responses', headers: by.headers, payload: { title: `Ack ${shared}`, body: 'Thanks {{contact.first_name}}, we got it.', shared } }))
        .id as string;
    const personal = await h.app.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: admin.headers,
      payload: { name: 'Ack', trigger: 'conversation.created', actions: [{ type: 'reply_template', cannedResponseId: await canned(agent, false) }] },
    });
    expect(personal.statusCode).toBe(422);
    expect(json(personal).errors[0].field).toBe('actions.0.cannedResponseId');
    const rule = await createRule({ name: 'Ack', trigger: 'conversation.created', actions: [{ type: 'reply_template', cannedResponseId: await canned(admin, true) }] });
    const id = await arrive({ contact: { externalId: `ack-${Date.now()}`, name: 'Dana Doe' } });
    const replies = await h.ctx.db.select().from(messages).where(and(eq(messages.conversationId, id), eq(messages.direction, 'out')));
    expect(replies.map((m) => [m.text, m.authorMemberId])).toEqual([['Thanks Dana, we got it.', null]]);
    await disable(rule.id);
  });

  it('applies a rule once when its event is delivered again', async () => {
    const rule = await createRule({ name: 'Note once', trigger: 'conversation.created', actions: [{ type: 'add_note', text: 'Welcome note' }] });
    const id = await arrive();
    const [created] = await h.ctx.db.select().from(events).where(and(eq(events.conversationId, id), eq(events.type, 'conversation.created')));
    // As if the node that dispatched it died before marking it done.
    await h.ctx.db.update(events).set({ dispatchedAt: null, claimedAt: null }).where(eq(events.id, created.id));
    await h.dispatcher.flush();
    const notes = await h.ctx.db.select().from(messages).where(and(eq(messages.conversationId, id), eq(messages.text, 'Welcome note')));
    expect(notes).toHaveLength(1);
    expect(await firings(id)).toHaveLength(1);
    await disable(rule.id);
  });

  it('changes nothing when one of its actions is refused, says why on the timeline, and the rules after it still run', async () => {
    const kim = await buildMember(h.ctx, { workspace: 'Rules Co', role: 'agent', name: 'Kim Lee' });
    const marker = `refused-${Date.now()}`;
    const subject = { match: 'all', conditions: [{ field: 'subject', operator: 'contains', value: marker }] };
    const toKim = await createRule({
      name: 'VIP to Kim',
      trigger: 'message.received',
      conditions: subject,
      actions: [{ type: 'add_tags', tags: ['vip'] }, { type: 'assign_member', memberId: kim.memberId }],
    });
    const after = await createRule({ name: 'Tag it', trigger: 'message.received', conditions: subject, actions: [{ type: 'add_tags', tags: ['seen'] }] });
    const off = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${kim.memberId}`, headers: admin.headers, payload: { active: false } });
    expect(off.statusCode, off.body).toBe(200);

    const id = await arrive({ subject: `${marker} please` });
    const c = await conversation(id);
    // Not half applied: no vip tag without the assignment; the next rule ran.
    expect(c.tags).toEqual(['seen']);
    expect(c.assigneeId).toBeNull();
    const failed = await h.ctx.db.select().from(events).where(and(eq(events.conversationId, id), eq(events.type, 'rule.failed')));
    expect(failed.map((e) => e.data)).toEqual([expect.objectContaining({ ruleId: toKim.id, ruleName: 'VIP to Kim', reason: 'that member is deactivated' })]);
    expect((await firings(id)).map((f) => f.ruleName)).toEqual(['Tag it']);
    // Nothing left for the dispatcher to retry, and a redelivery says it once.
    const [received] = await h.ctx.db.select().from(events).where(and(eq(events.conversationId, id), eq(events.type, 'message.created')));
    await h.ctx.db.update(events).set({ dispatchedAt: null, claimedAt: null }).where(eq(events.id, received.id));
    await h.dispatcher.flush();
    expect(await h.ctx.db.select().from(events).where(and(eq(events.conversationId, id), eq(events.type, 'rule.failed')))).toHaveLength(1);
    const dead = json(await h.app.inject({ url: '/api/v1/event-failures', headers: admin.headers }));
    expect(JSON.stringify(dead)).not.toContain(received.id);
    await disable(toKim.id);
    await disable(after.id);
  });

  it('previews which open conversations its conditions match, changing nothing', async () => {
    const marker = `preview-${Date.now()}`;
    const a = await arrive({ subject: `${marker} one` });
    const b = await arrive({ subject: `${marker} two` });
    await arrive({ subject: 'something else' });
    const solved = await arrive({ subject: `${marker} done` });
    await patch(solved, { status: 'solved' });
    // What the arrivals set off (this file's rules, the SLA clock) is done before counting.
    await h.dispatcher.flush();
    const before = await h.ctx.db.select({ n: sql<number>`count(*)::int` }).from(events);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/rules/preview',
      headers: admin.headers,
      payload: { conditions: { match: 'all', conditions: [{ field: 'subject', operator: 'contains', value: marker }] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).total).toBe(2);
    expect((json(res).items as { id: string }[]).map((i) => i.id).sort()).toEqual([a, b].sort());
    expect(await h.ctx.db.select({ n: sql<number>`count(*)::int` }).from(events)).toEqual(before);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/rules/preview', headers: agent.headers, payload: { conditions: { conditions: [] } } })).statusCode).toBe(403);
  });

  it('runs a time rule once per conversation even when two nodes run it at the same moment', async () => {
    const marker = `stale-${Date.now()}`;
    const id = await arrive({ subject: marker });
    await patch(id, { status: 'pending' });
    const rule = await createRule({
      name: 'Pending too long',
      trigger: 'time',
      conditions: {
        match: 'all',
        conditions: [
          { field: 'status', operator: 'is', value: 'pending' },
          { field: 'subject', operator: 'contains', value: marker },
          { field: 'hours_since_update', operator: 'more_than', value: 72 },
        ],
      },
      actions: [{ type: 'add_note', text: 'Closing for inactivity' }, { type: 'set_status', status: 'solved' }],
    });
    await runTimeRules(h.ctx, h.app.log);
    expect((await conversation(id)).status).toBe('pending');
    // Four days later.
    await h.ctx.db.execute(sql`update conversations set updated_at = now() - interval '4 days' where id = ${id}`);
    await Promise.all([runTimeRules(h.ctx, h.app.log), runTimeRules(h.ctx, h.app.log)]);
    expect((await conversation(id)).status).toBe('solved');
    expect(await h.ctx.db.select().from(ruleFirings).where(eq(ruleFirings.ruleId, rule.id))).toHaveLength(1);
    expect(await h.ctx.db.select().from(messages).where(and(eq(messages.conversationId, id), eq(messages.text, 'Closing for inactivity')))).toHaveLength(1);
    await disable(rule.id);
  });

  it('assigns within a team by turns, and a conversation entering a round-robin team gets its member', async () => {
    const team = await buildTeam(h.app, admin, { memberIds: [admin.memberId, agent.memberId] });
    await h.app.inject({ method: 'PATCH', url: `/api/v1/teams/${team.id}`, headers: admin.headers, payload: { assignmentMode: 'round_robin' } });
    const id = await arrive();
    await patch(id, { teamId: team.id });
    const first = (await conversation(id)).assigneeId;
    expect([admin.memberId, agent.memberId]).toContain(first);
    const rule = await createRule({ name: 'Into the team', trigger: 'conversation.created', actions: [{ type: 'assign_within_team', teamId: team.id }] });
    const next = await arrive();
    expect((await conversation(next)).assigneeId).toBe(first === admin.memberId ? agent.memberId : admin.memberId);
    await disable(rule.id);
  });
});
