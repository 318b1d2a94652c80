import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, ownerSession, screenshot, startHeard } from './harness.js';

/** Settings › Webhooks: an admin adds an endpoint, sends a test and reads the result in the delivery log (docs/webhooks.md). */
describe('workspace webhooks in settings', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    heard = await startHeard();
    ({ browser, page } = await ownerSession(heard));
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  it('adds an endpoint, shows its secret once, sends a test and shows the 200 in the delivery log', async () => {
    await page.goto(`${heard.url}/app/settings`);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByText('No endpoints yet.').waitFor();

    const form = page.getByRole('form', { name: 'Add endpoint' });
    // A kind chosen by hand, among those the server lists.
    await form.getByLabel('All events, including kinds added later').uncheck();
    await form.getByLabel('conversation.created').check();
    await form.getByLabel('Endpoint URL').fill('ftp://orders.example.test/hooks');
    await form.getByLabel('Description').fill('Order system');
    // The browser lets an ftp URL through type=url; the server names the field.
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => form.getByText('must be an http or https URL').count()).toBe(1);
    await form.getByLabel('Endpoint URL').fill(heard.callbackUrl);
    await form.getByRole('button', { name: 'Add endpoint' }).click();

    const secret = page.getByLabel('Signing secret');
    await secret.waitFor();
    expect(await secret.textContent()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('listitem').filter({ hasText: 'Order system' });
    expect(await row.textContent()).toContain('conversation.created');

    await page.getByRole('link', { name: `Open ${heard.callbackUrl}` }).click();
    await page.getByRole('heading', { level: 1, name: 'Order system' }).waitFor();
    await page.getByText('Nothing sent yet.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByRole('status').filter({ hasText: 'Test: Delivered: HTTP 200' }).waitFor();

    const log = page.getByRole('region', { name: 'Delivery log' });
    const delivery = log.getByRole('listitem').filter({ hasText: 'ping' });
    await delivery.waitFor();
    expect(await delivery.textContent()).toMatch(/Delivered.*HTTP 200/);
    expect(heard.callbacks).toContainEqual(expect.objectContaining({ type: 'ping' }));

    // Redelivered, it shows a second attempt.
    await delivery.getByRole('button', { name: /^Redeliver ping/ }).click();
    await expect.poll(async () => (await delivery.textContent()) ?? '').toContain('2 attempts');
    await delivery.getByText('Details').click();
    await delivery.getByText('Request body').waitFor();
    await screenshot(page, 'webhooks-endpoint');
  });
});
