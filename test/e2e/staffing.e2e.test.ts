import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, ownerSession, screenshot, startHeard } from './harness.js';

describe('the staffing forecast page', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The demo's conversations lie in the past days: an arrival history to forecast from.
    heard = await startHeard({ demo: true });
    ({ browser, page } = await ownerSession(heard));
  });
  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  /** The agents needed in every cell of the grid, read from what the cells say. */
  async function neededPerCell() {
    const grid = page.getByRole('region', { name: 'Agents needed and seen, hour by hour' });
    const labels = await grid.getByRole('button').evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? ''));
    return labels.map((l) => Number(/: (\d+) needed/.exec(l)![1]));
  }

  it('draws the week as a grid and a day as bars, and forecasts again from the assumptions', async () => {
    await page.goto(`${heard.url}/app/reports/staffing`);
    await page.getByRole('heading', { name: 'Staffing forecast', level: 1 }).waitFor();
    // The heading shows before the forecast has loaded: wait for the grid's 168 hours.
    await expect.poll(async () => (await neededPerCell()).length, { timeout: 20_000 }).toBe(7 * 24);
    const before = await neededPerCell();
    expect(before.some((n) => n > 0)).toBe(true);
    // The chart opens on the busiest day and draws its bars.
    await page.locator('.recharts-bar-rectangle').first().waitFor();

    // No shrinkage and a lower service level: never more agents in any hour, fewer in some.
    await page.getByLabel('Shrinkage (%)').fill('0');
    await page.getByLabel('Service level (%)').fill('50');
    await page.getByRole('button', { name: 'Update forecast' }).click();
    await expect.poll(async () => (await neededPerCell()).reduce((a, b) => a + b, 0)).toBeLessThan(before.reduce((a, b) => a + b, 0));
    const after = await neededPerCell();
    expect(after.every((n, i) => n <= before[i])).toBe(true);

    // A day button charts that day.
    await page.getByRole('button', { name: 'Sun', exact: true }).click();
    await page.getByRole('heading', { name: 'One day: Sunday' }).waitFor();
    await screenshot(page, 'staffing-forecast');
  });
});
