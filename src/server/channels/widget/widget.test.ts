import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { and, eq, like } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../db/schema/index.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { waitFor } from '../../../../test/helpers/receiver.js';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink.js';
import { WIDGET_DEFAULT_WORDS } from '../../../shared/widget-words.js';

describe('chat widget: server side', () => {
  let h: TestHeard;
  let owner: Client;
  let widget: { id: string; widget: { publicKey: string; identitySecret: string } };
  let base: string;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const sockets: Socket[] = [];

  const call = (method: string, path: string, body?: unknown, token?: string, origin = 'https://shop.example') =>
    h.app.inject({
      method: method as 'GET',
      url: `/widget/v1/${widget.widget.publicKey}${path}`,
      headers: { origin, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      payload: body ? JSON.stringify(body) : undefined,
    });
  const session = async (body: Record<string, unknown> = {}) => {
    const res = await call('POST', '/session', body);
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const visitorSocket = (token: string, publicKey = widget.widget.publicKey) => {
    const s = io(`${base}/visitor`, { path: '/socket.io', transports: ['websocket'], auth: { publicKey, token }, extraHeaders: { origin: 'https://shop.example' }, forceNew: true, reconnection: false });
    sockets.push(s);
    return s;
  };
  const connected = (s: Socket) =>
    new Promise<void>((resolve, reject) => {
      s.on('connect', () => resolve());
      s.on('connect_error', reject);
    });

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTestHeard({ SMTP_URL: sink.url, HEARD_WIDGET_EMAIL_AFTER_SECONDS: '1' });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    owner = await buildMember(h.ctx, { name: 'Ann Agent' });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: { name: 'Website chat', channel: 'widget', color: '#0f766e', allowedOrigins: ['https://shop.example/any/path'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    widget = json(res);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await h.stop();
    await sink.close();
  });

  it('creates a widget inbox with a public key, a secret for admins, and its settings', () => {
    expect(widget.widget.publicKey).toMatch(/^pk_/);
    expect(widget.widget.identitySecret).toMatch(/^wsec_/);
    expect(widget.widget).toMatchObject({ color: '#0f766e', allowedOrigins: ['https://shop.example'], requireVerification: false });
  });

  it('serves its config to allowed sites only, with CORS', async () => {
    const ok = await call('GET', '/config');
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(json(ok)).toMatchObject({ name: 'Website chat', color: '#0f766e', online: false, expectedReplySeconds: null });
    const other = await call('GET', '/config', undefined, undefined, 'https://evil.example');
    expect(other.statusCode).toBe(403);
    expect((await h.app.inject({ url: '/widget/v1/pk_nope/config' })).statusCode).toBe(404);
  });

  it("keeps its built-in greeting and offline message in the visitor's language until an admin words them", async () => {
    const config = async (locale: string) => json(await h.app.inject({ url: `/widget/v1/${widget.widget.publicKey}/config?locale=${locale}`, headers: { origin: 'https://shop.example' } }));
    expect(widget.widget).toMatchObject({ greeting: WIDGET_DEFAULT_WORDS.en.greeting, offlineMessage: WIDGET_DEFAULT_WORDS.en.offlineMessage });
    expect(await config('de-DE')).toMatchObject({ locale: 'de', greeting: 'Hallo! Fragen Sie uns alles, wir antworten meist innerhalb weniger Minuten.', offlineMessage: WIDGET_DEFAULT_WORDS.de.offlineMessage });
    expect(await config('en-US')).toMatchObject({ locale: 'en', greeting: 'Hi! Ask us anything, we usually reply within minutes.' });
  });

  it("greets a visitor in their browser's language when the inbox has words for it, else with the workspace's", async () => {
    const patch = (w: Record<string, unknown>) => h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${widget.id}`, headers: owner.headers, payload: { widget: w } });
    const config = async (query = '', acceptLanguage?: string) =>
      json(await h.app.inject({ url: `/widget/v1/${widget.widget.publicKey}/config${query}`, headers: { origin: 'https://shop.example', ...(acceptLanguage ? { 'accept-language': acceptLanguage } : {}) } }));
    const saved = await patch({ greeting: 'Hi! Ask us anything.', offlineMessage: 'We are away.', translations: { de: { greeting: 'Hallo! Fragen Sie uns alles.', offlineMessage: '' } } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json(saved).widget.translations).toEqual({ de: { greeting: 'Hallo! Fragen Sie uns alles.', offlineMessage: '' } });
    // The admin's own offline message, without a German one, is what German visitors see too (not the built-in German words).
    expect(await config('?locale=de-DE,en')).toMatchObject({ locale: 'de', greeting: 'Hallo! Fragen Sie uns alles.', offlineMessage: 'We are away.' });
    expect(await config('?locale=fr-FR,de-AT')).toMatchObject({ locale: 'de', greeting: 'Hallo! Fragen Sie uns alles.' });
    expect(await config('', 'de-CH,de;q=0.9,en;q=0.5')).toMatchObject({ locale: 'de', greeting: 'Hallo! Fragen Sie uns alles.' });
    expect(await config('?locale=en-GB')).toMatchObject({ locale: 'en', greeting: 'Hi! Ask us anything.' });
    expect(await config('?locale=fr')).toMatchObject({ locale: 'en', greeting: 'Hi! Ask us anything.' });
    // Changing another setting keeps the translations; a language the widget does not speak is refused, named.
    await patch({ color: '#0f766e' });
    expect(await config('?locale=de')).toMatchObject({ greeting: 'Hallo! Fragen Sie uns alles.' });
    const bad = await patch({ translations: { fr: { greeting: 'Bonjour' } } });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors[0].field).toMatch(/^widget\.translations/);
    const long = await patch({ translations: { de: { greeting: 'x'.repeat(501) } } });
    expect(long.statusCode).toBe(422);
    expect(json(long).errors[0].field).toBe('widget.translations.de.greeting');
  });

  it("is open while its business-hours calendar is, closed on the calendar's holidays, and always open without one", async () => {
    const allDay = [{ from: '00:00', to: '24:00' }];
    const hours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay]));
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/business-hours', headers: owner.headers, payload: { name: 'Every day', timeZone: 'UTC', hours } });
    expect(created.statusCode, created.body).toBe(201);
    const calendar = json(created);
    const setWidget = async (w: Record<string, unknown>) => {
      const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${widget.id}`, headers: owner.headers, payload: { widget: w } });
      expect(res.statusCode, res.body).toBe(200);
    };
    const within = async () => json(await call('GET', '/config')).withinBusinessHours;
    await setWidget({ businessHoursId: calendar.id });
    expect(await within()).toBe(true);
    // Yesterday, today and tomorrow (UTC) are holidays: closed, whenever this runs.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const holidays = [-1, 0, 1].map((d) => ({ date: day(d) }));
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/business-hours/${calendar.id}`, headers: owner.headers, payload: { holidays } })).statusCode).toBe(200);
    expect(await within()).toBe(false);
    await setWidget({ businessHoursId: null });
    expect(await within()).toBe(true);
  });

  it('takes a visitor message once per client id, and shows only that visitor their conversations', async () => {
    const a = await session({ context: { url: 'https://shop.example/cart', locale: 'de-DE', timezone: 'Europe/Berlin' } });
    const first = await call('POST', '/messages', { clientMessageId: 'c1', text: 'Hallo, does this fit a 2019 model?' }, a.token);
    expect(first.statusCode, first.body).toBe(201);
    const again = await call('POST', '/messages', { clientMessageId: 'c1', text: 'Hallo, does this fit a 2019 model?' }, a.token);
    expect(again.statusCode).toBe(200);
    expect(json(again).message.id).toBe(json(first).message.id);
    const conversationId = json(first).conversationId;

    const b = await session();
    expect((await call('GET', `/conversations/${conversationId}/messages`, undefined, b.token)).statusCode).toBe(404);
    expect((await call('GET', `/conversations/${conversationId}/messages`, undefined, 'wv1.forged')).statusCode).toBe(403);
    const resumed = await session({ token: a.token });
    expect(resumed.conversations.map((c: any) => c.id)).toEqual([conversationId]);
  });

  it('refuses a forged identity, and moves an anonymous visitor to the verified user', async () => {
    const forged = await call('POST', '/session', { identity: { id: 'user-42', hash: 'a'.repeat(64), email: 'ceo@shop.example' } });
    expect(forged.statusCode).toBe(403);
    expect(json(forged).detail).toContain('identity verification failed');

    const anon = await session();
    const sent = json(await call('POST', '/messages', { clientMessageId: 'x1', text: 'Before signing in' }, anon.token));
    const hash = crypto.createHmac('sha256', widget.widget.identitySecret).update('user-42').digest('hex');
    const signedIn = await session({ token: anon.token, identity: { id: 'user-42', hash, email: 'pat@customer.example', name: 'Pat Doe' } });
    expect(signedIn.contact).toMatchObject({ name: 'Pat Doe', email: 'pat@customer.example', verified: true });
    expect(signedIn.conversations.map((c: any) => c.id)).toContain(sent.conversationId);
  });

  it('refuses a NUL in a message over the socket, naming the field, and stores nothing', async () => {
    const v = await session();
    const socket = visitorSocket(v.token);
    await connected(socket);
    const ack = (await socket.emitWithAck('message:send', { clientMessageId: 'nul-1', text: 'Hello \u0000 there' })) as any;
    expect(ack).toEqual({ error: 'text: must not contain a NUL character', status: 422 });
    expect(await h.ctx.db.select().from(messages).where(like(messages.text, 'Hello % there'))).toEqual([]);
  });

  it('chats both ways in real time over the /visitor socket', async () => {
    const v = await session();
    const socket = visitorSocket(v.token);
    await connected(socket);
    const ack = (await socket.emitWithAck('message:send', { clientMessageId: 'live-1', text: 'Is anyone there?' })) as any;
    expect(ack).toMatchObject({ ok: true, message: { text: 'Is anyone there?', from: 'visitor', clientMessageId: 'live-1' } });
    const received: any[] = [];
    socket.on('message', (m) => received.push(m));
    const reply = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${ack.conversationId}/messages`, headers: owner.headers, payload: { text: 'Yes! Ann here.' } });
    expect(reply.statusCode).toBe(201);
    const got = await waitFor(() => received.find((m) => m.text === 'Yes! Ann here.'));
    expect(got).toMatchObject({ from: 'agent', authorName: 'Ann' });
    // The reply counts as sent: it is in the conversation, where the widget shows it.
    await waitFor(async () => (await h.ctx.db.select().from(messages).where(eq(messages.id, json(reply).id)))[0].deliveryStatus === 'sent');
    // A note stays inside Heard.
    await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${ack.conversationId}/messages`, headers: owner.headers, payload: { text: 'internal only', kind: 'note' } });
    const all = json(await call('GET', `/conversations/${ack.conversationId}/messages`, undefined, v.token)).items;
    expect(all.map((m: any) => m.text)).toEqual(['Is anyone there?', 'Yes! Ann here.']);
  });

  it("never sends a visitor another visitor's messages, nor those of another workspace's widget", async () => {
    const listening = async (token: string, key?: string) => {
      const s = visitorSocket(token, key);
      const got: any[] = [];
      s.on('message', (m) => got.push(m));
      await connected(s);
      return { s, got };
    };
    const [a, b] = [await session(), await session()];
    const [sa, sb] = [await listening(a.token), await listening(b.token)];
    // A visitor of another workspace's widget, whose team answers it too.
    const stranger = await buildMember(h.ctx, { name: 'Sam Stranger' });
    const theirs = json(
      await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: stranger.headers, payload: { name: 'Their chat', channel: 'widget', allowedOrigins: ['https://shop.example'] } }),
    );
    const c = json(await h.app.inject({ method: 'POST', url: `/widget/v1/${theirs.widget.publicKey}/session`, headers: { origin: 'https://shop.example', 'content-type': 'application/json' }, payload: '{}' }));
    const sc = await listening(c.token, theirs.widget.publicKey);

    const sent = async (socket: typeof sa, text: string) => (await socket.s.emitWithAck('message:send', { clientMessageId: crypto.randomUUID(), text })) as any;
    const ackA = await sent(sa, 'A: my order 1001 is late');
    const ackB = await sent(sb, 'B: my address changed');
    const ackC = await sent(sc, 'C: hello from elsewhere');
    const answer = (by: Client, conversationId: string, text: string) =>
      h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: by.headers, payload: { text } });
    expect((await answer(owner, ackA.conversationId, 'To A: it ships today')).statusCode).toBe(201);
    expect((await answer(stranger, ackC.conversationId, 'To C: hello')).statusCode).toBe(201);
    expect((await answer(owner, ackB.conversationId, 'To B: address updated')).statusCode).toBe(201);

    // Each answer is dispatched in order: once the last has reached its visitor, any leak of the earlier ones would have too.
    await waitFor(() => sb.got.find((m) => m.text === 'To B: address updated'));
    await waitFor(() => sa.got.find((m) => m.text === 'To A: it ships today'));
    await waitFor(() => sc.got.find((m) => m.text === 'To C: hello'));
    await new Promise((r) => setTimeout(r, 300));
    // Their own messages come back too (for their other tabs), and nothing else.
    expect(sa.got.map((m) => m.text)).toEqual(['A: my order 1001 is late', 'To A: it ships today']);
    expect(sb.got.map((m) => m.text)).toEqual(['B: my address changed', 'To B: address updated']);
    expect(sc.got.map((m) => m.text)).toEqual(['C: hello from elsewhere', 'To C: hello']);
    // Nor can one visitor read another's conversation by its id.
    expect((await call('GET', `/conversations/${ackA.conversationId}/messages`, undefined, b.token)).statusCode).toBe(404);
  });

  it('loses and doubles nothing when connections drop at random', async () => {
    const v = await session();
    const total = 40;
    const acked = new Set<string>();
    let conversationId: string | undefined;
    // The widget's rule: send with a client id, resend on a new connection until acknowledged.
    for (let i = 0; i < total; i++) {
      const clientMessageId = `drop-${i}`;
      for (let attempt = 0; !acked.has(clientMessageId); attempt++) {
        const s = visitorSocket(v.token);
        await new Promise<void>((resolve) => s.on('connect', () => resolve()));
        const pending = s.timeout(2000).emitWithAck('message:send', { clientMessageId, text: `message ${i}`, conversationId });
        // Drop about a third of the connections right after sending, before or after the ack.
        if (Math.random() < 0.35) setTimeout(() => s.disconnect(), Math.random() * 15);
        try {
          const r = (await pending) as any;
          if (r.ok) {
            acked.add(clientMessageId);
            conversationId = r.conversationId;
          }
        } catch {
          // No acknowledgement: the next attempt resends the same id.
        }
        s.disconnect();
        expect(attempt).toBeLessThan(20);
      }
    }
    const stored = await h.ctx.db.select({ externalId: messages.externalId }).from(messages).where(and(like(messages.externalId, 'widget:%:drop-%')));
    expect(stored).toHaveLength(total);
    expect(new Set(stored.map((s) => s.externalId)).size).toBe(total);
    // The visitor's replay after reconnecting shows each once, in order.
    const s = visitorSocket(v.token);
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    const replay = (await s.emitWithAck('sync', { conversationId })) as any;
    expect(replay.items.map((m: any) => m.text)).toEqual(Array.from({ length: total }, (_, i) => `message ${i}`));
    const tail = (await s.emitWithAck('sync', { conversationId, after: replay.items[total - 3].id })) as any;
    expect(tail.items.map((m: any) => m.text)).toEqual([`message ${total - 2}`, `message ${total - 1}`]);
  });

  it('sends the answer by e-mail when the visitor has left, and their e-mail reply continues the chat', async () => {
    const email = json(await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Mail', channel: 'email', address: 'help@shop.test' } }));
    const v = await session();
    await call('PATCH', '/contact', { name: 'Lee Leaver', email: 'lee@customer.example' }, v.token);
    const first = json(await call('POST', '/messages', { clientMessageId: 'leave-1', text: 'Do you ship to Norway?' }, v.token));
    const answer = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${first.conversationId}/messages`, headers: owner.headers, payload: { text: 'We do, within 5 days.' } });
    expect(answer.statusCode).toBe(201);
    const mail = await waitFor(() => sink.received.find((m) => m.to.includes('lee@customer.example')));
    const conv = json(await h.app.inject({ url: `/api/v1/conversations/${first.conversationId}`, headers: owner.headers }));
    expect(mail.mail.text).toContain('We do, within 5 days.');
    expect(mail.mail.subject).toContain(`[#${conv.number}]`);
    expect(mail.mail.from?.value[0].address).toBe('help@shop.test');

    const reply = [
      'From: Lee Leaver <lee@customer.example>',
      'To: help@shop.test',
      `Subject: Re: ${mail.mail.subject}`,
      `Message-ID: <lee-reply-${Date.now()}@customer.example>`,
      `In-Reply-To: ${mail.mail.messageId}`,
      '',
      'Great, ordering now.',
      '',
    ].join('\r\n');
    const r = json(await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${email.id}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: reply }));
    expect(r).toMatchObject({ outcome: 'ingested', conversationId: first.conversationId });
    // Back on the site, the widget shows it all.
    const items = json(await call('GET', `/conversations/${first.conversationId}/messages`, undefined, v.token)).items;
    expect(items.map((m: any) => m.text)).toEqual(['Do you ship to Norway?', 'We do, within 5 days.', 'Great, ordering now.']);
    expect(items.map((m: any) => m.byEmail)).toEqual([false, false, true]);
  });

  it('sends no e-mail to a visitor who is still there', async () => {
    const v = await session();
    await call('PATCH', '/contact', { email: 'stays@customer.example' }, v.token);
    const first = json(await call('POST', '/messages', { clientMessageId: 'stay-1', text: 'Still here' }, v.token));
    const socket = visitorSocket(v.token);
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    await new Promise((r) => setTimeout(r, 50));
    await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${first.conversationId}/messages`, headers: owner.headers, payload: { text: 'Right with you' } });
    // The visitor's widget stays open past the wait: its last-seen moves on when it leaves.
    await new Promise((r) => setTimeout(r, 2500));
    socket.disconnect();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.received.filter((m) => m.to.includes('stays@customer.example'))).toHaveLength(0);
  });

  it('slows down a visitor who floods the socket', async () => {
    const v = await session();
    const s = visitorSocket(v.token);
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    const acks = (await Promise.all(Array.from({ length: 25 }, (_, i) => s.emitWithAck('message:send', { clientMessageId: `flood-${i}`, text: `flood ${i}` })))) as any[];
    expect(acks.filter((a) => a.ok)).toHaveLength(20);
    expect(acks.filter((a) => a.status === 429)).toHaveLength(5);
  });

  it('says "seen" both ways: the visitor saw the answer, an agent read the visitor', async () => {
    const v = await session();
    const s = visitorSocket(v.token);
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    const seenByAgent: any[] = [];
    s.on('seen', (x) => seenByAgent.push(x));
    const ack = (await s.emitWithAck('message:send', { clientMessageId: 'seen-1', text: 'Anyone?' })) as any;
    const read = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${ack.conversationId}/read`, headers: owner.headers });
    expect(read.statusCode).toBe(200);
    await waitFor(() => seenByAgent.find((x) => x.conversationId === ack.conversationId));
    // Reading it again says nothing new.
    await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${ack.conversationId}/read`, headers: owner.headers });

    const answer = json(await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${ack.conversationId}/messages`, headers: owner.headers, payload: { text: 'Yes, me.' } }));
    const r = (await s.emitWithAck('seen', { conversationId: ack.conversationId, messageId: answer.id })) as any;
    expect(r).toMatchObject({ ok: true, seen: 1 });
    const timeline = json(await h.app.inject({ url: `/api/v1/conversations/${ack.conversationId}/timeline`, headers: owner.headers })).items;
    const m = timeline.find((i: any) => i.type === 'message' && i.message.id === answer.id).message;
    expect(m.seenAt).toBeTruthy();
    // Reads are not case history.
    expect(timeline.some((i: any) => i.type === 'event' && i.event.type === 'conversation.read')).toBe(false);
    expect(seenByAgent.filter((x) => x.conversationId === ack.conversationId)).toHaveLength(1);
    // After a reload the widget learns it again from the history.
    const history = json(await call('GET', `/conversations/${ack.conversationId}/messages`, undefined, v.token));
    expect(history.agentReadAt).toBeTruthy();
    const replay = (await s.emitWithAck('sync', { conversationId: ack.conversationId })) as any;
    expect(replay.agentReadAt).toBe(history.agentReadAt);
  });

  it('takes files from the visitor and shows them to both sides, by links nobody else can use', async () => {
    const v = await session();
    const boundary = '----widgetfiles';
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="broken-zip.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="order.txt"\r\nContent-Type: text/plain\r\n\r\nOrder 5102\r\n--${boundary}--\r\n`),
    ]);
    const up = await h.app.inject({
      method: 'POST',
      url: `/widget/v1/${widget.widget.publicKey}/attachments`,
      headers: { origin: 'https://shop.example', authorization: `Bearer ${v.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(up.statusCode, up.body).toBe(201);
    const tickets = json(up).items.map((i: any) => i.ticket);
    expect(json(up).items.map((i: any) => i.filename)).toEqual(['broken-zip.png', 'order.txt']);

    const other = await session();
    const stolen = await call('POST', '/messages', { clientMessageId: 'f-x', text: 'mine now', attachments: tickets }, other.token);
    expect(stolen.statusCode).toBe(422);
    expect(json(stolen).detail ?? JSON.stringify(json(stolen))).toContain('another visitor');

    const sent = await call('POST', '/messages', { clientMessageId: 'f-1', attachments: tickets }, v.token);
    expect(sent.statusCode, sent.body).toBe(201);
    const files = json(sent).message.attachments;
    expect(files.map((f: any) => f.filename)).toEqual(['broken-zip.png', 'order.txt']);
    const image = await h.app.inject({ url: files[0].url, headers: { origin: 'https://shop.example' } });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-disposition']).toBe('inline');
    expect(image.rawPayload.equals(png)).toBe(true);
    const text = await h.app.inject({ url: files[1].url, headers: { origin: 'https://shop.example' } });
    expect(text.headers['content-disposition']).toContain('attachment');
    const forged = await h.app.inject({ url: files[0].url.replace(/s=.*/, 's=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), headers: { origin: 'https://shop.example' } });
    expect(forged.statusCode).toBe(404);
    // The agent has them in the timeline like any files.
    const timeline = json(await h.app.inject({ url: `/api/v1/conversations/${json(sent).conversationId}/timeline`, headers: owner.headers })).items;
    const m = timeline.find((i: any) => i.type === 'message' && i.message.id === json(sent).message.id).message;
    expect(m.attachments.map((a: any) => a.filename)).toEqual(['broken-zip.png', 'order.txt']);
  });

  it('chats over long-polling too, for visitors behind proxies that block WebSockets', async () => {
    const v = await session();
    const s = io(`${base}/visitor`, { path: '/socket.io', transports: ['polling'], auth: { publicKey: widget.widget.publicKey, token: v.token }, extraHeaders: { origin: 'https://shop.example' }, forceNew: true, reconnection: false });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.on('connect', () => resolve());
      s.on('connect_error', reject);
    });
    expect(s.io.engine.transport.name).toBe('polling');
    const ack = (await s.emitWithAck('message:send', { clientMessageId: 'poll-1', text: 'Behind a proxy' })) as any;
    expect(ack).toMatchObject({ ok: true, message: { text: 'Behind a proxy' } });
    // The answer to the cross-origin poll carries no credentials: no member's cookie rides on it.
    const res = await fetch(`${base}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://shop.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
