import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, launchBrowser, newContext, ownerSession, screenshot, startHeard } from './harness.js';

/**
 * Ask once (docs/intake.md): a visitor picks a topic in the chat widget and is asked, in the
 * same pre-chat form, only the topic's fields Heard does not know yet; the agent sees the
 * answers on the conversation and, when something is still missing, asks for it in one message.
 */
describe('one-round intake in the chat widget', () => {
  let heard: E2EHeard;
  let site: http.Server;
  let siteUrl: string;
  let browser: Browser;
  let publicKey: string;

  beforeAll(async () => {
    heard = await startHeard();
    site = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App shop</title></head>
<body><h1>App shop</h1><script src="${heard.url}/widget.js" data-inbox="${publicKey}" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    const ids: Record<string, string> = {};
    for (const f of [
      { key: 'order_number', label: 'Order number', type: 'order_number', helpText: 'It is on your receipt' },
      { key: 'device', label: 'Device', type: 'select', options: ['iPhone', 'Android'] },
      { key: 'reply_to', label: 'Reply address', type: 'email' },
      { key: 'app_version', label: 'App version', type: 'text' },
    ]) {
      const res = await heard.api<{ id: string }>('POST', '/custom-fields', { entity: 'conversation', ...f });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[f.key] = res.body.id;
    }
    const topic = await heard.api('POST', '/topics', {
      name: 'App update failed',
      fields: [
        { customFieldId: ids.order_number, required: true },
        { customFieldId: ids.device, required: true },
        { customFieldId: ids.reply_to, required: true },
      ],
    });
    expect(topic.status, JSON.stringify(topic.body)).toBe(201);
    const chat = await heard.api<{ widget: { publicKey: string } }>('POST', '/inboxes', { name: 'App chat', channel: 'widget', allowedOrigins: [siteUrl] });
    expect(chat.status, JSON.stringify(chat.body)).toBe(201);
    publicKey = chat.body.widget.publicKey;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    site?.closeAllConnections();
    await new Promise((resolve) => site?.close(resolve));
  });

  it("asks only the topic's missing fields, at once; the agent sees them and asks for more in one message", async () => {
    const visitor = await (await newContext(browser)).newPage();
    const panel = visitor.getByRole('dialog', { name: 'App chat' });
    await visitor.goto(siteUrl);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await panel.getByRole('combobox', { name: 'What is it about?' }).selectOption({ label: 'App update failed' });
    // The address the form asks anyway fills the topic's e-mail field: it is not asked twice.
    await panel.getByRole('textbox', { name: /E-mail address/ }).fill('justin@customer.example');
    await expect.poll(() => panel.getByText('Reply address').count()).toBe(0);
    // Everything missing is named in one go.
    await panel.getByRole('button', { name: 'Start chatting' }).click();
    await panel.getByRole('alert').getByText('Please fill in: Order number, Device').waitFor();
    await panel.getByRole('textbox', { name: /Order number/ }).fill('A-1001');
    await panel.getByRole('combobox', { name: /Device/ }).selectOption('iPhone');
    await screenshot(visitor, 'intake-widget-prechat');
    await panel.getByRole('button', { name: 'Start chatting' }).click();
    const composer = panel.getByRole('textbox', { name: 'Your message' });
    await composer.fill('The update stops at 90%.');
    await composer.press('Enter');
    const sent = panel.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'The update stops at 90%.' });
    await expect.poll(() => sent.textContent()).not.toContain('Sending');

    const list = await heard.api<{ items: { id: string; number: number }[] }>('GET', '/conversations?limit=5');
    const conv = list.body.items[0];
    const { browser: agentBrowser, page } = await ownerSession(heard);
    try {
      await page.goto(`${heard.url}/app/inbox/open/${conv.number}`);
      const details = page.getByTestId('conversation-details');
      await details.getByText('App update failed').waitFor();
      await expect.poll(() => details.textContent()).toContain('A-1001');
      expect(await details.textContent()).toContain('iPhone');
      expect(await details.textContent()).toContain('justin@customer.example');

      await page.getByRole('button', { name: 'Ask for information' }).click();
      const dialog = page.getByRole('dialog', { name: 'We need more information' });
      // Only what is still missing is offered (the list draws once the topic's form has loaded).
      await dialog.getByRole('checkbox', { name: 'App version' }).waitFor();
      expect(await dialog.getByRole('checkbox').count()).toBe(1);
      await dialog.getByRole('checkbox', { name: 'App version' }).check();
      await dialog.getByRole('button', { name: 'Send request' }).click();
      await page.getByTestId('info-rounds').getByText('Asked for more information once').waitFor();
      await screenshot(page, 'intake-agent-details');
    } finally {
      await agentBrowser.close();
    }
    // The visitor gets the request in the chat, with the form's link.
    await panel.getByText('App version:', { exact: false }).waitFor();
    expect(await panel.getByText('/intake/in1.', { exact: false }).count()).toBeGreaterThan(0);
  });
});
