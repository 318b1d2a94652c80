import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, launchBrowser, newContext, screenshot, startHeard } from './harness.js';

/** /demo: the sample shop page with the demo workspace's widget, under the page's own CSP. */
describe('the widget demo page', () => {
  let heard: E2EHeard;
  let browser: Browser;

  beforeAll(async () => {
    heard = await startHeard({ demo: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  it('shows the shop with a working chat: the team, the greeting, and a message sent', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const ctx = await newContext(browser, { colorScheme: scheme });
      const page = await ctx.newPage();
      const refused: string[] = [];
      // Nothing the page needs is refused (CSP, CORS, a missing file); the browser's own favicon request aside.
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 404/.test(m.text())) refused.push(m.text());
      });
      page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) refused.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(`${heard.url}/demo`);
      await page.getByRole('heading', { name: 'Made for the weather you get' }).waitFor();
      await page.getByRole('button', { name: 'Open chat' }).click();
      const panel = page.getByRole('dialog', { name: 'Website chat' });
      await panel.getByText(/from Support/).waitFor();
      await panel.getByText('Hi! Ask us anything', { exact: false }).waitFor();
      if (scheme === 'light') {
        // The demo inbox asks name and e-mail, both optional: straight on.
        await panel.getByRole('button', { name: 'Start chatting' }).click();
        const composer = panel.getByRole('textbox', { name: 'Your message' });
        await composer.fill('Hello from the demo page');
        await composer.press('Enter');
        await expect.poll(() => panel.getByRole('log').getByRole('listitem').filter({ hasText: 'Hello from the demo page' }).textContent()).not.toContain('Sending');
      }
      await screenshot(page, `widget-demo-${scheme}`);
      expect(refused).toEqual([]);
      await ctx.close();
    }
  });
  it("greets a German visitor in German with Heard's own words, read from the greeting's start above the pre-chat form", async () => {
    const ctx = await newContext(browser, { width: 768, height: 1024, locale: 'de-DE' });
    const page = await ctx.newPage();
    await page.goto(`${heard.url}/demo`);
    await page.getByRole('button', { name: 'Chat öffnen' }).click();
    const panel = page.getByRole('dialog', { name: 'Website chat' });
    const greeting = panel.getByText('Hallo! Fragen Sie uns alles, wir antworten meist innerhalb weniger Minuten.');
    await greeting.waitFor();
    // The demo keeps Heard's own offline message too: German, not the English default.
    await panel.getByText('Wir sind gerade nicht da.', { exact: false }).waitFor();
    await panel.getByRole('button', { name: 'Chat beginnen' }).waitFor();
    // The pre-chat form leaves the messages little room: the list starts at the greeting, not scrolled past it.
    const list = (await panel.getByRole('log').boundingBox())!;
    const top = (await greeting.boundingBox())!;
    expect(top.y).toBeGreaterThanOrEqual(list.y);
    await screenshot(page, 'widget-demo-de');
    await ctx.close();
  });
});
