import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, launchBrowser, newContext, screenshot, signIn, startHeard } from './harness.js';

interface WidgetInbox {
  id: string;
  widget: { publicKey: string; identitySecret?: string };
}

/**
 * The chat widget on a customer's site: a page served from another port (another origin,
 * as on a real shop) loads /widget.js from Heard; a visitor chats there with an agent in
 * the agent app, in a second browser context.
 */
describe('the chat widget on another site', () => {
  let heard: E2EHeard;
  let site: http.Server;
  let siteUrl: string;
  let browser: Browser;
  let visitorCtx: BrowserContext;
  let visitor: Page;
  let agentCtx: BrowserContext;
  let agent: Page;
  let chat: WidgetInbox;
  let verified: WidgetInbox;

  /** The shop's page: the stub of window.Heard, an optional identify call, and the tag. */
  const page = (key: string, identity?: unknown) =>
    `${siteUrl}/?key=${encodeURIComponent(key)}${identity ? `&identity=${encodeURIComponent(JSON.stringify(identity))}` : ''}`;

  beforeAll(async () => {
    heard = await startHeard();
    site = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const key = u.searchParams.get('key') ?? '';
      const identity = u.searchParams.get('identity');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Test shop</title>
<style>body { font-family: Georgia, serif; margin: 40px; } button { background: hotpink; font-family: cursive; }</style></head>
<body><h1>Test shop</h1><p>Boots, jackets and packs.</p>
<script>window.Heard=window.Heard||{q:[]};['identify','open','close','on'].forEach(function(m){Heard[m]=Heard[m]||function(){Heard.q.push([m,[].slice.call(arguments)])}});
${identity ? `Heard.identify(${identity});` : ''}
window.heardEvents=[];Heard.on('message',function(m){window.heardEvents.push(m.text)});</script>
<script src="${heard.url}/widget.js" data-inbox="${key}" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    const created = await heard.api<WidgetInbox>('POST', '/inboxes', {
      name: 'Website chat',
      channel: 'widget',
      color: '#0f766e',
      greeting: 'Hi! Questions about sizes or an order? Ask us.',
      allowedOrigins: [siteUrl],
      preChat: [
        { field: 'name', required: true },
        { field: 'email', required: false },
      ],
    });
    expect(created.status).toBe(201);
    chat = created.body;
    const strict = await heard.api<WidgetInbox>('POST', '/inboxes', { name: 'Members chat', channel: 'widget', allowedOrigins: [siteUrl], requireVerification: true });
    expect(strict.status).toBe(201);
    verified = (await heard.api<WidgetInbox>('GET', `/inboxes/${strict.body.id}`)).body;

    browser = await launchBrowser();
    visitorCtx = await newContext(browser);
    visitor = await visitorCtx.newPage();
    agentCtx = await newContext(browser);
    agent = await agentCtx.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
    site?.closeAllConnections();
    await new Promise((resolve) => site?.close(resolve));
  });

  const panel = (p: Page) => p.getByRole('dialog', { name: 'Website chat' });
  const messages = (p: Page) => panel(p).getByRole('log', { name: 'Messages' });
  const conversationOf = async () => {
    const list = await heard.api<{ items: { id: string; number: number; inboxId: string }[] }>('GET', '/conversations?limit=50');
    return list.body.items.find((c) => c.inboxId === chat.id);
  };

  it('opens from the launcher, asks the pre-chat questions (the name is required), and takes the address for an answer while nobody is online', async () => {
    await visitor.goto(page(chat.widget.publicKey));
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await panel(visitor).getByText('Hi! Questions about sizes or an order? Ask us.').waitFor();
    // Nobody has the agent app open: the offline message; the pre-chat form asks for the address the answer should go to.
    await panel(visitor).getByText("We're away right now", { exact: false }).first().waitFor();
    await panel(visitor).getByText('Before we start, how can we reach you?').waitFor();
    await panel(visitor).getByRole('button', { name: 'Start chatting' }).click();
    await panel(visitor).getByRole('alert').getByText('Please fill in: Your name').waitFor();
    await panel(visitor).getByRole('textbox', { name: /Your name/ }).fill('Vera Visitor');
    await panel(visitor).getByRole('textbox', { name: /E-mail address/ }).fill('vera@example.com');
    await panel(visitor).getByRole('button', { name: 'Start chatting' }).click();
    await panel(visitor).getByText('We will answer at vera@example.com.').waitFor();

    const composer = panel(visitor).getByRole('textbox', { name: 'Your message' });
    await composer.fill('Do the trail runners come in 46?');
    await composer.press('Enter');
    const sent = messages(visitor).getByRole('listitem').filter({ hasText: 'Do the trail runners come in 46?' });
    await sent.waitFor();
    // Acknowledged by Heard: no longer "Sending…".
    await expect.poll(() => sent.textContent()).not.toContain('Sending');
    await expect.poll(async () => (await conversationOf())?.number).toBeTruthy();
  });

  /** A visitor on a slow line: their session request waits until release() is called. */
  const slowSession = async () => {
    const ctx = await newContext(browser);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await ctx.route('**/widget/v1/*/session', async (route) => {
      await held;
      await route.continue();
    });
    return { page: await ctx.newPage(), release, close: () => ctx.close() };
  };

  it('keeps the pre-chat answers of a visitor quicker than the network: sent before the session opened, they are not lost', async () => {
    // The form shows as soon as the config is in; on a slow line the session is still opening when the visitor presses Start.
    const quick = await slowSession();
    await quick.page.goto(page(chat.widget.publicKey));
    await quick.page.getByRole('button', { name: 'Open chat' }).click();
    await panel(quick.page).getByRole('textbox', { name: /Your name/ }).fill('Quentin Quick');
    await panel(quick.page).getByRole('textbox', { name: /E-mail address/ }).fill('quentin@example.com');
    const start = panel(quick.page).getByRole('button', { name: 'Start chatting' });
    await start.click();
    // The answers wait for the session (the button says so by staying pressed), rather than going without it.
    await expect.poll(() => start.isDisabled()).toBe(true);
    quick.release();
    await panel(quick.page).getByText('We will answer at quentin@example.com.').waitFor();
    await expect(panel(quick.page).getByRole('alert').count()).resolves.toBe(0);
    await quick.close();
  });

  it('sends a file attached before the session opened', async () => {
    // No pre-chat questions: the composer shows as soon as the config is in.
    const noQuestions = await heard.api<WidgetInbox>('POST', '/inboxes', { name: 'Quick chat', channel: 'widget', allowedOrigins: [siteUrl], preChat: [] });
    expect(noQuestions.status, JSON.stringify(noQuestions.body)).toBe(201);
    const quick = await slowSession();
    await quick.page.goto(page(noQuestions.body.widget.publicKey));
    await quick.page.getByRole('button', { name: 'Open chat' }).click();
    const quickPanel = quick.page.getByRole('dialog', { name: 'Quick chat' });
    await quickPanel.locator('input[type=file]').setInputFiles([{ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Receipt 77: one tent') }]);
    const composer = quickPanel.getByRole('textbox', { name: 'Your message' });
    await composer.fill('My receipt');
    await composer.press('Enter');
    quick.release();
    const sent = quickPanel.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'My receipt' });
    await sent.getByRole('link', { name: /receipt\.txt/ }).waitFor();
    await expect(quickPanel.getByRole('alert').count()).resolves.toBe(0);
    await quick.close();
  });

  it('chats with an agent both ways, with typing shown both ways, and shows the agent where the visitor is', async () => {
    await signIn(agent, heard, heard.owner);
    const conv = (await conversationOf())!;
    await agent.goto(`${heard.url}/app/inbox/open/${conv.number}`);
    const timeline = agent.getByRole('list', { name: 'Conversation history' });
    await timeline.getByText('Do the trail runners come in 46?').waitFor();
    const sidebar = agent.getByRole('region', { name: 'Visitor' });
    await sidebar.getByRole('link', { name: 'Test shop' }).waitFor();
    await sidebar.getByText(/Chrome \d+ on Linux/).waitFor();

    // The agent app's socket is up (Heard counts the agent online) before the visitor types: typing is live, never replayed.
    const online = async () =>
      ((await (await fetch(`${heard.url}/widget/v1/${chat.widget.publicKey}/config`, { headers: { origin: siteUrl } })).json()) as { online: boolean }).online;
    await expect.poll(online).toBe(true);
    // The visitor types: the agent sees it.
    const composer = panel(visitor).getByRole('textbox', { name: 'Your message' });
    await composer.fill('Also, do they');
    await agent.getByText('Vera Visitor is typing…').waitFor();
    await screenshot(agent, 'widget-agent-conversation-light-1280');

    // The agent types: the visitor sees their first name.
    const reply = agent.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Yes, size 46 is in');
    await panel(visitor).getByText('Olivia is typing…').waitFor();
    await reply.fill('Yes, size 46 is in stock in both colours.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    const answer = messages(visitor).getByRole('listitem').filter({ hasText: 'Yes, size 46 is in stock in both colours.' });
    await answer.waitFor();
    await answer.getByText('Olivia', { exact: true }).waitFor();
    await expect.poll(() => panel(visitor).getByText('Olivia is typing…').count()).toBe(0);

    // The visitor had the panel open: the agent's reply shows as seen.
    await timeline.getByRole('article', { name: heard.owner.name }).filter({ hasText: 'Yes, size 46 is in stock' }).getByText(/^Seen /).waitFor();

    await composer.fill('Great, thanks!');
    await composer.press('Enter');
    await timeline.getByText('Great, thanks!').waitFor();
    // The agent has the conversation open and reads it: the visitor sees "Seen" under their message.
    await messages(visitor).getByRole('listitem').filter({ hasText: 'Great, thanks!' }).getByText('Seen', { exact: false }).waitFor();
  });

  it('sends files from the widget: an image shown in the chat, a document as a link; the agent gets both', async () => {
    const png = await visitor.screenshot({ clip: { x: 0, y: 0, width: 240, height: 120 } });
    const composer = panel(visitor).getByRole('textbox', { name: 'Your message' });
    await panel(visitor).locator('input[type=file]').setInputFiles([
      { name: 'old-boots.png', mimeType: 'image/png', buffer: png },
      { name: 'order-1042.txt', mimeType: 'text/plain', buffer: Buffer.from('Order 1042: trail runners, size 45') },
    ]);
    await panel(visitor).getByRole('list', { name: 'Files to send' }).getByText('order-1042.txt').waitFor();
    await composer.fill('My old pair and the order');
    await composer.press('Enter');
    const sent = messages(visitor).getByRole('listitem').filter({ hasText: 'My old pair and the order' });
    await sent.getByRole('img', { name: 'old-boots.png' }).waitFor();
    await sent.getByRole('link', { name: /order-1042\.txt/ }).waitFor();
    await expect.poll(() => sent.getByRole('img', { name: 'old-boots.png' }).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const timeline = agent.getByRole('list', { name: 'Conversation history' });
    await timeline.getByText('My old pair and the order').waitFor();
    await timeline.getByText('old-boots.png').first().waitFor();
    await timeline.getByText('order-1042.txt').first().waitFor();
  });

  it('shows an unread badge and flashes the title when a reply comes while the panel is closed', async () => {
    await panel(visitor).press('Escape');
    await visitor.getByRole('button', { name: 'Open chat' }).waitFor();
    // The focus is back on the launcher (inside the widget's shadow root).
    await expect.poll(() => visitor.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe('Open chat');
    await agent.getByRole('textbox', { name: 'Reply' }).fill('They run half a size small, by the way.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await visitor.getByLabel('1 unread').waitFor();
    await expect.poll(() => visitor.title()).toContain('New message');
    expect(await visitor.evaluate(() => (window as unknown as { heardEvents: string[] }).heardEvents)).toContain('They run half a size small, by the way.');
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(() => visitor.getByLabel('1 unread').count()).toBe(0);
    await expect.poll(() => visitor.title()).toBe('Test shop');
  });

  it('keeps the conversation across a reload', async () => {
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    for (const text of ['Do the trail runners come in 46?', 'Yes, size 46 is in stock in both colours.', 'Great, thanks!', 'They run half a size small, by the way.']) {
      await messages(visitor).getByText(text).waitFor();
    }
    // Online now, with the agent app open: no address asked for.
    await panel(visitor).getByText('We are online').waitFor();

    // A new conversation starts empty; the earlier one is listed, and opens again.
    await panel(visitor).getByRole('button', { name: 'New conversation' }).click();
    await expect.poll(() => messages(visitor).getByText('Great, thanks!').count()).toBe(0);
    await panel(visitor).getByRole('button', { name: 'Earlier conversations' }).click();
    const earlier = panel(visitor).getByRole('listitem');
    expect(await earlier.count()).toBe(1);
    await screenshot(visitor, 'widget-earlier-conversations-desktop-light');
    await earlier.getByRole('button', { name: /Open/ }).click();
    await messages(visitor).getByText('Great, thanks!').waitFor();
  });

  it('keeps a message written while the line is down, and sends it exactly once after a reload', async () => {
    const ctx = await browser.newContext({ storageState: await visitorCtx.storageState() });
    const p = await ctx.newPage();
    // This page's socket never reaches Heard: the test holds its WebSocket.
    await p.routeWebSocket(/\/socket\.io\//, () => {});
    await p.goto(page(chat.widget.publicKey));
    await p.getByRole('button', { name: 'Open chat' }).click();
    const composer = panel(p).getByRole('textbox', { name: 'Your message' });
    await composer.fill('Written while the line was down');
    await composer.press('Enter');
    await messages(p).getByRole('listitem').filter({ hasText: 'Written while the line was down' }).getByText('Sending…').waitFor();
    expect(await p.evaluate((k) => localStorage.getItem(`heard:${k}:outbox`), chat.widget.publicKey)).toContain('Written while the line was down');
    await p.close();

    const again = await ctx.newPage();
    await again.goto(page(chat.widget.publicKey));
    await again.getByRole('button', { name: 'Open chat' }).click();
    const sent = messages(again).getByRole('listitem').filter({ hasText: 'Written while the line was down' });
    await sent.waitFor();
    await expect.poll(() => sent.textContent()).not.toContain('Sending');
    await agent.getByRole('list', { name: 'Conversation history' }).getByText('Written while the line was down').waitFor();
    const conv = (await conversationOf())!;
    const tl = await heard.api<{ items: { message?: { text: string } }[] }>('GET', `/conversations/${conv.id}/timeline`);
    expect(tl.body.items.filter((i) => i.message?.text === 'Written while the line was down')).toHaveLength(1);
    expect(await again.evaluate((k) => localStorage.getItem(`heard:${k}:outbox`), chat.widget.publicKey)).toBeNull();
    await ctx.close();
  });

  it('takes screenshots closed and open, desktop and phone, light and dark', async () => {
    const state = await visitorCtx.storageState();
    for (const scheme of ['light', 'dark'] as const) {
      for (const [size, viewport] of [
        ['desktop', { width: 1280, height: 800 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const ctx = await browser.newContext({ viewport, colorScheme: scheme, storageState: state });
        const p = await ctx.newPage();
        await p.goto(page(chat.widget.publicKey));
        await p.getByRole('button', { name: 'Open chat' }).waitFor();
        await screenshot(p, `widget-closed-${size}-${scheme}`);
        await p.getByRole('button', { name: 'Open chat' }).click();
        await messages(p).getByText('They run half a size small, by the way.').waitFor();
        await screenshot(p, `widget-open-${size}-${scheme}`);
        await ctx.close();
      }
    }
  });

  it("speaks the visitor's language: German for a German browser, with the inbox's German greeting", async () => {
    const words = await heard.api('PATCH', `/inboxes/${chat.id}`, { widget: { translations: { de: { greeting: 'Hallo! Fragen zu Größen oder einer Bestellung? Fragen Sie uns.' } } } });
    expect(words.status).toBe(200);
    const ctx = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 }, storageState: await visitorCtx.storageState() });
    const p = await ctx.newPage();
    await p.goto(page(chat.widget.publicKey));
    await p.getByRole('button', { name: 'Chat öffnen' }).click();
    await p.getByRole('dialog', { name: 'Website chat' }).getByRole('textbox', { name: 'Ihre Nachricht' }).waitFor();
    await p.getByText('Wir sind online').waitFor();
    const log = panel(p).getByRole('log', { name: 'Nachrichten' });
    await log.getByText('Hallo! Fragen zu Größen oder einer Bestellung? Fragen Sie uns.').waitFor();
    expect(await log.getByText('Hi! Questions about sizes or an order? Ask us.').count()).toBe(0);
    await screenshot(p, 'widget-open-phone-light-de');
    await ctx.close();
  });

  it('refuses a forged identity with a clear message, and lets a verified user chat', async () => {
    const strict = (p: Page) => p.getByRole('dialog', { name: 'Members chat' });
    const ctx = await newContext(browser);
    const p = await ctx.newPage();
    await p.goto(page(verified.widget.publicKey, { id: 'user-42', hash: 'deadbeef'.repeat(8), email: 'mallory@example.com' }));
    await p.getByRole('button', { name: 'Open chat' }).click();
    await strict(p).getByText('We could not confirm who you are', { exact: false }).waitFor();
    expect(await strict(p).getByRole('textbox', { name: 'Your message' }).count()).toBe(0);
    await screenshot(p, 'widget-forged-identity');

    // Without identify at all: sign in first.
    const anonymous = await ctx.newPage();
    await anonymous.goto(page(verified.widget.publicKey));
    await anonymous.getByRole('button', { name: 'Open chat' }).click();
    await strict(anonymous).getByText('Please sign in on this site to chat with us.').waitFor();

    const hash = crypto.createHmac('sha256', verified.widget.identitySecret!).update('user-42').digest('hex');
    const ok = await browser.newContext();
    const good = await ok.newPage();
    await good.goto(page(verified.widget.publicKey, { id: 'user-42', hash, email: 'ruth@example.com', name: 'Ruth Real' }));
    await good.getByRole('button', { name: 'Open chat' }).click();
    // Name and address came with identify: no pre-chat form, straight to the composer.
    await strict(good).getByRole('textbox', { name: 'Your message' }).waitFor();
    await ctx.close();
    await ok.close();
  });

  it('lets an admin create a chat widget in Settings, change its words and sites, and copy the tag and the hash recipe', async () => {
    await agent.goto(`${heard.url}/app/settings/inboxes`);
    await agent.getByRole('radio', { name: 'Chat widget' }).check();
    const form = agent.getByRole('form', { name: 'Create chat widget' });
    await form.getByLabel('Name').fill('Help chat');
    await form.getByRole('button', { name: 'Create chat widget' }).click();
    await agent.getByRole('heading', { level: 1, name: 'Help chat' }).waitFor();
    const id = new URL(agent.url()).pathname.split('/').at(-2)!;
    const tag = await agent.getByLabel('Widget tag').textContent();
    expect(tag).toMatch(new RegExp(`^<script src="${heard.url.replace(/[.]/g, '\\.')}/widget\\.js" data-inbox="pk_[^"]+" async></script>$`));

    const look = agent.getByRole('form', { name: 'Look and words' });
    await look.getByLabel('Greeting', { exact: true }).fill('Hello from the help desk.');
    await look.getByLabel('Greeting in German').fill('Hallo vom Helpdesk.');
    await look.getByRole('button', { name: 'Save' }).click();
    await look.getByText('Saved').waitFor();
    await expect.poll(async () => (await heard.api<{ widget: { greeting: string } }>('GET', `/inboxes/${id}`)).body.widget.greeting).toBe('Hello from the help desk.');
    expect((await heard.api<{ widget: { translations: Record<string, { greeting?: string }> } }>('GET', `/inboxes/${id}`)).body.widget.translations.de.greeting).toBe('Hallo vom Helpdesk.');

    const pre = agent.getByRole('form', { name: 'Before the first message' });
    await pre.getByLabel('e-mail address required').check();
    await pre.getByRole('button', { name: 'Save' }).click();
    await pre.getByText('Saved').waitFor();
    await expect.poll(async () => (await heard.api<{ widget: { preChat: unknown[] } }>('GET', `/inboxes/${id}`)).body.widget.preChat).toEqual([
      { field: 'name', required: false },
      { field: 'email', required: true },
    ]);

    // A site that is not an origin: the server's reason, beside the field.
    const sites = agent.getByRole('form', { name: 'Sites and sign-in' });
    await sites.getByLabel('Allowed sites').fill('https://shop.example\nnot a site');
    await sites.getByRole('button', { name: 'Save' }).click();
    await sites.getByText('must be an http(s) origin', { exact: false }).waitFor();
    await sites.getByLabel('Allowed sites').fill('https://shop.example');
    await sites.getByRole('button', { name: 'Save' }).click();
    await sites.getByText('Saved').waitFor();
    // Saving one section keeps what the others saved.
    expect((await heard.api<{ widget: { greeting: string; allowedOrigins: string[] } }>('GET', `/inboxes/${id}`)).body.widget).toMatchObject({
      greeting: 'Hello from the help desk.',
      allowedOrigins: ['https://shop.example'],
    });
    await pre.getByLabel('e-mail address required').isChecked().then((on) => expect(on).toBe(true));
    await sites.getByLabel('Identity secret of Help chat').waitFor();
    await sites.getByText("createHmac('sha256'", { exact: false }).waitFor();
    // Open hours: a business-hours calendar, picked from the list and kept through a reload.
    const calendar = await heard.api<{ id: string }>('POST', '/business-hours', {
      name: 'Help desk hours',
      timeZone: 'Europe/Berlin',
      hours: { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:30' }] },
    });
    expect(calendar.status, JSON.stringify(calendar.body)).toBe(201);
    await agent.reload();
    const hours = agent.getByRole('form', { name: 'Who answers, and when' });
    await hours.getByLabel('Open hours').selectOption({ label: 'Within Help desk hours' });
    await hours.getByRole('button', { name: 'Save' }).click();
    await hours.getByText('Saved').waitFor();
    await expect.poll(async () => (await heard.api<{ widget: { businessHoursId: string | null } }>('GET', `/inboxes/${id}`)).body.widget.businessHoursId).toBe(calendar.body.id);
    await agent.reload();
    const chosen = agent.getByLabel('Open hours');
    await expect.poll(() => chosen.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('Within Help desk hours');
    expect(await chosen.inputValue()).toBe(calendar.body.id);
    await agent.getByRole('link', { name: 'Edit these hours in Settings › Business hours' }).click();
    await agent.waitForURL(new RegExp(`/app/settings/business-hours/${calendar.body.id}$`));
    await agent.getByRole('heading', { level: 1, name: 'Help desk hours' }).waitFor();
    await agent.goBack();
    await screenshot(agent, 'settings-widget-light-1280');
  });
});
