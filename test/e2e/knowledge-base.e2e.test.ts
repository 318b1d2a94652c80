import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, newContext, ownerSession, screenshot, startHeard } from './harness.js';

/** A PNG of one colour (RGB), made here: big enough to see in the screenshots, a few hundred bytes. */
function png(width: number, height: number, rgb: [number, number, number]) {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

const PNG = png(320, 140, [42, 95, 196]);

describe('knowledge base', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let articlePath = '';

  beforeAll(async () => {
    heard = await startHeard();
    ({ browser, ctx, page } = await ownerSession(heard));
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  const loaded = (img: ReturnType<Page['getByRole']>) => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth);

  it('tells a new admin where to start', async () => {
    await page.getByRole('navigation', { name: 'Conversation views' }).getByRole('link', { name: 'Knowledge base' }).click();
    await page.getByRole('heading', { name: 'Knowledge base', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Your knowledge base is empty' }).waitFor();
    await page.getByText('The help center is not public yet').waitFor();
    await screenshot(page, 'kb-empty');
  });

  it('publishes the help center in Settings › Help center', async () => {
    await page.goto(`${heard.url}/app/settings`);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Help center', exact: true }).click();
    await page.getByRole('heading', { name: 'Help center', level: 1 }).waitFor();
    // No email inbox can send yet: the page says what customers miss.
    await page.getByText('Customers cannot get sign-in links or answers by e-mail').waitFor();
    const published = page.getByRole('switch', { name: 'Published' });
    expect(await published.getAttribute('aria-checked')).toBe('false');
    await published.click();
    await expect.poll(() => published.getAttribute('aria-checked')).toBe('true');
    await page.getByText('Public: anyone can read the published articles').waitFor();
    expect((await heard.api<{ published: boolean }>('GET', '/help-center')).body.published).toBe(true);
    await screenshot(page, 'settings-help-center');
  });

  it('adds contact-form topics, their ids made from the names', async () => {
    const contact = page.getByRole('form', { name: 'Contact form' });
    await contact.getByLabel('New topic').fill('Orders & shipping');
    await contact.getByLabel('New topic').press('Enter');
    await contact.getByLabel('New topic').fill('Orders / shipping');
    await contact.getByRole('button', { name: 'Add topic' }).click();
    await contact.getByText('id orders-shipping-2').waitFor();
    await contact.getByLabel('Name of topic orders-shipping-2').fill('Returns');
    await contact.getByText('id returns').waitFor();
    await contact.getByLabel('Portal inbox').selectOption({ label: 'Help center' });
    await contact.getByRole('button', { name: 'Save' }).click();
    await contact.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const hc = await heard.api<{ topics: { id: string; name: string }[]; portalInboxId: string | null }>('GET', '/help-center');
    expect(hc.body.topics).toEqual([
      { id: 'orders-shipping', name: 'Orders & shipping' },
      { id: 'returns', name: 'Returns' },
    ]);
    expect(hc.body.portalInboxId).not.toBeNull();
    await contact.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-help-center-contact');
  });

  it('creates a category', async () => {
    await page.goto(`${heard.url}/app/kb`);
    await page.getByRole('link', { name: 'Categories' }).click();
    await page.getByRole('heading', { name: 'Categories', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Add category' });
    await form.getByLabel('Name').fill('Your account');
    await form.getByLabel('Description (optional)').fill('Signing in, passwords and profiles');
    await form.getByRole('button', { name: 'Add category' }).click();
    await page.getByRole('listitem', { name: 'Your account' }).getByText('0 articles, 0 published').waitFor();
    await screenshot(page, 'kb-categories');
  });

  it('writes an article with an uploaded image, previews and publishes it', async () => {
    await page.getByRole('link', { name: 'Knowledge base' }).first().click();
    await page.getByRole('link', { name: 'New article' }).first().click();
    await page.getByLabel('Title').fill('Reset your password');
    await page.getByLabel('Category').selectOption({ label: 'Your account' });
    const body = page.getByLabel('Article text');
    await body.fill('## Forgot it?\n\nChoose **Forgot password** on the sign-in page and follow the link we send you.\n');
    await page.getByLabel('Choose images to insert').setInputFiles({ name: 'sign-in.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => body.inputValue()).toMatch(/!\[sign-in\]\(\/help\/files\/[^)]+\/sign-in\.png\)/);
    expect(await body.inputValue()).not.toContain('Uploading');
    await page.getByRole('status').filter({ hasText: 'Unsaved changes' }).waitFor();
    await screenshot(page, 'kb-editor');

    await page.getByRole('tab', { name: 'Preview' }).click();
    const preview = page.getByRole('tabpanel');
    await preview.getByRole('heading', { name: 'Forgot it?' }).waitFor();
    const image = preview.getByRole('img', { name: 'sign-in' });
    await expect.poll(() => loaded(image)).toBe(320);
    await screenshot(page, 'kb-editor-preview');

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/\/app\/kb\/articles\/[0-9a-f-]{36}$/);
    await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
    await page.getByRole('button', { name: 'Unpublish' }).waitFor();
    const facts = page.getByRole('complementary', { name: 'About this article' });
    await facts.getByText('Published', { exact: true }).waitFor();
    await facts.getByText('Olivia Owner', { exact: true }).waitFor();
    articlePath = (await page.getByRole('link', { name: /View in help center/ }).getAttribute('href'))!;
    expect(articlePath).toMatch(/^\/help\/[a-z0-9-]+\/articles\/reset-your-password$/);

    await page.getByRole('tab', { name: 'Write' }).click();
    await page.setViewportSize({ width: 1024, height: 800 });
    await screenshot(page, 'kb-editor-1024');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    await screenshot(page, 'kb-editor-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a customer, not signed in, reads the article with its image', async () => {
    const anonymous = await newContext(browser);
    const reader = await anonymous.newPage();
    const res = await reader.goto(`${heard.url}${articlePath}`);
    expect(res?.status()).toBe(200);
    await reader.getByRole('heading', { name: 'Reset your password', level: 1 }).waitFor();
    const image = reader.getByRole('img', { name: 'sign-in' });
    await expect.poll(() => loaded(image)).toBe(320);
    await anonymous.close();
  });

  it('lists the article as published, with its category and figures', async () => {
    await page.goto(`${heard.url}/app/kb`);
    await page.getByRole('tab', { name: 'Published' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Reset your password' });
    await row.getByText('Published', { exact: true }).waitFor();
    await row.getByText(/^Your account · updated .* by Olivia Owner$/).waitFor();
    await page.getByRole('definition').filter({ hasText: /^1$/ }).first().waitFor();
    await page.getByRole('tab', { name: 'Drafts' }).click();
    await page.getByText('No article matches these filters.').waitFor();
    await page.getByRole('tab', { name: 'All' }).click();
    await row.waitFor();
    await screenshot(page, 'kb-list');
  });

  it('warns before leaving an article with unsaved changes', async () => {
    await page.getByRole('link', { name: 'Reset your password' }).click();
    await page.getByLabel('Title').fill('Reset your password, quickly');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
    });
    await page.getByRole('link', { name: 'Knowledge base' }).first().click();
    await expect.poll(() => asked).toContain('Leave without saving?');
    await page.waitForURL(/\/app\/kb$/);
  });
});
