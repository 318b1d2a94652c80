import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { type E2EHeard, ownerSession, screenshot, startHeard } from './harness.js';

describe('the satisfaction survey', () => {
  let heard: E2EHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let page: Page;
  let inboxId = '';
  /** The conversation the first test solves and the customer rates with a comment. */
  let rated = { id: '', number: 0 };
  const address = 'care@e2e-kettles.test';

  beforeAll(async () => {
    sink = await startSmtpSink();
    heard = await startHeard({ env: { SMTP_URL: sink.url } });
    ({ browser, page } = await ownerSession(heard));
    const inbox = await heard.api<{ id: string }>('POST', '/inboxes', { name: 'Kettle care', channel: 'email', address });
    inboxId = inbox.body.id;
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    await sink?.close();
  });

  it('is turned on in the inbox settings, rated from the e-mailed link with a comment, and the agent sees the rating', async () => {
    await page.goto(`${heard.url}/app/settings/inboxes/${inboxId}`);
    const section = page.getByRole('form', { name: 'Satisfaction survey' });
    await section.getByLabel('Send a satisfaction survey when a conversation is solved').check();
    await section.getByLabel('Send after (minutes)').fill('0');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect((await heard.api<{ satisfaction: unknown }>('GET', `/inboxes/${inboxId}`)).body.satisfaction).toEqual({ enabled: true, delayMinutes: 0 });

    // A customer writes, an agent answers and solves it.
    const mime = ['From: Maya Johnson <maya@example.com>', `To: ${address}`, 'Subject: Kettle will not boil', 'Message-ID: <maya-kettle@example.com>', '', 'It stays cold.', ''].join('\r\n');
    const res = await fetch(`${heard.url}/api/v1/inboxes/${inboxId}/mime`, { method: 'POST', headers: { Authorization: `Bearer ${heard.ownerToken}`, 'Content-Type': 'message/rfc822' }, body: mime });
    expect(res.status).toBe(201);
    const { conversationId } = (await res.json()) as { conversationId: string };
    expect((await heard.api('POST', `/conversations/${conversationId}/messages`, { text: 'A new kettle is on its way.' })).status).toBe(201);
    expect((await heard.api('PATCH', `/conversations/${conversationId}`, { status: 'solved' })).status).toBe(200);

    // The survey arrives by e-mail; the customer clicks "Good" in it.
    await expect.poll(() => sink.received.filter((m) => m.mail.text?.includes('/survey/')).length, { timeout: 20_000 }).toBe(1);
    const mail = sink.received.find((m) => m.mail.text?.includes('/survey/'))!;
    expect(mail.to).toEqual(['maya@example.com']);
    const good = /https?:\/\/\S+\/survey\/[\w-]{43}\?rating=good/.exec(mail.mail.text!)![0];

    const customer = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const survey = await customer.newPage();
    await survey.goto(good);
    await survey.getByRole('heading', { level: 1, name: 'How did we do?' }).waitFor();
    await survey.getByText('Your request “Kettle will not boil”').waitFor();
    // The page sent the rating by itself and came back with it saved.
    await survey.getByRole('status').getByText('Your answer is saved.').waitFor();
    expect(await survey.getByRole('radio', { name: 'Good' }).isChecked()).toBe(true);
    await survey.getByLabel('Anything you would like to tell us? (optional)').fill('Quick and kind');
    await survey.getByRole('button', { name: 'Send' }).click();
    await survey.getByRole('status').getByText('Your answer is saved.').waitFor();
    expect(await survey.getByLabel('Anything you would like to tell us? (optional)').inputValue()).toBe('Quick and kind');
    await screenshot(survey, 'survey-page');
    await customer.close();

    // The agent sees it on the timeline and in the contact's history.
    const conversation = await heard.api<{ number: number; satisfaction: { rating: string; comment: string } }>('GET', `/conversations/${conversationId}`);
    expect(conversation.body.satisfaction).toMatchObject({ rating: 'good', comment: 'Quick and kind' });
    await page.goto(`${heard.url}/app/inbox/solved/${conversation.body.number}`);
    await page.getByText('Customer rated Good: “Quick and kind”').waitFor();
    await page.getByRole('complementary', { name: 'Contact' }).getByRole('img', { name: 'Customer rated it Good' }).waitFor();
    await screenshot(page, 'survey-agent-timeline');
    rated = { id: conversationId, number: conversation.body.number };
  });

  it('shares the rating’s comment on the feedback wall only once the customer agreed, and sets the portal inbox’s survey', async () => {
    expect(rated.id).not.toBe('');
    const conversationId = rated.id;
    await page.goto(`${heard.url}/app/inbox/solved/${rated.number}`);
    const hc = await heard.api<{ portalInboxId: string }>('PATCH', '/help-center', { slug: 'kettles', title: 'Kettle Help', published: true });
    expect(hc.status).toBe(200);
    const wallUrl = `${heard.url}/help/kettles/feedback`;
    await page.getByRole('button', { name: 'Share this comment as a compliment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share as a compliment on the feedback wall' });
    expect(await dialog.getByLabel('Quote').inputValue()).toBe('Quick and kind');
    // The name follows the contact's once it has loaded.
    await expect.poll(() => dialog.getByLabel('Name shown').inputValue()).toBe('Maya J.');
    await dialog.getByLabel('Our response').fill('Thank you, Maya!');
    await dialog.getByRole('button', { name: 'Ask for consent' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => sink.received.filter((m) => m.mail.text?.includes('/feedback/consent/')).length, { timeout: 20_000 }).toBe(1);
    const consentMail = sink.received.find((m) => m.mail.text?.includes('/feedback/consent/'))!;
    const consentLink = /https?:\/\/\S+\/feedback\/consent\/[\w-]{43}/.exec(consentMail.mail.text!)![0];
    const [item] = (await heard.api<{ items: { id: string; state: string; surveyId: string | null }[] }>('GET', `/feedback?conversationId=${conversationId}`)).body.items;
    expect(item).toMatchObject({ state: 'consent_requested' });
    expect(item.surveyId).toBeTruthy();
    expect((await heard.api('POST', `/feedback/${item.id}/publish`)).status).toBe(409);
    expect(await (await fetch(wallUrl)).text()).not.toContain('Quick and kind');
    const asked = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const consent = await asked.newPage();
    await consent.goto(consentLink);
    await consent.getByText('Quick and kind').waitFor();
    await consent.getByRole('button', { name: 'Yes, publish it' }).click();
    await consent.getByRole('status').getByText('You agreed to share this').waitFor();
    expect((await heard.api('POST', `/feedback/${item.id}/publish`)).status).toBe(200);
    await consent.goto(wallUrl);
    const card = consent.getByRole('listitem').filter({ hasText: 'Quick and kind' });
    await card.getByText('Thank you, Maya!').waitFor();
    await asked.close();

    // The portal inbox's survey is set in the help center's settings.
    await page.goto(`${heard.url}/app/settings/help-center`);
    const portal = page.getByRole('form', { name: 'Satisfaction survey' });
    await portal.getByLabel('Send a satisfaction survey when a conversation is solved').check();
    await portal.getByLabel('Send after (minutes)').fill('30');
    await portal.getByRole('button', { name: 'Save' }).click();
    await portal.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect((await heard.api<{ satisfaction: unknown }>('GET', `/inboxes/${hc.body.portalInboxId}`)).body.satisfaction).toEqual({ enabled: true, delayMinutes: 30 });
  });
});
