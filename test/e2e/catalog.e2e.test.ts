import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInbox, type E2EHeard, ownerSession, screenshot, startHeard } from './harness.js';

describe('the product beside the case', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let page: Page;
  let inboxId = '';

  beforeAll(async () => {
    heard = await startHeard();
    ({ browser, page } = await ownerSession(heard));
    await page.setViewportSize({ width: 1440, height: 900 });
    inboxId = await createInbox(heard, 'Shop chat');
    for (const a of [
      { key: 'inner_length', label: 'Inner length', type: 'number', unit: 'mm' },
      { key: 'wheels', label: 'Wheels', type: 'boolean' },
      { key: 'shell', label: 'Shell', type: 'choice', options: ['Carbon', 'Plywood'] },
      { key: 'outer', label: 'Outer size', type: 'dimensions', unit: 'mm' },
    ]) {
      expect((await heard.api('POST', '/catalog/attributes', a)).status).toBe(201);
    }
    expect((await heard.api('PATCH', '/help-center', { slug: 'cases', title: 'Cases Help', published: true })).status).toBe(200);
    const article = await heard.api('POST', '/kb/articles', { title: 'Fitting a wheels kit to your case', body: 'Every case takes our wheels kit: four screws, ten minutes.', status: 'published' });
    expect(article.status).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  it('imports the catalog from CSV, finds a product by its attributes beside the case, links the order, and inserts a suggested article into the reply', async () => {
    // Settings › Catalog: the file is checked and previewed, then imported.
    await page.goto(`${heard.url}/app/settings/catalog`);
    const csv = [
      'sku,name,price,currency,inner_length,wheels,shell,outer',
      'CC-CELLO,Cello case 4/4,1890,EUR,1250,yes,Carbon,1340x480x300',
      'CC-VIOLA,Viola case,490,EUR,720,no,Carbon,800x280x150',
      'CC-GUITAR,Guitar case,320,EUR,1050,yes,Plywood,1120x450x160',
    ].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.getByRole('region', { name: 'Import preview' });
    await preview.getByText('3 rows: 3 new, 0 to update.').waitFor();
    await preview.getByRole('button', { name: 'Import 3 products' }).click();
    await page.getByRole('status').getByText('Imported: 3 new products, 0 updated.').waitFor();

    // The customer writes; their order came from the shop's system.
    const { conversationNumber } = await customerWritesByEmail('My cello case came without wheels. Can I add some?');
    const order = await heard.api<{ id: string }>('POST', '/orders', {
      externalId: 'SHOP-1001',
      contact: { email: 'ben@example.com' },
      status: 'shipped',
      currency: 'EUR',
      placedAt: '2026-11-20T09:00:00Z',
      lines: [{ sku: 'CC-CELLO', qty: 1, price: 1890 }],
    });
    expect(order.status).toBe(201);

    await page.goto(`${heard.url}/app/inbox/all/${conversationNumber}`);
    const sidebar = page.getByRole('complementary', { name: 'Contact' });

    // The product panel: attribute filters find the long case with wheels.
    await sidebar.getByRole('searchbox', { name: 'Search products' }).fill('inner_length>=1200 wheels:yes');
    const found = sidebar.getByRole('list', { name: 'Products found' });
    const cello = found.getByRole('article', { name: 'Cello case 4/4' });
    await cello.getByText('1,250 mm').waitFor();
    await cello.getByText('1340 × 480 × 300 mm').waitFor();
    expect(await found.getByRole('article').count()).toBe(1);

    // The order, with its line, linked to the conversation.
    const orderItem = sidebar.getByRole('listitem', { name: 'Order SHOP-1001' });
    await orderItem.getByText('Cello case 4/4').waitFor();
    await orderItem.getByRole('button', { name: 'Link order SHOP-1001 to this conversation' }).click();
    await orderItem.getByText('Linked to this conversation').waitFor();
    await page.getByText('linked order SHOP-1001').waitFor();
    await screenshot(page, 'catalog-sidebar');

    // Writing the reply: the article about the wheels kit is suggested, and goes in as a link.
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Hello Ben, sorry about that. Our wheels kit fits your case:');
    const suggestion = page.getByRole('button', { name: 'Insert a link to the article Fitting a wheels kit to your case' });
    await suggestion.waitFor();
    // From the text box, Tab reaches the first suggestion and Enter inserts it.
    await reply.press('Tab');
    expect(await suggestion.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const url = `${heard.url}/help/cases/articles/fitting-a-wheels-kit-to-your-case`;
    await expect.poll(() => reply.inputValue()).toBe(`Hello Ben, sorry about that. Our wheels kit fits your case:\nFitting a wheels kit to your case: ${url}`);
    await screenshot(page, 'catalog-suggestion');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => JSON.stringify(heard.callbacks), { timeout: 15_000 }).toContain(url);

    // The contact's own page lists their orders too.
    const { contactId } = (await heard.api<{ contactId: string }>('GET', `/orders/${order.body.id}`)).body;
    await page.goto(`${heard.url}/app/contacts/${contactId}`);
    await page.getByRole('listitem', { name: 'Order SHOP-1001' }).getByText('Cello case 4/4').waitFor();
  });

  async function customerWritesByEmail(text: string) {
    const r = await heard.api<{ conversationNumber: number }>('POST', `/inboxes/${inboxId}/messages`, { contact: { email: 'ben@example.com', name: 'Ben Bass' }, text, clientMessageId: 'ben-1' });
    expect(r.status).toBe(201);
    return r.body;
  }
});
