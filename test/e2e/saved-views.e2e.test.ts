import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, createInbox, customerWrites, type E2EHeard, launchBrowser, newContext, signIn, startHeard } from './harness.js';

describe('saved views', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let ava: Page;
  let bo: Page;
  let avaAccount: Account & { id: string };
  let boAccount: Account & { id: string };
  let inboxId: string;
  let savedId: string;
  let billingId: string;

  beforeAll(async () => {
    heard = await startHeard();
    avaAccount = await heard.addMember('agent', 'Ava Agent');
    boAccount = await heard.addMember('agent', 'Bo Agent');
    inboxId = await createInbox(heard);
    billingId = (await heard.api<{ id: string }>('POST', '/teams', { name: 'Billing', memberIds: [avaAccount.id] })).body.id;
    browser = await launchBrowser();
    ava = await (await newContext(browser)).newPage();
    ava.on('dialog', (d) => void d.accept());
    await signIn(ava, heard, avaAccount);
    bo = await (await newContext(browser)).newPage();
    await signIn(bo, heard, boAccount);
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  let n = 0;
  /** A customer's new conversation, then given a priority by the owner. */
  const conversation = async (priority: 'high' | 'normal') => {
    n += 1;
    const c = await customerWrites(heard, inboxId, { externalId: `sv-${n}`, name: `Customer ${n}` }, `Question ${n}`, `Order problem ${n}`);
    const r = await heard.api('PATCH', `/conversations/${c.conversationId}`, { priority });
    expect(r.status).toBe(200);
    return c;
  };
  const rail = (p: Page) => p.getByRole('navigation', { name: 'Conversation views' });
  const railCount = async (p: Page, name: string) => ((await rail(p).getByRole('link', { name }).textContent()) ?? '').replace(name, '').trim();

  it('saves the filtered list as a personal view, which appears in the rail with its count and opens', async () => {
    await conversation('high');
    await conversation('high');
    await conversation('normal');
    await ava.goto(`${heard.url}/app/inbox/open`);
    await ava.getByRole('option', { name: /Order problem 3/ }).waitFor();
    await ava.getByRole('button', { name: 'Filters' }).click();
    await ava.getByRole('combobox', { name: 'Priority' }).selectOption('high');
    await ava.keyboard.press('Escape');
    await expect.poll(() => ava.getByRole('listbox', { name: 'All open' }).getByRole('option').count()).toBe(2);

    await ava.getByRole('button', { name: 'Save view' }).click();
    const dialog = ava.getByRole('dialog', { name: 'Save this list as a view' });
    await dialog.getByLabel('Name').fill('Hot ones');
    expect(await dialog.getByRole('radio', { name: 'Only me' }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await ava.waitForURL(/\/app\/inbox\/saved:[0-9a-f-]{36}$/);
    savedId = /saved:([0-9a-f-]{36})/.exec(ava.url())![1];

    await ava.getByRole('heading', { level: 1, name: 'Hot ones' }).waitFor();
    await expect.poll(() => ava.getByRole('listbox', { name: 'Hot ones' }).getByRole('option').count()).toBe(2);
    await expect.poll(() => railCount(ava, 'Hot ones')).toBe('2');
    const saved = await heard.api<{ items: unknown[] }>('GET', '/saved-views');
    // The owner sees none of it: it is Ava's own.
    expect(saved.body.items).toEqual([]);
  });

  it('raises the count when a new conversation matches, without a reload', async () => {
    await conversation('normal');
    await conversation('high');
    await expect.poll(() => railCount(ava, 'Hot ones')).toBe('3');
    await expect.poll(() => ava.getByRole('listbox', { name: 'Hot ones' }).getByRole('option').count()).toBe(3);
  });

  it('is not visible to another agent, not even by its address', async () => {
    await bo.goto(`${heard.url}/app/inbox/open`);
    await rail(bo).getByRole('link', { name: /Mine/ }).waitFor();
    const theirs = await bo.evaluate(async () => (await (await fetch('/api/v1/saved-views')).json()) as { items: { name: string }[] });
    expect(theirs.items.map((v) => v.name)).toEqual([]);
    expect(await rail(bo).getByRole('link', { name: /Hot ones/ }).count()).toBe(0);
    await bo.goto(`${heard.url}/app/inbox/saved:${savedId}`);
    await bo.waitForURL(/\/app\/inbox\/mine$/);
  });

  it("shows a team's view to its members under the team, arriving with the next change in the workspace", async () => {
    await rail(ava).getByRole('link', { name: /Billing/ }).first().waitFor();
    const created = await heard.api<{ id: string }>('POST', '/saved-views', { name: 'Billing high', teamId: billingId, filters: { priority: 'high' } });
    expect(created.status).toBe(201);
    await conversation('normal');
    await expect.poll(() => railCount(ava, 'Billing high'), { timeout: 15_000 }).toBe('3');
    // Ava is in the team: she may change it. Bo is not: he does not see it.
    await rail(ava).getByRole('button', { name: 'Actions for Billing high' }).waitFor({ state: 'attached' });
    const theirs = await bo.evaluate(async () => (await (await fetch('/api/v1/saved-views')).json()) as { items: { name: string }[] });
    expect(theirs.items).toEqual([]);
  });

  it('renames, updates and deletes it from its menu in the rail, by keyboard', async () => {
    const actions = rail(ava).getByRole('button', { name: 'Actions for Hot ones' });
    await actions.focus();
    await ava.keyboard.press('Enter');
    await ava.getByRole('menuitem', { name: 'Rename…' }).waitFor();
    await ava.keyboard.press('Enter');
    const rename = ava.getByRole('dialog', { name: 'Rename Hot ones' });
    await rename.getByLabel('Name').fill('Hot orders');
    await ava.keyboard.press('Enter');
    await rail(ava).getByRole('link', { name: /Hot orders/ }).waitFor();

    // Narrowed further (normal priority), then kept: the view now lists the normal ones.
    await ava.goto(`${heard.url}/app/inbox/saved:${savedId}?priority=normal`);
    await expect.poll(() => ava.getByRole('listbox', { name: 'Hot orders' }).getByRole('option').count()).toBe(3);
    await rail(ava).getByRole('button', { name: 'Actions for Hot orders' }).click();
    await ava.getByRole('menuitem', { name: 'Update with current filters' }).click();
    await ava.waitForURL(new RegExp(`/app/inbox/saved:${savedId}$`));
    await expect.poll(() => railCount(ava, 'Hot orders')).toBe('3');
    const mine = await ava.evaluate(async () => (await (await fetch('/api/v1/saved-views')).json()) as { items: { filters: Record<string, unknown> }[] });
    expect(mine.items[0].filters).toMatchObject({ priority: 'normal', status: ['open'], snoozed: false });

    await rail(ava).getByRole('button', { name: 'Actions for Hot orders' }).click();
    await ava.getByRole('menuitem', { name: 'Delete' }).click();
    await ava.waitForURL(/\/app\/inbox\/mine$/);
    await expect.poll(() => rail(ava).getByRole('link', { name: /Hot orders/ }).count()).toBe(0);
  });
});
