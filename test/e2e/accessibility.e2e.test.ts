import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHeard, launchBrowser, signIn, startHeard } from './harness.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's WCAG 2 A and AA rules on the page as it is (or on what `include` selects: an open
 * dialog or menu, whose library hides the page behind it); the serious and critical findings, one line each.
 */
async function audit(page: Page, include?: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(sel ? { include: [sel] } : document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations;
  }, include)) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

describe('accessibility (axe-core, WCAG 2 A and AA)', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    heard = await startHeard({ demo: true });
    browser = await launchBrowser();
    // axe is injected as a script: the page's CSP would (rightly) refuse it.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    ctx.setDefaultTimeout(10_000);
    page = await ctx.newPage();
    await signIn(page, heard, heard.owner);
  });
  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  it('the inbox and a conversation', async () => {
    await page.goto(`${heard.url}/app/inbox/open`);
    await page.getByRole('navigation', { name: 'Conversation views' }).waitFor();
    await page.getByRole('option', { name: /GPS unit keeps rebooting/ }).click();
    await page.getByRole('heading', { name: /GPS unit keeps rebooting/ }).waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('on a phone: the list, the drawer, a conversation and its details', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    ctx.setDefaultTimeout(10_000);
    const phone = await ctx.newPage();
    await signIn(phone, heard, heard.owner);
    await phone.goto(`${heard.url}/app/inbox/open`);
    await phone.getByRole('option', { name: /GPS unit keeps rebooting/ }).waitFor();
    expect(await audit(phone)).toEqual([]);
    await phone.getByRole('button', { name: 'Menu' }).click();
    await phone.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: /Mine/ }).waitFor();
    expect(await audit(phone, '[role=dialog]')).toEqual([]);
    await phone.keyboard.press('Escape');
    await phone.getByRole('option', { name: /GPS unit keeps rebooting/ }).click();
    await phone.getByRole('heading', { name: /GPS unit keeps rebooting/ }).waitFor();
    expect(await audit(phone)).toEqual([]);
    await phone.getByRole('button', { name: 'Details' }).click();
    await phone.getByRole('region', { name: 'Status, priority, assignee and tags' }).waitFor();
    expect(await audit(phone)).toEqual([]);
    await ctx.close();
  });

  it('saving a view, and the saved view in the rail with its menu', async () => {
    await page.goto(`${heard.url}/app/inbox/open?priority=high`);
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this list as a view' });
    await dialog.getByLabel('Name').fill('High priority');
    expect(await audit(page, '[role=dialog]')).toEqual([]);
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('heading', { level: 1, name: 'High priority' }).waitFor();
    await page.getByRole('navigation', { name: 'Conversation views' }).getByRole('link', { name: /High priority/ }).waitFor();
    expect(await audit(page)).toEqual([]);
    await page.getByRole('navigation', { name: 'Conversation views' }).getByRole('button', { name: 'Actions for High priority' }).click();
    await page.getByRole('menuitem', { name: 'Rename…' }).waitFor();
    expect(await audit(page, '[role=menu]')).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('the catalog beside a conversation, suggestions under the reply, and Settings › Catalog', async () => {
    await page.goto(`${heard.url}/app/inbox/open`);
    await page.getByRole('option', { name: /GPS unit keeps rebooting/ }).click();
    await page.getByRole('listitem', { name: 'Order 47755' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search products' }).fill('wheels:yes');
    await page.getByRole('list', { name: 'Products found' }).waitFor();
    await page.getByRole('textbox', { name: 'Reply' }).fill('Your TrailNav GPS');
    await page.getByRole('group', { name: 'Suggested' }).waitFor();
    expect(await audit(page)).toEqual([]);
    await page.getByRole('textbox', { name: 'Reply' }).fill('');
    await page.goto(`${heard.url}/app/settings/catalog`);
    await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'Inner length', exact: true }).first().waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('settings', async () => {
    await page.goto(`${heard.url}/app/settings/inboxes`);
    await page.getByRole('heading', { name: 'Inboxes', level: 1 }).waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('the help center settings', async () => {
    await page.goto(`${heard.url}/app/settings/help-center`);
    await page.getByRole('switch', { name: 'Published' }).waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('the rules list and the rule editor, with a refusal beside its field and a preview', async () => {
    await page.goto(`${heard.url}/app/settings/rules`);
    await page.getByRole('heading', { name: 'Rules', level: 1 }).waitFor();
    expect(await audit(page)).toEqual([]);
    await page.goto(`${heard.url}/app/settings/rules/new`);
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByRole('button', { name: 'Preview' }).click();
    const value = page.getByLabel('Condition 1 value');
    await expect.poll(() => value.getAttribute('aria-invalid')).toBe('true');
    expect(await audit(page)).toEqual([]);
    await value.fill('GPS');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText(/^Matches \d+ open conversations? now$/).waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('the business-hours and SLA policy editors', async () => {
    await page.goto(`${heard.url}/app/settings/business-hours/new`);
    await page.getByRole('checkbox', { name: 'Monday open' }).waitFor();
    expect(await audit(page)).toEqual([]);
    await page.goto(`${heard.url}/app/settings/sla-policies/new`);
    await page.getByLabel('First reply within').waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('the staffing forecast', async () => {
    await page.goto(`${heard.url}/app/reports/staffing`);
    await page.getByRole('heading', { name: 'Agents needed and seen, hour by hour' }).waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('the knowledge base and the article editor', async () => {
    await page.goto(`${heard.url}/app/kb`);
    await page.getByRole('heading', { name: 'Knowledge base', level: 1 }).waitFor();
    await page.getByRole('tablist', { name: 'Status' }).waitFor();
    expect(await audit(page)).toEqual([]);
    // The editor asks before a reload loses what was typed: no later test reuses this page.
    await page.goto(`${heard.url}/app/kb/articles/new`);
    await page.getByLabel('Title').fill('Where is my order?');
    await page.getByLabel('Article text').fill('## Tracking\n\nEvery order has a **tracking link** in its confirmation.\n\n- Open the e-mail\n- Choose *Track*');
    expect(await audit(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByRole('tabpanel').getByRole('heading', { name: 'Tracking' }).waitFor();
    expect(await audit(page)).toEqual([]);
  });

  it('the chat widget, closed and open, on the demo shop page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const p = await ctx.newPage();
    await p.goto(`${heard.url}/demo`);
    await p.getByRole('button', { name: 'Open chat' }).waitFor();
    expect(await audit(p)).toEqual([]);
    await p.getByRole('button', { name: 'Open chat' }).click();
    await p.getByRole('dialog', { name: 'Website chat' }).waitFor();
    expect(await audit(p)).toEqual([]);
    await ctx.close();
  });

  it('the sign-in page', async () => {
    const ctx = await browser.newContext({ bypassCSP: true });
    const p = await ctx.newPage();
    await p.goto(`${heard.url}/app/login`);
    await p.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await audit(p)).toEqual([]);
    await ctx.close();
  });
});
