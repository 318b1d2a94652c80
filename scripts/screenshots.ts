// `npm run screenshots`: the help center, the chat widget and every main screen of the agent
// app at a phone's, a tablet's and a desktop's width, light and dark, in English and in German
// (file names ending -de), into screenshots/ (git-ignored), for reviewers to look at.
// It starts Heard with the demo workspace (building the apps first when they are stale).
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_HELP_SLUG } from '../src/server/demo/help-center-demo.js';
import { type Account, launchBrowser, newContext, root, startHeard } from '../test/e2e/harness.js';

const OUT = path.join(root, 'screenshots');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'desktop', width: 1440, height: 900 },
];
const SCHEMES = ['light', 'dark'] as const;
// The demo owner has not chosen a language, so the app speaks the browser's.
// The few labels the script reaches for, as src/web/i18n words them.
const EN = { email: 'E-mail', password: 'Password', signIn: 'Sign in', menu: 'Menu', details: 'Details', contactPanel: 'Show or hide the contact', search: 'Search conversations, contacts and articles', openChat: 'Open chat' };
type Labels = typeof EN;
const DE: Labels = { email: 'E-Mail', password: 'Passwort', signIn: 'Anmelden', menu: 'Menü', details: 'Details', contactPanel: 'Kontakt ein- oder ausblenden', search: 'Gespräche, Kontakte und Artikel durchsuchen', openChat: 'Chat öffnen' };
const LANGUAGES = [
  { suffix: '', locale: 'en-US', text: EN },
  { suffix: '-de', locale: 'de-DE', text: DE },
];

/** Waits until the app has nothing loading on screen any more. */
async function settled(page: Page) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page
    .waitForFunction(() => !document.querySelector('[role="status"]')?.textContent?.match(/^Loading/), undefined, { timeout: 10_000 })
    .catch(() => {});
}

/** The sign-in screen in the page's language. */
async function signIn(page: Page, url: string, account: Account, text: Labels) {
  await page.goto(`${url}/app/login`);
  await page.getByLabel(text.email).fill(account.email);
  await page.getByLabel(text.password).fill(account.password);
  await page.getByRole('button', { name: text.signIn }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

/** Signs in to the API as `account` (the demo has no API token) and sets the help center's language. */
async function setHelpCenterLocale(url: string, account: Account, locale: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: account.email, password: account.password }) });
  if (!login.ok) throw new Error(`signing in to the API answered ${login.status}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const r = await fetch(`${url}/api/v1/help-center`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken, cookie }, body: JSON.stringify({ locale }) });
  if (!r.ok) throw new Error(`setting the help center's language answered ${r.status}: ${await r.text()}`);
}

async function main() {
  const only = process.argv[2];
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const heard = await startHeard({ demo: true });
  const browser = await launchBrowser();
  let count = 0;
  try {
    for (const { suffix, locale, text } of LANGUAGES) {
      // The help center speaks its own language, set by an admin (its articles stay as written).
      await setHelpCenterLocale(heard.url, heard.owner, locale.slice(0, 2));
      for (const size of SIZES) {
        for (const scheme of SCHEMES) {
          // `npm run screenshots -- phone-dark` takes only the pictures whose file names say so.
          const wanted = (name: string) => !only || `${name}-${size.name}-${scheme}${suffix}`.includes(only);
          const ctx = await newContext(browser, { width: size.width, height: size.height, colorScheme: scheme, touch: size.width < 1280, locale });
          const page = await ctx.newPage();
          const shot = async (name: string) => {
            if (!wanted(name)) return;
            await settled(page);
            await page.screenshot({ path: path.join(OUT, `${name}-${size.name}-${scheme}${suffix}.png`) });
            count += 1;
          };
          // A page of the app (`/app…`) or of the help center (`/help…`).
          const visit = async (name: string, to: string) => {
            if (!wanted(name)) return;
            await page.goto(`${heard.url}${to}`);
            await shot(name);
          };

          // What customers see, before the agent app: the help center and the chat widget on the demo shop page.
          const help = `/help/${DEMO_HELP_SLUG}`;
          await visit('help-home', help);
          await visit('help-article', `${help}/articles/how-to-return-an-item`);
          // A typo: the help center forgives it.
          await visit('help-search', `${help}/search?q=refnd`);
          await visit('help-contact', `${help}/contact`);
          await visit('help-community', `${help}/community`);
          await visit('help-feedback', `${help}/feedback`);
          await visit('help-portal', `${help}/portal/sign-in`);
          if (wanted('widget-closed') || wanted('widget-open')) {
            await page.goto(`${heard.url}/demo`);
            await shot('widget-closed');
            await page.getByRole('button', { name: text.openChat }).click();
            await page.getByRole('dialog').waitFor();
            await shot('widget-open');
          }

          await page.goto(`${heard.url}/app/login`);
          await shot('login');
          await signIn(page, heard.url, heard.owner, text);
          // The demo's conversations and contacts, read as the signed-in owner.
          const first = await page.evaluate(async () => {
            const r = await fetch('/api/v1/conversations?status=open&limit=1');
            const body = (await r.json()) as { items: { number: number; contactId: string }[] };
            return body.items[0];
          });

          await visit('inbox', '/app/inbox/open');
          if (size.width < 900 && wanted('menu')) {
            await page.getByRole('button', { name: text.menu }).click();
            await page.getByRole('dialog').waitFor();
            await shot('menu');
            await page.keyboard.press('Escape');
          }
          await visit('conversation', `/app/inbox/open/${first.number}`);
          if (size.width < 1280 && wanted('details')) {
            await page.goto(`${heard.url}/app/inbox/open/${first.number}`);
            await page.getByRole('button', { name: size.width < 900 ? text.details : text.contactPanel }).click();
            await shot('details');
          }
          await visit('contact', `/app/contacts/${first.contactId}`);
          if (wanted('search')) {
            await page.goto(`${heard.url}/app/inbox/open`);
            await settled(page);
            await page.keyboard.press('Control+k');
            await page.getByRole('combobox', { name: text.search }).fill('order');
            await page.getByRole('option').first().waitFor().catch(() => {});
            await shot('search');
          }
          await visit('reports', '/app/reports');
          await visit('staffing', '/app/reports/staffing');
          await visit('knowledge-base', '/app/kb');
          await visit('outreach', '/app/outreach');
          await visit('held-mail', '/app/held');
          for (const s of [
            ...['profile', 'canned-responses', 'tokens', 'members', 'teams', 'inboxes', 'help-center', 'feedback-wall', 'goodwill', 'tags', 'custom-fields'],
            ...['topics', 'catalog', 'rules', 'business-hours', 'sla-policies', 'webhooks', 'outreach', 'audit-log', 'failures'],
          ]) await visit(`settings-${s}`, `/app/settings/${s}`);
          await ctx.close();
        }
      }
    }
  } finally {
    await browser.close();
    await heard.stop();
  }
  console.log(`${count} screenshots in ${path.relative(process.cwd(), OUT) || '.'}/`);
}

await main();
