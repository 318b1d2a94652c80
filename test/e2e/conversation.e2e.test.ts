import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, createInbox, customerWrites, type E2EHeard, launchBrowser, newContext, screenshot, signIn, startHeard } from './harness.js';

interface Conv {
  id: string;
  number: number;
  status: string;
  priority: string;
  assigneeId: string | null;
}

describe('working a conversation', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let agent: Account & { id: string };
  let inboxId: string;
  let late: { conversationNumber: number; conversationId: string };
  let refund: { conversationNumber: number; conversationId: string };

  beforeAll(async () => {
    // Short retries, and a retry window of 7.2 s instead of 72 h: a dead callback fails within the test.
    heard = await startHeard({ env: { HEARD_RETRY_BASE_SECONDS: '1', HEARD_WEBHOOK_MAX_AGE_HOURS: '0.002' } });
    agent = await heard.addMember('agent', 'Andy Agent');
    inboxId = await createInbox(heard);
    late = await customerWrites(heard, inboxId, { externalId: 'ann', name: 'Ann Lee' }, 'My order is late. It was due on Monday.', 'Late order');
    refund = await customerWrites(heard, inboxId, { externalId: 'bob', name: 'Bob Stone' }, 'I would like a refund for the blue jacket.', 'Refund please');
    browser = await launchBrowser();
    ctx = await newContext(browser);
    page = await ctx.newPage();
    await signIn(page, heard, heard.owner);
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  const conversation = async (id: string) => (await heard.api<Conv>('GET', `/conversations/${id}`)).body;
  const timeline = (p: Page) => p.getByRole('list', { name: 'Conversation history' });
  /** Waits until the conversation with this subject is open: its region and its heading. */
  const opened = (p: Page, subject: string) => p.getByRole('region', { name: subject }).getByRole('heading', { level: 1, name: subject }).waitFor();

  it('opens a conversation from the list and shows what the customer wrote', async () => {
    await page.goto(`${heard.url}/app/inbox/open`);
    await page.getByRole('option', { name: /Late order/ }).click();
    await opened(page, 'Late order');
    await timeline(page).getByRole('article', { name: 'Ann Lee' }).getByText('My order is late. It was due on Monday.').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/app/inbox/open/${late.conversationNumber}`);
    await screenshot(page, 'conversation-light-1280');
  });

  it('sends a reply, which appears in the timeline and is stored as outgoing', async () => {
    await page.getByRole('textbox', { name: 'Reply' }).fill('Hi Ann, it ships today.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = timeline(page).getByRole('article', { name: heard.owner.name }).filter({ hasText: 'Hi Ann, it ships today.' });
    await reply.waitFor();
    // Delivered to the channel's bridge, and the timeline says so when the delivery is done.
    await expect.poll(() => JSON.stringify(heard.callbacks)).toContain('Hi Ann, it ships today.');
    await reply.getByText('Sent', { exact: true }).waitFor();
    const tl = await heard.api<{ items: { type: string; message?: { direction: string; text: string } }[] }>('GET', `/conversations/${late.conversationId}/timeline`);
    expect(tl.body.items.some((i) => i.message?.direction === 'out' && i.message.text.startsWith('Hi Ann, it ships today.'))).toBe(true);
  });

  it('adds an internal note, shown as a note', async () => {
    await page.getByRole('group', { name: 'Reply or note' }).getByRole('button', { name: 'Note' }).click();
    await page.getByRole('textbox', { name: 'Note' }).fill('Carrier confirmed the delay.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await timeline(page).getByRole('article', { name: `Internal note: ${heard.owner.name}` }).getByText('Carrier confirmed the delay.').waitFor();
  });

  it('assigns the conversation to a teammate', async () => {
    const assignee = page.getByRole('combobox', { name: 'Assignee' });
    await assignee.selectOption({ label: 'Andy Agent' });
    await expect.poll(async () => (await conversation(late.conversationId)).assigneeId).toBe(agent.id);
    expect(await assignee.inputValue()).toBe(agent.id);
  });

  it('solves it, which opens the next conversation, and can reopen it', async () => {
    await page.getByRole('button', { name: 'Solve' }).click();
    await expect.poll(async () => (await conversation(late.conversationId)).status).toBe('solved');
    await opened(page, 'Refund please');
    await expect.poll(() => page.getByRole('option', { name: /Late order/ }).count()).toBe(0);
    await page.goto(`${heard.url}/app/inbox/solved/${late.conversationNumber}`);
    await opened(page, 'Late order');
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.getByRole('button', { name: 'Solve' }).waitFor();
    await expect.poll(async () => (await conversation(late.conversationId)).status).toBe('open');
  });

  it('finds a conversation with Ctrl+K and opens it', async () => {
    await page.keyboard.press('Control+k');
    const search = page.getByRole('combobox', { name: 'Search conversations, contacts and articles' });
    // Finding nothing, it says where it looked.
    await search.fill('qwxzv');
    await page.getByText('Searched: conversations by subject, messages and number; contacts by name, e-mail and phone; articles by title and text.').waitFor();
    await search.fill('refund');
    await page.getByRole('option', { name: /Refund please/ }).waitFor();
    await search.press('Enter');
    await opened(page, 'Refund please');
    expect(new URL(page.url()).pathname).toBe(`/app/inbox/open/${refund.conversationNumber}`);
  });

  it("shows a second agent's change and a customer's new message live, without reloading", async () => {
    const other = await newContext(browser);
    const andy = await other.newPage();
    await signIn(andy, heard, agent);
    await andy.goto(`${heard.url}/app/inbox/open/${refund.conversationNumber}`);
    await opened(andy, 'Refund please');
    await page.goto(`${heard.url}/app/inbox/open/${refund.conversationNumber}`);
    await opened(page, 'Refund please');

    await page.getByRole('combobox', { name: 'Priority' }).selectOption('urgent');
    await expect.poll(() => andy.getByRole('combobox', { name: 'Priority' }).inputValue()).toBe('urgent');

    await customerWrites(heard, inboxId, { externalId: 'bob', name: 'Bob Stone' }, 'Any news about my refund?');
    await timeline(andy).getByText('Any news about my refund?').waitFor();
    await timeline(page).getByText('Any news about my refund?').waitFor();
    await other.close();
  });

  it('shows who else is viewing the conversation, and when they are typing a reply', async () => {
    const c = await customerWrites(heard, inboxId, { externalId: 'cleo', name: 'Cleo Park' }, 'Does the jacket come in green?', 'Colour question');
    const other = await newContext(browser);
    const andy = await other.newPage();
    await signIn(andy, heard, agent);
    await andy.goto(`${heard.url}/app/inbox/open/${c.conversationNumber}`);
    await opened(andy, 'Colour question');
    await page.goto(`${heard.url}/app/inbox/open/${c.conversationNumber}`);
    await opened(page, 'Colour question');
    await page.getByText('Andy Agent also viewing').waitFor();
    await andy.getByRole('textbox', { name: 'Reply' }).pressSequentially('Let me check');
    await page.getByText('Andy Agent typing a reply…').waitFor();
    await screenshot(page, 'collision-typing-light-1280');
    await other.close();
  });

  it('warns before sending a reply when a teammate replied meanwhile, and sends it when asked', async () => {
    const c = await customerWrites(heard, inboxId, { externalId: 'dan', name: 'Dan Moss' }, 'Can I change my delivery address?', 'Address change');
    // Olivia's browser gets no live updates, so she has not seen Andy's reply when she sends hers.
    const offline = await newContext(browser);
    await offline.routeWebSocket(/\/socket\.io\//, (ws) => ws.close());
    await offline.route('**/socket.io/**', (route) => route.abort());
    const olivia = await offline.newPage();
    await signIn(olivia, heard, heard.owner);
    await olivia.goto(`${heard.url}/app/inbox/open/${c.conversationNumber}`);
    await opened(olivia, 'Address change');
    await olivia.getByRole('textbox', { name: 'Reply' }).fill('Yes, send me the new address.');

    const andySession = await newContext(browser);
    const andy = await andySession.newPage();
    await signIn(andy, heard, agent);
    await andy.goto(`${heard.url}/app/inbox/open/${c.conversationNumber}`);
    await opened(andy, 'Address change');
    await andy.getByRole('textbox', { name: 'Reply' }).fill('Sure, what is the new address?');
    await andy.getByRole('button', { name: 'Send', exact: true }).click();
    await timeline(andy).getByText('Sure, what is the new address?').waitFor();

    await olivia.getByRole('button', { name: 'Send', exact: true }).click();
    const warning = olivia.getByRole('alert').filter({ hasText: 'Andy Agent replied while you were writing. Read it before sending?' });
    await warning.waitFor();
    await timeline(olivia).getByRole('article', { name: 'Andy Agent' }).getByText('Sure, what is the new address?').waitFor();
    await screenshot(olivia, 'collision-warning-light-1280');
    await warning.getByRole('button', { name: 'Send anyway' }).click();
    await timeline(olivia).getByText('Yes, send me the new address.').waitFor();
    await expect.poll(() => warning.count()).toBe(0);
    await andySession.close();
    await offline.close();
  });

  it('shows a reply to a dead callback retrying with its reason, then failed, and Retry now delivers it', async () => {
    // Nothing listens on the discard port: every attempt is refused.
    const dead = await heard.api<{ id: string }>('POST', '/inboxes', { name: 'Old bridge', channel: 'api', callbackUrl: 'http://127.0.0.1:9/heard' });
    expect(dead.status).toBe(201);
    const lost = await customerWrites(heard, dead.body.id, { externalId: 'dee', name: 'Dee Doe' }, 'Is anyone there?', 'Dead line');
    await page.goto(`${heard.url}/app/inbox/open/${lost.conversationNumber}`);
    await opened(page, 'Dead line');
    await page.getByRole('textbox', { name: 'Reply' }).fill('Yes, we are here.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = timeline(page).getByRole('article', { name: heard.owner.name }).filter({ hasText: 'Yes, we are here.' });
    const state = reply.getByRole('status');
    // Retrying: the attempt that failed, when the next one is, and why in plain words (the raw error one click away).
    await state.getByText(/^Not delivered yet · attempt \d+ failed · trying again /).waitFor();
    await state.getByText('The receiving system refused the connection: it is down or not listening at that address.').waitFor();
    await state.getByText('Details').click();
    await state.getByText(/callback request failed: .*ECONNREFUSED/).waitFor();
    // Then given up, without a reload.
    await state.getByText(/^Not delivered · gave up after \d+ attempts$/).waitFor({ timeout: 20_000 });
    // Counted in the rail, and listed among the workspace's delivery problems.
    await page.getByRole('navigation', { name: 'Conversation views' }).getByRole('link', { name: /Delivery problems/ }).click();
    await page.getByRole('heading', { name: 'Delivery problems', level: 1 }).waitFor();
    const problem = page.getByRole('listitem', { name: `#${lost.conversationNumber} Dead line` });
    await problem.getByText(/^Failed after \d+ attempts$/).waitFor();
    await problem.getByRole('link', { name: `#${lost.conversationNumber} Dead line` }).click();
    await opened(page, 'Dead line');

    // The bridge is back at a working address: Retry now delivers the reply.
    expect((await heard.api('PATCH', `/inboxes/${dead.body.id}`, { callbackUrl: heard.callbackUrl })).status).toBe(200);
    await state.getByRole('button', { name: 'Retry now' }).click();
    await reply.getByText('Sent', { exact: true }).waitFor();
    await expect.poll(() => JSON.stringify(heard.callbacks)).toContain('Yes, we are here.');
    await expect.poll(() => page.getByRole('navigation', { name: 'Conversation views' }).getByRole('link', { name: /Delivery problems/ }).count()).toBe(0);
  });

  it('looks right in dark, and at 1024 wide', async () => {
    for (const [colorScheme, width] of [['dark', 1280], ['light', 1024], ['dark', 1024]] as const) {
      const c = await newContext(browser, { colorScheme, width });
      const p = await c.newPage();
      await signIn(p, heard, heard.owner);
      await p.goto(`${heard.url}/app/inbox/open/${late.conversationNumber}`);
      await timeline(p).getByText('Carrier confirmed the delay.').waitFor();
      await screenshot(p, `conversation-${colorScheme}-${width}`);
      await c.close();
    }
  });

  /**
   * What does not fit on this screen: the page wider than the window, and any visible control
   * narrower than its label (a button's or link's text cut, a select showing less than its choice).
   */
  const cutOff = (p: Page) =>
    p.evaluate(() => {
      const problems: string[] = [];
      const root = document.documentElement;
      if (root.scrollWidth > innerWidth) problems.push(`the page is ${root.scrollWidth} px wide in ${innerWidth}`);
      const ctx = document.createElement('canvas').getContext('2d')!;
      for (const el of document.querySelectorAll<HTMLElement>('button, select, a[href], [role="button"]')) {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (!box.width || !box.height || style.visibility === 'hidden' || box.bottom < 0 || box.top > innerHeight) continue;
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
        if (el.scrollWidth > el.clientWidth) problems.push(`${el.tagName.toLowerCase()} "${name}": ${el.scrollWidth} px of label in ${el.clientWidth}`);
        if (el instanceof HTMLSelectElement && el.selectedOptions[0]) {
          // A select never overflows: its chosen option's text must fit beside its arrow.
          ctx.font = style.font;
          const text = ctx.measureText(el.selectedOptions[0].text).width;
          const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 12;
          if (text > room) problems.push(`select "${name}": "${el.selectedOptions[0].text}" needs ${Math.ceil(text)} px, has ${Math.floor(room)}`);
        }
      }
      return problems;
    });
  const height = async (p: Page, name: string | RegExp) => (await p.getByRole('button', { name, exact: true }).or(p.getByRole('combobox', { name, exact: true })).or(p.getByRole('link', { name, exact: true })).first().boundingBox())!.height;

  it('works on a phone: one pane at a time, nothing cut, touch-sized controls', async () => {
    const c = await newContext(browser, { width: 390, height: 844, touch: true });
    const p = await c.newPage();
    await signIn(p, heard, agent);
    await p.goto(`${heard.url}/app/inbox/open`);
    const list = p.getByRole('listbox', { name: 'All open' });
    await list.getByRole('option', { name: /Refund please/ }).waitFor();
    expect(await cutOff(p)).toEqual([]);

    // The rail is a drawer: it opens from the menu button, Esc closes it, and so does going somewhere.
    expect(await p.getByRole('navigation', { name: 'Conversation views' }).isVisible()).toBe(false);
    await p.getByRole('button', { name: 'Menu' }).click();
    const drawer = p.getByRole('dialog', { name: 'Menu' });
    await drawer.getByRole('link', { name: /Mine/ }).waitFor();
    expect(await cutOff(p)).toEqual([]);
    await p.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await p.getByRole('button', { name: 'Menu' }).click();
    await drawer.getByRole('link', { name: /All open/ }).click();
    await drawer.waitFor({ state: 'hidden' });

    // List → conversation: the list gives way to it.
    await list.getByRole('option', { name: /Refund please/ }).click();
    await opened(p, 'Refund please');
    expect(new URL(p.url()).pathname).toBe(`/app/inbox/open/${refund.conversationNumber}`);
    expect(await list.isVisible()).toBe(false);
    expect(await cutOff(p)).toEqual([]);
    for (const name of ['Back to the list', 'Solve', 'Details']) expect(await height(p, name), name).toBeGreaterThanOrEqual(44);
    // Until the agent starts a reply, the composer is one line to tap, so the conversation has the screen.
    const reply = p.getByRole('textbox', { name: 'Reply' });
    expect((await reply.boundingBox())!.height).toBeLessThanOrEqual(48);
    expect(await p.getByRole('button', { name: 'Send', exact: true }).isVisible()).toBe(false);
    await reply.tap();
    await p.getByRole('button', { name: 'Send', exact: true }).waitFor();
    expect((await reply.boundingBox())!.height).toBeGreaterThanOrEqual(80);
    expect(await height(p, 'Send'), 'Send').toBeGreaterThanOrEqual(44);

    await reply.fill('Sent from my phone: the refund is on its way.');
    await p.getByRole('button', { name: 'Send', exact: true }).click();
    await timeline(p).getByText('Sent from my phone: the refund is on its way.').waitFor();
    // The composer stays at the bottom of the screen.
    const composer = (await p.getByRole('textbox', { name: 'Reply' }).boundingBox())!;
    expect(composer.y + composer.height).toBeGreaterThan(844 - 200);
    expect(await cutOff(p)).toEqual([]);

    // Conversation → details, where its fields are.
    await p.getByRole('button', { name: 'Details' }).click();
    const fields = p.getByRole('region', { name: 'Status, priority, assignee and tags' });
    await fields.getByRole('combobox', { name: 'Status' }).selectOption('pending');
    await expect.poll(async () => (await conversation(refund.conversationId)).status).toBe('pending');
    await fields.getByRole('combobox', { name: 'Assignee' }).selectOption(agent.id);
    await expect.poll(async () => (await conversation(refund.conversationId)).assigneeId).toBe(agent.id);
    for (const name of ['Status', 'Priority', 'Assignee']) expect(await height(p, name), name).toBeGreaterThanOrEqual(44);
    expect(await cutOff(p)).toEqual([]);
    await screenshot(p, 'conversation-details-light-390');

    // …and back, and back to the list.
    await p.getByRole('button', { name: 'Conversation', exact: true }).click();
    await fields.waitFor({ state: 'hidden' });
    await p.getByText(`Pending · ${agent.name}`).waitFor();
    await p.getByRole('link', { name: 'Back to the list' }).click();
    await list.waitFor();
    expect(new URL(p.url()).pathname).toBe('/app/inbox/open');
    expect(await cutOff(p)).toEqual([]);

    // No hover on a touch screen: the select boxes show, and a tap beside one (a finger is
    // wider than the box) selects the row for a bulk change instead of opening it.
    const box = p.getByTestId(`select-${late.conversationNumber}`);
    expect(await box.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
    const b = (await box.boundingBox())!;
    await p.touchscreen.tap(b.x + b.width / 2, b.y + b.height + 8);
    await p.getByText('1 selected').waitFor();
    expect(new URL(p.url()).pathname).toBe('/app/inbox/open');
    await c.close();
  });

  it('has rows that are links, and a list as wide as the agent makes it, kept on reload', async () => {
    const c = await newContext(browser, { width: 1440, height: 900 });
    const p = await c.newPage();
    await signIn(p, heard, agent);
    await p.goto(`${heard.url}/app/inbox/open`);
    const row = p.getByRole('option', { name: /Late order/ });
    expect(await row.evaluate((el) => [el.tagName, el.getAttribute('href')])).toEqual(['A', `/app/conversations/${late.conversationNumber}`]);
    // The select box shows on hover, and a click on it selects the row without following its link.
    await row.hover();
    await p.getByTestId(`select-${late.conversationNumber}`).click();
    await p.getByText('1 selected').waitFor();
    expect(new URL(p.url()).pathname).toBe('/app/inbox/open');
    await p.getByRole('button', { name: 'Clear selection' }).click();
    await p.getByText('1 selected').waitFor({ state: 'hidden' });
    const pane = p.getByRole('region', { name: 'Conversations' });
    const separator = p.getByRole('separator', { name: 'Width of the list' });
    const before = Number(await separator.getAttribute('aria-valuenow'));
    expect(before).toBeGreaterThanOrEqual(360);
    await separator.focus();
    for (let i = 0; i < 3; i++) await p.keyboard.press('ArrowRight');
    await expect.poll(() => separator.getAttribute('aria-valuenow')).toBe(String(before + 48));
    expect(Math.round((await pane.boundingBox())!.width)).toBe(before + 48);
    await p.reload();
    await expect.poll(async () => Math.round((await pane.boundingBox())?.width ?? 0)).toBe(before + 48);
    expect(await separator.getAttribute('aria-valuenow')).toBe(String(before + 48));
    // Dragged with the pointer too.
    const line = (await separator.boundingBox())!;
    await p.mouse.move(line.x + line.width / 2, line.y + 200);
    await p.mouse.down();
    await p.mouse.move(line.x + line.width / 2 + 40, line.y + 200, { steps: 4 });
    await p.mouse.up();
    await expect.poll(() => separator.getAttribute('aria-valuenow')).toBe(String(before + 88));

    // The link's own address opens the conversation in the view it belongs in: the agent's own, here.
    expect((await heard.api('PATCH', `/conversations/${late.conversationId}`, { assigneeId: agent.id, status: 'open' })).status).toBe(200);
    await p.goto(`${heard.url}/app/conversations/${late.conversationNumber}`);
    await opened(p, 'Late order');
    expect(new URL(p.url()).pathname).toBe(`/app/inbox/mine/${late.conversationNumber}`);
    await c.close();
  });
});
