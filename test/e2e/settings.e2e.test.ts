import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInbox, customerWrites, type E2EHeard, launchBrowser, newContext, screenshot, signIn, startHeard, ownerSession } from './harness.js';

describe('settings', () => {
  let heard: E2EHeard;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    heard = await startHeard();
    ({ browser, ctx, page } = await ownerSession(heard));
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  const heading = (p: Page) => p.getByRole('heading', { level: 1 });
  /** Opens a settings section from the settings menu, as a person would. */
  const openSection = async (name: string) => {
    if (!new URL(page.url()).pathname.startsWith('/app/settings')) await page.goto(`${heard.url}/app/settings`);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name, exact: true }).click();
  };

  it('opens on my profile, and saves a new name and signature', async () => {
    await page.goto(`${heard.url}/app/settings`);
    await page.waitForURL(/\/app\/settings\/profile$/);
    await expect.poll(() => heading(page).textContent()).toBe('My profile');
    await page.getByLabel('Name', { exact: true }).fill('Olivia O.');
    await page.getByLabel('Signature').fill('Olivia, Customer Care');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const me = await heard.api<{ user: { name: string }; member: { signature: string } }>('GET', '/me');
    expect(me.body.user.name).toBe('Olivia O.');
    expect(me.body.member.signature).toBe('Olivia, Customer Care');
  });

  it('speaks German from my profile on, at once and after a reload, with the clock I choose', async () => {
    await page.goto(`${heard.url}/app/settings/profile`);
    await page.getByLabel('Language of the app').selectOption('de');
    await expect.poll(() => heading(page).textContent()).toBe('Mein Profil');
    await page.getByRole('navigation', { name: 'Bereiche der Einstellungen' }).getByRole('link', { name: 'Mitglieder', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await page.getByLabel('Uhrzeitformat').selectOption('12h');
    await expect.poll(async () => (await heard.api<{ member: { locale: string; timeFormat: string } }>('GET', '/me')).body.member).toEqual(expect.objectContaining({ locale: 'de', timeFormat: '12h' }));
    await page.reload();
    await expect.poll(() => heading(page).textContent()).toBe('Mein Profil');
    // Times follow the chosen clock: when the API token was last used reads "2:05 PM", not "14:05".
    await page.goto(`${heard.url}/app/settings/tokens`);
    await expect.poll(() => heading(page).textContent()).toBe('API-Tokens');
    await expect.poll(() => page.getByRole('table').first().textContent()).toMatch(/\d{1,2}:\d{2}\s?(AM|PM)/i);
    await page.goto(`${heard.url}/app/settings/profile`);
    await page.getByLabel('Uhrzeitformat').selectOption('auto');
    await page.getByLabel('Sprache der App').selectOption('auto');
    await expect.poll(() => heading(page).textContent()).toBe('My profile');
  });

  it('uploads a picture, shown instead of the initials, and removes it', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.getByLabel('Choose a picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
    const picture = page.getByRole('img', { name: 'Your picture' });
    await picture.waitFor();
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => picture.count()).toBe(0);
  });

  it('adds a member, changes the role and deactivates them', async () => {
    await openSection('Members');
    await expect.poll(() => heading(page).textContent()).toBe('Members');
    await page.getByRole('button', { name: 'Add member' }).click();
    const form = page.getByRole('form', { name: 'Add member' });
    await form.getByLabel('Name', { exact: true }).fill('Ada Agent');
    await form.getByLabel('E-mail').fill('ada@example.com');
    await form.getByRole('button', { name: 'Add' }).click();
    const role = page.getByRole('combobox', { name: 'Role of Ada Agent' });
    await role.waitFor();
    expect(await role.inputValue()).toBe('agent');
    await role.selectOption('admin');
    await expect.poll(async () => (await heard.api<{ items: { email: string; role: string }[] }>('GET', '/members')).body.items.find((m) => m.email === 'ada@example.com')?.role).toBe('admin');
    await page.getByRole('button', { name: 'Deactivate Ada Agent' }).click();
    await page.getByRole('button', { name: 'Reactivate Ada Agent' }).waitFor();
  });

  it('invites someone by link, lists the open invitation, and the link lets them join', async () => {
    await openSection('Members');
    await page.getByRole('button', { name: 'Invite by link' }).click();
    const form = page.getByRole('form', { name: 'Invite by link' });
    await form.getByLabel('E-mail').fill('nina@example.com');
    await form.getByLabel('Name (optional)').fill('Nina New');
    await form.getByRole('button', { name: 'Create link' }).click();
    const link = page.getByLabel('Invitation link');
    await expect.poll(() => link.textContent()).toMatch(/\/app\/invite\?token=/);
    const url = new URL((await link.textContent())!);
    await page.getByRole('button', { name: 'Done' }).click();
    const open = page.getByRole('listitem', { name: 'nina@example.com' });
    await open.getByText(/^Agent · expires/).waitFor();

    // The invited person opens the link in a browser of their own, chooses a name and a password, and lands in the inbox.
    const invitee = await newContext(browser);
    try {
      const inviteePage = await invitee.newPage();
      await inviteePage.goto(url.toString().replace(/^https?:\/\/[^/]+/, heard.url));
      // The join page is loaded lazily: wait for it before typing.
      await inviteePage.getByRole('heading', { name: 'Join your team on Heard' }).waitFor();
      await inviteePage.getByLabel('Name').fill('Nina New');
      await inviteePage.getByLabel('Password (at least 8 characters)').fill('nina has a passphrase');
      await inviteePage.getByRole('button', { name: 'Join' }).click();
      await inviteePage.waitForURL(/\/app\/inbox\/mine/);
      await inviteePage.getByRole('button', { name: 'Your account' }).getByText('Nina New').waitFor();
    } finally {
      await invitee.close();
    }
    await page.reload();
    await page.getByRole('combobox', { name: 'Role of Nina New' }).waitFor();
    await expect.poll(() => page.getByRole('listitem', { name: 'nina@example.com' }).count()).toBe(0);
  });

  it('revokes an open invitation', async () => {
    await openSection('Members');
    await page.getByRole('button', { name: 'Invite by link' }).click();
    await page.getByRole('form', { name: 'Invite by link' }).getByLabel('E-mail').fill('otto@example.com');
    await page.getByRole('button', { name: 'Create link' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Revoke the invitation of otto@example.com' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'otto@example.com' }).count()).toBe(0);
    expect((await heard.api<{ items: unknown[] }>('GET', '/members/invites')).body.items).toEqual([]);
  });

  it('creates an API inbox, shows and rotates its signing secret, and archives it', async () => {
    await openSection('Inboxes');
    await page.getByLabel('Name', { exact: true }).fill('Instagram bridge');
    await page.getByLabel('Callback URL').first().fill(heard.callbackUrl);
    await page.getByRole('button', { name: 'Create API inbox' }).click();
    await page.getByRole('status').filter({ hasText: 'Inbox Instagram bridge is ready' }).waitFor();
    const card = page.getByRole('listitem', { name: 'Instagram bridge' });
    await card.getByRole('button', { name: 'Show' }).click();
    const secret = card.getByLabel('Signing secret of Instagram bridge');
    await expect.poll(() => secret.textContent()).toMatch(/^whsec_/);
    const before = await secret.textContent();
    await card.getByRole('button', { name: 'Rotate' }).click();
    await expect.poll(() => secret.textContent()).not.toBe(before);
    await card.getByRole('button', { name: 'Archive' }).click();
    await card.getByRole('button', { name: 'Unarchive' }).waitFor();
  });

  it('creates an API token shown once, which works, and revokes it', async () => {
    await openSection('API tokens');
    // The previous section (Inboxes) also has a Name field: wait for this page before typing.
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Zapier');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByLabel('New token');
    await expect.poll(() => secret.textContent()).toMatch(/^heard_pat_/);
    const token = (await secret.textContent())!;
    expect((await heard.api('GET', '/me', undefined, token)).status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByLabel('New token').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke Zapier' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Revoke Zapier' }).count()).toBe(0);
    expect((await heard.api('GET', '/me', undefined, token)).status).toBe(401);
  });

  it('creates a team, puts a member in it, renames and deletes it', async () => {
    await openSection('Teams');
    await page.getByRole('textbox', { name: 'New team name' }).fill('Billing');
    await page.getByRole('button', { name: 'Create team' }).click();
    const team = page.getByRole('listitem', { name: 'Billing' });
    const me = await heard.api<{ user: { name: string } }>('GET', '/me');
    await team.getByRole('checkbox', { name: me.body.user.name }).check();
    await expect.poll(async () => (await heard.api<{ items: { name: string; memberIds: string[] }[] }>('GET', '/teams')).body.items.find((t) => t.name === 'Billing')?.memberIds.length).toBe(1);
    await team.getByRole('textbox', { name: 'Name of team Billing' }).fill('Billing & refunds');
    await team.getByRole('button', { name: 'Save' }).click();
    const renamed = page.getByRole('listitem', { name: 'Billing & refunds' });
    await renamed.waitFor();
    await renamed.getByRole('button', { name: 'Delete team Billing & refunds' }).click();
    await page.getByText('No teams yet.').waitFor();
  });

  it('adds a tag and renames it', async () => {
    await openSection('Tags');
    await page.getByRole('textbox', { name: 'New tag' }).fill('vip');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('textbox', { name: 'Name of tag vip' }).fill('priority-customer');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('textbox', { name: 'Name of tag priority-customer' }).waitFor();
    const tags = await heard.api<{ items: { name: string }[] }>('GET', '/tags');
    expect(tags.body.items.map((t) => t.name)).toEqual(['priority-customer']);
  });

  it('defines custom fields: a choice on conversations, then renames and deletes it', async () => {
    await openSection('Custom fields');
    const form = page.getByRole('form', { name: 'Add field' });
    await form.getByLabel('Label').fill('Plan');
    await form.getByLabel('Type').selectOption('select');
    await form.getByLabel('Options').fill('Basic, Pro, Enterprise');
    await form.getByRole('checkbox', { name: 'Required' }).check();
    await form.getByRole('button', { name: 'Add field' }).click();
    const conversations = page.getByRole('region', { name: 'Conversations' });
    await conversations.getByText('Basic, Pro, Enterprise').waitFor();
    const fields = await heard.api<{ items: { key: string; type: string; options: string[]; required: boolean }[] }>('GET', '/custom-fields');
    expect(fields.body.items).toMatchObject([{ key: 'plan', type: 'select', options: ['Basic', 'Pro', 'Enterprise'], required: true }]);

    // The same key twice on conversations is refused, and the form says so.
    await form.getByLabel('Label').fill('Plan');
    await form.getByLabel('Type').selectOption('text');
    await form.getByRole('button', { name: 'Add field' }).click();
    await form.getByRole('alert').waitFor();

    await conversations.getByRole('textbox', { name: 'Label of plan' }).fill('Subscription plan');
    await conversations.getByRole('button', { name: 'Save' }).click();
    await conversations.getByRole('button', { name: 'Delete field Subscription plan' }).click();
    await conversations.getByText('No fields yet.').waitFor();
  });

  it("changes a topic's intake form with quick clicks while the server is slow, and keeps every change", async () => {
    const ids: string[] = [];
    for (const [key, label] of [
      ['serial_number', 'Serial number'],
      ['bought_at', 'Bought at'],
    ]) {
      const res = await heard.api<{ id: string }>('POST', '/custom-fields', { entity: 'conversation', key, label, type: 'text' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    const created = await heard.api<{ id: string }>('POST', '/topics', { name: 'Warranty claim', fields: ids.map((customFieldId) => ({ customFieldId, required: true })) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const required = async () =>
      (await heard.api<{ items: { id: string; fields: { required: boolean }[] }[] }>('GET', '/topics')).body.items.find((x) => x.id === created.body.id)!.fields.map((f) => f.required);

    await openSection('Topics');
    const card = page.getByRole('listitem', { name: 'Warranty claim' });
    const fieldRow = (label: string) => card.getByRole('listitem').filter({ hasText: label });
    await fieldRow('Bought at').waitFor();
    // The first change is answered a second late; the second is made before that answer.
    let slowFirst = true;
    await page.route(new RegExp(`/api/v1/topics/${created.body.id}$`), async (route) => {
      if (route.request().method() === 'PATCH' && slowFirst) {
        slowFirst = false;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      await route.continue();
    });
    await fieldRow('Serial number').getByLabel('Required').uncheck();
    await fieldRow('Bought at').getByLabel('Required').uncheck();
    // Sent one after another, the second built on the first: both stay.
    await expect.poll(required).toEqual([false, false]);
    expect(await fieldRow('Serial number').getByLabel('Required').isChecked()).toBe(false);
    await page.unrouteAll();
  });

  it('writes a shared canned response, which the composer inserts with the variables filled', async () => {
    await page.goto(`${heard.url}/app/settings/canned-responses`);
    await page.getByRole('button', { name: 'New response' }).click();
    const form = page.getByRole('form', { name: 'New response' });
    await form.getByLabel('Title').fill('Shipping delay');
    await form.getByLabel('Shortcut').fill('delay');
    await form.getByLabel('Text').fill('Hi {{contact.name}}, your parcel is on its way.');
    await form.getByRole('checkbox', { name: 'Shared with the whole workspace' }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('listitem', { name: 'Shipping delay' }).getByText('Shared', { exact: true }).waitFor();

    const inboxId = await createInbox(heard);
    const c = await customerWrites(heard, inboxId, { externalId: 'cara', name: 'Cara Diaz' }, 'Where is my parcel?', 'Parcel');
    await page.goto(`${heard.url}/app/inbox/open/${c.conversationNumber}`);
    await page.getByRole('button', { name: 'Insert a canned response' }).click();
    await page.getByRole('textbox', { name: 'Search canned responses' }).fill('delay');
    await page.getByRole('button', { name: /Shipping delay/ }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('Hi Cara Diaz, your parcel is on its way.');
    await page.goto(`${heard.url}/app/settings/profile`);
  });

  it('shows the audit log to an admin', async () => {
    await openSection('Audit log');
    await expect.poll(() => heading(page).textContent()).toBe('Audit log');
    await page.getByRole('cell', { name: /^member\./ }).first().waitFor();
  });

  it('looks right in light and dark, at 1280 and 1024 wide', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 1024]) {
        const c = await newContext(browser, { colorScheme, width });
        const p = await c.newPage();
        await signIn(p, heard, heard.owner);
        for (const section of ['members', 'inboxes']) {
          await p.goto(`${heard.url}/app/settings/${section}`);
          await p.getByRole('list').or(p.getByRole('table')).first().waitFor();
          await screenshot(p, `settings-${section}-${colorScheme}-${width}`);
        }
        await c.close();
      }
    }
  });

  it('on a phone, reads the members row by row: every control on the screen, each beside its column\'s name', async () => {
    const c = await newContext(browser, { width: 390, height: 844, touch: true });
    const p = await c.newPage();
    await signIn(p, heard, heard.owner);
    await p.goto(`${heard.url}/app/settings/members`);
    const row = p.getByRole('row', { name: /Ada Agent/ });
    await row.waitFor();
    // Nothing to scroll sideways for: the row's controls lie within the 390 px.
    for (const control of [row.getByRole('combobox', { name: 'Role of Ada Agent' }), row.getByLabel('Capacity of Ada Agent'), row.getByRole('button', { name: /activate Ada Agent/ })]) {
      const box = (await control.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    // The column's name is drawn beside its value, and the table is still one to a screen reader.
    const cell = row.getByRole('cell').filter({ has: p.getByLabel('Capacity of Ada Agent') });
    expect(await cell.evaluate((el) => getComputedStyle(el, '::before').content)).toBe('"Capacity"');
    expect(await p.getByRole('columnheader', { name: 'Role' }).count()).toBe(1);
    await screenshot(p, 'settings-members-phone');
    await c.close();
  });

  it('says an unknown address is no page, with the way back, instead of redirecting for ever', async () => {
    await page.goto(`${heard.url}/app/settings/canned`);
    await page.getByRole('heading', { name: 'There is no such page' }).waitFor();
    // The address stays what was typed: no redirect appended anything to it.
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toBe('/app/settings/canned');
    await page.getByRole('link', { name: 'Go to my settings' }).click();
    await page.waitForURL(/\/app\/settings\/profile$/);
    await page.goto(`${heard.url}/app/no-such-screen`);
    await page.getByText('/app/no-such-screen is not an address of Heard').waitFor();
    await page.getByRole('link', { name: 'Go to my conversations' }).click();
    await page.waitForURL(/\/app\/inbox\/mine$/);
    // The knowledge base's own unknown addresses too, with the way back to it.
    await page.goto(`${heard.url}/app/kb/artcles`);
    await page.getByText('/app/kb/artcles is not an address of Heard').waitFor();
    await page.getByRole('link', { name: 'Go to the knowledge base' }).click();
    await page.waitForURL(/\/app\/kb$/);
  });
});

describe('an admin page opened by an agent', () => {
  let heard: E2EHeard;
  let browser: Browser;

  beforeAll(async () => {
    heard = await startHeard();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await heard?.stop();
  });

  it('is refused by the server (403), and the app says an admin role is needed', async () => {
    const agent = await heard.addMember('agent', 'Andy Agent');
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, heard, agent);
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/audit-log');
    await page.goto(`${heard.url}/app/settings/audit-log`);
    expect((await refused).status()).toBe(403);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.getByRole('heading').textContent()).toBe('You need an admin role');
    // The menu does not offer it to an agent, and the workspace pages are read-only.
    expect(await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Teams', exact: true }).click();
    await page.getByText('You can read these settings; owners and admins change them.').waitFor();
    expect(await page.getByRole('button', { name: 'Create team' }).count()).toBe(0);
    await screenshot(page, 'settings-audit-refused-light-1280');
    await ctx.close();
  });

  it('lets an agent change their own password: a wrong current one is refused, the new one signs in', async () => {
    const agent = await heard.addMember('agent', 'Alma Agent');
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, heard, agent);
    await page.goto(`${heard.url}/app/settings/profile`);
    const form = page.getByRole('form', { name: 'Password' });
    await form.getByLabel('Current password').fill('not my password');
    await form.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await form.getByLabel('New password again').fill('a brand new passphrase');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Current password: is not your current password');
    await form.getByLabel('Current password').fill(agent.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await ctx.close();

    const again = await newContext(browser);
    const p = await again.newPage();
    await signIn(p, heard, { ...agent, password: 'a brand new passphrase' });
    await p.getByRole('navigation', { name: 'Conversation views' }).waitFor();
    await again.close();
  });
});
