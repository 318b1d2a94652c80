import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { type E2EHeard, launchBrowser, newContext, screenshot, signIn, startHeard, ownerSession } from './harness.js';

// A 1×1 red PNG, sent as the mail's inline (cid:) image.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A Gmail-style reply with its quoted history, an inline image and a remote (tracking) image. */
function customerMail(to: string) {
  const b = 'b1_mixed';
  const r = 'b2_related';
  return [
    'From: Maya Johnson <maya@example.com>',
    `To: Acme Support <${to}>`,
    'Cc: Bea Other <bea@example.org>',
    'Subject: Order 1042 arrived damaged',
    'Message-ID: <maya-1@mail.example.com>',
    'Date: Mon, 23 Nov 2026 09:00:00 +0000',
    'MIME-Version: 1.0',
    `Content-Type: multipart/related; boundary="${r}"`,
    '',
    `--${r}`,
    `Content-Type: multipart/alternative; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The lamp arrived with a cracked shade. Can you send a new one?',
    '',
    'On Sun, 22 Nov 2026 at 18:00, Acme Shop <shop@acme.test> wrote:',
    '> Your order 1042 has shipped.',
    '',
    `--${b}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    '<div dir="ltr"><p>The lamp arrived with a cracked shade. Can you send a new one?</p>',
    '<p><img src="cid:photo1@mail" alt="photo of the shade" width="40" height="40"> <img src="https://tracker.example.net/open.gif" alt="" width="1" height="1"></p></div>',
    '<div class="gmail_quote"><div class="gmail_attr">On Sun, 22 Nov 2026 at 18:00, Acme Shop &lt;shop@acme.test&gt; wrote:</div>',
    '<blockquote class="gmail_quote"><p>Your order 1042 has shipped.</p></blockquote></div>',
    '',
    `--${b}--`,
    '',
    `--${r}`,
    'Content-Type: image/png; name="shade.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <photo1@mail>',
    'Content-Disposition: inline; filename="shade.png"',
    '',
    PNG,
    '',
    `--${r}--`,
    '',
  ].join('\r\n');
}

/** A reply to our reply from someone who is neither the customer nor in copy. */
function strangerMail(to: string, inReplyTo: string) {
  return [
    'From: Sam Stranger <stranger@example.com>',
    `To: ${to}`,
    `Subject: Re: Order 1042 arrived damaged`,
    'Message-ID: <stranger-1@mail.example.com>',
    `In-Reply-To: <${inReplyTo}>`,
    `References: <${inReplyTo}>`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'I am her neighbour: the parcel was left with me, and the box was wet too.',
    '',
  ].join('\r\n');
}

