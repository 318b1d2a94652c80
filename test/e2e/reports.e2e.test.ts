import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInbox, customerWrites, type E2EHeard, launchBrowser, newContext, screenshot, signIn, startHeard } from './harness.js';

// The Reports area against a real server: figures, charts and CSV from what happened.
describe('the Reports area', () => {
  let heard: E2EHeard;
  let browser: Browser;

  beforeAll(async () => {
    heard = await startHeard();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  it('is in the rail for agents, shows the period in figures and charts, downloads CSV, and keeps its period and filters in the address', async () => {
    // Three conversations today: one answered and solved, two still waiting.
    const inboxId = await createInbox(heard, 'Shop bridge');
    const solved = await customerWrites(heard, inboxId, { externalId: 'r1', name: 'Rae' }, 'Where is my order?', 'Order 1');
    await customerWrites(heard, inboxId, { externalId: 'r2', name: 'Rob' }, 'Refund please', 'Refund');
    await customerWrites(heard, inboxId, { externalId: 'r3', name: 'Ria' }, 'Hello?', 'Hello');
    expect((await heard.api('POST', `/conversations/${solved.conversationId}/messages`, { text: 'On its way!' })).status).toBe(201);
    expect((await heard.api('PATCH', `/conversations/${solved.conversationId}`, { status: 'solved' })).status).toBe(200);

    const agent = await heard.addMember('agent', 'Ada Agent');
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, heard, agent);
    // As the agent would: the inbox has drawn before they reach for the rail.
    await page.getByRole('listbox', { name: 'Mine' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/app\/reports$/);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();

    // The figures come from the facts the server keeps as things happen (a processor): poll.
    const figure = (key: string) => page.getByTestId(`figure-${key}`).locator('dd').first();
    await expect.poll(() => figure('created').textContent(), { timeout: 20_000 }).toBe('3');
    await expect.poll(() => figure('solved').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await figure('backlog').textContent()).toBe('2');
    await page.getByRole('heading', { name: 'Volume' }).waitFor();
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThan(0);
    await screenshot(page, 'reports');

    // The overview as CSV, as the link downloads it.
    const href = await page.getByRole('link', { name: 'Download the overview as CSV' }).getAttribute('href');
    const csv = await page.evaluate(async (url) => {
      const r = await fetch(url!);
      return { type: r.headers.get('content-type'), body: await r.text() };
    }, href);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/created/);

    // The period and filters are in the address, so a report can be shared.
    await page.getByLabel('Period', { exact: true }).selectOption('7d');
    await page.getByLabel('Channel', { exact: true }).selectOption('email');
    await page.waitForURL(/\/app\/reports\?period=7d&channel=email$/);
    // Nothing came by e-mail: the empty state, not empty charts.
    await page.getByText('Nothing happened in this period').waitFor();

    // A custom period that ends before it starts is refused, naming the field, and never asked for.
    await page.getByLabel('Period', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2026-11-30');
    await page.getByLabel('To', { exact: true }).fill('2026-11-01');
    const asked: string[] = [];
    page.on('request', (r) => r.url().includes('/api/v1/reports/') && asked.push(r.url()));
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('alert').filter({ hasText: 'To: the period ends before it starts.' }).waitFor();
    expect(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(asked.filter((u) => u.includes('from=2026-11-30'))).toEqual([]);

    // The staffing forecast is one link away.
    await page.getByRole('link', { name: /Staffing forecast/ }).click();
    await page.waitForURL(/\/app\/reports\/staffing$/);
    await ctx.close();
  });

  it('is not offered to light members, and tells one who opens its address', async () => {
    const light = await heard.addMember('light', 'Lee Light');
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, heard, light);
    await page.getByRole('navigation').getByRole('link', { name: 'Knowledge base' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).count()).toBe(0);
    await page.goto(`${heard.url}/app/reports`);
    await page.getByRole('alert').filter({ hasText: 'Reports are for agents and admins.' }).waitFor();
    await ctx.close();
  });
});
