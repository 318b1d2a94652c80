import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages, portalLinks, portalSessions } from '../db/schema/index.js';
import { sha256 } from '../core/ids.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../test/factories.js';
import { countRows } from '../../../test/helpers/database.js';
import { buildEmailInbox, HelpBrowser, mailTo, multipart, publishHelpCenter, signInCustomer, signInLinkOf, textOf } from '../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../test/helpers/heard.js';
import { waitFor } from '../../../test/helpers/receiver.js';
import { startSmtpSink } from '../../../test/helpers/smtp-sink.js';

let seq = 0;
const mid = () => `<${Date.now().toString(36)}.${seq++}@customers.test>`;

/**
 * The customer portal: signing in by a one-time link that really arrives by mail, every
 * conversation of the customer on every channel with its public history only, and
 * replies that go in through ingest().
 */
describe('customer portal', () => {
  let h: TestHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let owner: Client;
  let agent: Client;
  let mailInbox: { id: string; address: string };
  const slug = 'care';
  const base = `/help/${slug}`;

  const api = (by: Pick<Client, 'headers'>, method: string, path: string, payload?: unknown) =>
    h.app.inject({ method: method as 'GET', url: `/api/v1${path}`, headers: by.headers, payload: payload as object });
  const customer = async (email: string) => {
    const b = new HelpBrowser(h.app, h.ctx.secret);
    await signInCustomer(b, sink, slug, email);
    return b;
  };
  /** A customer's e-mail to the support address, through the raw-MIME endpoint a mail provider posts to. */
  const email = async (from: string, subject: string, body: string, extra: string[] = []) => {
    const id = mid();
    const raw = [`From: ${from}`, `To: ${mailInbox.address}`, `Subject: ${subject}`, `Message-ID: ${id}`, ...extra, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${mailInbox.id}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: raw });
    expect(res.statusCode, res.body).toBe(201);
    const [m] = await h.ctx.db.select().from(messages).where(eq(messages.externalId, id.slice(1, -1)));
    const [c] = await h.ctx.db.select().from(conversations).where(eq(conversations.id, m.conversationId));
    return { messageId: id, conversation: c };
  };
  const reply = async (conversationId: string, payload: Record<string, unknown>) => {
    const res = await api(agent, 'POST', `/conversations/${conversationId}/messages`, payload);
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };
  const timeline = async (conversationId: string) =>
    json(await api(agent, 'GET', `/conversations/${conversationId}/timeline`)).items.filter((i: any) => i.type === 'message').map((i: any) => i.message);

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTestHeard({ SMTP_URL: sink.url });
    owner = await buildMember(h.ctx, { workspace: 'Care Co', name: 'Olga Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Care Co', role: 'agent', name: 'Avery Agent' });
    mailInbox = await buildEmailInbox(h.app, owner, 'support@care.test');
    await publishHelpCenter(h.app, owner, { slug, title: 'Care Help' });
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  describe('signing in', () => {
    it('mails a one-time link: opening it does not use it, pressing the button does, and it works once', async () => {
      const b = new HelpBrowser(h.app, h.ctx.secret);
      await b.get(`${base}/portal/sign-in?return=${encodeURIComponent(`${base}/community`)}`);
      const before = sink.received.length;
      const asked = await b.post(`${base}/portal/sign-in`, { email: 'Pat.Person@Customers.test', return: `${base}/community` });
      expect(asked.statusCode).toBe(200);
      expect(textOf(asked.body)).toContain('We sent a sign-in link to pat.person@customers.test. It works once, for 15 minutes.');
      const mail = await mailTo(sink, 'pat.person@customers.test', () => true, before);
      expect(mail.mail.subject).toBe('Sign in to Care Help');
      expect(mail.mail.from?.value[0]).toMatchObject({ address: 'support@care.test', name: 'Care Help' });
      expect(mail.mail.headers.get('auto-submitted')).toBe('auto-generated');
      const link = signInLinkOf(mail);
      expect(mail.mail.html).toContain(`${h.ctx.config.publicUrl}${link}`);
      const token = link.split('/').pop()!;
      const row = async () => (await h.ctx.db.select().from(portalLinks).where(eq(portalLinks.tokenHash, sha256(token))))[0];
      // Only the hash is stored, valid for 15 minutes.
      expect((await row()).email).toBe('pat.person@customers.test');
      expect((await row()).expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

      // A mail scanner (or the customer) opening the link twice uses nothing.
      for (let i = 0; i < 2; i++) {
        const opened = await b.get(link);
        expect(opened.statusCode).toBe(200);
        expect(textOf(opened.body)).toContain('Sign in to Care Help as pat.person@customers.test?');
        expect(opened.headers['referrer-policy']).toBe('no-referrer');
      }
      expect((await row()).usedAt).toBeNull();
      expect(b.cookie('heard_portal')).toBeUndefined();

      const used = await b.post(link);
      expect(used.statusCode).toBe(303);
      expect(used.headers.location).toBe(`${base}/community`);
      const cookie = used.cookies.find((c) => c.name === 'heard_portal')!;
      expect(cookie).toMatchObject({ path: base, httpOnly: true, sameSite: 'Lax' });
      expect((await row()).usedAt).not.toBeNull();
      expect(textOf((await b.get(`${base}/portal`)).body)).toContain('My requests');

      // The same link again: refused, page and button alike, and no second session.
      const sessions = await countRows(h.ctx.db, portalSessions);
      const again = new HelpBrowser(h.app, h.ctx.secret);
      const reopened = await again.get(link);
      expect(reopened.statusCode).toBe(410);
      expect(textOf(reopened.body)).toContain('This sign-in link was used already.');
      const reused = await again.post(link);
      expect(reused.statusCode).toBe(410);
      expect(again.cookie('heard_portal')).toBeUndefined();
      expect(await countRows(h.ctx.db, portalSessions)).toBe(sessions);
    });

    it('refuses an expired link (410) and an unknown one (404)', async () => {
      const b = new HelpBrowser(h.app, h.ctx.secret);
      await b.get(`${base}/portal/sign-in`);
      const before = sink.received.length;
      await b.post(`${base}/portal/sign-in`, { email: 'late@customers.test' });
      const link = signInLinkOf(await mailTo(sink, 'late@customers.test', () => true, before));
      await h.ctx.db.update(portalLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(portalLinks.tokenHash, sha256(link.split('/').pop()!)));
      const opened = await b.get(link);
      expect(opened.statusCode).toBe(410);
      expect(textOf(opened.body)).toContain('This sign-in link has expired.');
      expect((await b.post(link)).statusCode).toBe(410);
      expect(b.cookie('heard_portal')).toBeUndefined();

      const unknown = `${base}/portal/auth/${crypto.randomBytes(32).toString('base64url')}`;
      expect((await b.get(unknown)).statusCode).toBe(404);
      expect(textOf(b.last!.body)).toContain('This sign-in link is not valid.');
      expect((await b.post(unknown)).statusCode).toBe(404);
      expect((await b.get(`${base}/portal/auth/short`)).statusCode).toBe(404);
    });

    it('asks again for a missing or mistyped address, sends three links a quarter hour at most, and goes back only within the help center', async () => {
      const b = new HelpBrowser(h.app, h.ctx.secret);
      await b.get(`${base}/portal/sign-in`);
      const empty = await b.post(`${base}/portal/sign-in`, { email: '' });
      expect(empty.statusCode).toBe(422);
      expect(textOf(empty.body)).toContain('Please fill this in.');
      const wrong = await b.post(`${base}/portal/sign-in`, { email: 'not-an-address' });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.body).toContain('value="not-an-address"');
      expect(textOf(wrong.body)).toContain('Please enter an e-mail address like name@example.com.');

      const before = sink.received.length;
      for (let i = 0; i < 3; i++) expect((await b.post(`${base}/portal/sign-in`, { email: 'flood@customers.test', return: 'https://evil.example/' })).statusCode).toBe(200);
      const fourth = await b.post(`${base}/portal/sign-in`, { email: 'flood@customers.test' });
      expect(fourth.statusCode).toBe(429);
      await waitFor(() => sink.received.slice(before).filter((m) => m.to.includes('flood@customers.test')).length === 3);
      // The link leads back to the portal, never off-site.
      const link = signInLinkOf(sink.received.slice(before).find((m) => m.to.includes('flood@customers.test'))!);
      await b.get(link);
      expect((await b.post(link)).headers.location).toBe(`${base}/portal`);

      // A help center whose workspace cannot send mail says so instead of pretending.
      const quiet = await buildMember(h.ctx, { workspace: 'No Mail Co' });
      await publishHelpCenter(h.app, quiet, { slug: 'nomail' });
      const q = new HelpBrowser(h.app, h.ctx.secret);
      await q.get('/help/nomail/portal/sign-in');
      expect((await q.post('/help/nomail/portal/sign-in', { email: 'someone@customers.test' })).statusCode).toBe(503);
    });

    it("keeps sessions to their help center, and ends them on signing out", async () => {
      const b = await customer('roamer@customers.test');
      const token = b.cookie('heard_portal')!;
      const other = await buildMember(h.ctx, { workspace: 'Elsewhere Co' });
      await publishHelpCenter(h.app, other, { slug: 'elsewhere' });
      // The cookie sent to another help center (its path keeps browsers from it; a hand-made request is refused as well).
      const there = await h.app.inject({ url: '/help/elsewhere/portal', headers: { cookie: `heard_portal=${token}` } });
      expect(there.statusCode).toBe(303);
      expect(there.headers.location).toMatch(/^\/help\/elsewhere\/portal\/sign-in/);
      expect((await h.app.inject({ url: `${base}/portal`, headers: { cookie: `heard_portal=${token}` } })).statusCode).toBe(200);

      await b.get(`${base}/portal`);
      expect((await b.post(`${base}/portal/sign-out`)).statusCode).toBe(303);
      expect(b.cookie('heard_portal')).toBeUndefined();
      expect((await h.app.inject({ url: `${base}/portal`, headers: { cookie: `heard_portal=${token}` } })).statusCode).toBe(303);
      const [s] = await h.ctx.db.select().from(portalSessions).where(eq(portalSessions.tokenHash, sha256(token)));
      expect(s).toBeUndefined();
    });
  });

  describe('conversations', () => {
    const pat = 'pat@customers.test';
    let patBrowser: HelpBrowser;
    let mailConv: { id: string; number: number };
    let mailMessageId: string;

    beforeAll(async () => {
      const sent = await email(`Pat Person <${pat}>`, 'My order never came', 'Order 1234 is late.');
      mailConv = sent.conversation;
      mailMessageId = sent.messageId;
    });

    it("lists the customer's conversations on every channel: e-mail, chat, API, phone and the portal", async () => {
      // Chat: the site tells the widget who the visitor is (identity verification).
      const widgetRes = await api(owner, 'POST', '/inboxes', { name: 'Chat', channel: 'widget', allowedOrigins: ['https://care.test'] });
      const widget = json(widgetRes).widget;
      const hash = crypto.createHmac('sha256', widget.identitySecret).update('user-pat').digest('hex');
      const session = await h.app.inject({ method: 'POST', url: `/widget/v1/${widget.publicKey}/session`, headers: { origin: 'https://care.test' }, payload: { identity: { id: 'user-pat', hash, email: pat, name: 'Pat Person' } } });
      expect(session.statusCode, session.body).toBe(200);
      const chat = await h.app.inject({ method: 'POST', url: `/widget/v1/${widget.publicKey}/messages`, headers: { origin: 'https://care.test', authorization: `Bearer ${json(session).token}` }, payload: { clientMessageId: 'chat-1', text: 'Hi from the chat' } });
      expect(chat.statusCode, chat.body).toBe(201);
      // The API channel: an integration names the customer by address.
      const apiInbox = await buildApiInbox(h.app, owner);
      await sendInbound(h.app, owner, apiInbox.id, { contact: { email: pat, name: 'Pat Person' }, text: 'Hello through the shop app' });
      // A phone call the team logged.
      const phone = json(await api(owner, 'POST', '/inboxes', { name: 'Phone', channel: 'phone' }));
      const call = await api(agent, 'POST', '/calls', { inboxId: phone.id, contact: { email: pat }, direction: 'inbound', number: '+44 20 7946 0000', durationSeconds: 125, outcome: 'answered', notes: 'Customer sounded upset; offered a voucher internally', subject: 'Phoned about a refund' });
      expect(call.statusCode, call.body).toBe(201);
      // Someone else's conversations are not theirs.
      await email('Quinn <quinn@customers.test>', 'Quinn asks something', 'Not Pat.');

      patBrowser = await customer(pat);
      // The portal: a request sent from the contact form while signed in.
      await patBrowser.get(`${base}/contact`);
      const form = await patBrowser.postMultipart(`${base}/contact`, { name: 'Pat Person', email: pat, subject: 'Written in the portal', message: 'A portal request.' });
      expect(form.statusCode, form.body).toBe(200);

      const list = await patBrowser.get(`${base}/portal`);
      expect(list.statusCode).toBe(200);
      const text = textOf(list.body);
      for (const s of ['My order never came', 'Hi from the chat', 'Hello through the shop app', 'Phoned about a refund', 'Written in the portal']) expect(text).toContain(s);
      for (const channel of ['E-mail', 'Chat', 'Message', 'Phone', 'Help center']) expect(text).toContain(`· ${channel} ·`);
      expect(text).not.toContain('Quinn');
      expect(list.body).toContain('<meta name="robots" content="noindex"/>');
      // Newest first: the portal request was the last.
      expect(text.indexOf('Written in the portal')).toBeLessThan(text.indexOf('My order never came'));
      // The phone call shows no notes, not even in the preview.
      expect(text).not.toContain('upset');
      const callPage = await patBrowser.get(`${base}/portal/conversations/${await findNumber('Phoned about a refund')}`);
      expect(textOf(callPage.body)).toContain('Phone call: you called us, answered, 2 min');
      expect(textOf(callPage.body)).not.toContain('voucher');
    });

    const findNumber = async (subject: string) => {
      const [c] = await h.ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, owner.workspaceId), eq(conversations.subject, subject)));
      return c.number;
    };

    it('shows the public history only: never internal notes, scheduled or cancelled replies', async () => {
      await reply(mailConv.id, { text: 'We are looking into it, Pat.' });
      await reply(mailConv.id, { text: 'INTERNAL: customer is a VIP, refund without asking', kind: 'note' });
      await reply(mailConv.id, { text: 'CANCELLED: this would have gone out tomorrow', sendAt: new Date(Date.now() + 86_400_000).toISOString() });
      // The customer writes again before it leaves: the scheduled reply is cancelled.
      await email(`Pat Person <${pat}>`, 'Re: My order never came', 'Any news?', [`In-Reply-To: ${mailMessageId}`]);
      await reply(mailConv.id, { text: 'SCHEDULED: we will follow up next week', sendAt: new Date(Date.now() + 7 * 86_400_000).toISOString() });
      const statuses = (await timeline(mailConv.id)).map((m: any) => [m.text.slice(0, 9), m.deliveryStatus ?? m.direction]);
      expect(statuses).toEqual(expect.arrayContaining([['CANCELLED', 'cancelled'], ['SCHEDULED', 'scheduled']]));

      const res = await patBrowser.get(`${base}/portal/conversations/${mailConv.number}`);
      expect(res.statusCode).toBe(200);
      const text = textOf(res.body);
      expect(text).toContain('Order 1234 is late.');
      expect(text).toContain('Any news?');
      expect(text).toContain('We are looking into it, Pat.');
      expect(text).toContain('Avery');
      for (const secret of ['INTERNAL', 'VIP', 'CANCELLED', 'SCHEDULED', 'follow up next week']) expect(text, secret).not.toContain(secret);
      const list = textOf((await patBrowser.get(`${base}/portal`)).body);
      for (const secret of ['INTERNAL', 'CANCELLED', 'SCHEDULED']) expect(list, secret).not.toContain(secret);
    });

    it("answers 404 for another customer's conversation or file, as for one that does not exist", async () => {
      const quinn = await customer('quinn@customers.test');
      const notPats = await quinn.get(`${base}/portal/conversations/${mailConv.number}`);
      expect(notPats.statusCode).toBe(404);
      expect(notPats.body).not.toContain('Order 1234');
      expect((await quinn.get(`${base}/portal/conversations/999999`)).statusCode).toBe(404);
      for (const n of ['not-a-number', '0', '2147483648', '99999999999']) expect((await quinn.get(`${base}/portal/conversations/${n}`)).statusCode, n).toBe(404);

      // Pat's own file, sent with a reply from the portal.
      await patBrowser.get(`${base}/portal/conversations/${mailConv.number}`);
      const sent = await patBrowser.postMultipart(`${base}/portal/conversations/${mailConv.number}/replies`, { text: 'Here is the receipt.' }, [{ filename: 'receipt.txt', contentType: 'text/plain', content: 'Receipt #1234' }]);
      expect(sent.statusCode, sent.body).toBe(303);
      const pageWithFile = await patBrowser.get(`${base}/portal/conversations/${mailConv.number}`);
      const fileUrl = new RegExp(`href="(${base}/portal/files/[0-9a-f-]{36})"`).exec(pageWithFile.body)![1];
      const own = await patBrowser.get(fileUrl);
      expect(own.statusCode).toBe(200);
      expect(own.body).toBe('Receipt #1234');
      expect(own.headers['content-disposition']).toMatch(/^attachment; filename="receipt.txt"/);
      expect(own.headers['x-content-type-options']).toBe('nosniff');
      expect((await quinn.get(fileUrl)).statusCode).toBe(404);
      expect((await new HelpBrowser(h.app, h.ctx.secret).get(fileUrl)).statusCode).toBe(404);

      // A file the team put on an internal note is not the customer's to see.
      const upload = multipart({}, [{ field: 'file', filename: 'internal.txt', contentType: 'text/plain', content: 'internal only' }]);
      const up = await h.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...agent.headers, 'content-type': upload.contentType }, payload: upload.payload });
      expect(up.statusCode, up.body).toBe(201);
      const fileId = json(up)[0].id;
      await reply(mailConv.id, { text: 'Note with a file', kind: 'note', attachmentIds: [fileId] });
      expect((await patBrowser.get(`${base}/portal/files/${fileId}`)).statusCode).toBe(404);
      expect((await patBrowser.get(`${base}/portal/files/not-a-uuid`)).statusCode).toBe(404);
    });

    it('threads a reply into the conversation through ingest, marked as written in the portal, and stores a double submit once', async () => {
      const path = `${base}/portal/conversations/${mailConv.number}`;
      await patBrowser.get(path);
      const token = patBrowser.agedToken();
      const body = () => multipart({ _form: token, text: 'Sent twice by a double click' });
      const send = () => {
        const b = body();
        return patBrowser.request({ method: 'POST', url: `${path}/replies`, payload: b.payload, headers: { 'content-type': b.contentType } });
      };
      const [first, second] = await Promise.all([send(), send()]);
      expect(first.statusCode).toBe(303);
      expect(second.statusCode).toBe(303);
      expect(first.headers.location).toBe(`${path}?sent=1`);
      expect(textOf((await patBrowser.get(`${path}?sent=1`)).body)).toContain('Your reply was sent.');
      const items = await timeline(mailConv.id);
      const mine = items.filter((m: any) => m.text === 'Sent twice by a double click');
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ direction: 'in', channel: 'portal' });
      // The team sees it in the same conversation; the portal says where it was written.
      expect(textOf((await patBrowser.get(path)).body)).toContain('via Help center');
      // An empty reply is refused, with nothing stored.
      const before = await countRows(h.ctx.db, messages);
      const empty = await patBrowser.postMultipart(`${path}/replies`, { text: '   ' });
      expect(empty.statusCode).toBe(422);
      expect(await countRows(h.ctx.db, messages)).toBe(before);
      // Without signing in there is no replying.
      const anon = new HelpBrowser(h.app, h.ctx.secret);
      await anon.get(base);
      const refused = await anon.postMultipart(`${path}/replies`, { text: 'Who am I?' });
      expect(refused.statusCode).toBe(303);
      expect(refused.headers.location).toMatch(/\/portal\/sign-in/);
      expect(await countRows(h.ctx.db, messages)).toBe(before);
    });

    it('reopens a solved conversation with a reply, and a closed one only when the customer chooses to', async () => {
      const path = `${base}/portal/conversations/${mailConv.number}`;
      const status = async () => json(await api(agent, 'GET', `/conversations/${mailConv.id}`)).status;
      expect((await api(agent, 'PATCH', `/conversations/${mailConv.id}`, { status: 'solved' })).statusCode).toBe(200);
      expect(textOf((await patBrowser.get(path)).body)).toContain('This conversation is solved. A reply reopens it.');
      await patBrowser.postMultipart(`${path}/replies`, { text: 'Actually it is not solved' });
      expect(await status()).toBe('open');

      await api(agent, 'PATCH', `/conversations/${mailConv.id}`, { status: 'closed' });
      const closedPage = await patBrowser.get(path);
      expect(textOf(closedPage.body)).toContain('This conversation is closed. Writing here reopens it.');
      expect(closedPage.body).toContain('name="reopen" value="1"');
      const before = await countRows(h.ctx.db, messages);
      const without = await patBrowser.postMultipart(`${path}/replies`, { text: 'Without choosing to reopen' });
      expect(without.statusCode).toBe(422);
      expect(without.body).toContain('Without choosing to reopen');
      expect(await status()).toBe('closed');
      expect(await countRows(h.ctx.db, messages)).toBe(before);
      const reopened = await patBrowser.postMultipart(`${path}/replies`, { text: 'Reopening on purpose', reopen: '1' });
      expect(reopened.statusCode).toBe(303);
      expect(await status()).toBe('open');
      const last = (await timeline(mailConv.id)).at(-1);
      expect(last).toMatchObject({ text: 'Reopening on purpose', channel: 'portal', conversationId: mailConv.id });
    });

    it('shows a merged conversation as continuing in the one it went into, and the conversations a customer was copied on', async () => {
      const apiNumber = await findNumber('Hello through the shop app');
      const [apiConv] = await h.ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, owner.workspaceId), eq(conversations.number, apiNumber)));
      const merged = await api(agent, 'POST', `/conversations/${mailConv.id}/merge`, { sourceId: apiConv.id });
      expect(merged.statusCode, merged.body).toBe(200);
      const list = textOf((await patBrowser.get(`${base}/portal`)).body);
      expect(list).not.toContain(`#${apiNumber} ·`);
      const old = await patBrowser.get(`${base}/portal/conversations/${apiNumber}`);
      expect(old.statusCode).toBe(200);
      expect(textOf(old.body)).toContain(`This conversation continues in #${mailConv.number}.`);
      expect(old.body).not.toContain('name="text"');
      // Its words moved with it.
      expect(textOf((await patBrowser.get(`${base}/portal/conversations/${mailConv.number}`)).body)).toContain('Hello through the shop app');
      const before = await countRows(h.ctx.db, messages);
      expect((await patBrowser.postMultipart(`${base}/portal/conversations/${apiNumber}/replies`, { text: 'To the merged one' })).statusCode).toBe(422);
      expect(await countRows(h.ctx.db, messages)).toBe(before);

      // Someone in Cc of an e-mail finds that conversation in their portal too.
      const cc = 'copied@customers.test';
      const sent = await email(`Pat Person <${pat}>`, 'Invoice for my accountant', 'Please send the invoice to both of us.', [`Cc: Carla Copied <${cc}>`]);
      const carla = await customer(cc);
      const carlaList = textOf((await carla.get(`${base}/portal`)).body);
      expect(carlaList).toContain('Invoice for my accountant');
      expect(carlaList).not.toContain('My order never came');
      expect(textOf((await carla.get(`${base}/portal/conversations/${sent.conversation.number}`)).body)).toContain('Please send the invoice to both of us.');
    });

    it("sends the team's answers to a portal conversation by e-mail, with the way back to the portal", async () => {
      const number = await findNumber('Written in the portal');
      const [c] = await h.ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, owner.workspaceId), eq(conversations.number, number)));
      const before = sink.received.length;
      const sent = await reply(c.id, { text: 'Thanks Pat, here is your answer.' });
      const mail = await mailTo(sink, pat, (m) => (m.mail.text ?? '').includes('here is your answer'), before);
      expect(mail.mail.subject).toBe(`Re: Written in the portal [#${number}]`);
      expect(mail.mail.text).toContain(`You can also read and answer this conversation in the help center: ${h.ctx.config.publicUrl}${base}/portal/conversations/${number}`);
      await waitFor(async () => (await h.ctx.db.select().from(messages).where(eq(messages.id, sent.id)))[0].deliveryStatus === 'sent');
      expect(textOf((await patBrowser.get(`${base}/portal/conversations/${number}`)).body)).toContain('Thanks Pat, here is your answer.');
    });
  });
});
