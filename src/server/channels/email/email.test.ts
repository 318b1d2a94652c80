import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationParticipants, mailHolds, messages } from '../../db/schema/index.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { waitFor } from '../../../../test/helpers/receiver.js';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink.js';

type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

let n = 0;
const mid = (who = 'customer.example') => `<${Date.now().toString(36)}.${n++}@${who}>`;

/** A raw e-mail as a customer's mail client would write it. */
function eml(h: { from: string; to: string; subject: string; messageId?: string; inReplyTo?: string; references?: string; cc?: string; extra?: string }, body: string) {
  return [
    `From: ${h.from}`,
    `To: ${h.to}`,
    ...(h.cc ? [`Cc: ${h.cc}`] : []),
    `Subject: ${h.subject}`,
    `Date: ${new Date().toUTCString()}`,
    ...(h.messageId ? [`Message-ID: ${h.messageId}`] : []),
    ...(h.inReplyTo ? [`In-Reply-To: ${h.inReplyTo}`] : []),
    ...(h.references ? [`References: ${h.references}`] : []),
    ...(h.extra ? [h.extra] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

describe('email channel', () => {
  let h: TestHeard;
  let owner: Client;
  let sink: Sink;
  let inboxId: string;
  let smtp: ReturnType<typeof nodemailer.createTransport>;

  const mime = (raw: string, inbox = inboxId) =>
    h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: raw });
  const timeline = async (conversationId: string) =>
    json(await h.app.inject({ url: `/api/v1/conversations/${conversationId}/timeline`, headers: owner.headers })).items.filter((i: any) => i.type === 'message').map((i: any) => i.message);
  const reply = async (conversationId: string, body: Record<string, unknown>) => {
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: owner.headers, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };

  beforeAll(async () => {
    sink = await startSmtpSink({ user: 'heard', password: 's3cret' });
    h = await startTestHeard({ SMTP_URL: sink.url, HEARD_MAIL_DOMAIN: 'mail.heard.test' }, { smtpPort: 0 });
    owner = await buildMember(h.ctx, { name: 'Ann Agent' });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: { name: 'Support', channel: 'email', address: 'Support@Acme.test', displayName: 'Acme Support', signature: 'Acme Outfitters · acme.test' },
    });
    expect(res.statusCode, res.body).toBe(201);
    inboxId = json(res).id;
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: h.smtp!.port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    smtp?.close();
    await h?.stop();
    await sink?.close();
  });

  it('receives mail over SMTP for the inbox address (and its plus-addresses), answering 250 after it is stored', async () => {
    const info = await smtp.sendMail({ from: '"Gus Gum" <gus@customer.example>', to: 'support+orders@acme.test', subject: 'Where is my order?', text: 'Hi, order 1234 has not arrived.', messageId: mid() });
    expect(info.response).toMatch(/^250/);
    // 250 came after the commit: the message is there now, without waiting.
    const [m] = await h.ctx.db.select().from(messages).where(eq(messages.externalId, info.messageId.replace(/[<>]/g, '')));
    expect(m.text).toBe('Hi, order 1234 has not arrived.');
    expect(m.email?.from).toEqual({ address: 'gus@customer.example', name: 'Gus Gum' });
  });

  it('refuses mail for unknown addresses with 550 and mail over the size limit with 552', async () => {
    await expect(smtp.sendMail({ from: 'x@customer.example', to: 'nobody@acme.test', subject: 'hi', text: 'hi' })).rejects.toMatchObject({ responseCode: 550 });
    const big = 'x'.repeat(h.ctx.config.HEARD_MAIL_MAX_BYTES + 10);
    await expect(smtp.sendMail({ from: 'x@customer.example', to: 'support@acme.test', subject: 'big', text: big })).rejects.toMatchObject({ responseCode: 552 });
  });

  it('replies as a person from the inbox address, threaded in the customer\'s mail client, and threads the answer back', async () => {
    const first = mid();
    const r = json(await mime(eml({ from: 'Gus Gum <gus@customer.example>', to: 'support@acme.test', subject: 'Broken zipper', messageId: first }, 'The zipper broke after a week.')));
    expect(r.outcome).toBe('ingested');
    const sent = await reply(r.conversationId, { text: 'Sorry to hear that, Gus. A new jacket is on its way.' });
    const out = await waitFor(() => sink.received.find((s) => s.mail.text?.includes('A new jacket')));
    const conv = json(await h.app.inject({ url: `/api/v1/conversations/${r.conversationId}`, headers: owner.headers }));
    expect(out.mail.from?.value[0]).toMatchObject({ address: 'support@acme.test', name: 'Ann Agent (Acme Support)' });
    expect(out.to).toEqual(['gus@customer.example']);
    expect(out.mail.subject).toBe(`Re: Broken zipper [#${conv.number}]`);
    expect(out.mail.inReplyTo).toBe(first);
    expect(out.mail.references).toContain(first);
    expect(out.mail.messageId).toMatch(/^<m\.[0-9a-f]{32}\.[0-9a-f]{16}@mail\.heard\.test>$/);
    expect(out.mail.replyTo?.value[0].address).toMatch(new RegExp(`^support\\+c-${conv.number}-[0-9a-f]{10}@acme\\.test$`));
    expect(out.mail.text).toContain('Acme Outfitters · acme.test');
    await waitFor(async () => (await timeline(r.conversationId)).find((m: any) => m.id === sent.id && m.deliveryStatus === 'sent'));

    // The customer answers from their mail client: In-Reply-To names our message.
    const answer = json(
      await mime(eml({ from: 'gus@customer.example', to: 'support@acme.test', subject: `Re: Broken zipper [#${conv.number}]`, messageId: mid(), inReplyTo: out.mail.messageId!, references: `${first} ${out.mail.messageId}` }, 'Thanks!\n\nOn Mon, Ann wrote:\n> Sorry to hear that')),
    );
    expect(answer).toMatchObject({ outcome: 'ingested', conversationId: r.conversationId });
    const items = await timeline(r.conversationId);
    const last = items.at(-1);
    expect(last.text).toBe('Thanks!');

    // Or with every header dropped, through the reply-to token alone.
    const viaToken = json(await mime(eml({ from: 'gus@customer.example', to: out.mail.replyTo!.value[0].address!, subject: 'one more thing', messageId: mid() }, 'Size L please.')));
    expect(viaToken.conversationId).toBe(r.conversationId);
  });

  it('threads nothing on a forged Message-ID or reply-to token', async () => {
    const r = json(await mime(eml({ from: 'gus@customer.example', to: 'support@acme.test', subject: 'Question', messageId: mid() }, 'First question')));
    const [ours] = await h.ctx.db.select().from(messages).where(eq(messages.conversationId, r.conversationId));
    const hex = ours.id.replace(/-/g, '');
    const forgedId = `<m.${hex}.0000000000000000@mail.heard.test>`;
    const conv = json(await h.app.inject({ url: `/api/v1/conversations/${r.conversationId}`, headers: owner.headers }));
    const a = json(await mime(eml({ from: 'gus@customer.example', to: 'support@acme.test', subject: 'Hello', messageId: mid(), inReplyTo: forgedId }, 'forged id')));
    const b = json(await mime(eml({ from: 'gus@customer.example', to: `support+c-${conv.number}-abcdef0123@acme.test`, subject: 'Hello again', messageId: mid() }, 'forged token')));
    expect(a.conversationId).not.toBe(r.conversationId);
    expect(b.conversationId).not.toBe(r.conversationId);
  });

  it('keeps Cc as participants: their replies continue the conversation, reply-all reaches them', async () => {
    const first = mid();
    const r = json(await mime(eml({ from: 'gus@customer.example', to: 'support@acme.test', cc: 'Wendy <wendy@customer.example>', subject: 'Team order', messageId: first }, 'Please quote 20 jackets.')));
    const parts = await h.ctx.db.select().from(conversationParticipants).where(eq(conversationParticipants.conversationId, r.conversationId));
    expect(parts).toHaveLength(1);
    // Wendy replies to all; our address is only in Cc.
    const w = json(await mime(eml({ from: 'wendy@customer.example', to: 'gus@customer.example', cc: 'support@acme.test', subject: 'Re: Team order', messageId: mid(), inReplyTo: first }, 'Make it 25.')));
    expect(w).toMatchObject({ outcome: 'ingested', conversationId: r.conversationId });
    await reply(r.conversationId, { text: 'Quote for 25 attached.', replyAll: true, bcc: ['sales@acme.test'] });
    const out = await waitFor(() => sink.received.find((s) => s.mail.text?.includes('Quote for 25')));
    expect(out.mail.cc && !Array.isArray(out.mail.cc) ? out.mail.cc.value.map((v) => v.address) : []).toEqual(['wendy@customer.example']);
    expect(out.to.sort()).toEqual(['gus@customer.example', 'sales@acme.test', 'wendy@customer.example'].sort());
    // Bcc never shows in the headers.
    expect(out.raw.toString()).not.toMatch(/^bcc:/im);
  });

  it("threads a cc'd customer's reply after their contact was merged into another, from either address", async () => {
    const first = mid();
    const r = json(await mime(eml({ from: 'gus@customer.example', to: 'support@acme.test', cc: 'Wendy <wendy.home@customer.example>', subject: 'Club order', messageId: first }, 'Quote 10 caps.')));
    const [cc] = await h.ctx.db.select().from(conversationParticipants).where(eq(conversationParticipants.conversationId, r.conversationId));
    // Wendy wrote before from her work address: another contact, which the agent keeps.
    const work = json(await mime(eml({ from: 'wendy.work@customer.example', to: 'support@acme.test', subject: 'Invoice', messageId: mid() }, 'Send the invoice here.')));
    const workContactId = json(await h.app.inject({ url: `/api/v1/conversations/${work.conversationId}`, headers: owner.headers })).contactId;
    const merged = await h.app.inject({ method: 'POST', url: `/api/v1/contacts/${workContactId}/merge`, headers: owner.headers, payload: { sourceId: cc.contactId } });
    expect(merged.statusCode, merged.body).toBe(200);
    const parts = await h.ctx.db.select().from(conversationParticipants).where(eq(conversationParticipants.conversationId, r.conversationId));
    expect(parts.map((p) => p.contactId)).toEqual([workContactId]);
    for (const from of ['wendy.home@customer.example', 'wendy.work@customer.example']) {
      const w = json(await mime(eml({ from, to: 'gus@customer.example', cc: 'support@acme.test', subject: 'Re: Club order', messageId: mid(), inReplyTo: first }, `Make it 12, says ${from}.`)));
      expect(w).toMatchObject({ outcome: 'ingested', conversationId: r.conversationId });
    }
  });

  it('holds a reply from a stranger for review; linking it adds them in copy', async () => {
    const first = mid();
    const r = json(await mime(eml({ from: 'gus@customer.example', to: 'support@acme.test', subject: 'Private matter', messageId: first }, 'My account number is 42.')));
    const stranger = json(await mime(eml({ from: 'mallory@evil.example', to: 'support@acme.test', subject: 'Re: Private matter', messageId: mid(), inReplyTo: first }, 'Please change the address to mine.')));
    expect(stranger.outcome).toBe('held');
    expect((await timeline(r.conversationId)).map((m: any) => m.text)).not.toContain('Please change the address to mine.');
    const list = json(await h.app.inject({ url: '/api/v1/mail-holds?reason=unknown_sender', headers: owner.headers })).items;
    expect(list.find((x: any) => x.id === stranger.holdId)).toMatchObject({ fromAddress: 'mallory@evil.example', conversationId: r.conversationId });
    const linked = await h.app.inject({ method: 'POST', url: `/api/v1/mail-holds/${stranger.holdId}/link`, headers: owner.headers });
    expect(linked.statusCode, linked.body).toBe(200);
    expect((await timeline(r.conversationId)).map((m: any) => m.text)).toContain('Please change the address to mine.');
    const again = await h.app.inject({ method: 'POST', url: `/api/v1/mail-holds/${stranger.holdId}/link`, headers: owner.headers });
    expect(again.statusCode).toBe(409);
    // A sender Heard knows from a case of their own is still no customer of this one.
    await mime(eml({ from: 'trudy@other.example', to: 'support@acme.test', subject: 'My own case', messageId: mid() }, 'Hello.'));
    const known = json(await mime(eml({ from: 'trudy@other.example', to: 'support@acme.test', subject: 'Re: Private matter', messageId: mid(), inReplyTo: first }, 'Me too.')));
    expect(known).toMatchObject({ outcome: 'held', detail: expect.stringContaining('neither its customer nor in copy') });
  });

  it('marks our reply failed when it bounces, with the reason', async () => {
    const r = json(await mime(eml({ from: 'gone@customer.example', to: 'support@acme.test', subject: 'Bye', messageId: mid() }, 'Closing my account.')));
    const sent = await reply(r.conversationId, { text: 'Done, goodbye!' });
    const out = await waitFor(() => sink.received.find((s) => s.mail.text?.includes('Done, goodbye')));
    const boundary = 'dsn-boundary';
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>',
      'To: support@acme.test',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: ${mid('mx.customer.example')}`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.example',
      '',
      'Final-Recipient: rfc822; gone@customer.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${out.mail.messageId}`,
      'Subject: Re: Bye',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const b = json(await mime(dsn));
    expect(b.outcome).toBe('bounce');
    const m = (await timeline(r.conversationId)).find((x: any) => x.id === sent.id);
    expect(m.deliveryStatus).toBe('failed');
    expect(m.deliveryError).toContain('5.1.1');
    expect(m.deliveryError).toContain('gone@customer.example');
  });

  it('acknowledges a new conversation once, and never an auto-reply', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: { name: 'Billing', channel: 'email', address: 'billing@acme.test', autoAck: { enabled: true, responseTime: '4 hours' } },
    });
    const billing = json(res).id;
    const r = json(await mime(eml({ from: 'ack@customer.example', to: 'billing@acme.test', subject: 'Invoice', messageId: mid() }, 'Need an invoice copy.'), billing));
    const ack = await waitFor(() => sink.received.find((s) => s.to.includes('ack@customer.example')));
    const conv = json(await h.app.inject({ url: `/api/v1/conversations/${r.conversationId}`, headers: owner.headers }));
    expect(ack.mail.text).toContain(`#${conv.number}`);
    expect(ack.mail.text).toContain('4 hours');
    expect(ack.mail.headers.get('auto-submitted')).toBe('auto-replied');
    // An out-of-office answer opens a conversation but gets no acknowledgement: no loop.
    await mime(eml({ from: 'ooo@customer.example', to: 'billing@acme.test', subject: 'Automatic reply: Invoice', messageId: mid(), extra: 'Auto-Submitted: auto-replied' }, 'I am away.'), billing);
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.received.filter((s) => s.to.includes('ooo@customer.example'))).toHaveLength(0);
    // The acknowledgement is no answer: the customer is still waiting for a person.
    expect(conv.waitingSince).toBeTruthy();
  });

  it('de-duplicates by Message-ID, keeps two different messages that share one, and quarantines what it cannot read', async () => {
    const id = mid();
    const raw = eml({ from: 'dup@customer.example', to: 'support@acme.test', subject: 'Twice', messageId: id }, 'Same message.');
    const a = await mime(raw);
    const b = await mime(raw);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(json(b)).toMatchObject({ outcome: 'duplicate', messageId: json(a).messageId });
    const other = json(await mime(eml({ from: 'dup@customer.example', to: 'support@acme.test', subject: 'Other', messageId: id }, 'A different message, same id.')));
    expect(other.outcome).toBe('ingested');
    expect(other.messageId).not.toBe(json(a).messageId);

    const noSender = 'To: support@acme.test\r\nSubject: who am I\r\n\r\nno From header\r\n';
    const held = json(await mime(noSender));
    expect(held.outcome).toBe('held');
    const [row] = await h.ctx.db.select().from(mailHolds).where(eq(mailHolds.id, held.holdId));
    expect(row.reason).toBe('unparseable');
    const raw2 = await h.app.inject({ url: `/api/v1/mail-holds/${held.holdId}/raw`, headers: owner.headers });
    expect(raw2.statusCode).toBe(200);
    expect(raw2.body).toBe(noSender);
    // The same bytes again are held once.
    expect(json(await mime(noSender)).holdId).toBe(held.holdId);
  });

  it("checks the inbox's outgoing server, and says plainly when the password is wrong", async () => {
    const ok = json(await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inboxId}/email/check`, headers: owner.headers }));
    expect(ok).toEqual({ smtp: { ok: true }, imap: null });
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: { name: 'Wrong password', channel: 'email', address: 'wrong@acme.test', smtp: { host: '127.0.0.1', port: sink.port, user: 'heard', password: 'nope' } },
    });
    expect(json(bad).email.smtp).toEqual({ host: '127.0.0.1', port: sink.port, secure: false, user: 'heard', hasPassword: true });
    const check = json(await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${json(bad).id}/email/check`, headers: owner.headers }));
    expect(check.smtp.ok).toBe(false);
    expect(check.smtp.error).toContain('refused the user name or password');
    const test = json(await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inboxId}/email/test`, headers: owner.headers, payload: { to: 'me@acme.test' } }));
    expect(test).toEqual({ ok: true });
    await waitFor(() => sink.received.find((m) => m.to.includes('me@acme.test') && /test e-mail/.test(m.mail.subject ?? '')));
  });

  it('refuses a MIME post to an inbox that is not an email inbox, naming the field', async () => {
    const api = json(await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'API', channel: 'api', callbackUrl: 'http://127.0.0.1:9/x' } }));
    const res = await mime(eml({ from: 'a@b.example', to: 'x@y.example', subject: 's' }, 'b'), api.id);
    expect(res.statusCode).toBe(422);
    expect(json(res).errors?.[0]?.field ?? json(res).detail).toBeTruthy();
    const dupAddress = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Again', channel: 'email', address: 'support@acme.test' } });
    expect(dupAddress.statusCode).toBe(409);
    expect(json(dupAddress).detail).toContain('address');
  });
});
