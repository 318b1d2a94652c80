import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, conversations, messages } from '../db/schema/index.js';
import { buildMember, type Client } from '../../../test/factories.js';
import { countRows } from '../../../test/helpers/database.js';
import { buildEmailInbox, HelpBrowser, mailTo, multipart, publishHelpCenter, signInCustomer, textOf } from '../../../test/helpers/help-center.js';
import { json, startTestHeard, type TestHeard } from '../../../test/helpers/heard.js';
import { waitFor } from '../../../test/helpers/receiver.js';
import { startSmtpSink } from '../../../test/helpers/smtp-sink.js';

/** The help center's contact form (multipart, with files): a conversation in the portal inbox and a confirmation by e-mail. */
describe('contact form', () => {
  let h: TestHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let owner: Client;
  let portalInboxId: string;
  const slug = 'desk';
  const base = `/help/${slug}`;
  const form = { name: 'Frida Form', email: 'frida@customers.test', topic: 'billing', subject: 'Charged twice', message: 'I was charged twice for order 77.' };

  const visitor = async () => {
    const b = new HelpBrowser(h.app, h.ctx.secret);
    await b.get(`${base}/contact`);
    return b;
  };
  const conversationsIn = async () => countRows(h.ctx.db, conversations);

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTestHeard({ SMTP_URL: sink.url });
    owner = await buildMember(h.ctx, { workspace: 'Desk Co' });
    await buildEmailInbox(h.app, owner, 'help@desk.test');
    const hc = await publishHelpCenter(h.app, owner, { slug, title: 'Desk Help', topics: [{ id: 'billing', name: 'Billing' }, { id: 'shipping', name: 'Shipping' }] });
    portalInboxId = hc.portalInboxId!;
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  it('shows the form with the topics, and suggestions wired to search', async () => {
    const res = await h.app.inject({ url: `${base}/contact?subject=Refund&topic=shipping` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toContain('<option value="billing">Billing</option>');
    expect(res.body).toContain('<option value="shipping" selected>Shipping</option>');
    expect(res.body).toContain('value="Refund"');
    expect(res.body).toContain(`data-deflect="${base}/search.json"`);
    expect(res.body).toContain('name="_form"');
    expect(res.body).toContain('name="website"');
  });

  it('opens a conversation in the portal inbox with the topic and files, and mails a confirmation with the portal link', async () => {
    const b = await visitor();
    const before = sink.received.length;
    const res = await b.postMultipart(`${base}/contact`, form, [
      { filename: 'invoice.pdf', contentType: 'application/pdf', content: '%PDF-1.4 fake invoice' },
      { filename: 'statement.png', contentType: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9]) },
      // An empty file input still sends a part: it is no file.
      { filename: '', contentType: 'application/octet-stream', content: '' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const number = Number(/Your request is number #(\d+)/.exec(textOf(res.body))![1]);
    expect(textOf(res.body)).toContain('a confirmation is on its way to frida@customers.test');
    expect(res.body).toContain(`href="${base}/portal/conversations/${number}"`);

    const [c] = await h.ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, owner.workspaceId), eq(conversations.number, number)));
    expect(c).toMatchObject({ inboxId: portalInboxId, subject: 'Charged twice', topic: 'Billing', status: 'open' });
    const msgs = await h.ctx.db.select().from(messages).where(eq(messages.conversationId, c.id));
    const inbound = msgs.find((m) => m.direction === 'in')!;
    expect(inbound).toMatchObject({ text: 'I was charged twice for order 77.', channel: 'portal' });
    const files = await h.ctx.db.select().from(attachments).where(eq(attachments.messageId, inbound.id));
    expect(files.map((f) => [f.filename, f.contentType]).sort()).toEqual([
      ['invoice.pdf', 'application/pdf'],
      ['statement.png', 'image/png'],
    ]);
    const contact = json(await h.app.inject({ url: `/api/v1/contacts/${c.contactId}`, headers: owner.headers }));
    expect(contact.name).toBe('Frida Form');

    // The confirmation was stored with it, and goes out by e-mail from the workspace's address.
    const confirmation = msgs.find((m) => m.direction === 'out')!;
    expect(confirmation.email).toMatchObject({ autoAck: true });
    const mail = await mailTo(sink, 'frida@customers.test', () => true, before);
    expect(mail.mail.subject).toBe(`Re: Charged twice [#${number}]`);
    expect(mail.mail.from?.value[0].address).toBe('help@desk.test');
    expect(mail.mail.text).toContain(`Your request is number #${number}: “Charged twice”`);
    expect(mail.mail.text).toContain(`${h.ctx.config.publicUrl}${base}/portal/conversations/${number}`);
    await waitFor(async () => (await h.ctx.db.select().from(messages).where(eq(messages.id, confirmation.id)))[0].deliveryStatus === 'sent');
    // The link in the mail already carries the way back; it is not repeated.
    expect(mail.mail.text).not.toContain('You can also read and answer this conversation');

    // Signed in, the customer finds it in the portal with both files.
    const portal = new HelpBrowser(h.app, h.ctx.secret);
    await signInCustomer(portal, sink, slug, 'frida@customers.test');
    const page = textOf((await portal.get(`${base}/portal/conversations/${number}`)).body);
    expect(page).toContain('I was charged twice for order 77.');
    expect(page).toContain('invoice.pdf');
    expect(page).toContain('statement.png');
    expect(page).toContain('Automatic message');
  });

  it('opens one conversation when the same form is sent twice', async () => {
    const b = await visitor();
    const token = b.agedToken();
    const body = multipart({ _form: token, ...form, subject: 'Sent twice', message: 'Double click.' });
    const send = () => b.request({ method: 'POST', url: `${base}/contact`, payload: body.payload, headers: { 'content-type': body.contentType } });
    const before = await conversationsIn();
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(await conversationsIn()).toBe(before + 1);
    const num = (r: { body: string }) => /#(\d+)/.exec(textOf(r.body))![1];
    expect(num(second)).toBe(num(first));
    // One confirmation, too.
    const c = await h.ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, owner.workspaceId), eq(conversations.subject, 'Sent twice')));
    expect(c).toHaveLength(1);
    expect((await h.ctx.db.select().from(messages).where(eq(messages.conversationId, c[0].id))).filter((m) => m.direction === 'out')).toHaveLength(1);
  });

  it('thanks a bot that filled the trap field, and stores nothing', async () => {
    const b = await visitor();
    const [convs, msgs, files, mails] = [await conversationsIn(), await countRows(h.ctx.db, messages), await countRows(h.ctx.db, attachments), sink.received.length];
    const res = await b.postMultipart(`${base}/contact`, { ...form, email: 'bot@spam.test', website: 'https://spam.example', subject: 'Cheap pills' }, [{ filename: 'x.pdf', contentType: 'application/pdf', content: '%PDF' }]);
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('Message sent');
    expect(await conversationsIn()).toBe(convs);
    expect(await countRows(h.ctx.db, messages)).toBe(msgs);
    expect(await countRows(h.ctx.db, attachments)).toBe(files);
    // No confirmation leaves for it (deliveries run a moment after a commit: give one the time to show).
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.received.slice(mails).filter((m) => m.to.includes('bot@spam.test'))).toEqual([]);
  });

  it('shows the form again, with what was typed, when it was sent faster than a person types', async () => {
    const b = await visitor();
    const fresh = b.formToken();
    const body = multipart({ _form: fresh, ...form, subject: 'Too quick', message: 'Typed in no time <b>bold</b>' });
    const before = await conversationsIn();
    const res = await b.request({ method: 'POST', url: `${base}/contact`, payload: body.payload, headers: { 'content-type': body.contentType } });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('That was quick! Please check your message and send it again.');
    expect(res.body).toContain('value="Too quick"');
    expect(res.body).toContain('Typed in no time &lt;b>bold&lt;/b>');
    expect(res.body).toContain('value="frida@customers.test"');
    expect(await conversationsIn()).toBe(before);
    // The page carries a new token; sent again later, it goes through.
    const again = await b.postMultipart(`${base}/contact`, { ...form, subject: 'Too quick', message: 'Now at a human pace' });
    expect(textOf(again.body)).toContain('Message sent');
    expect(await conversationsIn()).toBe(before + 1);
  });

  it('marks the empty fields of a form sent fast, rather than calling a person quick', async () => {
    const b = await visitor();
    const body = multipart({ _form: b.formToken(), ...form, name: '', subject: '' });
    const before = await conversationsIn();
    const res = await b.request({ method: 'POST', url: `${base}/contact`, payload: body.payload, headers: { 'content-type': body.contentType } });
    expect(res.statusCode).toBe(422);
    for (const field of ['name', 'subject']) expect(res.body, field).toContain(`id="${field}-error"`);
    expect(textOf(res.body)).not.toContain('That was quick!');
    expect(await conversationsIn()).toBe(before);
  });

  it('answers 422 naming the fields that are wrong, keeping what was typed', async () => {
    const b = await visitor();
    const before = await conversationsIn();
    const res = await b.postMultipart(`${base}/contact`, { name: '', email: 'not-an-address', topic: 'nonsense', subject: '', message: 'Kept message text' });
    expect(res.statusCode).toBe(422);
    for (const field of ['name', 'email', 'topic', 'subject']) expect(res.body, field).toContain(`id="${field}-error"`);
    expect(res.body).not.toContain('id="message-error"');
    expect(res.body).toContain('aria-invalid="true"');
    expect(textOf(res.body)).toContain('Please correct the fields marked below.');
    expect(textOf(res.body)).toContain('Please enter an e-mail address like name@example.com.');
    expect(res.body).toContain('value="not-an-address"');
    expect(res.body).toContain('Kept message text');
    const tooMany = await b.postMultipart(
      `${base}/contact`,
      form,
      Array.from({ length: 6 }, (_, i) => ({ filename: `f${i}.txt`, contentType: 'text/plain', content: `file ${i}` })),
    );
    expect(tooMany.statusCode).toBe(422);
    expect(textOf(tooMany.body)).toContain('Please attach at most 5 files.');
    const long = await b.postMultipart(`${base}/contact`, { ...form, subject: 's'.repeat(201) });
    expect(long.statusCode).toBe(422);
    expect(textOf(long.body)).toContain('Please keep this under 200 characters.');
    expect(await conversationsIn()).toBe(before);
  });

  it('writes from the address of a signed-in customer, whatever the form says', async () => {
    const b = new HelpBrowser(h.app, h.ctx.secret);
    await signInCustomer(b, sink, slug, 'gus@customers.test');
    const page = await b.get(`${base}/contact`);
    expect(page.body).toContain('value="gus@customers.test"');
    expect(textOf(page.body)).toContain('You’re signed in as gus@customers.test.');
    const res = await b.postMultipart(`${base}/contact`, { ...form, name: 'Gus', email: 'someone-else@customers.test', subject: 'From Gus' });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('on its way to gus@customers.test');
    const [c] = await h.ctx.db.select().from(conversations).where(and(eq(conversations.workspaceId, owner.workspaceId), eq(conversations.subject, 'From Gus')));
    const list = textOf((await b.get(`${base}/portal`)).body);
    expect(list).toContain('From Gus');
    expect(c).toBeDefined();
  });
});
