import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { type E2EHeard, launchBrowser, newContext, screenshot, startHeard } from './harness.js';

/**
 * Leaving is not losing: a visitor asks in the chat widget while nobody is online, leaves
 * the site, gets the agent's answer by e-mail, answers that e-mail, and finds the whole
 * exchange in the widget when they come back (docs/widget.md, "When the visitor has left").
 */
describe('the chat widget when the visitor has left', () => {
  let heard: E2EHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let site: http.Server;
  let siteUrl: string;
  let browser: Browser;
  let emailInboxId: string;
  let publicKey: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    heard = await startHeard({ env: { SMTP_URL: sink.url, HEARD_WIDGET_EMAIL_AFTER_SECONDS: '2' } });
    site = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test shop</title></head>
<body><h1>Test shop</h1><p>Boots, jackets and packs.</p>
<script src="${heard.url}/widget.js" data-inbox="${publicKey}" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    const email = await heard.api<{ id: string }>('POST', '/inboxes', { name: 'Mail', channel: 'email', address: 'help@shop.test' });
    expect(email.status, JSON.stringify(email.body)).toBe(201);
    emailInboxId = email.body.id;
    const chat = await heard.api<{ id: string; widget: { publicKey: string } }>('POST', '/inboxes', { name: 'Website chat', channel: 'widget', allowedOrigins: [siteUrl] });
    expect(chat.status, JSON.stringify(chat.body)).toBe(201);
    publicKey = chat.body.widget.publicKey;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    await sink?.close();
    site?.closeAllConnections();
    await new Promise((resolve) => site?.close(resolve));
  });

  it('e-mails the answer to a visitor who left, threads their e-mail reply, and shows it all in the widget when they come back', async () => {
    const visitorCtx = await newContext(browser);
    const visitor = await visitorCtx.newPage();
    const panel = (p = visitor) => p.getByRole('dialog', { name: 'Website chat' });
    const messages = (p = visitor) => panel(p).getByRole('log', { name: 'Messages' });

    // Nobody has the agent app open: the offline message; the (default) pre-chat form asks for the address.
    await visitor.goto(siteUrl);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await panel().getByText("We're away right now", { exact: false }).first().waitFor();
    await panel().getByRole('textbox', { name: /Your name/ }).fill('Wanda Walker');
    await panel().getByRole('textbox', { name: /E-mail address/ }).fill('wanda@customer.example');
    await panel().getByRole('button', { name: 'Start chatting' }).click();
    await panel().getByText('We will answer at wanda@customer.example.').waitFor();

    const composer = panel().getByRole('textbox', { name: 'Your message' });
    await composer.fill('Can I return boots I have worn once?');
    await composer.press('Enter');
    const question = messages().getByRole('listitem').filter({ hasText: 'Can I return boots I have worn once?' });
    await question.waitFor();
    await expect.poll(() => question.textContent()).not.toContain('Sending');

    const list = await heard.api<{ items: { id: string; number: number; channel?: string }[] }>('GET', '/conversations?limit=50');
    const conv = list.body.items[0];
    expect(conv).toBeTruthy();

    // The visitor leaves the site.
    await visitor.close();
    // Heard saw them go: their last-seen stops moving (an open widget reports every second here).
    const lastSeen = async () =>
      (await heard.api<{ visitor?: { lastSeenAt?: string } }>('GET', `/conversations/${conv.id}`)).body.visitor?.lastSeenAt ?? '';
    await expect.poll(async () => Date.now() - new Date(await lastSeen()).getTime()).toBeGreaterThan(1500);

    // The agent answers; the visitor is not there to see it, so it goes by e-mail.
    const answer = await heard.api('POST', `/conversations/${conv.id}/messages`, { text: 'Yes, within 30 days, as long as they are clean.' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const mailToWanda = () => sink.received.find((m) => m.to.includes('wanda@customer.example'));
    await expect.poll(mailToWanda, { timeout: 30_000 }).toBeTruthy();
    const mail = mailToWanda()!;
    expect(mail.mail.subject).toContain(`[#${conv.number}]`);
    expect(mail.mail.text).toContain('Yes, within 30 days, as long as they are clean.');
    expect(mail.mail.from?.value[0].address).toBe('help@shop.test');

    // The visitor answers the e-mail.
    const reply = [
      'From: Wanda <wanda@customer.example>',
      'To: help@shop.test',
      `Subject: Re: ${mail.mail.subject}`,
      `Message-ID: <wanda-${Date.now()}@customer.example>`,
      `In-Reply-To: ${mail.mail.messageId}`,
      `References: ${mail.mail.messageId}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Great, I will send them back tomorrow.',
      '',
    ].join('\r\n');
    const ingest = await fetch(`${heard.url}/api/v1/inboxes/${emailInboxId}/mime`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${heard.ownerToken}`, 'Content-Type': 'message/rfc822' },
      body: reply,
    });
    const ingested = (await ingest.json()) as { outcome: string; conversationId: string };
    expect(ingest.status, JSON.stringify(ingested)).toBeLessThan(300);
    expect(ingested).toMatchObject({ outcome: 'ingested', conversationId: conv.id });

    // Back on the site (same browser, so the widget remembers them): the whole exchange.
    const back = await visitorCtx.newPage();
    await back.goto(siteUrl);
    await back.getByRole('button', { name: 'Open chat' }).click();
    const log = messages(back);
    await log.getByText('Can I return boots I have worn once?').waitFor();
    await log.getByText('Yes, within 30 days, as long as they are clean.').waitFor();
    await log.getByText('Great, I will send them back tomorrow.').waitFor();
    const texts = await log.getByRole('listitem').allTextContents();
    const order = ['Can I return boots', 'Yes, within 30 days', 'Great, I will send them back'].map((t) => texts.findIndex((x) => x.includes(t)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The reply that came by e-mail says so; the chat messages do not.
    expect(texts.find((x) => x.includes('Great, I will send them back'))).toContain('by e-mail');
    expect(texts.find((x) => x.includes('Can I return boots'))).not.toContain('by e-mail');
    await screenshot(back, 'widget-back-after-email');
    await visitorCtx.close();
  });
});
