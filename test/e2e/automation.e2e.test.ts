import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, createInbox, customerWrites, type E2EHeard, launchBrowser, newContext, signIn, startHeard } from './harness.js';

interface Conv {
  id: string;
  number: number;
  status: string;
  priority: string;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
}

describe('macros and automatic assignment', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let owner: Page;
  let ada: Account & { id: string };
  let ben: Account & { id: string };
  let cal: Account & { id: string };
  let inboxId: string;

  /** A signed-in page for someone, in a browser context of their own. */
  const sessionOf = async (account: Account) => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    page.on('dialog', (d) => void d.accept());
    await signIn(page, heard, account);
    return page;
  };

  beforeAll(async () => {
    heard = await startHeard();
    ada = await heard.addMember('agent', 'Ada Agent');
    ben = await heard.addMember('agent', 'Ben Agent');
    cal = await heard.addMember('agent', 'Cal Agent');
    inboxId = await createInbox(heard);
    browser = await launchBrowser();
    owner = await sessionOf(heard.owner);
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  const conversation = async (id: string) => (await heard.api<Conv>('GET', `/conversations/${id}`)).body;
  /** Opens a settings section from the settings menu, as a person would. */
  const openSection = async (page: Page, name: string) => {
    if (!new URL(page.url()).pathname.startsWith('/app/settings')) await page.goto(`${heard.url}/app/settings`);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
  };
  const openConversation = async (page: Page, number: number, subject: string) => {
    await page.goto(`${heard.url}/app/inbox/open/${number}`);
    await page.getByRole('region', { name: subject }).getByRole('heading', { level: 1, name: subject }).waitFor();
  };

  describe('macros', () => {
    let agent: Page;

    it('an admin makes a shared macro that solves and tags, and the list says what it changes', async () => {
      await openSection(owner, 'Canned responses');
      await owner.getByRole('button', { name: 'New response' }).click();
      const form = owner.getByRole('form', { name: 'New response' });
      await form.getByLabel('Title').fill('Refund');
      await form.getByLabel('Text').fill('Hi {{contact.first_name}}, your refund is on its way.');
      await form.getByLabel('Shared with the whole workspace').check();
      const also = form.getByRole('group', { name: 'Also change' });
      await also.getByLabel('Status').selectOption({ label: 'Solved' });
      await also.getByLabel('Add tags').fill('refund');
      await form.getByRole('button', { name: 'Save' }).click();
      const item = owner.getByRole('listitem', { name: 'Refund' });
      await item.getByText('Macro · sets Solved, adds tag refund').waitFor();
      const saved = await heard.api<{ items: { title: string; shared: boolean; actions: unknown }[] }>('GET', '/canned-responses');
      expect(saved.body.items.find((c) => c.title === 'Refund')).toMatchObject({ shared: true, actions: { status: 'solved', addTags: ['refund'] } });
    });

    it('editing it can take a change off, or all of them, which makes it a plain response again', async () => {
      await owner.getByRole('button', { name: 'New response' }).click();
      const form = owner.getByRole('form', { name: 'New response' });
      await form.getByLabel('Title').fill('Hand over');
      await form.getByLabel('Text').fill('A colleague takes it from here.');
      await form.getByLabel('Assignee').selectOption({ label: 'Unassign' });
      await form.getByLabel('Priority').selectOption({ label: 'High' });
      await form.getByRole('button', { name: 'Save' }).click();
      const item = owner.getByRole('listitem', { name: 'Hand over' });
      await item.getByText('Macro · sets priority High, unassigns').waitFor();
      await owner.getByRole('button', { name: 'Edit Hand over' }).click();
      const edit = owner.getByRole('form', { name: 'Edit response' });
      expect(await edit.getByLabel('Assignee').inputValue()).toBe('none');
      await edit.getByLabel('Assignee').selectOption({ label: 'Leave as it is' });
      await edit.getByLabel('Priority').selectOption({ label: 'Leave as it is' });
      await edit.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => item.getByText(/^Macro/).count()).toBe(0);
      const saved = await heard.api<{ items: { title: string; actions: unknown }[] }>('GET', '/canned-responses');
      expect(saved.body.items.find((c) => c.title === 'Hand over')?.actions).toBeNull();
    });

    it('an agent applies it in a conversation: status and tag change at once, the text waits in the composer', async () => {
      const c = await customerWrites(heard, inboxId, { externalId: 'ann', name: 'Ann Lee' }, 'The jacket does not fit. Can I get my money back?', 'Money back');
      agent = await sessionOf(ada);
      await openConversation(agent, c.conversationNumber, 'Money back');
      await agent.getByRole('button', { name: 'Insert a canned response' }).click();
      await agent.getByRole('button', { name: 'Apply Refund: text into the reply, changes now' }).click();
      await agent.getByRole('status').getByText('Macro “Refund” applied: Solved, tag refund').waitFor();
      await expect.poll(() => agent.getByRole('combobox', { name: 'Status', exact: true }).inputValue()).toBe('solved');
      await agent.getByRole('list', { name: 'Tags' }).getByText('#refund').waitFor();
      expect(await agent.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('Hi Ann, your refund is on its way.');
      expect(await conversation(c.conversationId)).toMatchObject({ status: 'solved', tags: ['refund'] });
      // Nothing was sent: the text is a draft for the agent to finish.
      const tl = await heard.api<{ items: { message?: { direction: string } }[] }>('GET', `/conversations/${c.conversationId}/timeline`);
      expect(tl.body.items.filter((i) => i.message?.direction === 'out')).toHaveLength(0);
    });

    it('"Apply and send" sends the text as a reply along with the changes', async () => {
      const r = await heard.api('POST', '/canned-responses', { title: 'Escalate', body: 'We are looking into it with priority.', shared: true, actions: { priority: 'urgent', addTags: ['escalated'] } });
      expect(r.status).toBe(201);
      const c = await customerWrites(heard, inboxId, { externalId: 'bob', name: 'Bob Stone' }, 'The app crashes on start.', 'Crash on start');
      await openConversation(agent, c.conversationNumber, 'Crash on start');
      await agent.getByRole('button', { name: 'Insert a canned response' }).click();
      await agent.getByRole('button', { name: 'Apply Escalate and send its text now' }).click();
      await agent.getByRole('status').getByText('Macro “Escalate” applied and sent: priority Urgent, tag escalated').waitFor();
      await agent.getByRole('list', { name: 'Conversation history' }).getByRole('article', { name: 'Ada Agent' }).getByText('We are looking into it with priority.').waitFor();
      await expect.poll(() => agent.getByRole('combobox', { name: 'Priority', exact: true }).inputValue()).toBe('urgent');
      expect(await agent.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('');
      expect(await conversation(c.conversationId)).toMatchObject({ priority: 'urgent', tags: ['escalated'] });
    });

    it("shows the server's refusal when the macro names a member deactivated since, and changes nothing", async () => {
      const dee = await heard.addMember('agent', 'Dee Departed');
      const r = await heard.api('POST', '/canned-responses', { title: 'To Dee', body: 'Dee will help you.', shared: true, actions: { assigneeId: dee.id, status: 'pending' } });
      expect(r.status).toBe(201);
      expect((await heard.api('PATCH', `/members/${dee.id}`, { active: false })).status).toBe(200);
      const c = await customerWrites(heard, inboxId, { externalId: 'cy', name: 'Cy Young' }, 'Where is my invoice?', 'Invoice missing');
      await openConversation(agent, c.conversationNumber, 'Invoice missing');
      await agent.getByRole('button', { name: 'Insert a canned response' }).click();
      await agent.getByRole('button', { name: 'Apply To Dee: text into the reply, changes now' }).click();
      await agent.getByRole('alert').getByText('assigneeId: that member is deactivated').waitFor();
      expect(await agent.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('');
      expect(await conversation(c.conversationId)).toMatchObject({ status: 'open', assigneeId: null });
    });
  });

  describe('automatic assignment', () => {
    let calPage: Page;

    it('an agent switches to Away from the user menu, and the rail and profile say so', async () => {
      calPage = await sessionOf(cal);
      await calPage.getByRole('button', { name: 'Your account (Available)' }).click();
      await calPage.getByRole('menuitem', { name: 'Set yourself away' }).click();
      await calPage.getByRole('button', { name: 'Your account (Away)' }).waitFor();
      await expect.poll(async () => (await heard.api<{ availability: string }>('GET', `/members/${cal.id}`)).body.availability).toBe('away');
      await calPage.goto(`${heard.url}/app/settings/profile`);
      expect(await calPage.getByRole('radiogroup', { name: 'Availability' }).getByLabel('Away').isChecked()).toBe(true);
    });

    it('an admin sets a team to round robin, a capacity, and who may be assigned', async () => {
      await openSection(owner, 'Teams');
      const teamRow = async () => (await heard.api<{ items: { name: string; memberIds: string[]; assignmentMode: string; assignOnlineOnly: boolean }[] }>('GET', '/teams')).body.items.find((t) => t.name === 'Support')!;
      await owner.getByLabel('New team name').fill('Support');
      await owner.getByRole('button', { name: 'Create team' }).click();
      const team = owner.getByRole('listitem', { name: 'Support' });
      // The admin ticks the three quickly while the server is slow to answer the first: each
      // tick sends the whole member list, and none may be lost to one answered late.
      let slowFirst = true;
      await owner.route(/\/api\/v1\/teams\/[^/]+$/, async (route) => {
        if (route.request().method() === 'PATCH' && slowFirst) {
          slowFirst = false;
          await new Promise((r) => setTimeout(r, 1_000));
        }
        await route.continue();
      });
      for (const who of ['Ada Agent', 'Ben Agent', 'Cal Agent']) {
        await team.getByLabel(who).check();
        await expect.poll(() => team.getByLabel(who).isChecked()).toBe(true);
      }
      await expect.poll(async () => (await teamRow()).memberIds.length).toBe(3);
      await owner.unrouteAll();
      await team.getByLabel('Assignment in team Support').selectOption({ label: 'Round robin' });
      await team.getByText('Conversations entering the team go to its members in turn.').waitFor();
      // Only members with the app open: saved, then off again (Ben has no app open in this test).
      await team.getByLabel('Only assign to members with the app open').check();
      await expect.poll(async () => (await teamRow()).assignOnlineOnly).toBe(true);
      await team.getByLabel('Only assign to members with the app open').uncheck();
      await expect.poll(async () => (await teamRow()).assignOnlineOnly).toBe(false);
      const saved = await teamRow();
      expect(saved.assignmentMode).toBe('round_robin');
      expect(saved.memberIds.sort()).toEqual([ada.id, ben.id, cal.id].sort());

      await openSection(owner, 'Members');
      const capacity = owner.getByLabel('Capacity of Ada Agent');
      expect(await capacity.getAttribute('placeholder')).toBe('No limit');
      await capacity.fill('5');
      await capacity.press('Enter');
      await expect.poll(async () => (await heard.api<{ capacity: number | null }>('GET', `/members/${ada.id}`)).body.capacity).toBe(5);
      // Cal switched to Away: the members list shows it.
      await owner.getByRole('row', { name: /Cal Agent/ }).getByText('Away', { exact: true }).waitFor();
    });

    it('two conversations moved into the team go to the two available agents, none to the one away', async () => {
      const ids: string[] = [];
      for (const [who, subject] of [
        ['dan', 'Broken zipper'],
        ['eve', 'Wrong size'],
      ]) {
        const c = await customerWrites(heard, inboxId, { externalId: who, name: who.toUpperCase() }, 'Please help.', subject);
        const team = (await heard.api<{ items: { id: string; name: string }[] }>('GET', '/teams')).body.items.find((t) => t.name === 'Support')!;
        expect((await heard.api('PATCH', `/conversations/${c.conversationId}`, { teamId: team.id })).status).toBe(200);
        ids.push(c.conversationId);
      }
      await expect.poll(async () => Promise.all(ids.map(async (id) => (await conversation(id)).assigneeId)).then((a) => a.every(Boolean)), { timeout: 20_000 }).toBe(true);
      const assignees = await Promise.all(ids.map(async (id) => (await conversation(id)).assigneeId));
      expect(new Set(assignees).size).toBe(2);
      expect(assignees.sort()).toEqual([ada.id, ben.id].sort());
    });

    it('back to Available from the profile page, the agent is assigned again', async () => {
      await calPage.getByRole('radiogroup', { name: 'Availability' }).getByLabel('Available').check();
      await calPage.getByRole('button', { name: 'Your account (Available)' }).waitFor();
      // The switch shows the choice at the click, before the server has it; round robin reads
      // the server. Until Cal's PATCH is saved the conversation would rightly go to Ada.
      await expect.poll(async () => (await heard.api<{ availability: string }>('GET', `/members/${cal.id}`)).body.availability).toBe('available');
      const c = await customerWrites(heard, inboxId, { externalId: 'fay', name: 'Fay' }, 'Please help.', 'Lost parcel');
      const team = (await heard.api<{ items: { id: string; name: string }[] }>('GET', '/teams')).body.items.find((t) => t.name === 'Support')!;
      await heard.api('PATCH', `/conversations/${c.conversationId}`, { teamId: team.id });
      // Round robin: Ada and Ben had theirs, so it is Cal's turn now.
      await expect.poll(async () => (await conversation(c.conversationId)).assigneeId, { timeout: 20_000 }).toBe(cal.id);
    });
  });
});
