import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { type E2EHeard, launchBrowser, newContext, ownerSession, screenshot, signIn, startHeard } from './harness.js';

describe('the feedback wall', () => {
  let heard: E2EHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let owner: Page;
  let inboxId = '';
  let wallUrl = '';
  const address = 'care@e2e-boots.test';

  beforeAll(async () => {
    sink = await startSmtpSink();
    heard = await startHeard({ env: { SMTP_URL: sink.url } });
    ({ browser, page: owner } = await ownerSession(heard));
    inboxId = (await heard.api<{ id: string }>('POST', '/inboxes', { name: 'Boot care', channel: 'email', address })).body.id;
    const hc = await heard.api<{ url: string }>('PATCH', '/help-center', { slug: 'boots', title: 'Trail Boots Help', published: true });
    expect(hc.status).toBe(200);
    wallUrl = `${heard.url}/help/boots/feedback`;
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    await sink?.close();
  });

  it('an agent shares a compliment, the customer agrees from the e-mailed link, an admin publishes it, and the wall shows it with the response', async () => {
    const mime = ['From: Maya Johnson <maya@example.com>', `To: ${address}`, 'Subject: My new boots', 'Message-ID: <maya-boots@example.com>', '', 'The boots fit perfectly and came a day early. Thank you!', ''].join('\r\n');
    const res = await fetch(`${heard.url}/api/v1/inboxes/${inboxId}/mime`, { method: 'POST', headers: { Authorization: `Bearer ${heard.ownerToken}`, 'Content-Type': 'message/rfc822' }, body: mime });
    expect(res.status).toBe(201);
    const { conversationId } = (await res.json()) as { conversationId: string };
    const { number } = (await heard.api<{ number: number }>('GET', `/conversations/${conversationId}`)).body;

    // An agent marks the customer's message as a compliment and asks for consent.
    const agentAccount = await heard.addMember('agent', 'Ann Agent');
    const agentCtx = await newContext(browser, { width: 1440 });
    const agent = await agentCtx.newPage();
    await signIn(agent, heard, agentAccount);
    await agent.goto(`${heard.url}/app/inbox/all/${number}`);
    const message = agent.getByRole('article', { name: 'Maya Johnson' });
    await message.hover();
    await message.getByRole('button', { name: 'Share as compliment' }).click();
    const dialog = agent.getByRole('dialog', { name: 'Share as a compliment on the feedback wall' });
    expect(await dialog.getByLabel('Quote').inputValue()).toBe('The boots fit perfectly and came a day early. Thank you!');
    // The name follows the contact's, which may still be loading when the dialog opens.
    await expect.poll(() => dialog.getByLabel('Name shown').inputValue()).toBe('Maya J.');
    await dialog.getByLabel('Our response').fill('We are so glad, Maya. Enjoy the trail!');
    await screenshot(agent, 'feedback-share-dialog');
    await dialog.getByRole('button', { name: 'Ask for consent' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await agent.getByText('Ann Agent asked the customer to share this compliment on the feedback wall').waitFor();
    await agentCtx.close();

    // The request arrives by e-mail; the customer opens the link and agrees.
    await expect.poll(() => sink.received.filter((m) => m.mail.text?.includes('/feedback/consent/')).length, { timeout: 20_000 }).toBe(1);
    const mail = sink.received.find((m) => m.mail.text?.includes('/feedback/consent/'))!;
    expect(mail.to).toEqual(['maya@example.com']);
    const link = /https?:\/\/\S+\/feedback\/consent\/[\w-]{43}/.exec(mail.mail.text!)![0];
    const customerCtx = await newContext(browser, { width: 1440 });
    const customer = await customerCtx.newPage();
    await customer.goto(link);
    await customer.getByRole('heading', { level: 1, name: 'May we share your words?' }).waitFor();
    await customer.getByText('The boots fit perfectly and came a day early. Thank you!').waitFor();
    await customer.getByText('We are so glad, Maya. Enjoy the trail!').waitFor();
    // Nothing is on the wall before the customer agrees and an admin publishes.
    expect(await (await fetch(wallUrl)).text()).not.toContain('The boots fit perfectly');
    await screenshot(customer, 'feedback-consent-page');
    await customer.getByRole('button', { name: 'Yes, publish it' }).click();
    await customer.getByRole('status').getByText('You agreed to share this').waitFor();
    expect(await (await fetch(wallUrl)).text()).not.toContain('The boots fit perfectly');

    // The admin publishes it from Settings › Feedback wall.
    await owner.goto(`${heard.url}/app/settings/feedback-wall`);
    const item = owner.getByRole('listitem', { name: 'Compliment: Maya J.' });
    await item.getByText('Agreed').waitFor();
    await screenshot(owner, 'feedback-settings');
    await item.getByRole('button', { name: 'Publish' }).click();
    await item.getByText('Published').waitFor();

    // The wall in the help center shows it with the response, and the navigation links to it.
    const reader = await customerCtx.newPage();
    await reader.goto(`${heard.url}/help/boots`);
    await reader.getByRole('navigation', { name: 'Help center' }).getByRole('link', { name: 'Customer feedback' }).click();
    await reader.getByRole('heading', { level: 1, name: 'What our customers say' }).waitFor();
    const card = reader.getByRole('listitem').filter({ hasText: 'The boots fit perfectly and came a day early. Thank you!' });
    await card.getByText('Maya J.').waitFor();
    await card.getByText('We are so glad, Maya. Enjoy the trail!').waitFor();
    await card.getByText('Compliment').waitFor();
    await screenshot(reader, 'feedback-wall');

    // The public pages at both widths, light and dark, in English and German.
    for (const locale of ['en', 'de'] as const) {
      if (locale === 'de') expect((await heard.api('PATCH', '/help-center', { locale: 'de' })).status).toBe(200);
      for (const width of [1440, 390]) {
        for (const colorScheme of ['light', 'dark'] as const) {
          const ctx = await newContext(browser, { width, colorScheme });
          const p = await ctx.newPage();
          await p.goto(wallUrl);
          await screenshot(p, `feedback-wall-${locale}-${width}-${colorScheme}`);
          await p.goto(link);
          await screenshot(p, `feedback-consent-${locale}-${width}-${colorScheme}`);
          await ctx.close();
        }
      }
    }
    await customerCtx.close();
  });
});
