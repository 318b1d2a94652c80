import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { type E2EHeard, launchBrowser, newContext, ownerSession, screenshot, startHeard } from './harness.js';

/**
 * The public help center as customers use it, in Chromium against a real `heard start`
 * whose mail goes to a real SMTP server: finding an answer, the community, the portal
 * (signed in by the link in a real e-mail) and the contact form.
 */

const SLUG = 'e2e';
const CUSTOMER = { name: 'Maya Johnson', email: 'maya@example.com' };
const PHONE = 390;
/** Forms sent faster than a person could fill them in are taken for a bot's (MIN_FILL_MS in src/server/helpcenter/forms.ts). */
const MIN_FILL_MS = 1200;

describe('the help center', () => {
  let heard: E2EHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let emailInboxId = '';
  let emailConversation = { id: '', number: 0 };
  let chatConversation = { id: '', number: 0 };
  const base = () => `${heard.url}/help/${SLUG}`;

  const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    const r = await heard.api<T>(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  /**
   * A person takes a moment to fill in a form: this waits out the bot check, from when the
   * server made the page's newest form (its token starts with that time, in base 36).
   */
  const humanPause = async (page: Page) => {
    const tokens = await page.locator('input[name=_form]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    const shownAt = Math.max(...tokens.map((v) => Number.parseInt(v.split('.')[0], 36)));
    const left = shownAt + MIN_FILL_MS + 100 - Date.now();
    if (left > 0) await page.waitForTimeout(left);
  };

  /** Signs the customer in the way a customer does: the form, the e-mail, the link, the button. */
  const signInByMail = async (page: Page, email: string) => {
    const before = sink.received.length;
    await page.getByLabel('E-mail address').fill(email);
    await humanPause(page);
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await expect.poll(() => sink.received.slice(before).find((m) => m.to.includes(email))).toBeTruthy();
    const mail = sink.received.slice(before).find((m) => m.to.includes(email))!;
    expect(mail.mail.subject).toBe('Sign in to E2E Outfitters');
    const link = /https?:\/\/\S+\/portal\/auth\/[\w-]+/.exec(mail.mail.text ?? '')![0];
    await page.goto(link);
    await page.getByText(`Sign in to E2E Outfitters as ${email}?`).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    return link;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    heard = await startHeard({ env: { SMTP_URL: sink.url } });
    browser = await launchBrowser();

    emailInboxId = (await api<{ id: string }>('POST', '/inboxes', { name: 'Help desk', channel: 'email', address: 'help@e2e-outfitters.test' })).id;
    const widget = await api<{ id: string; widget: { publicKey: string } }>('POST', '/inboxes', { name: 'Website chat', channel: 'widget' });
    await api('PATCH', '/help-center', {
      published: true,
      slug: SLUG,
      color: '#0f766e',
      footer: 'E2E Outfitters · [Privacy](https://example.com/privacy)',
      topics: [
        { id: 'orders', name: 'Orders & shipping' },
        { id: 'returns', name: 'Returns' },
      ],
    });
    const account = await api<{ id: string }>('POST', '/kb/categories', { name: 'Your account', description: 'Signing in, passwords and settings' });
    const orders = await api<{ id: string }>('POST', '/kb/categories', { name: 'Orders & shipping', description: 'Where your parcel is, and when it comes' });
    await api('POST', '/kb/articles', {
      title: 'Reset your password',
      categoryId: account.id,
      status: 'published',
      body: 'Forgot it? No problem.\n\n## Steps\n\n1. Open **Sign in** and choose *Forgot password*.\n2. Enter your e-mail address.\n3. Open the link we send you within 30 minutes.\n\n> The link works once.',
    });
    await api('POST', '/kb/articles', {
      title: 'Shipping times and costs',
      categoryId: orders.id,
      status: 'published',
      body: 'We ship every weekday.\n\n| Where | How long | Cost |\n|---|---|---|\n| Domestic | 2–3 days | free over $50 |\n| Canada | 4–6 days | $12 |\n| Europe | 5–8 days | $25 |\n\nShipping to Canada takes a little longer because of customs.',
    });
    await api('POST', '/kb/articles', { title: 'Track your order', categoryId: orders.id, status: 'published', body: 'Every shipping confirmation has a tracking link. Shipping updates arrive by e-mail too.' });

    // The customer's chat, from the widget's own API, as their browser would talk to it.
    const key = widget.widget.publicKey;
    const session = (await (await fetch(`${heard.url}/widget/v1/${key}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { token: string };
    const visitor = { 'content-type': 'application/json', authorization: `Bearer ${session.token}` };
    await fetch(`${heard.url}/widget/v1/${key}/contact`, { method: 'PATCH', headers: visitor, body: JSON.stringify(CUSTOMER) });
    const chat = (await (await fetch(`${heard.url}/widget/v1/${key}/messages`, { method: 'POST', headers: visitor, body: JSON.stringify({ clientMessageId: 'chat-1', text: 'Do you ship to Canada?' }) })).json()) as { conversationId: string };
    const chatRow = await api<{ id: string; number: number }>('GET', `/conversations/${chat.conversationId}`);
    chatConversation = { id: chatRow.id, number: chatRow.number };
    await api('POST', `/conversations/${chatRow.id}/messages`, { text: 'We do! It takes 4 to 6 days.' });

    // The same customer's e-mail, taken in through the MIME endpoint as a mail provider would post it.
    const raw = [
      `From: ${CUSTOMER.name} <${CUSTOMER.email}>`,
      'To: help@e2e-outfitters.test',
      'Subject: Order 1042 arrived damaged',
      'Message-ID: <maya-order-1042@mail.example.com>',
      'Date: Mon, 30 Nov 2026 09:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The lamp arrived with a cracked shade. Can you send a new one?',
      '',
    ].join('\r\n');
    const res = await fetch(`${heard.url}/api/v1/inboxes/${emailInboxId}/mime`, { method: 'POST', headers: { Authorization: `Bearer ${heard.ownerToken}`, 'Content-Type': 'message/rfc822' }, body: raw });
    const mime = (await res.json()) as { conversationId: string };
    const mailRow = await api<{ id: string; number: number }>('GET', `/conversations/${mime.conversationId}`);
    emailConversation = { id: mailRow.id, number: mailRow.number };
    await api('POST', `/conversations/${mailRow.id}/messages`, { kind: 'note', text: 'Second damaged lamp this month: check the packaging supplier.' });
    await api('POST', `/conversations/${mailRow.id}/messages`, { text: 'So sorry, Maya. A new shade is on its way, no need to send anything back.' });
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    await sink?.close();
  });

  it('a reader finds an article by a misspelt search, reads it, and says it helped', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(base());
    await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
    expect(await page.title()).toBe('E2E Outfitters');
    expect(await page.locator('link[rel=canonical]').getAttribute('href')).toBe(`${heard.url}/help/${SLUG}`);
    await screenshot(page, 'help-home');

    // As they type, the box suggests; the suggestion is a link to the article.
    const box = page.getByRole('combobox', { name: 'Search the help center' });
    await box.fill('shipping');
    await page.getByRole('option', { name: /Shipping times and costs/ }).waitFor();
    await screenshot(page, 'help-search-suggestions');

    await box.fill('pasword');
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=pasword/);
    await page.getByText(/Nothing has “pasword”\. \d+ results? for “password”:/).waitFor();
    await screenshot(page, 'help-search-typo');
    await page.getByRole('link', { name: 'Reset your password' }).click();

    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Steps' }).count()).toBe(1);
    expect(await page.locator('meta[name=description]').getAttribute('content')).toMatch(/^Forgot it\? No problem\./);
    await screenshot(page, 'help-article');
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('heading', { name: 'Thanks for telling us.' }).waitFor();
    await page.getByLabel('What were you looking for? (optional)').fill('How long the reset link lasts');
    await humanPause(page);
    await page.getByRole('button', { name: 'Send comment' }).click();
    await page.getByText('Thank you. Our team will read it.').waitFor();

    const { items } = await api<{ items: { id: string; title: string }[] }>('GET', '/kb/articles?q=Reset');
    const feedback = await api<{ helpfulYes: number; items: { helpful: boolean; comment: string | null }[] }>('GET', `/kb/articles/${items[0].id}/feedback`);
    expect(feedback.helpfulYes).toBe(1);
    expect(feedback.items).toEqual([expect.objectContaining({ helpful: true, comment: 'How long the reset link lasts' })]);

    await page.setViewportSize({ width: PHONE, height: 800 });
    await screenshot(page, 'help-article-phone');
    await page.goto(base());
    await screenshot(page, 'help-home-phone');
    await ctx.close();
  });

  it('a customer asks the community, and an agent answers with the staff badge and accepts the answer', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${base()}/community`);
    await page.getByRole('link', { name: 'Ask a question' }).first().click();
    await page.getByText('Sign in to ask or answer.').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await signInByMail(page, CUSTOMER.email);

    // Back at the question form, signed in; the community needs a name to show, never the address.
    await page.getByRole('heading', { name: 'Ask the community' }).waitFor();
    await page.getByLabel('Your question').fill('Can I wash the trail jacket in a machine?');
    await page.getByLabel('Details').fill('The label is gone. Cold or warm, and may it go in the dryer?');
    // The community shows a name the customer chooses: offered as first name and initial, never the address.
    expect(await page.getByLabel('Your name, as others will see it').inputValue()).toBe('Maya J.');
    await humanPause(page);
    await page.getByRole('button', { name: 'Post your question' }).click();
    await page.getByRole('heading', { level: 1, name: 'Can I wash the trail jacket in a machine?' }).waitFor();
    await page.getByText('No answers yet.').waitFor();
    const threadUrl = page.url();

    // An agent, signed in to Heard, answers on the same page with the team's controls.
    const agent = await ownerSession(heard);
    await agent.page.goto(threadUrl);
    await agent.page.getByRole('heading', { name: 'Answer as staff' }).waitFor();
    await agent.page.getByLabel('Your answer').fill('Yes: cold, gentle cycle, and hang it to dry. The dryer ruins the membrane.');
    await humanPause(agent.page);
    await agent.page.getByRole('button', { name: 'Post your answer' }).click();
    const answer = agent.page.locator('article.answer').filter({ hasText: 'hang it to dry' });
    await answer.getByText('Staff').waitFor();
    await answer.getByRole('button', { name: 'Accept this answer' }).click();
    await agent.page.locator('article.answer.accepted').getByText('Accepted answer').waitFor();
    await screenshot(agent.page, 'help-thread-staff');
    await agent.browser.close();

    await page.reload();
    const accepted = page.locator('article.answer.accepted');
    await accepted.getByText('Accepted answer').waitFor();
    expect(await accepted.getByText('Staff').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Accept this answer' }).count()).toBe(0);
    await screenshot(page, 'help-thread');
    await page.goto(`${base()}/community`);
    await page.getByRole('link', { name: 'Can I wash the trail jacket in a machine?' }).waitFor();
    await screenshot(page, 'help-community');
    await page.setViewportSize({ width: PHONE, height: 800 });
    await screenshot(page, 'help-community-phone');
    await ctx.close();
  });

  it('a customer signs in by the link in a real e-mail, sees their chat and e-mail conversations but no notes, and replies', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${base()}/portal`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'help-sign-in');
    const link = await signInByMail(page, CUSTOMER.email);

    await page.getByRole('heading', { name: 'My requests' }).waitFor();
    const list = page.getByRole('list').filter({ hasText: 'Order 1042 arrived damaged' });
    await list.getByText('Do you ship to Canada?').first().waitFor();
    expect(await list.getByText(`#${emailConversation.number} · E-mail`).count()).toBe(1);
    expect(await list.getByText(`#${chatConversation.number} · Chat`).count()).toBe(1);
    await screenshot(page, 'help-portal');

    await page.getByRole('link', { name: /Order 1042 arrived damaged/ }).click();
    await page.getByText('The lamp arrived with a cracked shade.').waitFor();
    await page.getByText('A new shade is on its way').waitFor();
    expect(await page.getByText('packaging supplier').count()).toBe(0);
    await page.getByLabel('Your reply').fill('Thank you! Here is a photo of the box, for your supplier.');
    await page.locator('input[type=file]').setInputFiles({ name: 'box.png', mimeType: 'image/png', buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') });
    await humanPause(page);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('status').getByText('Your reply was sent.').waitFor();
    await page.getByRole('link', { name: 'box.png' }).waitFor();
    await screenshot(page, 'help-portal-conversation');
    await page.setViewportSize({ width: PHONE, height: 800 });
    await screenshot(page, 'help-portal-conversation-phone');

    // The agent sees it in the conversation, marked as written in the help center.
    const timeline = await api<{ items: { type: string; message?: { text: string; channel: string; direction: string } }[] }>('GET', `/conversations/${emailConversation.id}/timeline`);
    expect(timeline.items.find((i) => i.message?.text.startsWith('Thank you! Here is a photo'))?.message).toMatchObject({ channel: 'portal', direction: 'in' });

    // The link worked once.
    const other = await newContext(browser);
    const again = await other.newPage();
    await again.goto(link);
    await again.getByText('This sign-in link was used already. Each link works once.').waitFor();
    await other.close();
    await ctx.close();
  });

  it('the contact form suggests articles as the subject is typed, counts the one that solved it, and opens a conversation', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${base()}/contact`);
    await page.getByLabel('Your name').fill('Lee Park');
    await page.getByLabel('E-mail address').fill('lee.park@example.org');
    await page.getByLabel('Subject').fill('How long does shipping to Canada take');
    const suggestions = page.locator('.suggest[data-suggest-for=subject]');
    await suggestions.getByRole('link', { name: /Shipping times and costs/ }).waitFor();
    await screenshot(page, 'help-contact-suggestions');

    // The suggestion answered it: they say so, and need not write.
    await suggestions.getByRole('link', { name: /Shipping times and costs/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Shipping times and costs' }).waitFor();
    await page.getByText('Did this answer your question?').waitFor();
    await screenshot(page, 'help-article-deflection');
    await page.getByRole('button', { name: 'Yes, that solved it' }).click();
    await page.getByText('Glad it helped!').waitFor();
    const stats = await api<{ suggestionsLast30Days: { opened: number; solved: number } }>('GET', '/help-center/stats');
    expect(stats.suggestionsLast30Days).toEqual({ opened: 1, solved: 1 });

    // Another question: back at the form, what they typed is still there.
    await page.goto(`${base()}/contact`);
    expect(await page.getByLabel('Your name').inputValue()).toBe('Lee Park');
    expect(await page.getByLabel('Subject').inputValue()).toBe('How long does shipping to Canada take');
    await page.getByLabel('Subject').fill('Wrong colour in my parcel');
    await page.getByLabel('Topic').selectOption({ label: 'Returns' });
    await page.getByLabel('Message').fill('I ordered the jacket in green and got it in orange. Order 2210.');
    await page.getByLabel(/Attachments/).setInputFiles({ name: 'label.txt', mimeType: 'text/plain', buffer: Buffer.from('Order 2210, colour: orange') });
    await humanPause(page);
    const before = sink.received.length;
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByRole('heading', { name: 'Message sent' }).waitFor();
    const status = await page.getByRole('status').filter({ hasText: 'Your request is number' }).textContent();
    const number = Number(/#(\d+)/.exec(status ?? '')![1]);
    expect(status).toContain('a confirmation is on its way to lee.park@example.org');
    await screenshot(page, 'help-contact-sent');

    const conversation = await api<{ id: string; subject: string; topic: string | null; channel?: string }>('GET', `/conversations/${number}`);
    expect(conversation).toMatchObject({ subject: 'Wrong colour in my parcel', topic: 'Returns' });
    await expect.poll(() => sink.received.slice(before).find((m) => m.to.includes('lee.park@example.org'))?.mail.subject).toBe(`Re: Wrong colour in my parcel [#${number}]`);
    const confirmation = sink.received.slice(before).find((m) => m.to.includes('lee.park@example.org'))!;
    expect(confirmation.mail.text).toContain(`${heard.url}/help/${SLUG}/portal/conversations/${number}`);

    await page.goto(`${base()}/contact`);
    await page.setViewportSize({ width: PHONE, height: 900 });
    await screenshot(page, 'help-contact-phone');
    await ctx.close();
  });
  it('on a phone and a tablet, in German, the title and the sign-in link share the first line and the sections fit on the second', async () => {
    await api('PATCH', '/help-center', { locale: 'de' });
    const ctx = await newContext(browser);
    try {
      const page = await ctx.newPage();
      for (const width of [PHONE, 768]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${base()}/contact`);
        const box = async (name: string, role: 'link' = 'link') => (await page.locator('header.site').getByRole(role, { name, exact: true }).boundingBox())!;
        const title = (await page.locator('header.site .brand').boundingBox())!;
        const signIn = await box('Anmelden');
        // Beside the title, at the right edge, not alone on a line of its own.
        expect(Math.abs(signIn.y + signIn.height / 2 - (title.y + title.height / 2))).toBeLessThan(4);
        expect(signIn.x + signIn.width).toBeLessThanOrEqual(width);
        const sections = await Promise.all(['Wissensdatenbank', 'Community', 'Kontakt'].map((name) => box(name)));
        // One line under the title, every section on the screen.
        expect(new Set(sections.map((s) => Math.round(s.y))).size).toBe(1);
        expect(sections[0].y).toBeGreaterThanOrEqual(title.y + title.height - 1);
        for (const s of sections) expect(s.x + s.width).toBeLessThanOrEqual(width);
      }
      await screenshot(page, 'help-contact-tablet-de');
    } finally {
      await ctx.close();
      await api('PATCH', '/help-center', { locale: 'en' });
    }
  });
});
