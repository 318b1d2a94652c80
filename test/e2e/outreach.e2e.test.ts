import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { type E2EHeard, ownerSession, screenshot, startHeard } from './harness.js';

describe('the outreach queue (S4: the maker calls you first)', () => {
  let heard: E2EHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sink = await startSmtpSink();
    heard = await startHeard({ env: { SMTP_URL: sink.url, HEARD_OUTREACH_SWEEP_SECONDS: '1' } });
    ({ browser, page } = await ownerSession(heard));
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    await sink?.close();
  });

  it('a purchase arrives by API, its follow-up comes due in the queue, the agent writes to the customer and the task is done', async () => {
    const me = await heard.api<{ member: { id: string } }>('GET', '/me');
    expect((await heard.api('POST', '/inboxes', { name: 'Customer care', channel: 'email', address: 'care@e2e-cars.test' })).status).toBe(201);
    const rule = await heard.api('POST', '/outreach/rules', {
      name: 'How is the car?',
      eventType: 'purchase',
      delay: { amount: 0, unit: 'hours' },
      assigneeId: me.body.member.id,
      instructions: 'Ask how the first weeks went.',
    });
    expect(rule.status).toBe(201);

    // The shop's system holds a token with only the events scope, made from the signed-in session.
    const session = await page.request.get(`${heard.url}/api/v1/me`);
    const csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
    const made = await page.request.post(`${heard.url}/api/v1/tokens`, { headers: { 'x-csrf-token': csrf }, data: { name: 'Shop', scopes: ['events'] } });
    expect(made.status()).toBe(201);
    const shopToken = ((await made.json()) as { token: string }).token;
    const event = await heard.api(
      'POST',
      '/events',
      {
        id: 'order-77',
        type: 'purchase',
        occurredAt: new Date().toISOString(),
        contact: { email: 'maria@buyer.test', name: 'Maria Lopez' },
        product: { sku: 'EV5', name: 'EV5 Touring' },
        amount: { value: 41990, currency: 'EUR' },
      },
      shopToken,
    );
    expect(event.status).toBe(201);

    await page.goto(`${heard.url}/app/inbox/mine`);
    const rail = page.getByRole('navigation', { name: 'Conversation views' });
    const link = rail.getByRole('link', { name: /Outreach/ });
    await expect.poll(async () => (await link.textContent())?.replace(/\s+/g, ''), { timeout: 15_000 }).toBe('Outreach1');
    await link.click();
    await page.getByRole('list', { name: 'Tasks' }).getByRole('link', { name: /Maria Lopez/ }).click();
    const task = page.getByRole('article');
    await task.getByRole('heading', { name: 'Maria Lopez' }).waitFor();
    await task.getByText('Ask how the first weeks went.').waitFor();
    await task.getByText('EV5 Touring (EV5)').waitFor();
    await screenshot(page, 'outreach-task');

    await task.getByRole('button', { name: 'Write' }).click();
    const form = task.getByRole('form', { name: 'Write' });
    expect(await form.getByLabel('Subject').inputValue()).toBe('Your EV5 Touring');
    await form.getByLabel('Message').fill('Hello Maria, how is the EV5 after the first weeks?');
    await form.getByRole('button', { name: 'Send and mark done' }).click();
    await task.getByRole('status').getByText('Sent. The task is done').waitFor();
    await task.getByText(/Done by writing, by Olivia Owner/).waitFor();
    await expect.poll(async () => (await link.textContent())?.replace(/\s+/g, '')).toBe('Outreach');
    await screenshot(page, 'outreach-done');

    // Really sent: the e-mail reached the customer, with the conversation's own subject.
    await expect.poll(() => sink.received.length, { timeout: 15_000 }).toBe(1);
    expect(sink.received[0].to).toEqual(['maria@buyer.test']);
    expect(sink.received[0].mail.subject).toMatch(/^Your EV5 Touring \[#\d+\]$/);

    // The admin changes the rule in Settings › Outreach: the form comes filled, the list shows the new delay.
    await page.goto(`${heard.url}/app/settings/outreach`);
    const rules = page.getByRole('list', { name: 'Outreach rules' });
    await rules.getByRole('button', { name: 'Edit How is the car?' }).click();
    const edit = rules.getByRole('form', { name: 'Edit How is the car?' });
    expect(await edit.getByLabel('How many').inputValue()).toBe('0');
    await edit.getByLabel('How many').fill('3');
    await edit.getByLabel('Unit').selectOption('days');
    await edit.getByRole('button', { name: 'Save' }).click();
    await rules.getByText('3 days after purchase').waitFor();
  });
});
