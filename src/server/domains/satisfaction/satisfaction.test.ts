import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHeard, type Heard } from '../../app.js';
import { openDatabase } from '../../db/client.js';
import { buildApiInbox, buildMember, type Client } from '../../../../test/factories.js';
import { engine } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { waitFor } from '../../../../test/helpers/receiver.js';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink.js';
import { sendSurvey } from './send-survey.js';

const PUBLIC_URL = 'https://help.acme.test';
const LINK = /https:\/\/help\.acme\.test\/survey\/([A-Za-z0-9_-]{43})\?rating=(good|okay|bad)/g;

describe('satisfaction surveys', () => {
  let h: TestHeard;
  // A second node on the same database: its own dispatcher and job workers.
  let other: Heard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let owner: Client;
  let inboxId: string;
  let n = 0;

  const raw = (text: string, values: unknown[] = []) => h.ctx.database.raw.query<Record<string, any>>(text, values);
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, code = 200) => {
    const res = await h.app.inject({ method, url, headers: owner.headers, payload });
    expect(res.statusCode, res.body).toBe(code);
    return json(res);
  };

  /** Waits until both nodes have dispatched every event and run every job that is due. */
  async function settle() {
    for (let i = 0; i < 3; i++) {
      await h.dispatcher.flush();
      await other.dispatcher.flush();
      await waitFor(async () => {
        const { rows } = await raw(`select count(*)::int as n from pgboss.job where name in ('satisfaction-survey', 'deliver-message') and state in ('created', 'retry', 'active') and start_after <= now()`);
        return rows[0].n === 0;
      }, 30_000);
    }
  }

  async function emailInbox(satisfaction: Record<string, unknown> | undefined) {
    const inbox = await call('POST', '/api/v1/inboxes', { name: `Support ${n}`, channel: 'email', address: `support${n++}@acme.test` }, 201);
    if (satisfaction) await call('PATCH', `/api/v1/inboxes/${inbox.id}`, { satisfaction });
    return inbox as { id: string; address: string };
  }

  /** A customer's e-mail into the inbox: the conversation it opened. */
  async function inbound(inbox: { id: string; address: string }, opts: { headers?: string[]; subject?: string } = {}) {
    const id = n++;
    const mime = [`From: Carla Customer <carla${id}@buyer.test>`, `To: ${inbox.address}`, `Subject: ${opts.subject ?? `Broken kettle ${id}`}`, `Message-ID: <m${id}@buyer.test>`, ...(opts.headers ?? []), '', 'It does not heat.', ''].join('\r\n');
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: mime });
    expect(res.statusCode, res.body).toBe(201);
    return { id: json(res).conversationId as string, address: `carla${id}@buyer.test` };
  }

  const reply = (id: string) => call('POST', `/api/v1/conversations/${id}/messages`, { text: 'A new one is on its way.' }, 201);
  const solve = (id: string) => call('PATCH', `/api/v1/conversations/${id}`, { status: 'solved' });
  const surveysOf = async (id: string) => (await raw('select * from satisfaction_surveys where conversation_id = $1', [id])).rows;
  const surveyMails = (to: string) => sink.received.filter((m) => m.to.includes(to) && m.mail.text?.includes('/survey/'));

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTestHeard({ SMTP_URL: sink.url, HEARD_PUBLIC_URL: PUBLIC_URL });
    const database = engine === 'postgres' ? await openDatabase({ databaseUrl: h.testDb.url!, poolSize: 3 }) : h.testDb.database;
    other = await buildHeard({ config: h.ctx.config, database, roles: ['web', 'worker'], pollMs: 100, jobPollingSeconds: 0.5, retryBaseMs: 200, smtpPort: false });
    await other.start();
    owner = await buildMember(h.ctx, { name: 'Ann Agent' });
    inboxId = (await emailInbox({ enabled: true, delayMinutes: 0 })).id;
  });
  afterAll(async () => {
    await other?.close();
    if (engine === 'postgres') await other?.ctx.database.close();
    await h?.stop();
    await sink?.close();
  });

  it('are off by default and set per inbox, with bad values refused by field', async () => {
    const fresh = await emailInbox(undefined);
    expect((await call('GET', `/api/v1/inboxes/${fresh.id}`)).satisfaction).toEqual({ enabled: false, delayMinutes: 60 });
    const tooLate = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${fresh.id}`, headers: owner.headers, payload: { satisfaction: { delayMinutes: 20_000 } } });
    expect(tooLate.statusCode).toBe(422);
    expect(tooLate.body).toContain('satisfaction.delayMinutes');
    // Turning them on keeps the delay; changing the delay keeps them on.
    await call('PATCH', `/api/v1/inboxes/${fresh.id}`, { satisfaction: { enabled: true } });
    const updated = await call('PATCH', `/api/v1/inboxes/${fresh.id}`, { satisfaction: { delayMinutes: 15 } });
    expect(updated.satisfaction).toEqual({ enabled: true, delayMinutes: 15 });
    const api = await buildApiInbox(h.app, owner);
    const refused = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${api.id}`, headers: owner.headers, payload: { satisfaction: { enabled: true } } });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors[0].field).toBe('satisfaction');
  });

  it('are sent at the inbox’s delay after the conversation is solved', async () => {
    const delayed = await emailInbox({ enabled: true, delayMinutes: 30 });
    const c = await inbound(delayed);
    await reply(c.id);
    await solve(c.id);
    await settle();
    const { rows } = await raw(`select start_after from pgboss.job where name = 'satisfaction-survey' and data->>'conversationId' = $1`, [c.id]);
    expect(rows).toHaveLength(1);
    const waits = (new Date(rows[0].start_after).getTime() - Date.now()) / 60_000;
    expect(waits).toBeGreaterThan(28);
    expect(waits).toBeLessThanOrEqual(30);
    expect(await surveysOf(c.id)).toHaveLength(0);
  });

  it('go out once by e-mail with three links; a link shows the survey, a post records the answer, which can change while it is open', async () => {
    const inbox = { id: inboxId, address: 'support0@acme.test' };
    const c = await inbound(inbox, { subject: 'Kettle will not boil' });
    await reply(c.id);
    await solve(c.id);
    await settle();
    const mails = await waitFor(() => (surveyMails(c.address).length ? surveyMails(c.address) : undefined));
    await settle();
    expect(surveyMails(c.address)).toHaveLength(1);
    const mail = mails[0].mail;
    expect(mail.subject).toContain('Kettle will not boil');
    expect(mail.headers.get('auto-submitted')).toBeTruthy();
    const links = [...mail.text!.matchAll(LINK)];
    expect(links.map((l) => l[2])).toEqual(['good', 'okay', 'bad']);
    expect(new Set(links.map((l) => l[1])).size).toBe(1);
    // The HTML part carries the same three links as buttons.
    expect([...String(mail.html).matchAll(LINK)].map((l) => l[2])).toEqual(['good', 'okay', 'bad']);
    const token = links[0][1];
    const [survey] = await surveysOf(c.id);
    // Only the token's hash is kept.
    expect(survey.token_hash).not.toContain(token);
    expect(JSON.stringify(survey)).not.toContain(token);

    // The survey message answers nobody: it is no reply of a person on the timeline.
    const timeline = await call('GET', `/api/v1/conversations/${c.id}/timeline`);
    const surveyMessage = timeline.items.find((i: any) => i.type === 'message' && i.message.email?.survey);
    expect(surveyMessage.message.authorMemberId).toBeNull();
    // The team sees the words and the ratings offered, never the customer's links.
    expect(surveyMessage.message.text).toContain('Good · Okay · Bad');
    expect(JSON.stringify(timeline)).not.toContain(token);

    // Opening a link (as a mail scanner does) records nothing.
    const page = await h.app.inject({ url: `/survey/${token}?rating=good` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/value="good" checked/);
    expect(page.body).toContain('data-autosubmit');
    expect((await surveysOf(c.id))[0].rating).toBeNull();
    expect((await call('GET', `/api/v1/conversations/${c.id}`)).satisfaction).toBeNull();

    const form = (body: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: `/survey/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
    const sent = await form({ rating: 'good', comment: '' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/survey/${token}`);
    const saved = await h.app.inject({ url: `/survey/${token}` });
    expect(saved.body).toContain('Your answer is saved');
    expect(saved.body).not.toContain('data-autosubmit');
    expect((await call('GET', `/api/v1/conversations/${c.id}`)).satisfaction).toMatchObject({ rating: 'good', comment: null });

    // Changed within the window, with a comment: the timeline has both answers.
    expect((await form({ rating: 'okay', comment: '  Slow, but kind.  ' })).statusCode).toBe(303);
    // The same answer again records nothing new.
    expect((await form({ rating: 'okay', comment: 'Slow, but kind.' })).statusCode).toBe(303);
    expect((await call('GET', `/api/v1/conversations/${c.id}`)).satisfaction).toMatchObject({ rating: 'okay', comment: 'Slow, but kind.' });
    const rated = (await call('GET', `/api/v1/conversations/${c.id}/timeline`)).items.filter((i: any) => i.type === 'event' && i.event.type === 'satisfaction.rated');
    expect(rated.map((i: any) => i.event.data)).toEqual([
      { surveyId: survey.id, rating: 'good', changed: false },
      { surveyId: survey.id, rating: 'okay', comment: 'Slow, but kind.', changed: true },
    ]);

    // Bad input is shown on the page, by field, and stores nothing.
    const bad = await form({ rating: 'great', comment: 'x'.repeat(2001) });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Please choose Good, Okay or Bad.');
    expect(bad.body).toContain('Please keep the comment under 2000 characters.');

    // The contact's history and the list for reports show it.
    const conv = await call('GET', `/api/v1/conversations/${c.id}`);
    const contact = await call('GET', `/api/v1/contacts/${conv.contact.id}`);
    expect(contact.conversations.find((x: any) => x.id === c.id).rating).toBe('okay');
    const listed = await call('GET', `/api/v1/satisfaction?from=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`);
    expect(listed.items.find((x: any) => x.conversationId === c.id)).toMatchObject({ rating: 'okay', comment: 'Slow, but kind.', channel: 'email' });
    const badRange = await h.app.inject({ url: '/api/v1/satisfaction?from=yesterday', headers: owner.headers });
    expect(badRange.statusCode).toBe(422);
    expect(badRange.body).toContain('from');

    // Once the window has passed, the answer stands.
    await raw(`update satisfaction_surveys set changeable_until = now() - interval '1 minute' where id = $1`, [survey.id]);
    const late = await form({ rating: 'bad', comment: 'Changed my mind' });
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('can no longer be changed');
    expect((await surveysOf(c.id))[0]).toMatchObject({ rating: 'okay', comment: 'Slow, but kind.' });
    const closed = await h.app.inject({ url: `/survey/${token}?rating=bad` });
    expect(closed.body).toContain('can no longer be changed');
    expect(closed.body).not.toContain('<form');
  });

  it('reach a chat visitor in the widget as a card with a button per rating', async () => {
    const widget = await call('POST', '/api/v1/inboxes', { name: 'Chat', channel: 'widget' }, 201);
    await call('PATCH', `/api/v1/inboxes/${widget.id}`, { satisfaction: { enabled: true, delayMinutes: 0 } });
    const visitor = (method: 'GET' | 'POST', path: string, body?: object, token?: string) =>
      h.app.inject({
        method,
        url: `/widget/v1/${widget.widget.publicKey}${path}`,
        headers: { origin: 'https://shop.example', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        payload: body ? JSON.stringify(body) : undefined,
      });
    const { token } = json(await visitor('POST', '/session', {}));
    const sent = await visitor('POST', '/messages', { clientMessageId: 'v1', text: 'Does the kettle come in red?' }, token);
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    const { conversationId } = json(sent);
    await reply(conversationId);
    await solve(conversationId);
    await settle();
    const card = await waitFor(async () => {
      const items = json(await visitor('GET', `/conversations/${conversationId}/messages`, undefined, token)).items as any[];
      return items.find((m) => m.survey)?.survey;
    });
    expect(card.links.map((l: any) => [l.rating, l.label])).toEqual([['good', 'Good'], ['okay', 'Okay'], ['bad', 'Bad']]);
    expect(card.intro).toMatch(/^How did we do with your request/);
    const page = await h.app.inject({ url: card.links[2].url.replace(PUBLIC_URL, '') });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/value="bad" checked/);
  });

  it('cannot be answered with a forged or altered link', async () => {
    const c = await inbound({ id: inboxId, address: 'support0@acme.test' });
    await reply(c.id);
    await solve(c.id);
    await settle();
    const [mail] = await waitFor(() => (surveyMails(c.address).length ? surveyMails(c.address) : undefined));
    const token = [...mail.mail.text!.matchAll(LINK)][0][1];
    const altered = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    for (const t of [altered, token.slice(0, 42), 'A'.repeat(43), (await surveysOf(c.id))[0].token_hash]) {
      expect((await h.app.inject({ url: `/survey/${t}?rating=good` })).statusCode).toBe(404);
      const post = await h.app.inject({ method: 'POST', url: `/survey/${t}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'rating=bad' });
      expect(post.statusCode).toBe(404);
      expect(post.body).toContain('Survey not found');
    }
    expect((await surveysOf(c.id))[0].rating).toBeNull();
  });

  it('go out once however many nodes and retries run the job', async () => {
    const c = await inbound({ id: inboxId, address: 'support0@acme.test' });
    await reply(c.id);
    await solve(c.id);
    await settle();
    await waitFor(() => surveyMails(c.address).length > 0);
    // The job run again, on both nodes at once (a retry after a node died, a duplicate).
    const { rows } = await raw(`select data from pgboss.job where name = 'satisfaction-survey' and data->>'conversationId' = $1`, [c.id]);
    await Promise.all([sendSurvey(h.ctx, rows[0].data), sendSurvey(other.ctx, rows[0].data), sendSurvey(h.ctx, rows[0].data)]);
    await settle();
    expect(await surveysOf(c.id)).toHaveLength(1);
    const messages = (await call('GET', `/api/v1/conversations/${c.id}/timeline`)).items.filter((i: any) => i.type === 'message' && i.message.email?.survey);
    expect(messages).toHaveLength(1);
    expect(surveyMails(c.address)).toHaveLength(1);
  });

  it('are not sent for a merged conversation, an inbox with surveys off, automated mail, or a conversation nobody answered', async () => {
    const inbox = { id: inboxId, address: 'support0@acme.test' };
    // Merged: solved, then merged into another before its survey was due.
    const delayed = await emailInbox({ enabled: true, delayMinutes: 5 });
    const merged = await inbound(delayed);
    const kept = await inbound(delayed);
    await reply(merged.id);
    await solve(merged.id);
    await settle();
    await call('POST', `/api/v1/conversations/${kept.id}/merge`, { sourceId: merged.id });
    const { rows } = await raw(`select data from pgboss.job where name = 'satisfaction-survey' and data->>'conversationId' = $1`, [merged.id]);
    expect(rows).toHaveLength(1);
    await sendSurvey(h.ctx, rows[0].data);

    const off = await emailInbox({ enabled: false });
    const quiet = await inbound(off);
    await reply(quiet.id);
    await solve(quiet.id);

    const auto = await inbound(inbox, { headers: ['Auto-Submitted: auto-replied'], subject: 'Out of office' });
    await reply(auto.id);
    await solve(auto.id);

    const unanswered = await inbound(inbox);
    await solve(unanswered.id);
    await settle();

    for (const c of [merged, quiet, auto, unanswered]) {
      expect(await surveysOf(c.id)).toHaveLength(0);
      expect(surveyMails(c.address)).toHaveLength(0);
    }
  });
});
