import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, topics } from '../../db/schema/index.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { HelpBrowser, publishHelpCenter, textOf } from '../../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { intakeToken } from './intake.js';

let n = 0;
const mid = () => `<${Date.now().toString(36)}.${n++}@customer.example>`;
const eml = (h: { from: string; subject: string; messageId: string; inReplyTo?: string }, body: string) =>
  [
    `From: ${h.from}`,
    'To: apps@intake.test',
    `Subject: ${h.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${h.messageId}`,
    ...(h.inReplyTo ? [`In-Reply-To: ${h.inReplyTo}`, `References: ${h.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');

/** S9, "ask once": a topic's intake form asked in one round on the widget, the contact form and e-mail, and the agent's request for more. */
describe('topics and one-round intake', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;
  let topic: { id: string; key: string; fields: { key: string; required: boolean }[] };
  let widgetKey: string;
  let emailInbox: string;
  const field = {} as Record<string, string>;

  const api = (method: string, url: string, by: Client, payload?: unknown) => h.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: by.headers, payload: payload as object });
  const conversation = async (id: string) => json(await api('GET', `/conversations/${id}`, agent));
  const messagesOf = async (id: string) =>
    json(await api('GET', `/conversations/${id}/timeline`, agent))
      .items.filter((i: any) => i.type === 'message')
      .map((i: any) => i.message);

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Intake Co', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'Intake Co', role: 'agent' });
    for (const f of [
      { key: 'order_number', label: 'Order number', type: 'order_number', helpText: 'On your receipt' },
      { key: 'device', label: 'Device', type: 'select', options: ['iPhone', 'Android'] },
      { key: 'contact_email', label: 'E-mail', type: 'email' },
      { key: 'app_version', label: 'App version', type: 'text' },
      { key: 'since', label: 'Since', type: 'date' },
    ]) {
      const res = await api('POST', '/custom-fields', admin, { entity: 'conversation', ...f });
      expect(res.statusCode, res.body).toBe(201);
      field[f.key] = json(res).id;
    }
    const widget = await api('POST', '/inboxes', admin, { name: 'Chat', channel: 'widget', allowedOrigins: ['https://shop.example'] });
    widgetKey = json(widget).widget.publicKey;
    emailInbox = json(await api('POST', '/inboxes', admin, { name: 'Apps', channel: 'email', address: 'apps@intake.test', autoAck: { enabled: true, responseTime: '4 hours' } })).id;
  });
  afterAll(() => h.stop());

  it('lets admins define topics with their intake forms, in order; agents read them', async () => {
    const res = await api('POST', '/topics', admin, {
      name: 'App update failed',
      fields: [
        { customFieldId: field.order_number, required: true },
        { customFieldId: field.device, required: true },
        { customFieldId: field.contact_email, required: true },
        { customFieldId: field.app_version },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    topic = json(res);
    expect(topic).toMatchObject({ key: 'app-update-failed', position: 0 });
    expect(topic.fields.map((f) => `${f.key}${f.required ? '*' : ''}`)).toEqual(['order_number*', 'device*', 'contact_email*', 'app_version']);
    expect(json(await api('POST', '/topics', admin, { name: 'Billing' })).position).toBe(1);
    const moved = json(await api('PATCH', `/topics/${topic.id}`, admin, { position: 1 }));
    expect(moved.position).toBe(1);
    const list = json(await api('GET', '/topics', agent)).items;
    expect(list.map((t: any) => t.name)).toEqual(['Billing', 'App update failed']);
    expect(list[1].fields[0]).toMatchObject({ label: 'Order number', type: 'order_number', helpText: 'On your receipt', required: true });

    expect((await api('POST', '/topics', agent, { name: 'Nope' })).statusCode).toBe(403);
    expect((await api('POST', '/topics', admin, { name: 'App update failed' })).statusCode).toBe(409);
    const bad = await api('POST', '/topics', admin, { name: 'Broken', fields: [{ customFieldId: '0190b7a0-0000-7000-8000-000000000000' }] });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors).toEqual([{ field: 'fields.0.customFieldId', reason: 'is not a conversation custom field of this workspace' }]);
  });

  it("the widget's pre-chat form asks only what is missing, all at once, and the agent sees the answers", async () => {
    const call = (path: string, body: unknown, token?: string) =>
      h.app.inject({
        method: body ? 'POST' : 'GET',
        url: `/widget/v1/${widgetKey}${path}`,
        headers: { origin: 'https://shop.example', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        payload: body ? JSON.stringify(body) : undefined,
      });
    const config = json(await call('/config', undefined));
    expect(config.topics.find((t: any) => t.key === topic.key).fields.map((f: any) => f.key)).toEqual(['order_number', 'device', 'contact_email', 'app_version']);

    const s = json(await call('/session', {}));
    // The visitor told their address already: the e-mail field is known, not asked.
    await h.app.inject({ method: 'PATCH', url: `/widget/v1/${widgetKey}/contact`, headers: { origin: 'https://shop.example', authorization: `Bearer ${s.token}` }, payload: { email: 'justin@customers.test' } });
    const missing = await call('/messages', { clientMessageId: 'w1', text: 'The update fails', intake: { topic: topic.key, fields: { order_number: '', device: 'Nokia' } } }, s.token);
    expect(missing.statusCode).toBe(422);
    expect(json(missing).errors).toEqual([
      { field: 'intake.fields.order_number', reason: 'is required' },
      { field: 'intake.fields.device', reason: 'must be one of iPhone, Android' },
    ]);
    const ok = await call('/messages', { clientMessageId: 'w2', text: 'The update fails', intake: { topic: topic.key, fields: { order_number: 'A-1001', device: 'iPhone' } } }, s.token);
    expect(ok.statusCode, ok.body).toBe(201);
    const c = await conversation(json(ok).conversationId);
    expect(c.topic).toBe('App update failed');
    expect(c.customFields).toEqual({ order_number: 'A-1001', device: 'iPhone', contact_email: 'justin@customers.test' });
  });

  it("the help center's contact form asks the chosen topic's fields with the rest, in one round", async () => {
    const hc = await publishHelpCenter(h.app, admin, { topics: [{ id: topic.key, name: 'My app will not update' }] });
    const base = `/help/${hc.slug}`;
    const b = new HelpBrowser(h.app, h.ctx.secret);
    const page = await b.get(`${base}/contact`);
    expect(page.body).toContain(`data-topic-fields="${topic.key}"`);
    expect(page.body).toContain(`name="field.${topic.key}.order_number"`);
    // The form asks the address anyway: its e-mail field is not asked twice.
    expect(page.body).not.toContain(`name="field.${topic.key}.contact_email"`);

    const form = { name: 'Justin', email: 'justin@customers.test', topic: topic.key, subject: 'Update', message: 'It fails.' };
    const bad = await b.postMultipart(`${base}/contact`, { ...form, name: '' });
    expect(bad.statusCode).toBe(422);
    // The missing name and both missing fields are named together.
    expect(bad.body).toContain('id="name-error"');
    expect(bad.body).toContain(`id="field-${topic.key}-order_number-error"`);
    expect(bad.body).toContain(`id="field-${topic.key}-device-error"`);
    const ok = await b.postMultipart(`${base}/contact`, { ...form, [`field.${topic.key}.order_number`]: 'B-7', [`field.${topic.key}.device`]: 'Android' });
    expect(ok.statusCode, ok.body).toBe(200);
    const number = Number(/Your request is number #(\d+)/.exec(textOf(ok.body))![1]);
    const [row] = await h.ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, admin.workspaceId), eq(conversations.number, number)));
    expect(row.topic).toBe('App update failed');
    expect(row.customFields).toEqual({ order_number: 'B-7', device: 'Android', contact_email: 'justin@customers.test' });
  });

  it('e-mail: the acknowledgement lists the missing fields; a reply fills them by label, and so does the link', async () => {
    const first = mid();
    const raw = eml({ from: 'Justin <justin2@customers.test>', subject: 'App update failed again', messageId: first }, 'Please help.');
    const r = json(await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${emailInbox}/mime`, headers: { ...admin.headers, 'content-type': 'message/rfc822' }, payload: raw }));
    const c = await conversation(r.conversationId);
    expect(c.topic).toBe('App update failed');
    // The sender's address fills the e-mail field; it is not asked.
    expect(c.customFields).toEqual({ contact_email: 'justin2@customers.test' });
    const ack = (await messagesOf(c.id)).find((m: any) => m.direction === 'out');
    expect(ack.text).toContain('Order number (On your receipt):\nDevice:\nApp version:');
    expect(ack.text).not.toContain('E-mail:');
    const url = /http\S+\/intake\/(\S+)/.exec(ack.text)!;

    const reply = eml({ from: 'justin2@customers.test', subject: 'Re: App update failed again', messageId: mid(), inReplyTo: first }, 'Hi,\n\nOrder number: 12345\nDevice: Nokia 3310\n\nJustin');
    const rr = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${emailInbox}/mime`, headers: { ...admin.headers, 'content-type': 'message/rfc822' }, payload: reply });
    expect(json(rr).conversationId).toBe(c.id);
    // A value that does not fit its field (no such device) stays missing rather than wrong.
    expect((await conversation(c.id)).customFields).toEqual({ contact_email: 'justin2@customers.test', order_number: '12345' });

    const token = url[1];
    const page = await h.app.inject({ url: `/intake/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="field.device"');
    expect(page.body).not.toContain('name="field.order_number"');
    const post = (body: Record<string, string>, t = token) =>
      h.app.inject({ method: 'POST', url: `/intake/${t}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
    const missing = await post({ 'field.app_version': '2.1' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('id="field-device-error"');
    const done = await post({ 'field.device': 'Android', 'field.app_version': '2.1' });
    expect(done.statusCode, done.body).toBe(200);
    expect((await conversation(c.id)).customFields).toEqual({ contact_email: 'justin2@customers.test', order_number: '12345', device: 'Android', app_version: '2.1' });

    // A forged token, one for another conversation with a borrowed signature, and an expired one are refused.
    expect((await h.app.inject({ url: `/intake/${token.slice(0, -2)}xx` })).statusCode).toBe(404);
    const [, id, exp, sig] = token.split('.');
    expect((await post({ 'field.device': 'iPhone' }, `in1.${id.replace(/.$/, (ch) => (ch === '0' ? '1' : '0'))}.${exp}.${sig}`)).statusCode).toBe(404);
    const expired = intakeToken(h.ctx.secret, c.id, Date.now() - 31 * 86_400_000);
    const gone = await h.app.inject({ url: `/intake/${expired}` });
    expect(gone.statusCode).toBe(410);
    expect(textOf(gone.body)).toContain('This link has expired');
  });

  it('"We need more information" sends one message listing the fields, sets pending, and counts the rounds', async () => {
    const r = json(await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${emailInbox}/mime`, headers: { ...admin.headers, 'content-type': 'message/rfc822' }, payload: eml({ from: 'kim@customers.test', subject: 'Something odd', messageId: mid() }, 'Odd.') }));
    expect((await conversation(r.conversationId)).infoRequests).toBe(0);
    const res = await api('POST', `/conversations/${r.conversationId}/request-info`, agent, { fieldKeys: ['order_number', 'since'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res).round).toBe(1);
    expect(json(res).message.text).toMatch(/^We need a little more information to help you\. Please tell us:\n\nOrder number \(On your receipt\):\nSince:\n\n.*\nhttp\S+\/intake\/in1\./s);
    const c = await conversation(r.conversationId);
    expect(c).toMatchObject({ status: 'pending', infoRequests: 1 });
    const events = json(await api('GET', `/conversations/${c.id}/timeline`, agent)).items.filter((i: any) => i.type === 'event' && i.event.type === 'conversation.info_requested');
    expect(events.map((e: any) => e.event.data)).toEqual([{ fieldKeys: ['order_number', 'since'], messageId: json(res).message.id, round: 1, topic: null }]);

    // The answer by the form fills both; a second round asks only what is still missing.
    const token = /\/intake\/(\S+)/.exec(json(res).message.text)![1];
    const ans = await h.app.inject({ method: 'POST', url: `/intake/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'field.order_number=Z-9&field.since=2026-11-30' });
    expect(ans.statusCode, ans.body).toBe(200);
    const known = await api('POST', `/conversations/${c.id}/request-info`, agent, { fieldKeys: ['order_number', 'device'] });
    expect(known.statusCode).toBe(422);
    expect(json(known).errors).toEqual([{ field: 'fieldKeys.0', reason: 'Order number is known already' }]);
    const unknown = await api('POST', `/conversations/${c.id}/request-info`, agent, { fieldKeys: ['shoe_size'] });
    expect(json(unknown).errors).toEqual([{ field: 'fieldKeys.0', reason: 'shoe_size is not a conversation custom field' }]);
    expect(json(await api('POST', `/conversations/${c.id}/request-info`, agent, { fieldKeys: ['device'], text: 'One more thing:' })).round).toBe(2);
    expect((await conversation(c.id)).infoRequests).toBe(2);
  });

  it("the help center's existing topics became workspace topics, and new ones do", async () => {
    const rows = await h.ctx.db.select({ key: topics.key }).from(topics).where(eq(topics.workspaceId, admin.workspaceId));
    expect(rows.map((r) => r.key).sort()).toEqual(['app-update-failed', 'billing']);
    await publishHelpCenter(h.app, admin, { topics: [{ id: topic.key, name: 'My app will not update' }, { id: 'refunds', name: 'Refunds' }] });
    const list = json(await api('GET', '/topics', agent)).items;
    expect(list.map((t: any) => `${t.key}:${t.name}`)).toEqual(['billing:Billing', 'app-update-failed:App update failed', 'refunds:Refunds']);
  });
});
