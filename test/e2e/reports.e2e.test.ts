import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, launchBrowser, newContext, signIn, startHeard } from './harness.js';

// The Reports area against a real server. Until the server answers /api/v1/reports/* (404
// here), the page must say plainly that this server has no reports, not draw empty charts.
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

  it('is in the rail for agents, keeps its period and filters in the address, and says clearly when the server offers no reports', async () => {
    const agent = await heard.addMember('agent', 'Ada Agent');
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, heard, agent);
    await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/app\/reports$/);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();

    const alert = page.getByRole('alert').filter({ hasText: 'does not offer reports' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('(404)');
    // No figures or charts drawn from nothing.
    expect(await page.getByRole('heading', { name: 'Volume' }).count()).toBe(0);
    expect(await page.getByText('Created', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Download the overview as CSV' }).count()).toBe(0);

    // The period and filters are in the address, so a report can be shared.
    await page.getByLabel('Period', { exact: true }).selectOption('7d');
    await page.getByLabel('Channel', { exact: true }).selectOption('email');
    await page.waitForURL(/\/app\/reports\?period=7d&channel=email$/);
    await alert.waitFor();

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