describe('the email channel in the agent app', () => {
  let heard: E2EHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let inboxId = '';
  let number = 0;
  const address = 'help@e2e-outfitters.test';

  const postMime = async (raw: string) => {
    const res = await fetch(`${heard.url}/api/v1/inboxes/${inboxId}/mime`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${heard.ownerToken}`, 'Content-Type': 'message/rfc822' },
      body: raw,
    });
    const body = (await res.json()) as { outcome: string; conversationId?: string; holdId?: string };
    if (res.status >= 300) throw new Error(`MIME endpoint: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };

  beforeAll(async () => {
    // The world's mail server: it refuses one address for good, as a mailbox that no longer exists.
    sink = await startSmtpSink({ reject: (rcpt) => rcpt === 'gone@example.org' });
    heard = await startHeard();
    ({ browser, ctx, page } = await ownerSession(heard));
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    await sink?.close();
  });

  it('creates an email inbox in settings, saves its own SMTP server, and the check says OK', async () => {
    await page.goto(`${heard.url}/app/settings/inboxes`);
    await page.getByRole('radio', { name: 'E-mail' }).check();
    const form = page.getByRole('form', { name: 'Create email inbox' });
    await form.getByLabel('Name', { exact: true }).fill('Help desk');
    await form.getByLabel('E-mail address').fill(address);
    await form.getByLabel('Display name (optional)').fill('E2E Outfitters Help');
    await screenshot(page, 'email-inbox-create');
    await form.getByRole('button', { name: 'Create email inbox' }).click();
    await page.waitForURL(/\/app\/settings\/inboxes\/[0-9a-f-]{36}$/);
    inboxId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: 'Help desk' }).waitFor();
    expect(await page.getByText(`/api/v1/inboxes/${inboxId}/mime`).count()).toBe(1);

    const smtp = page.getByRole('form', { name: 'Outgoing mail (SMTP)' });
    await smtp.getByRole('radio', { name: /own mail server/ }).check();
    // The server's refusal shows at the field it is about.
    await smtp.getByLabel('Server', { exact: true }).fill('not a host!');
    await smtp.getByLabel('Port', { exact: true }).fill(String(sink.port));
    await smtp.getByRole('button', { name: 'Save' }).click();
    await smtp.getByText('must be a host name or IP address').waitFor();
    expect(await smtp.getByLabel('Server', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await smtp.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await smtp.getByRole('button', { name: 'Save' }).click();
    await smtp.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const saved = await heard.api<{ email: { smtp: { host: string; port: number; secure: boolean } } }>('GET', `/inboxes/${inboxId}`);
    expect(saved.body.email.smtp).toMatchObject({ host: '127.0.0.1', port: sink.port, secure: false });

    await page.getByRole('button', { name: 'Check connection' }).click();
    await page.getByRole('status', { name: 'Results' }).getByText('Outgoing mail (SMTP): OK').waitFor();
    await page.getByRole('button', { name: 'Send test e-mail' }).click();
    await page.getByText(`Test e-mail sent to ${heard.owner.email}.`).waitFor();
    await expect.poll(() => sink.received.some((m) => m.to.includes(heard.owner.email))).toBe(true);
    // The whole settings page at once: it scrolls inside the app, so the window is made tall.
    await page.setViewportSize({ width: 1280, height: 1900 });
    await page.evaluate(() => document.getElementById('settings-page-title')?.closest('.overflow-y-auto')?.scrollTo(0, 0));
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `email-settings-${scheme}`);
    }
    await page.setViewportSize({ width: 1024, height: 1900 });
    await screenshot(page, 'email-settings-1024');
    // The mailbox form, opened (not saved): the IMAP poller is another part's work.
    const imap = page.getByRole('form', { name: 'Incoming mail (IMAP)' });
    await imap.getByRole('radio', { name: 'Fetch mail from a mailbox' }).check();
    await imap.getByLabel('After fetching').selectOption('move');
    await imap.getByLabel('Move to folder').waitFor();
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'email-settings-imap-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows a customer mail with its header and new text, the quoted history only on demand, its own inline image and no remote one', async () => {
    const r = await postMime(customerMail(address));
    expect(r.outcome).toBe('ingested');
    const conv = await heard.api<{ number: number }>('GET', `/conversations/${r.conversationId}`);
    number = conv.body.number;
    await page.goto(`${heard.url}/app/inbox/open/${number}`);
    const mail = page.getByRole('article', { name: 'Maya Johnson' });
    await mail.getByText('The lamp arrived with a cracked shade').waitFor();
    const headers = mail.getByRole('definition');
    expect(await headers.allTextContents()).toEqual(['Maya Johnson <maya@example.com>', `Acme Support <${address}>`, 'Bea Other <bea@example.org>']);
    expect(await mail.getByText('Your order 1042 has shipped.').count()).toBe(0);

    const inline = mail.getByRole('img', { name: 'photo of the shade' });
    expect(await inline.getAttribute('src')).toMatch(/^\/api\/v1\/attachments\/[0-9a-f-]{36}\/inline$/);
    await expect.poll(() => inline.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    // The remote image keeps no source: it never loads, so the sender learns nothing.
    expect(await mail.locator('img[data-blocked]').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')))).toEqual([null]);
    await mail.getByText('Images from other sites are not loaded (1).').waitFor();

    await mail.getByRole('button', { name: 'Show quoted text' }).click();
    await mail.getByText('Your order 1042 has shipped.').waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `email-conversation-${scheme}`);
    }
    await page.setViewportSize({ width: 1024, height: 800 });
    await screenshot(page, 'email-conversation-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
    await mail.getByRole('button', { name: 'Hide quoted text' }).click();
    await expect.poll(() => mail.getByText('Your order 1042 has shipped.').count()).toBe(0);
  });

  it('replies to all with a Cc chip, and the mail leaves with the customer in To and both in Cc', async () => {
    const recipients = page.getByRole('group', { name: 'Recipients' });
    await recipients.getByText('maya@example.com', { exact: true }).waitFor();
    await recipients.getByRole('radio', { name: 'Reply all' }).check();
    await recipients.getByText('Also to Bea Other').waitFor();
    await recipients.getByRole('button', { name: 'Add Cc' }).click();
    const cc = recipients.getByLabel('Cc', { exact: true });
    await cc.fill('not-an-address');
    await cc.press('Enter');
    await recipients.getByRole('alert').getByText('Not an e-mail address: not-an-address').waitFor();
    await cc.fill('carl@example.net');
    await cc.press('Enter');
    await recipients.getByRole('button', { name: 'Remove carl@example.net from Cc' }).waitFor();
    await page.getByRole('textbox', { name: 'Reply' }).fill('Sorry about that, Maya. A new shade is on its way today.');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `email-composer-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    const before = sink.received.length;
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => sink.received.length, { timeout: 20_000 }).toBe(before + 1);
    const sent = sink.received.at(-1)!;
    expect(sent.mail.subject).toContain(`[#${number}]`);
    expect((sent.mail.to as { value: { address: string }[] }).value.map((a) => a.address)).toEqual(['maya@example.com']);
    expect((sent.mail.cc as { value: { address: string }[] }).value.map((a) => a.address).sort()).toEqual(['bea@example.org', 'carl@example.net']);
    await page.getByRole('article', { name: 'Olivia Owner' }).getByText('Sent', { exact: true }).waitFor();
  });

  it('shows why a reply was not delivered when the mail server refuses it', async () => {
    const mail = ['From: Gone Person <gone@example.org>', `To: ${address}`, 'Subject: Old account', 'Message-ID: <gone-1@mail.example.org>', '', 'Please close my account.', ''].join('\r\n');
    const r = await postMime(mail);
    const conv = await heard.api<{ number: number }>('GET', `/conversations/${r.conversationId}`);
    await page.goto(`${heard.url}/app/inbox/open/${conv.body.number}`);
    await page.getByRole('group', { name: 'Recipients' }).getByText('gone@example.org', { exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Reply' }).fill('Your account is closed.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = page.getByRole('article', { name: 'Olivia Owner' });
    const state = reply.getByRole('status');
    await state.getByText("The customer's mail server refused the e-mail.").waitFor({ timeout: 20_000 });
    // The mail server's own words, for whoever must fix it, one click away.
    await state.getByText('Details').click();
    await state.getByText(/550 .*user unknown/).waitFor();
    await screenshot(page, 'email-reply-failed');

    // An out-of-office answer is marked as automatic.
    const auto = await postMime(
      ['From: Gone Person <gone@example.org>', `To: ${address}`, 'Subject: Out of office', 'Auto-Submitted: auto-replied', 'Message-ID: <gone-ooo@mail.example.org>', '', 'I am away until Monday.', ''].join('\r\n'),
    );
    const autoConv = await heard.api<{ number: number }>('GET', `/conversations/${auto.conversationId}`);
    await page.goto(`${heard.url}/app/inbox/open/${autoConv.body.number}`);
    const away = page.getByRole('article', { name: 'Gone Person' }).filter({ hasText: 'I am away until Monday.' });
    await away.getByText('Automatic reply', { exact: true }).waitFor();
  });

  it("holds a stranger's reply for review, and \"Add to #n\" puts it in the conversation", async () => {
    const ours = sink.received.at(-1)!.mail;
    const held = await postMime(strangerMail(address, ours.messageId!.replace(/^<|>$/g, '')));
    expect(held.outcome).toBe('held');
    // Mail with no sender cannot be a message: it goes to the quarantine, which admins see.
    const unreadable = await postMime(['To: ' + address, 'Subject: Invoice overdue', 'Message-ID: <nofrom-1@mail.example.com>', '', 'Pay now.', ''].join('\r\n'));
    expect(unreadable.outcome).toBe('held');
    // An agent sees what waits for review, but not the quarantine (admins only).
    const agent = await heard.addMember('agent', 'Ada Agent');
    const agentCtx = await newContext(browser);
    const agentPage = await agentCtx.newPage();
    await signIn(agentPage, heard, agent);
    await agentPage.goto(`${heard.url}/app/held`);
    await agentPage.getByRole('listitem', { name: 'stranger@example.com' }).getByRole('button', { name: `Add to #${number}` }).waitFor();
    expect(await agentPage.getByRole('heading', { name: /Quarantine/ }).count()).toBe(0);
    await agentCtx.close();

    await page.getByRole('navigation', { name: 'Conversation views' }).getByRole('link', { name: /Held mail/ }).click();
    await page.waitForURL(/\/app\/held$/);
    const item = page.getByRole('listitem', { name: 'stranger@example.com' });
    await item.getByText(`Replied to #${number}: Order 1042 arrived damaged`).waitFor();
    const quarantined = page.getByRole('listitem', { name: 'Invoice overdue' });
    await quarantined.getByText('it has no sender (From) address').waitFor();
    expect(await quarantined.getByRole('link', { name: 'Download .eml' }).getAttribute('href')).toBe(`/api/v1/mail-holds/${unreadable.holdId}/raw`);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `email-held-${scheme}`);
    }
    await page.setViewportSize({ width: 1024, height: 800 });
    await screenshot(page, 'email-held-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
    await quarantined.getByRole('button', { name: 'Discard “Invoice overdue”' }).click();
    await expect.poll(() => quarantined.count()).toBe(0);
    await page.getByText('The quarantine is empty.').waitFor();
    await item.getByRole('button', { name: `Add to #${number}` }).click();
    await page.waitForURL(new RegExp(`/app/inbox/open/${number}$`));
    // Shown as written by its sender, not by the conversation's customer.
    await page.getByRole('article', { name: 'Sam Stranger' }).getByText('the parcel was left with me').waitFor();
    const left = await heard.api<{ items: unknown[] }>('GET', '/mail-holds');
    expect(left.body.items).toEqual([]);
  });
});
