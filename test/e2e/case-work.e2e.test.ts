import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, createInbox, customerWrites, type E2EHeard, launchBrowser, newContext, screenshot, signIn, startHeard, ownerSession } from './harness.js';

interface Conv {
  id: string;
  number: number;
  subject: string;
  status: string;
  contactId: string;
  mergedIntoId: string | null;
  participants: { contactId: string; name: string }[];
}
interface TimelineItem {
  type: string;
  message?: { id: string; direction: string; text: string; call?: { number: string; durationSeconds: number; outcome: string; notes?: string } | null };
}

describe('case work: calls, merge, split, cc and notifications', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let agent: Account & { id: string };
  let inboxId: string;

  beforeAll(async () => {
    heard = await startHeard();
    agent = await heard.addMember('agent', 'Andy Agent');
    inboxId = await createInbox(heard);
    ({ browser, ctx, page } = await ownerSession(heard));
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  const conversation = async (id: string | number) => (await heard.api<Conv>('GET', `/conversations/${id}`)).body;
  const timelineOf = async (id: string | number) => (await heard.api<{ items: TimelineItem[] }>('GET', `/conversations/${id}/timeline`)).body.items;
  const timeline = (p: Page) => p.getByRole('list', { name: 'Conversation history' });
  const opened = (p: Page, subject: string) => p.getByRole('region', { name: subject }).getByRole('heading', { level: 1, name: subject }).waitFor();
  const openConversation = async (p: Page, number: number, subject: string) => {
    await p.goto(`${heard.url}/app/inbox/open/${number}`);
    await opened(p, subject);
  };

  it('adds a phone line in the settings, where calls can open conversations', async () => {
    await page.goto(`${heard.url}/app/settings/inboxes`);
    await page.getByLabel('Phone line name').fill('Phone line');
    await page.getByRole('button', { name: 'Add phone line' }).click();
    await page.getByRole('listitem', { name: 'Phone line' }).getByText('Phone', { exact: true }).waitFor();
    const inboxes = await heard.api<{ items: { name: string; channel: string }[] }>('GET', '/inboxes');
    expect(inboxes.body.items.filter((i) => i.channel === 'phone').map((i) => i.name)).toEqual(['Phone line']);
  });

  it('logs a phone call on a conversation, shown in the timeline as a call', async () => {
    const c = await customerWrites(heard, inboxId, { externalId: 'ann', name: 'Ann Lee' }, 'Please call me about my order.', 'Call me back');
    await openConversation(page, c.conversationNumber, 'Call me back');
    await page.getByRole('button', { name: 'Log a call', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Log a call' });
    await dialog.getByText('Outgoing').click();
    await dialog.getByLabel('Phone number').fill('+1 415 555 0100');
    await dialog.getByLabel('Duration').fill('4:30');
    await dialog.getByLabel('Outcome').selectOption({ label: 'Answered' });
    await dialog.getByLabel('Notes').fill('Walked her through the tracking page.');
    await screenshot(page, 'call-dialog-light-1280');
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    const call = timeline(page).getByRole('article', { name: 'Outgoing call with Ann Lee' });
    await call.getByText('+1 415 555 0100').waitFor();
    await call.getByText(`4:30 · Answered · logged by ${heard.owner.name}`).waitFor();
    await call.getByText('Walked her through the tracking page.').waitFor();
    const logged = (await timelineOf(c.conversationId)).find((i) => i.message?.call);
    expect(logged?.message).toMatchObject({ direction: 'out', call: { number: '+1 415 555 0100', durationSeconds: 270, outcome: 'answered', notes: 'Walked her through the tracking page.' } });
  });

  it('refuses a duration that is not one, and says how to write it', async () => {
    await page.getByRole('button', { name: 'Log a call', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Log a call' });
    await dialog.getByLabel('Phone number').fill('+1 415 555 0100');
    await dialog.getByLabel('Duration').fill('four minutes');
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Write the duration as mm:ss (4:30) or as minutes (5).');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('opens a new conversation from a call with an existing contact, and lands in it', async () => {
    await customerWrites(heard, inboxId, { externalId: 'bob', name: 'Bob Stone' }, 'Where is my refund?', 'Refund');
    await page.getByRole('button', { name: 'New conversation from a call' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log a call as a new conversation' });
    await dialog.getByLabel('Search contacts by name, e-mail or phone').fill('Bob');
    await dialog.getByRole('button', { name: 'Pick Bob Stone' }).click();
    await dialog.getByRole('status').getByText('Bob Stone').waitFor();
    await dialog.getByLabel('Phone number').fill('+44 20 7946 0018');
    await dialog.getByLabel('Duration').fill('3');
    await dialog.getByLabel('Notes').fill('Asked about the refund; promised an answer by Friday.');
    await dialog.getByLabel('Subject (optional)').fill('Refund by phone');
    await screenshot(page, 'call-new-dialog-light-1280');
    await dialog.getByRole('button', { name: 'Log call and open' }).click();

    await opened(page, 'Refund by phone');
    const number = Number(new URL(page.url()).pathname.split('/').pop());
    await timeline(page).getByRole('article', { name: 'Incoming call with Bob Stone' }).getByText('Asked about the refund; promised an answer by Friday.').waitFor();
    const created = await conversation(number);
    const bob = (await heard.api<{ items: { id: string; name: string }[] }>('GET', '/contacts?q=Bob')).body.items.find((x) => x.name === 'Bob Stone');
    expect(created.contactId).toBe(bob?.id);
    expect((await timelineOf(number)).find((i) => i.message?.call)?.message?.call).toMatchObject({ number: '+44 20 7946 0018', durationSeconds: 180, outcome: 'answered' });
  });

  it('merges a conversation into another: the messages move, the merged one is closed', async () => {
    const keep = await customerWrites(heard, inboxId, { externalId: 'cara', name: 'Cara Diaz' }, 'My parcel has not arrived.', 'Missing parcel');
    const dup = await customerWrites(heard, inboxId, { externalId: 'cara-work', name: 'Cara Diaz (work)' }, 'Writing again from work about the parcel.', 'Parcel again');
    await openConversation(page, dup.conversationNumber, 'Parcel again');
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Merge into…' }).click();
    const dialog = page.getByRole('dialog', { name: `Merge #${dup.conversationNumber} into another conversation` });
    await dialog.getByRole('textbox', { name: 'Find a conversation' }).fill('Missing parcel');
    await dialog.getByRole('button', { name: /Missing parcel/ }).click();
    await dialog.getByText(`Merge #${dup.conversationNumber} “Parcel again” into #${keep.conversationNumber} “Missing parcel”?`).waitFor();
    await dialog.getByText(`#${dup.conversationNumber} is closed`, { exact: false }).waitFor();
    await screenshot(page, 'merge-dialog-light-1280');
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();

    await opened(page, 'Missing parcel');
    expect(new URL(page.url()).pathname).toBe(`/app/inbox/open/${keep.conversationNumber}`);
    await timeline(page).getByText('Writing again from work about the parcel.').waitFor();
    await timeline(page).getByText(`merged #${dup.conversationNumber} into this one`, { exact: false }).waitFor();
    const merged = await conversation(dup.conversationId);
    expect(merged).toMatchObject({ status: 'closed', mergedIntoId: keep.conversationId });
    expect((await timelineOf(dup.conversationId)).filter((i) => i.type === 'message')).toEqual([]);
    expect((await conversation(keep.conversationId)).participants.map((p) => p.name)).toEqual(['Cara Diaz (work)']);
  });

  it('splits a customer message off into a new conversation, which opens', async () => {
    const c = await customerWrites(heard, inboxId, { externalId: 'dan', name: 'Dan Moss' }, 'The zip on my jacket broke.', 'Broken zip');
    await customerWrites(heard, inboxId, { externalId: 'dan', name: 'Dan Moss' }, 'Also, can I change my e-mail address?\nThe old one is closing.');
    await openConversation(page, c.conversationNumber, 'Broken zip');
    const second = timeline(page).getByRole('article', { name: 'Dan Moss' }).filter({ hasText: 'Also, can I change my e-mail address?' });
    await second.hover();
    await second.getByRole('button', { name: 'Split into new conversation' }).click();

    await opened(page, 'Also, can I change my e-mail address?');
    const number = Number(new URL(page.url()).pathname.split('/').pop());
    expect(number).not.toBe(c.conversationNumber);
    await timeline(page).getByRole('article', { name: 'Dan Moss' }).getByText('The old one is closing.').waitFor();
    await timeline(page).getByText(`split this off from #${c.conversationNumber}`, { exact: false }).waitFor();
    const moved = (await timelineOf(number)).filter((i) => i.type === 'message').map((i) => i.message!.text);
    expect(moved).toEqual(['Also, can I change my e-mail address?\nThe old one is closing.']);
    const left = (await timelineOf(c.conversationId)).filter((i) => i.type === 'message').map((i) => i.message!.text);
    expect(left).toEqual(['The zip on my jacket broke.']);

    // The original says where the message went.
    await openConversation(page, c.conversationNumber, 'Broken zip');
    await timeline(page).getByText(`split a message off into #${number}`, { exact: false }).waitFor();
    await screenshot(page, 'timeline-split-light-1280');
  });

  it('adds cc participants (an existing contact, and one by e-mail) and removes one', async () => {
    const c = await customerWrites(heard, inboxId, { externalId: 'eve', name: 'Eve Hart' }, 'Please keep my assistant in the loop.', 'Keep assistant informed');
    await openConversation(page, c.conversationNumber, 'Keep assistant informed');
    const panel = page.getByRole('complementary', { name: 'Contact' });
    await panel.getByText('Nobody else is on this conversation.').waitFor();
    await panel.getByRole('button', { name: /Add cc/ }).click();
    await panel.getByRole('textbox', { name: 'Search contacts' }).fill('Bob');
    await panel.getByRole('button', { name: 'Add Bob Stone as cc' }).click();
    const cc = panel.getByRole('list', { name: 'cc' });
    await cc.getByText('Bob Stone').waitFor();
    await page.getByRole('region', { name: 'Keep assistant informed' }).getByText('cc Bob Stone').waitFor();

    await panel.getByRole('button', { name: /Add cc/ }).click();
    await panel.getByRole('textbox', { name: 'E-mail' }).fill('finn@example.com');
    await panel.getByRole('textbox', { name: 'Name (optional)' }).fill('Finn Assistant');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await cc.getByText('Finn Assistant').waitFor();
    expect((await conversation(c.conversationId)).participants.map((p) => p.name)).toEqual(['Bob Stone', 'Finn Assistant']);

    await cc.getByRole('button', { name: 'Remove Bob Stone from cc' }).click();
    await expect.poll(() => cc.getByText('Bob Stone').count()).toBe(0);
    expect((await conversation(c.conversationId)).participants.map((p) => p.name)).toEqual(['Finn Assistant']);
    await screenshot(page, 'conversation-cc-light-1280');
  });

  it("notifies me in the browser when a teammate assigns me a conversation, once I turned it on", async () => {
    const c = await customerWrites(heard, inboxId, { externalId: 'gus', name: 'Gus Byrne' }, 'Can someone call me?', 'Needs a call');
    const other = await newContext(browser);
    try {
      await other.grantPermissions(['notifications'], { origin: heard.url });
      // Record each notification the app makes, and keep it so a test can click it.
      await other.addInitScript(() => {
        const shown: { title: string; body?: string; onclick: (() => void) | null; close(): void }[] = [];
        (window as unknown as { __notifications: typeof shown }).__notifications = shown;
        const Real = window.Notification;
        class Recorded {
          static get permission() {
            return Real.permission;
          }
          static requestPermission() {
            return Real.requestPermission();
          }
          title: string;
          body?: string;
          onclick: (() => void) | null = null;
          constructor(title: string, options?: NotificationOptions) {
            this.title = title;
            this.body = options?.body;
            shown.push(this);
          }
          close() {}
        }
        (window as unknown as { Notification: unknown }).Notification = Recorded;
      });
      const andy = await other.newPage();
      await signIn(andy, heard, agent);
      await andy.goto(`${heard.url}/app/settings/profile`);
      const toggle = andy.getByRole('checkbox', { name: 'Notify me in this browser when a conversation is assigned to me or a note mentions me' });
      await toggle.check();
      await expect.poll(() => toggle.isChecked()).toBe(true);
      await screenshot(andy, 'profile-notifications-light-1280');
      // Events are not replayed: wait until Andy's page has joined the live connection (/agent said it is connected).
      const live = new Promise<void>((resolve) => andy.on('websocket', (ws) => ws.on('framereceived', (f) => String(f.payload).startsWith('40/agent') && resolve())));
      await andy.goto(`${heard.url}/app/inbox/open`);
      await andy.getByRole('option', { name: /Needs a call/ }).waitFor();
      await live;
      const shown = () => andy.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string }[] }).__notifications.map((n) => ({ title: n.title, body: n.body })));

      // Olivia assigns it to Andy (through the API, as herself): Andy is notified, with the subject.
      expect((await heard.api('PATCH', `/conversations/${c.conversationId}`, { assigneeId: agent.id })).status).toBe(200);
      await expect.poll(shown, { timeout: 10_000 }).toEqual([{ title: `${heard.owner.name} assigned you #${c.conversationNumber}`, body: 'Needs a call' }]);

      // Clicking it opens the conversation.
      await andy.evaluate(() => (window as unknown as { __notifications: { onclick: (() => void) | null }[] }).__notifications[0].onclick?.());
      await opened(andy, 'Needs a call');
      expect(new URL(andy.url()).pathname).toBe(`/app/inbox/mine/${c.conversationNumber}`);

      // Andy's own changes do not notify him; Olivia's note that mentions him does, after them.
      await andy.getByRole('combobox', { name: 'Assignee' }).selectOption({ label: 'Unassigned' });
      await timeline(andy).getByText('Andy Agent unassigned it').waitFor();
      await andy.getByRole('combobox', { name: 'Assignee' }).selectOption({ label: 'Andy Agent (You)' });
      await timeline(andy).getByText('Andy Agent took it').waitFor();
      const note = await heard.api('POST', `/conversations/${c.conversationId}/messages`, { kind: 'note', text: '@Andy Agent can you call him?' });
      expect(note.status).toBe(201);
      await expect.poll(shown, { timeout: 10_000 }).toEqual([
        { title: `${heard.owner.name} assigned you #${c.conversationNumber}`, body: 'Needs a call' },
        { title: `${heard.owner.name} mentioned you in #${c.conversationNumber}`, body: 'Needs a call' },
      ]);
    } finally {
      await other.close();
    }
  });

  it('keeps a reply sent later at its send time, below what happens meanwhile, marked as scheduled', async () => {
    const c = await customerWrites(heard, inboxId, { externalId: 'ida', name: 'Ida Lund' }, 'Can you confirm tomorrow?', 'Confirm tomorrow');
    await openConversation(page, c.conversationNumber, 'Confirm tomorrow');
    await page.getByRole('textbox', { name: 'Reply' }).fill('Confirmed: see you tomorrow.');
    await page.getByRole('combobox', { name: 'When to send' }).selectOption({ label: 'In an hour' });
    await page.getByRole('button', { name: 'Schedule' }).click();
    const scheduled = timeline(page).getByRole('article', { name: heard.owner.name }).filter({ hasText: 'Confirmed: see you tomorrow.' });
    await scheduled.getByText(/^Scheduled for /).waitFor();
    await scheduled.getByText('Scheduled', { exact: true }).waitFor();
    // A note written afterwards comes before it: the reply stands where it will be sent.
    await page.getByRole('group', { name: 'Reply or note' }).getByRole('button', { name: 'Note' }).click();
    await page.getByRole('textbox', { name: 'Note' }).fill('Booked the slot.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await timeline(page).getByText('Booked the slot.').waitFor();
    const texts = await timeline(page).getByRole('article').allTextContents();
    expect(texts.at(-1)).toContain('Confirmed: see you tomorrow.');
    expect(texts.at(-2)).toContain('Booked the slot.');
    await screenshot(page, 'timeline-scheduled-light-1280');
  });

  it('looks right in dark, and at 1024 wide', async () => {
    const c = (await heard.api<{ items: Conv[] }>('GET', '/conversations?q=Call%20me%20back')).body.items[0];
    for (const [colorScheme, width] of [['dark', 1280], ['light', 1024], ['dark', 1024]] as const) {
      const shot = await newContext(browser, { colorScheme, width });
      try {
        const p = await shot.newPage();
        await signIn(p, heard, heard.owner);
        await openConversation(p, c.number, 'Call me back');
        await timeline(p).getByRole('article', { name: 'Outgoing call with Ann Lee' }).waitFor();
        await screenshot(p, `timeline-call-${colorScheme}-${width}`);
        await p.getByRole('button', { name: 'Log a call', exact: true }).click();
        await p.getByRole('dialog', { name: 'Log a call' }).waitFor();
        await screenshot(p, `call-dialog-${colorScheme}-${width}`);
        await p.keyboard.press('Escape');
        await p.getByRole('button', { name: 'More actions' }).click();
        await p.getByRole('menuitem', { name: 'Merge into…' }).click();
        await p.getByRole('dialog').getByRole('textbox', { name: 'Find a conversation' }).waitFor();
        await screenshot(p, `merge-dialog-${colorScheme}-${width}`);
      } finally {
        await shot.close();
      }
    }
  });
});
