import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHeard, type Heard } from '../../app.js';
import { openDatabase, type Database } from '../../db/client.js';
import { messages, outreachTasks } from '../../db/schema/index.js';
import { buildMember, buildTeam, buildToken, signIn, type Client } from '../../../../test/factories.js';
import { countRows, engine } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink.js';
import { createDueTasks } from './tasks.js';

/** The next Friday at least a week ahead, at 16:00 UTC. */
function aFridayAhead() {
  const d = new Date(Date.now() + 7 * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((5 - d.getUTCDay() + 7) % 7));
  d.setUTCHours(16, 0, 0, 0);
  return d;
}

describe('outreach: rules make follow-up tasks, agents work the queue', () => {
  let h: TestHeard;
  let second: Heard;
  let secondDb: Database | undefined;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let owner: Client;
  let agent: Client;
  let outsider: Client;
  let shop: { headers: Record<string, string> };
  let team: { id: string };
  let calendarId: string;
  let emailInbox: string;
  let n = 0;

  const api = (who: { headers: Record<string, string> }, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    h.app.inject({ method, url: `/api/v1${url}`, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const event = async (body: Record<string, unknown>) => {
    const res = await api(shop, 'POST', '/events', { id: `ev-${n++}`, type: 'purchase', contact: { email: `buyer${n}@example.test`, name: `Buyer ${n}` }, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };
  const rule = async (body: Record<string, unknown>) => {
    const res = await api(owner, 'POST', '/outreach/rules', { name: `Rule ${n++}`, eventType: 'purchase', delay: { amount: 2, unit: 'hours' }, teamId: team.id, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTestHeard({ SMTP_URL: sink.url, HEARD_MAIL_DOMAIN: 'mail.heard.test' }, { outreachEveryMs: 200 });
    // A second Heard on the same database, as a second node: on PostgreSQL with its own connections.
    secondDb = engine === 'postgres' ? await openDatabase({ databaseUrl: h.testDb.url, poolSize: 3 }) : undefined;
    second = await buildHeard({ config: h.ctx.config, database: secondDb ?? h.testDb.database, roles: ['web', 'worker'], pollMs: 100, jobPollingSeconds: 0.5, smtpPort: false });
    await second.start();
    owner = await buildMember(h.ctx, { workspace: 'Cars Co', name: 'Olga Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Cars Co', role: 'agent', name: 'Ann Agent' });
    outsider = await buildMember(h.ctx, { workspace: 'Cars Co', role: 'agent', name: 'Otto Other' });
    shop = await buildToken(h.app, await signIn(h.app, owner.email), { scopes: ['events'] });
    team = await buildTeam(h.app, owner, { name: 'Follow-ups', memberIds: [agent.memberId] });
    const cal = await api(owner, 'POST', '/business-hours', { name: 'Weekdays', timeZone: 'UTC', hours: { mon: [{ from: '09:00', to: '17:00' }], tue: [{ from: '09:00', to: '17:00' }], wed: [{ from: '09:00', to: '17:00' }], thu: [{ from: '09:00', to: '17:00' }], fri: [{ from: '09:00', to: '17:00' }] } });
    expect(cal.statusCode, cal.body).toBe(201);
    calendarId = json(cal).id;
    const inbox = await api(owner, 'POST', '/inboxes', { name: 'Customer care', channel: 'email', address: 'care@cars.test' });
    expect(inbox.statusCode, inbox.body).toBe(201);
    emailInbox = json(inbox).id;
  });
  afterAll(async () => {
    await second?.close();
    await secondDb?.close();
    await h?.stop();
    await sink?.close();
  });

  it('makes a task once, across two nodes, due at the next opening when its time falls outside business hours', async () => {
    const friday = aFridayAhead();
    const r = await rule({ name: 'Two hours after a purchase', businessHoursId: calendarId, productSku: 'EV5' });
    const bought = await event({ occurredAt: friday.toISOString(), product: { sku: 'EV5' } });
    await event({ occurredAt: friday.toISOString(), product: { sku: 'OTHER' } });
    const before = await countRows(h.ctx.db, outreachTasks);

    // Friday 18:30: the time (18:00) has come, outside hours. Both nodes sweep at once, twice.
    const at = new Date(friday.getTime() + 150 * 60_000);
    const made = await Promise.all([createDueTasks(h.ctx, at), createDueTasks(second.ctx, at), createDueTasks(second.ctx, at), createDueTasks(h.ctx, at)]);
    expect(made.reduce((a, b) => a + b, 0)).toBe(1);
    const tasks = await h.ctx.db.select().from(outreachTasks).where(eq(outreachTasks.businessEventId, bought.id));
    expect(tasks).toHaveLength(1);
    expect(await countRows(h.ctx.db, outreachTasks)).toBe(before + 1);
    const monday = new Date(friday.getTime() + 3 * 86_400_000 - 7 * 3_600_000);
    expect(tasks[0].dueAt.toISOString()).toBe(monday.toISOString());
    expect(tasks[0]).toMatchObject({ teamId: team.id, ruleName: 'Two hours after a purchase', status: 'open' });

    // Turned off and on, and changed: no second task for the same event.
    expect((await api(owner, 'PATCH', `/outreach/rules/${r.id}`, { enabled: false })).statusCode).toBe(200);
    expect(await createDueTasks(h.ctx, at)).toBe(0);
    expect((await api(owner, 'PATCH', `/outreach/rules/${r.id}`, { enabled: true, delay: { amount: 1, unit: 'hours' }, name: 'One hour after' })).statusCode).toBe(200);
    expect(await createDueTasks(second.ctx, new Date(monday.getTime() + 86_400_000))).toBe(0);
    expect(await h.ctx.db.select().from(outreachTasks).where(eq(outreachTasks.businessEventId, bought.id))).toHaveLength(1);
    // Not due yet in real time: not in the queue, but among the upcoming.
    expect(json(await api(agent, 'GET', '/outreach/tasks')).items.map((t: { event: { id: string } }) => t.event.id)).not.toContain(bought.id);
    expect(json(await api(agent, 'GET', '/outreach/tasks?state=upcoming')).items.map((t: { event: { id: string } }) => t.event.id)).toContain(bought.id);
  });

  it('puts a due task in the queue of the team; the agent writes first by e-mail, the task is done and the answer joins the history', async () => {
    await rule({ name: 'How is the car?', delay: { amount: 0, unit: 'hours' }, instructions: 'Ask how the first weeks went.' });
    const bought = await event({ occurredAt: new Date().toISOString(), contact: { email: 'maria@buyer.test', name: 'Maria Lopez' }, product: { sku: 'EV5', name: 'EV5 Touring' } });
    await expect.poll(async () => json(await api(agent, 'GET', '/outreach/tasks/count')).due, { timeout: 10_000 }).toBe(1);
    const [task] = json(await api(agent, 'GET', '/outreach/tasks')).items;
    expect(task).toMatchObject({ ruleName: 'How is the car?', instructions: 'Ask how the first weeks went.', contact: { name: 'Maria Lopez' }, event: { id: bought.id, product: { name: 'EV5 Touring' } } });
    // Not in the queue of an agent outside the team, who may not work it.
    expect(json(await api(outsider, 'GET', '/outreach/tasks/count')).due).toBe(0);
    expect((await api(outsider, 'POST', `/outreach/tasks/${task.id}/dismiss`, { reason: 'not mine' })).statusCode).toBe(403);
    const detail = json(await api(agent, 'GET', `/outreach/tasks/${task.id}`));
    expect(detail.history.events.map((e: { id: string }) => e.id)).toEqual([bought.id]);

    const bad = await api(agent, 'POST', `/outreach/tasks/${task.id}/message`, { inboxId: emailInbox, text: 'Hello' });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors[0].field).toBe('subject');
    const done = await api(agent, 'POST', `/outreach/tasks/${task.id}/message`, { inboxId: emailInbox, subject: 'Your EV5', text: 'Hello Maria, how is the EV5 after the first weeks?' });
    expect(done.statusCode, done.body).toBe(200);
    const { conversationId, task: closed } = json(done);
    expect(closed).toMatchObject({ status: 'done', outcome: 'message', conversationId, closedByMemberId: agent.memberId });
    expect(json(await api(agent, 'GET', '/outreach/tasks/count')).due).toBe(0);
    expect((await api(agent, 'POST', `/outreach/tasks/${task.id}/dismiss`, { reason: 'again' })).statusCode).toBe(409);

    // Really sent: the e-mail is in the sink, its own subject (no "Re:"), to the customer.
    await expect.poll(() => sink.received.length, { timeout: 15_000 }).toBe(1);
    const mail = sink.received[0];
    expect(mail.to).toEqual(['maria@buyer.test']);
    expect(mail.mail.subject).toMatch(/^Your EV5 \[#\d+\]$/);
    expect(mail.mail.text).toContain('how is the EV5');
    const [sent] = await h.ctx.db.select().from(messages).where(eq(messages.conversationId, conversationId));
    await expect.poll(async () => (await h.ctx.db.select().from(messages).where(eq(messages.id, sent.id)))[0].deliveryStatus).toBe('sent');

    // Her answer threads into that conversation.
    const raw = [`From: Maria Lopez <maria@buyer.test>`, 'To: care@cars.test', `Subject: Re: ${mail.mail.subject}`, `Message-ID: <answer-1@buyer.test>`, `In-Reply-To: ${mail.mail.messageId}`, '', 'Great so far, but how do I set the charging timer?', ''].join('\r\n');
    const answer = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${emailInbox}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: raw });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(json(answer).conversationId).toBe(conversationId);
  });

  it('logs a call to complete a task, and snoozes or dismisses others with a reason', async () => {
    await rule({ name: 'Delivery call', eventType: 'delivery', delay: { amount: 0, unit: 'days' }, teamId: null, assigneeId: agent.memberId });
    for (let i = 0; i < 3; i++) await event({ type: 'delivery', occurredAt: new Date().toISOString() });
    await expect.poll(async () => json(await api(agent, 'GET', '/outreach/tasks/count')).due, { timeout: 10_000 }).toBe(3);
    const [a, b, c] = json(await api(agent, 'GET', '/outreach/tasks')).items;
    const phone = json(await api(owner, 'POST', '/inboxes', { name: 'Phone', channel: 'phone' }));

    const called = await api(agent, 'POST', `/outreach/tasks/${a.id}/call`, { inboxId: phone.id, direction: 'outbound', number: '+33 1 23 45 67 89', durationSeconds: 240, outcome: 'answered', notes: 'Happy with the delivery.' });
    expect(called.statusCode, called.body).toBe(200);
    expect(json(called).task).toMatchObject({ status: 'done', outcome: 'call' });
    const timeline = json(await api(agent, 'GET', `/conversations/${json(called).conversationId}/timeline`));
    expect(JSON.stringify(timeline)).toContain('Happy with the delivery.');

    const past = await api(agent, 'POST', `/outreach/tasks/${b.id}/snooze`, { until: new Date(Date.now() - 60_000).toISOString() });
    expect(past.statusCode).toBe(422);
    expect((await api(agent, 'POST', `/outreach/tasks/${b.id}/snooze`, { until: new Date(Date.now() + 86_400_000).toISOString() })).statusCode).toBe(200);
    expect((await api(agent, 'POST', `/outreach/tasks/${c.id}/dismiss`, { reason: '' })).statusCode).toBe(422);
    const dismissed = await api(agent, 'POST', `/outreach/tasks/${c.id}/dismiss`, { reason: 'Asked not to be called' });
    expect(json(dismissed)).toMatchObject({ status: 'dismissed', dismissReason: 'Asked not to be called', closedByMemberId: agent.memberId });
    expect(json(await api(agent, 'GET', '/outreach/tasks/count')).due).toBe(0);
    const closed = json(await api(agent, 'GET', '/outreach/tasks?state=done')).items.map((t: { id: string }) => t.id);
    expect(closed).toEqual(expect.arrayContaining([a.id, c.id]));
  });
});
