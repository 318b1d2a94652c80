import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInbox, customerWrites, type E2EHeard, launchBrowser, newContext, screenshot, signIn, startHeard } from './harness.js';

describe('goodwill', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let orders: http.Server;
  const received: { body: string; signature?: string }[] = [];

  beforeAll(async () => {
    // The shop's order system: takes each approved action and answers with its own reference.
    orders = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body, signature: req.headers['heard-signature'] as string | undefined });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ reference: 'RMA-7781' }));
      });
    });
    await new Promise<void>((r) => orders.listen(0, '127.0.0.1', r));
    heard = await startHeard();
    browser = await launchBrowser();
    const url = `http://127.0.0.1:${(orders.address() as AddressInfo).port}/goodwill`;
    expect((await heard.api('PUT', '/goodwill/settings', { orderWebhookUrl: url })).status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    await new Promise((r) => orders?.close(r));
  });

  it('an agent over the limit asks, a supervisor approves, the order system takes it, and the agent tells the customer', async () => {
    const inboxId = await createInbox(heard, 'Case shop');
    const { conversationNumber } = await customerWrites(heard, inboxId, { externalId: 'robin-1', name: 'Robin Case' }, 'My cello case came without its wheels.');

    // The agent gives a credit of €80, above an agent's €50: it waits for approval.
    const agentAccount = await heard.addMember('agent', 'Ann Agent');
    const agentCtx = await newContext(browser, { width: 1440 });
    const agent = await agentCtx.newPage();
    await signIn(agent, heard, agentAccount);
    await agent.goto(`${heard.url}/app/inbox/all/${conversationNumber}`);
    await agent.getByRole('button', { name: 'Goodwill', exact: true }).click();
    const dialog = agent.getByRole('dialog', { name: 'Goodwill' });
    await dialog.getByLabel('Amount').fill('80');
    await dialog.getByLabel('Currency').fill('EUR');
    await dialog.getByText('Above your limit of €50.00: this will wait for a supervisor’s approval.').waitFor();
    await dialog.getByLabel('Reason').fill('Wheels kit missing from the order');
    await dialog.getByLabel('Order (optional)').fill('CASE-88');
    await dialog.getByRole('button', { name: 'Ask for approval' }).click();
    const card = dialog.getByRole('listitem', { name: 'Credit €80.00' });
    await card.getByText('Awaiting approval').waitFor();
    await card.getByText('The customer is not told yet: add it to your reply once it is approved.').waitFor();
    await screenshot(agent, 'goodwill-awaiting');

    // A supervisor finds it in Settings › Goodwill and approves it.
    const supervisorAccount = await heard.addMember('admin', 'Sam Supervisor');
    const supCtx = await newContext(browser, { width: 1440 });
    const supervisor = await supCtx.newPage();
    await signIn(supervisor, heard, supervisorAccount);
    await supervisor.goto(`${heard.url}/app/settings/goodwill`);
    const waiting = supervisor.getByRole('listitem', { name: 'Credit €80.00' });
    await waiting.getByText('Asked by Ann Agent').waitFor();
    await screenshot(supervisor, 'goodwill-settings-awaiting');
    await waiting.getByRole('button', { name: 'Approve' }).click();
    await supervisor.getByText('Nothing waits for approval.').waitFor();
    await supCtx.close();

    // The agent sees it approved and delivered, with the order system's reference, and tells the customer in the reply.
    await card.getByText('Delivered · order system ref RMA-7781').waitFor({ timeout: 20_000 });
    await card.getByText('Approved by Sam Supervisor').waitFor();
    await screenshot(agent, 'goodwill-delivered');
    await card.getByRole('button', { name: 'Add to reply' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await agent.getByRole('textbox', { name: /reply/i }).inputValue()).toBe('We’ve credited €80.00 to your account. (Order CASE-88)');
    await agent.getByText('Sam Supervisor approved the credit of €80.00').waitFor();
    await agentCtx.close();

    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body)).toMatchObject({ type: 'goodwill.approved', action: { kind: 'credit', amount: '80.00', currency: 'EUR', orderRef: 'CASE-88' } });
    expect(received[0].signature).toMatch(/^v1=[0-9a-f]{64}$/);
  });
});
