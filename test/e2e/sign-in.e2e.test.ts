import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, launchBrowser, newContext, screenshot, signIn, startHeard } from './harness.js';

describe('signing in', () => {
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

  it('refuses a wrong password with a message, and stays on the sign-in screen', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${heard.url}/app/`);
    await page.waitForURL(/\/app\/login$/);
    await page.getByLabel('E-mail').fill(heard.owner.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That e-mail and password do not match an account.');
    expect(new URL(page.url()).pathname).toBe('/app/login');
    await ctx.close();
  });

  it('signs in and shows the conversation views', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, heard, heard.owner);
    await page.getByRole('navigation', { name: 'Conversation views' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/inbox/mine');
    await ctx.close();
  });

  it('looks right in light and dark, at 1280 and 1024 wide', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 1024]) {
        const ctx = await newContext(browser, { colorScheme, width });
        const page = await ctx.newPage();
        await page.goto(`${heard.url}/app/login`);
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        await screenshot(page, `login-${colorScheme}-${width}`);
        await signIn(page, heard, heard.owner);
        await page.getByRole('navigation', { name: 'Conversation views' }).waitFor();
        await screenshot(page, `inbox-${colorScheme}-${width}`);
        await ctx.close();
      }
    }
  });
});
