import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, newContext, ownerSession, screenshot, signIn, startHeard } from './harness.js';

interface Calendar {
  id: string;
  name: string;
  timeZone: string;
  hours: Record<string, { from: string; to: string }[]>;
  holidays: { date: string; name?: string }[];
}
interface Policy {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  conditions: Record<string, unknown>;
  targets: Record<string, { minutes: number; businessHoursId: string | null } | undefined>;
  warnBeforeMinutes: number | null;
}

/** Settings › Business hours and Settings › SLA policies, as an admin and as an agent (docs/sla.md). */
describe('business hours and SLA policies in settings', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let calendarId: string;

  beforeAll(async () => {
    heard = await startHeard();
    ({ browser, ctx, page } = await ownerSession(heard));
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  const openSection = async (p: Page, name: string) => {
    if (!new URL(p.url()).pathname.startsWith('/app/settings')) await p.goto(`${heard.url}/app/settings`);
    await p.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name, exact: true }).click();
    await p.getByRole('heading', { level: 1, name }).waitFor();
  };
  /** The text of the element an input names as its description: the error shown beside it. */
  const description = (input: ReturnType<Page['getByLabel']>) => input.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? null);

  it('creates a calendar with split hours and a holiday, showing the server’s objection beside the field it names', async () => {
    await openSection(page, 'Business hours');
    await page.getByText('No calendars yet', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'New calendar' }).click();
    const form = page.getByRole('form', { name: 'New calendar' });
    await form.getByLabel('Name').fill('Berlin office');
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    // A new calendar opens Monday to Friday, 09:00–17:00. Monday gets a lunch break…
    await form.getByLabel('Monday to', { exact: true }).fill('12:00');
    await form.getByRole('button', { name: 'Add hours on Monday' }).click();
    await form.getByLabel('Monday from (hours 2)').fill('13:00');
    await form.getByLabel('Monday to (hours 2)').fill('08:00');
    await form.getByRole('button', { name: 'Create calendar' }).click();
    // …typed backwards first: the server names hours.mon.1.to, and the page says so beside that field.
    const backwards = form.getByLabel('Monday to (hours 2)');
    await expect.poll(() => backwards.getAttribute('aria-invalid')).toBe('true');
    expect(await description(backwards)).toBe('Monday to (hours 2): must end after it starts');
    expect(await form.getByLabel('Monday to', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    expect((await heard.api<{ items: Calendar[] }>('GET', '/business-hours')).body.items).toEqual([]);

    await backwards.fill('17:30');
    await form.getByRole('button', { name: 'Copy Monday to Tuesday–Friday' }).click();
    expect(await form.getByLabel('Friday from (hours 2)').inputValue()).toBe('13:00');
    await form.getByRole('checkbox', { name: 'Saturday open' }).check();
    await form.getByLabel('Saturday from', { exact: true }).fill('10:00');
    await form.getByLabel('Saturday to', { exact: true }).fill('00:00');
    await form.getByRole('button', { name: 'Add holiday' }).click();
    await form.getByLabel('Holiday 1 date').fill('2026-12-24');
    await form.getByLabel('Holiday 1 name').fill('Christmas Eve');
    await form.getByRole('button', { name: 'Create calendar' }).click();

    await page.waitForURL(/\/app\/settings\/business-hours$/);
    const card = page.getByRole('listitem', { name: 'Berlin office' });
    await card.getByText('Mon–Fri 09:00–12:00, 13:00–17:30 · Sat 10:00–24:00').waitFor();
    await card.getByText('1 holiday · Not used yet').waitFor();

    const split = [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:30' }];
    const { items } = (await heard.api<{ items: Calendar[] }>('GET', '/business-hours')).body;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: 'Berlin office',
      timeZone: 'Europe/Berlin',
      hours: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [{ from: '10:00', to: '24:00' }] },
      holidays: [{ date: '2026-12-24', name: 'Christmas Eve' }],
    });
    calendarId = items[0].id;
  });

  it('creates a policy with a first-reply target in business hours, shown in words in the ordered list', async () => {
    await openSection(page, 'SLA policies');
    await page.getByText('The first enabled policy in this list whose conditions match a conversation applies to it', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'New policy' }).click();
    const form = page.getByRole('form', { name: 'New policy' });
    await form.getByText('No conditions: applies to every conversation.').waitFor();
    await form.getByLabel('Name').fill('Urgent');
    await form.getByRole('group', { name: 'Priorities' }).getByRole('checkbox', { name: 'Urgent' }).check();
    expect(await form.getByText('No conditions: applies to every conversation.').count()).toBe(0);
    await form.getByLabel('First reply within').fill('15m');
    await form.getByLabel('First reply counted').selectOption({ label: 'in business hours: Berlin office' });
    // A duration the form cannot read is named beside its field, and nothing is sent.
    await form.getByLabel('Resolution within').fill('one day');
    await form.getByRole('button', { name: 'Create policy' }).click();
    const resolution = form.getByLabel('Resolution within');
    await expect.poll(() => resolution.getAttribute('aria-invalid')).toBe('true');
    expect(await description(resolution)).toBe('write it as minutes or hours, e.g. 45m, 4h or 1h 30m');
    expect((await heard.api<{ items: Policy[] }>('GET', '/sla-policies')).body.items).toEqual([]);
    await resolution.fill('1h 30m');
    await form.getByRole('button', { name: 'Create policy' }).click();

    await page.waitForURL(/\/app\/settings\/sla-policies$/);
    const card = page.getByRole('listitem', { name: 'Urgent' });
    await card.getByText('Urgent · Priority urgent · First reply 15m (business hours: Berlin office) · Resolution 1h 30m (around the clock)').waitFor();
    const { items } = (await heard.api<{ items: Policy[] }>('GET', '/sla-policies')).body;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: 'Urgent',
      enabled: true,
      conditions: { priorities: ['urgent'] },
      targets: { firstResponse: { minutes: 15, businessHoursId: calendarId }, resolution: { minutes: 90, businessHoursId: null } },
      warnBeforeMinutes: null,
    });
    expect(items[0].targets.nextResponse ?? null).toBeNull();
  });

  it('moves a policy up, switches one off, and edits one', async () => {
    const everyone = await heard.api<Policy>('POST', '/sla-policies', { name: 'Everyone', targets: { firstResponse: { minutes: 240 } } });
    expect(everyone.status).toBe(201);
    await page.reload();
    const order = async () => (await heard.api<{ items: Policy[] }>('GET', '/sla-policies')).body.items.map((p) => [p.name, p.enabled]);
    await page.getByRole('listitem', { name: 'Everyone' }).getByText('Everyone · Every conversation · First reply 4h (around the clock)').waitFor();
    await page.getByRole('button', { name: 'Move Everyone up' }).click();
    await expect.poll(order).toEqual([['Everyone', true], ['Urgent', true]]);
    await expect.poll(() => page.getByRole('list', { name: 'SLA policies' }).getByRole('listitem').first().getAttribute('aria-label')).toBe('Everyone');
    expect(await page.getByRole('button', { name: 'Move Everyone up' }).isDisabled()).toBe(true);
    const toggle = page.getByRole('switch', { name: 'Enable Everyone' });
    await toggle.click();
    await expect.poll(order).toEqual([['Everyone', false], ['Urgent', true]]);
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');

    await page.getByRole('link', { name: 'Edit Urgent' }).click();
    const form = page.getByRole('form', { name: 'Urgent' });
    expect(await form.getByLabel('First reply within').inputValue()).toBe('15m');
    await form.getByLabel('Warn before (minutes)').fill('5');
    await form.getByLabel('Tags').fill('vip, gold');
    await form.getByRole('button', { name: 'Save' }).click();
    // Exactly: the row of buttons reads "SaveDelete", which holds "saved" too.
    await form.getByRole('status').getByText('Saved', { exact: true }).waitFor();
    const urgent = (await heard.api<{ items: Policy[] }>('GET', '/sla-policies')).body.items.find((p) => p.name === 'Urgent')!;
    expect(urgent).toMatchObject({ warnBeforeMinutes: 5, conditions: { priorities: ['urgent'], tags: ['vip', 'gold'] }, position: 1 });
  });

  it("refuses to delete a calendar a policy counts in, with the server's reason naming the policy", async () => {
    await openSection(page, 'Business hours');
    const card = page.getByRole('listitem', { name: 'Berlin office' });
    await card.getByText('Used by SLA policy Urgent').waitFor();
    await card.getByRole('button', { name: 'Delete calendar Berlin office' }).click();
    await card.getByRole('alert').filter({ hasText: 'Business hours Berlin office are used by the SLA policy Urgent' }).waitFor();
    expect((await heard.api<{ items: Calendar[] }>('GET', '/business-hours')).body.items).toHaveLength(1);
  });

  it('shows an agent the calendars and policies without the controls that change them', async () => {
    const agent = await heard.addMember('agent', 'Avery Agent');
    const agentCtx = await newContext(browser);
    const p = await agentCtx.newPage();
    await signIn(p, heard, agent);
    await p.goto(`${heard.url}/app/settings/sla-policies`);
    await p.getByText('You can read these settings', { exact: false }).waitFor();
    await p.getByRole('listitem', { name: 'Urgent' }).waitFor();
    expect(await p.getByRole('link', { name: 'New policy' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Move Urgent up' }).count()).toBe(0);
    expect(await p.getByRole('switch', { name: 'Enable Urgent' }).isDisabled()).toBe(true);
    await p.getByRole('link', { name: 'Edit Urgent' }).click();
    const form = p.getByRole('form', { name: 'Urgent' });
    expect(await form.getByLabel('First reply within').isDisabled()).toBe(true);
    expect(await form.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await p.goto(`${heard.url}/app/settings/business-hours/${calendarId}`);
    expect(await p.getByRole('form', { name: 'Berlin office' }).getByLabel('Time zone').isDisabled()).toBe(true);
    await screenshot(p, 'settings-business-hours-agent');
    await agentCtx.close();
  });
});
