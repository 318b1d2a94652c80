import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHeard, type Heard } from '../../app.js';
import { openDatabase } from '../../db/client.js';
import { slaCheckJob } from '../conversations/sla-clock.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { engine } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { waitFor } from '../../../../test/helpers/receiver.js';

const nineToFive = [{ from: '09:00', to: '17:00' }];
const weekdays = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive };

describe('SLA: business hours, policies, due times, warnings and breaches', () => {
  let h: TestHeard;
  // A second Heard on the same database: its own dispatcher and job workers (a second node;
  // on PGlite, which one process holds, a second set of them in this process).
  let other: Heard;
  let tagN = 0;

  beforeAll(async () => {
    h = await startTestHeard();
    const database = engine === 'postgres' ? await openDatabase({ databaseUrl: h.testDb.url!, poolSize: 3 }) : h.testDb.database;
    other = await buildHeard({ config: h.ctx.config, database, roles: ['web', 'worker'], pollMs: 100, jobPollingSeconds: 0.5, retryBaseMs: 200, smtpPort: false });
    await other.start();
  });
  afterAll(async () => {
    await other.close();
    if (engine === 'postgres') await other.ctx.database.close();
    await h.stop();
  });

  const raw = (text: string, values: unknown[] = []) => h.ctx.database.raw.query<Record<string, any>>(text, values);
  const post = async (by: Client, url: string, payload: unknown, code = 201) => {
    const res = await h.app.inject({ method: 'POST', url, headers: by.headers, payload: payload as object });
    expect(res.statusCode, res.body).toBe(code);
    return json(res);
  };
  const getConversation = async (by: Client, id: string) => json((await h.app.inject({ url: `/api/v1/conversations/${id}`, headers: by.headers })));

  /** Waits until both nodes have dispatched every event and run every sla-check job that is due. */
  async function settle() {
    for (let i = 0; i < 3; i++) {
      await h.dispatcher.flush();
      await other.dispatcher.flush();
      await waitFor(async () => {
        const { rows } = await raw(`select count(*)::int as n from pgboss.job where name = 'sla-check' and state in ('created', 'retry', 'active') and start_after <= now()`);
        return rows[0].n === 0;
      });
    }
  }

  /** Moves a conversation's timeline into the past (as if it had arrived `minutes` earlier), then has an event recompute it. */
  async function age(by: Client, id: string, minutes: number) {
    await raw(`update events set created_at = created_at - make_interval(mins => $2) where conversation_id = $1`, [id, minutes]);
    await touch(by, id);
  }
  async function touch(by: Client, id: string) {
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: by.headers, payload: { addTags: [`t${tagN++}`] } });
    expect(res.statusCode, res.body).toBe(200);
    await settle();
  }
  const alerts = async (id: string, type: string) => (await raw(`select data from events where conversation_id = $1 and type = $2`, [id, type])).rows.map((r) => r.data);

  async function workspace(policy: Record<string, unknown>) {
    const owner = await buildMember(h.ctx);
    const inbox = await buildApiInbox(h.app, owner);
    const p = await post(owner, '/api/v1/sla-policies', { name: 'Standard', ...policy });
    return { owner, inbox, policy: p };
  }

  it('lets admins keep calendars and ordered policies, refuses bad hours by field, and keeps a calendar in use', async () => {
    const owner = await buildMember(h.ctx, { workspace: 'SLA Admin Co' });
    const agent = await buildMember(h.ctx, { workspace: 'SLA Admin Co', role: 'agent' });
    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/business-hours', headers: owner.headers, payload: { name: 'X', timeZone: 'Mars/Olympus', hours: weekdays } });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('timeZone');
    const backwards = await h.app.inject({ method: 'POST', url: '/api/v1/business-hours', headers: owner.headers, payload: { name: 'X', timeZone: 'UTC', hours: { mon: [{ from: '17:00', to: '09:00' }] } } });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.body).toContain('hours.mon.0.to');
    const cal = await post(owner, '/api/v1/business-hours', { name: 'Berlin office', timeZone: 'Europe/Berlin', hours: weekdays, holidays: [{ date: '2026-12-24', name: 'Christmas Eve' }] });
    const a = await post(owner, '/api/v1/sla-policies', { name: 'A', targets: { firstResponse: { minutes: 60, businessHoursId: cal.id } } });
    const b = await post(owner, '/api/v1/sla-policies', { name: 'B', position: 0, conditions: { priorities: ['urgent'] }, targets: { firstResponse: { minutes: 15 } } });
    const list = json(await h.app.inject({ url: '/api/v1/sla-policies', headers: owner.headers })).items;
    expect(list.map((p: any) => [p.name, p.position])).toEqual([['B', 0], ['A', 1]]);
    expect(a.targets.firstResponse).toEqual({ minutes: 60, businessHoursId: cal.id });
    expect(b.targets.firstResponse.businessHoursId).toBeNull();
    const inUse = await h.app.inject({ method: 'DELETE', url: `/api/v1/business-hours/${cal.id}`, headers: owner.headers });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.body).toContain('A');
    const foreign = await buildMember(h.ctx);
    const stolen = await h.app.inject({ method: 'POST', url: '/api/v1/sla-policies', headers: foreign.headers, payload: { name: 'X', targets: { resolution: { minutes: 5, businessHoursId: cal.id } } } });
    expect(stolen.statusCode).toBe(422);
    expect(stolen.body).toContain('targets.resolution.businessHoursId');
    const refused = await h.app.inject({ method: 'POST', url: '/api/v1/sla-policies', headers: agent.headers, payload: { name: 'X', targets: {} } });
    expect(refused.statusCode).toBe(403);
    expect(json(await h.app.inject({ url: '/api/v1/business-hours', headers: agent.headers })).items.map((x: any) => x.name)).toEqual(['Berlin office']);
  });

  it('puts a Friday 16:50 conversation with a 30-minute business-hours target in Berlin on Monday 09:20, and on Tuesday when Monday becomes a holiday', async () => {
    const owner = await buildMember(h.ctx);
    const inbox = await buildApiInbox(h.app, owner);
    const cal = await post(owner, '/api/v1/business-hours', { name: 'Berlin', timeZone: 'Europe/Berlin', hours: weekdays });
    await post(owner, '/api/v1/sla-policies', { name: 'Office hours', targets: { firstResponse: { minutes: 30, businessHoursId: cal.id } } });
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    await settle();
    // The conversation arrived on Friday 2026-12-04 at 16:50 in Berlin (15:50 UTC).
    await raw(`update events set created_at = '2026-12-04T15:50:00Z' where conversation_id = $1`, [conversationId]);
    await touch(owner, conversationId);
    let c = await getConversation(owner, conversationId);
    expect(c.sla.policy.name).toBe('Office hours');
    expect(c.sla.targets.firstResponse.dueAt).toBe('2026-12-07T08:20:00.000Z');
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/business-hours/${cal.id}`, headers: owner.headers, payload: { holidays: [{ date: '2026-12-07' }] } });
    expect(res.statusCode, res.body).toBe(200);
    await touch(owner, conversationId);
    c = await getConversation(owner, conversationId);
    expect(c.sla.targets.firstResponse.dueAt).toBe('2026-12-08T08:20:00.000Z');
  });

  it('does not count two hours pending: the first response is due 50 minutes after reopening when 10 had run', async () => {
    const { owner, inbox } = await workspace({ targets: { firstResponse: { minutes: 60 } } });
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationId}`, headers: owner.headers, payload: { status: 'pending' } });
    await settle();
    // It arrived three hours ago and has been pending since ten minutes after that.
    await raw(`update events set created_at = created_at - interval '180 minutes' where conversation_id = $1`, [conversationId]);
    await raw(`update events set created_at = (select min(created_at) from events where conversation_id = $1) + interval '10 minutes' where conversation_id = $1 and type = 'conversation.updated' and data->'changes' ? 'status'`, [conversationId]);
    await touch(owner, conversationId);
    let c = await getConversation(owner, conversationId);
    expect(c.sla.targets.firstResponse).toMatchObject({ status: 'paused', dueAt: null, remainingMinutes: 50, breached: false });
    expect(c.sla.pausedAt).not.toBeNull();
    const breaching = json(await h.app.inject({ url: '/api/v1/conversations?breachingWithin=0', headers: owner.headers })).items;
    expect(breaching).toHaveLength(0);

    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationId}`, headers: owner.headers, payload: { status: 'open' } });
    await settle();
    const { rows } = await raw(`select created_at from events where conversation_id = $1 and type = 'conversation.updated' and data->'changes'->'status'->>'to' = 'open'`, [conversationId]);
    c = await getConversation(owner, conversationId);
    expect(c.sla.pausedAt).toBeNull();
    expect(c.sla.targets.firstResponse.dueAt).toBe(new Date(new Date(rows[0].created_at).getTime() + 50 * 60_000).toISOString());
    expect(await alerts(conversationId, 'sla.breached')).toHaveLength(0);
  });

  it('records one warning and one breach when two nodes run the checks, each check more than once', async () => {
    const { owner, inbox, policy } = await workspace({ targets: { firstResponse: { minutes: 60 } } });
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    const { conversationId: calm } = await sendInbound(h.app, owner, inbox.id);
    await settle();

    // Arrived 50 minutes ago: due in 10, inside the 15-minute warning window.
    await age(owner, conversationId, 50);
    await waitFor(async () => (await alerts(conversationId, 'sla.warning')).length > 0);
    let c = await getConversation(owner, conversationId);
    // The default warning: 15 minutes (less than a quarter of 60) before the due time.
    expect(new Date(c.sla.targets.firstResponse.dueAt).getTime() - new Date(c.sla.targets.firstResponse.warnAt).getTime()).toBe(15 * 60_000);
    const warned = { conversationId, target: 'firstResponse' as const, kind: 'warning' as const, dueAt: c.sla.targets.firstResponse.dueAt, at: new Date().toISOString() };
    // The same check again, on both nodes, twice each, without the queue's de-duplication.
    for (const node of [h, other, h, other]) await node.jobs.send(slaCheckJob, warned);
    await settle();
    expect(await alerts(conversationId, 'sla.warning')).toEqual([{ target: 'firstResponse', dueAt: warned.dueAt, policyId: policy.id, policyName: 'Standard' }]);
    expect(await alerts(conversationId, 'sla.breached')).toHaveLength(0);

    // The list: due soonest first, and "breaching soon" within 15 minutes finds it and not the calm one.
    const byDue = json(await h.app.inject({ url: '/api/v1/conversations?sort=due', headers: owner.headers })).items;
    expect(byDue.map((x: any) => x.id)).toEqual([conversationId, calm]);
    const soon = json(await h.app.inject({ url: '/api/v1/conversations?breachingWithin=15', headers: owner.headers })).items;
    expect(soon.map((x: any) => x.id)).toEqual([conversationId]);
    // The rail's "Breaching soon" view (due within the hour) has it first, and counts what it lists.
    const view = json(await h.app.inject({ url: '/api/v1/conversations?view=breaching&sort=due', headers: owner.headers })).items;
    expect(view[0].id).toBe(conversationId);
    expect(json(await h.app.inject({ url: '/api/v1/views', headers: owner.headers })).breaching).toBe(view.length);

    // Twenty minutes later still unanswered: breached, once.
    await age(owner, conversationId, 20);
    await waitFor(async () => (await alerts(conversationId, 'sla.breached')).length > 0);
    c = await getConversation(owner, conversationId);
    const breached = { ...warned, kind: 'breached' as const, dueAt: c.sla.targets.firstResponse.dueAt };
    for (const node of [h, other, h, other]) await node.jobs.send(slaCheckJob, breached);
    await settle();
    expect(await alerts(conversationId, 'sla.breached')).toEqual([{ target: 'firstResponse', dueAt: breached.dueAt, policyId: policy.id, policyName: 'Standard' }]);
    expect(await alerts(conversationId, 'sla.warning')).toHaveLength(1);
    expect(c.sla.targets.firstResponse).toMatchObject({ status: 'running', breached: true, met: false });
    expect(json(await h.app.inject({ url: '/api/v1/conversations?breachingWithin=0', headers: owner.headers })).items.map((x: any) => x.id)).toEqual([conversationId]);
  });

  it('escalates through rules: a warning tags the conversation and a breach raises its priority and tells the team, once with two nodes', async () => {
    const { owner, inbox } = await workspace({ targets: { firstResponse: { minutes: 60 } } });
    await post(owner, '/api/v1/rules', { name: 'At risk', trigger: 'sla.warning', actions: [{ type: 'add_tags', tags: ['at-risk'] }] });
    await post(owner, '/api/v1/rules', {
      name: 'Escalate breach',
      trigger: 'sla.breached',
      conditions: { match: 'all', conditions: [{ field: 'status', operator: 'is', value: 'open' }] },
      actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'add_note', text: 'First reply overdue: escalated to urgent.' }],
    });
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    await settle();
    await age(owner, conversationId, 50);
    await waitFor(async () => (await getConversation(owner, conversationId)).tags.includes('at-risk'));
    expect((await getConversation(owner, conversationId)).priority).toBe('normal');
    await age(owner, conversationId, 20);
    await waitFor(async () => (await getConversation(owner, conversationId)).priority === 'urgent');
    await settle();
    const notes = await raw(`select text from messages where conversation_id = $1 and direction = 'note'`, [conversationId]);
    expect(notes.rows.map((r) => r.text)).toEqual(['First reply overdue: escalated to urgent.']);
    const fired = await raw(`select data->>'ruleName' as name from events where conversation_id = $1 and type = 'rule.fired' order by seq`, [conversationId]);
    expect(fired.rows.map((r) => r.name)).toEqual(['At risk', 'Escalate breach']);
  });

  it('moves a conversation to the policy its new priority, tag or contact matches, with due times from its creation', async () => {
    const owner = await buildMember(h.ctx);
    const inbox = await buildApiInbox(h.app, owner);
    await post(owner, '/api/v1/sla-policies', { name: 'Enterprise', conditions: { contactAttribute: { key: 'plan', value: 'enterprise' }, tags: ['billing'] }, targets: { firstResponse: { minutes: 10 } } });
    await post(owner, '/api/v1/sla-policies', { name: 'Gold', conditions: { contactAttribute: { key: 'tier', value: 'gold' } }, targets: { firstResponse: { minutes: 20 } } });
    await post(owner, '/api/v1/sla-policies', { name: 'Urgent', conditions: { priorities: ['urgent'], inboxIds: [inbox.id] }, targets: { firstResponse: { minutes: 15 } } });
    await post(owner, '/api/v1/sla-policies', { name: 'Off', enabled: false, targets: { firstResponse: { minutes: 1 } } });
    await post(owner, '/api/v1/sla-policies', { name: 'Standard', targets: { firstResponse: { minutes: 240 } } });
    const { conversationId, contactId } = await sendInbound(h.app, owner, inbox.id);
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contactId}`, headers: owner.headers, payload: { attributes: { plan: 'enterprise' } } });
    expect(res.statusCode, res.body).toBe(200);
    await settle();
    const [created] = (await raw(`select created_at from events where conversation_id = $1 and type = 'conversation.created'`, [conversationId])).rows;
    const dueAfter = (minutes: number) => new Date(new Date(created.created_at).getTime() + minutes * 60_000).toISOString();
    const policyNow = async () => {
      const c = await getConversation(owner, conversationId);
      return [c.sla?.policy.name, c.sla?.targets.firstResponse.dueAt];
    };
    expect(await policyNow()).toEqual(['Standard', dueAfter(240)]);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationId}`, headers: owner.headers, payload: { priority: 'urgent' } });
    await settle();
    expect(await policyNow()).toEqual(['Urgent', dueAfter(15)]);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationId}`, headers: owner.headers, payload: { addTags: ['billing'] } });
    await settle();
    expect(await policyNow()).toEqual(['Enterprise', dueAfter(10)]);
    // A change to the contact alone moves its open conversations too.
    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationId}`, headers: owner.headers, payload: { removeTags: ['billing'], priority: 'normal' } });
    await h.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contactId}`, headers: owner.headers, payload: { attributes: { plan: 'enterprise', tier: 'gold' } } });
    await settle();
    expect(await policyNow()).toEqual(['Gold', dueAfter(20)]);
  });

  it('records no breach when the team replied in time, even when the check for the old due time runs', async () => {
    const { owner, inbox } = await workspace({ targets: { firstResponse: { minutes: 30 } } });
    const { conversationId } = await sendInbound(h.app, owner, inbox.id);
    await settle();
    const dueAt = (await getConversation(owner, conversationId)).sla.targets.firstResponse.dueAt;
    await post(owner, `/api/v1/conversations/${conversationId}/messages`, { text: 'On it!' });
    await settle();
    // Both happened two hours ago: the reply came within seconds, long before the due time.
    await age(owner, conversationId, 120);
    for (const node of [h, other]) await node.jobs.send(slaCheckJob, { conversationId, target: 'firstResponse', kind: 'breached', dueAt, at: new Date().toISOString() });
    await settle();
    const c = await getConversation(owner, conversationId);
    expect(c.sla.targets.firstResponse).toMatchObject({ status: 'met', met: true, breached: false, dueAt: null });
    expect(c.sla.dueAt).toBeNull();
    expect(await alerts(conversationId, 'sla.breached')).toHaveLength(0);
    expect(await alerts(conversationId, 'sla.warning')).toHaveLength(0);
  });
});
