import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInbox, customerWrites, type E2EHeard, launchBrowser, newContext, ownerSession, signIn, startHeard } from './harness.js';

interface RuleItem {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  conditions: { conditions: unknown[] };
  actions: { type: string }[];
}

describe('the Rules settings screen', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let page: Page;
  let inboxId: string;

  beforeAll(async () => {
    heard = await startHeard();
    ({ browser, page } = await ownerSession(heard));
    inboxId = await createInbox(heard, 'Shop bridge');
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  const rules = async () => (await heard.api<{ items: RuleItem[] }>('GET', '/rules')).body.items;
  const conversation = async (id: string) => (await heard.api<{ tags: string[]; priority: string }>('GET', `/conversations/${id}`)).body;
  const ruleCard = (name: string) => page.getByRole('listitem', { name });

  it('builds a rule from the trigger, a condition and two actions, previews it, saves it, and the rule then acts on a customer’s message', async () => {
    // Written before the rule exists: the preview finds it, the rule does not act on it.
    const before = await customerWrites(heard, inboxId, { externalId: 'carla', name: 'Carla' }, 'The amount is wrong.', 'Invoice 1001 is wrong');
    await customerWrites(heard, inboxId, { externalId: 'dan', name: 'Dan' }, 'Where is my parcel?', 'Shipping question');

    await page.goto(`${heard.url}/app/settings`);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Rules', exact: true }).click();
    await page.getByText('Rules run from top to bottom, and each one sees what the rules above it changed.').waitFor();
    await page.getByText('No rules yet.').waitFor();

    await page.getByRole('link', { name: 'New rule' }).click();
    const form = page.getByRole('form', { name: 'New rule' });
    await form.getByLabel('Name', { exact: true }).fill('Invoices to billing');
    await form.getByLabel('When').selectOption({ label: 'Customer writes' });
    await form.getByRole('button', { name: 'Add condition' }).click();
    await form.getByLabel('Condition 1 field').selectOption({ label: 'Subject' });
    await form.getByLabel('Condition 1 operator').selectOption({ label: 'contains' });
    await form.getByLabel('Condition 1 value').fill('invoice');
    await form.getByLabel('Action 1', { exact: true }).selectOption({ label: 'Add tags' });
    await form.getByLabel('Action 1 value').fill('billing');
    await form.getByRole('button', { name: 'Add action' }).click();
    await form.getByLabel('Action 2', { exact: true }).selectOption({ label: 'Set priority' });
    await form.getByLabel('Action 2 value').selectOption({ label: 'High' });

    await form.getByRole('button', { name: 'Preview' }).click();
    await form.getByText('Matches 1 open conversation now').waitFor();
    const link = form.getByRole('list', { name: /Matching conversations/ }).getByRole('link');
    expect(await link.count()).toBe(1);
    expect(await link.textContent()).toBe(`#${before.conversationNumber} Invoice 1001 is wrong`);
    expect(await link.getAttribute('href')).toBe(`/app/inbox/open/${before.conversationNumber}`);
    // A preview changes nothing.
    expect(await rules()).toEqual([]);
    expect(await conversation(before.conversationId)).toMatchObject({ tags: [], priority: 'normal' });

    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/app\/settings\/rules$/);
    const card = ruleCard('Invoices to billing');
    await expect.poll(() => card.getByText(/^When a customer writes/).textContent()).toBe('When a customer writes · if subject contains ‘invoice’ · add tag billing, set priority High');
    const [saved] = await rules();
    expect(saved).toMatchObject({
      name: 'Invoices to billing',
      enabled: true,
      trigger: 'message.received',
      conditions: { match: 'all', conditions: [{ field: 'subject', operator: 'contains', value: 'invoice' }] },
      actions: [
        { type: 'add_tags', tags: ['billing'] },
        { type: 'set_priority', priority: 'high' },
      ],
    });

    // One node dispatches events in the order they were written: once the later message is
    // handled, the earlier one that does not match has been handled too.
    const other = await customerWrites(heard, inboxId, { externalId: 'finn', name: 'Finn' }, 'Hi', 'Opening hours');
    const after = await customerWrites(heard, inboxId, { externalId: 'erin', name: 'Erin' }, 'Please send a copy.', 'INVOICE for March');
    await expect.poll(() => conversation(after.conversationId), { timeout: 20_000 }).toMatchObject({ tags: ['billing'], priority: 'high' });
    expect(await conversation(other.conversationId)).toMatchObject({ tags: [], priority: 'normal' });
    expect(await conversation(before.conversationId)).toMatchObject({ tags: [], priority: 'normal' });
  });

  it('shows a refusal of the server beside the field it names, and saves nothing', async () => {
    await ruleCard('Invoices to billing').getByRole('link', { name: 'Edit Invoices to billing' }).click();
    const form = page.getByRole('form', { name: 'Edit rule' });
    await form.getByRole('button', { name: 'Add action' }).click();
    await form.getByLabel('Action 3', { exact: true }).selectOption({ label: 'Call webhook' });
    // A browser takes any absolute URL; the server takes only http and https.
    const url = form.getByLabel('Action 3 value');
    await url.fill('ftp://files.example.com/hook');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await url.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/url/i);
    // The other fields carry no error, and nothing was written.
    expect(await form.getByLabel('Action 1 value').getAttribute('aria-invalid')).toBeNull();
    expect(page.url()).toMatch(/\/app\/settings\/rules\/[0-9a-f-]{36}$/);
    expect((await rules())[0].actions).toHaveLength(2);

    await url.fill('https://hooks.example.com/billing');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/app\/settings\/rules$/);
    expect((await rules())[0].actions.map((a) => a.type)).toEqual(['add_tags', 'set_priority', 'webhook']);
  });

  it('moves a rule up, switches one off and deletes one, in the order the list shows', async () => {
    const created = await heard.api('POST', '/rules', { name: 'Urgent first', trigger: 'conversation.created', actions: [{ type: 'set_priority', priority: 'urgent' }] });
    expect(created.status).toBe(201);
    await page.reload();
    const names = () => page.getByRole('list', { name: 'Rules' }).getByRole('heading', { level: 2 }).allTextContents();
    await expect.poll(names).toEqual(['Invoices to billing', 'Urgent first']);

    await page.getByRole('button', { name: 'Move Urgent first up' }).click();
    await expect.poll(async () => (await rules()).map((r) => r.name)).toEqual(['Urgent first', 'Invoices to billing']);
    await expect.poll(names).toEqual(['Urgent first', 'Invoices to billing']);
    expect(await page.getByRole('button', { name: 'Move Urgent first up' }).isDisabled()).toBe(true);
    // Moving changed the positions and nothing else.
    expect((await rules()).find((r) => r.name === 'Invoices to billing')?.conditions.conditions).toHaveLength(1);

    const on = page.getByRole('switch', { name: 'Enabled: Urgent first' });
    expect(await on.getAttribute('aria-checked')).toBe('true');
    await on.click();
    await expect.poll(async () => (await rules()).find((r) => r.name === 'Urgent first')?.enabled).toBe(false);
    await expect.poll(() => on.getAttribute('aria-checked')).toBe('false');

    // ownerSession accepts the confirmation.
    await page.getByRole('button', { name: 'Delete Urgent first' }).click();
    await expect.poll(names).toEqual(['Invoices to billing']);
    expect((await rules()).map((r) => r.name)).toEqual(['Invoices to billing']);
  });

  it('lets an agent read the rules but change nothing', async () => {
    const agent = await heard.addMember('agent', 'Ann Agent');
    const ctx = await newContext(browser);
    try {
      const p = await ctx.newPage();
      await signIn(p, heard, agent);
      await p.goto(`${heard.url}/app/settings/rules`);
      await p.getByText('You can read these settings; owners and admins change them.').waitFor();
      await p.getByText('When a customer writes · if subject contains ‘invoice’ · add tag billing, set priority High, call https://hooks.example.com/billing').waitFor();
      expect(await p.getByRole('switch', { name: 'Enabled: Invoices to billing' }).isDisabled()).toBe(true);
      expect(await p.getByRole('link', { name: 'New rule' }).count()).toBe(0);
      expect(await p.getByRole('link', { name: 'Edit Invoices to billing' }).count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });
});
