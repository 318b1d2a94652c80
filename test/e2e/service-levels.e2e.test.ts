import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, launchBrowser, newContext, ownerSession, screenshot, signIn, startHeard } from './harness.js';

/**
 * The service-level journey end to end: an admin sets a one-minute first-reply target and
 * two rules on the settings screens; a new e-mail about an invoice is routed to the
 * Billing team, given to one of its agents by turns, and shows its due badge; a minute
 * later the target is breached for real (the server's check, not the browser's clock), the
 * badge turns red and the escalation rule raises the priority.
 */
describe('service levels and automation, from settings to a breached e-mail', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let admin: Page;
  let inboxId: string;
  const agents: Record<string, { email: string; password: string; name: string; id: string }> = {};

  beforeAll(async () => {
    heard = await startHeard();
    ({ browser, page: admin } = await ownerSession(heard));
    const inbox = await heard.api<{ id: string }>('POST', '/inboxes', { name: 'Help desk', channel: 'email', address: 'help@e2e-outfitters.test' });
    expect(inbox.status).toBe(201);
    inboxId = inbox.body.id;
    for (const name of ['Bea Billing', 'Bo Billing']) agents[name] = await heard.addMember('agent', name);
    const team = await heard.api('POST', '/teams', { name: 'Billing', memberIds: Object.values(agents).map((a) => a.id), assignmentMode: 'round_robin' });
    expect(team.status).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  const openSection = async (name: string) => {
    await admin.goto(`${heard.url}/app/settings`);
    await admin.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name, exact: true }).click();
    await admin.getByRole('heading', { level: 1, name }).waitFor();
  };

  it('lets an admin set a first-reply target and the rules that route and escalate', async () => {
    await openSection('SLA policies');
    await admin.getByRole('link', { name: 'New policy' }).click();
    const policy = admin.getByRole('form', { name: 'New policy' });
    await policy.getByLabel('Name').fill('Standard');
    await policy.getByLabel('First reply within').fill('1m');
    await policy.getByRole('button', { name: 'Create policy' }).click();
    await admin.getByRole('listitem', { name: 'Standard' }).waitFor();

    await openSection('Rules');
    await admin.getByRole('link', { name: 'New rule' }).click();
    let rule = admin.getByRole('form', { name: 'New rule' });
    await rule.getByLabel('Name', { exact: true }).fill('Invoices to Billing');
    await rule.getByLabel('When').selectOption({ label: 'Conversation created' });
    await rule.getByRole('button', { name: 'Add condition' }).click();
    await rule.getByLabel('Condition 1 field').selectOption({ label: 'Subject' });
    await rule.getByLabel('Condition 1 operator').selectOption({ label: 'contains' });
    await rule.getByLabel('Condition 1 value').fill('invoice');
    await rule.getByLabel('Action 1', { exact: true }).selectOption({ label: 'Assign within team' });
    await rule.getByLabel('Action 1 value').selectOption({ label: 'Billing' });
    await rule.getByRole('button', { name: 'Save' }).click();
    await admin.waitForURL(/\/app\/settings\/rules$/);

    await admin.getByRole('link', { name: 'New rule' }).click();
    rule = admin.getByRole('form', { name: 'New rule' });
    await rule.getByLabel('Name', { exact: true }).fill('Escalate a missed reply');
    await rule.getByLabel('When').selectOption({ label: 'SLA breached (a target was missed)' });
    await rule.getByLabel('Action 1', { exact: true }).selectOption({ label: 'Set priority' });
    await rule.getByLabel('Action 1 value').selectOption({ label: 'Urgent' });
    await rule.getByRole('button', { name: 'Save' }).click();
    await admin.waitForURL(/\/app\/settings\/rules$/);
    await admin.getByRole('listitem', { name: 'Escalate a missed reply' }).waitFor();

    const rules = (await heard.api<{ items: { name: string; trigger: string }[] }>('GET', '/rules')).body.items;
    expect(rules.map((r) => [r.name, r.trigger])).toEqual([
      ['Invoices to Billing', 'conversation.created'],
      ['Escalate a missed reply', 'sla.breached'],
    ]);
  });

  it('routes a new e-mail to Billing, gives it to an agent, and its due badge turns red when the reply is missed', { timeout: 150_000 }, async () => {
    const mail = [
      'From: Maya Johnson <maya@example.com>',
      'To: Help desk <help@e2e-outfitters.test>',
      'Subject: Invoice 2041 charged twice',
      'Message-ID: <maya-invoice-2041@mail.example.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'My card was charged twice for invoice 2041. Please refund one of them.',
      '',
    ].join('\r\n');
    const res = await fetch(`${heard.url}/api/v1/inboxes/${inboxId}/mime`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${heard.ownerToken}`, 'Content-Type': 'message/rfc822' },
      body: mail,
    });
    expect(res.status).toBe(201);
    const { conversationId } = (await res.json()) as { conversationId: string };
    type Conv = { number: number; teamId: string | null; assigneeId: string | null; priority: string; sla: { policy: { name: string } } | null };
    const conversation = async () => (await heard.api<Conv>('GET', `/conversations/${conversationId}`)).body;
    await expect.poll(async () => (await conversation()).assigneeId, { timeout: 20_000 }).not.toBeNull();
    const c = await conversation();
    const assignee = Object.values(agents).find((a) => a.id === c.assigneeId)!;
    expect(assignee).toBeDefined();
    expect(c.sla?.policy.name).toBe('Standard');

    // The agent it went to finds it in "Mine", due within the minute.
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, heard, assignee);
    await page.goto(`${heard.url}/app/inbox/mine`);
    const row = page.getByRole('option', { name: /Invoice 2041 charged twice/ });
    const badge = row.getByTestId('sla-badge');
    await expect.poll(() => badge.innerText()).toMatch(/^Reply due (in 1m|now)$/);
    expect(await badge.getAttribute('data-tone')).not.toBe('breached');
    await screenshot(page, 'sla-due-badge');

    // A minute after it arrived nobody has answered: the badge turns red, the server
    // records the breach, and the escalation rule makes it urgent.
    await expect.poll(() => badge.getAttribute('data-tone'), { timeout: 90_000, interval: 1000 }).toBe('breached');
    await expect.poll(async () => (await conversation()).priority, { timeout: 60_000, interval: 1000 }).toBe('urgent');
    await page.goto(`${heard.url}/app/inbox/mine/${c.number}`);
    const timeline = page.getByRole('list', { name: 'Conversation history' });
    await timeline.getByText(/First reply target breached/).waitFor();
    await timeline.getByText('Rule ‘Escalate a missed reply’ set the priority to Urgent', { exact: false }).waitFor();
    await page.getByTestId('sla-panel').getByText(/^Was due /).waitFor();
    await screenshot(page, 'sla-breached');
    await ctx.close();
  });
});
