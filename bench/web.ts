/**
 * `npm run bench:web`: the agent app's weight and speed, each beside a baseline from the same run.
 *
 *   - size: builds the app (`npm run build`) and prints the gzipped size of the JavaScript a
 *     first visit loads: the entry script of dist/web/index.html and everything it imports
 *     statically (lazy chunks such as the settings are left out), and the stylesheet; beside
 *     it the chat widget's one file, dist/widget/widget.js (socket.io-client included), against
 *     its budget of 35 kB gzipped.
 *   - render: starts Heard with the demo workspace (a fresh PGlite, or a fresh PostgreSQL
 *     database when DATABASE_URL is set), signs in with Debian's Chromium through
 *     playwright-core, and opens BENCH_WEB_N conversations (default 20). For each it takes
 *     the time from the timeline's data arriving (the app's mark `heard:timeline-data`,
 *     src/web/lib/queries.ts; else the resource timing's responseEnd of GET …/timeline) to
 *     its mark `heard:conversation-rendered` (src/web/screens/ConversationView.tsx). The
 *     baseline, on the same page and the same data: the same timeline fetched by hand,
 *     parsed, and written into the DOM as plain list items.
 *
 * Prints p50/p95 of both. Exit code 1 when a conversation never rendered.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchBrowser, newContext, root, signIn, startHeard } from '../test/e2e/harness.js';

const N = Number(process.env.BENCH_WEB_N ?? 20);
const dist = path.join(root, 'dist/web');
const widgetFile = path.join(root, 'dist/widget/widget.js');
/** The chat widget's budget (issue 5): all of widget.js, its realtime client included, gzipped. */
const WIDGET_BUDGET = 35 * 1024;

function gz(file: string) {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

/** The entry chunk and its static imports (`import … from "./x.js"`, `import "./x.js"`), not `import("./x.js")`. */
function initialChunks(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      visit(path.resolve(path.dirname(file), m[1]));
    }
  };
  visit(entry);
  return [...seen];
}

function kb(bytes: number) {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(label: string, values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return `${label.padEnd(34)} p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(s, 95).toFixed(1).padStart(7)} ms   (n=${s.length})`;
}

async function openConversation(page: Page, base: string, number: number) {
  await page.goto(`${base}/app/inbox/open/${number}`);
  const handle = await page.waitForFunction(
    () => {
      const mark = performance.getEntriesByName('heard:conversation-rendered')[0];
      if (!mark) return null;
      // The app marks the parsed timeline (heard:timeline-data); without that mark, the response's end.
      const marked = performance.getEntriesByName('heard:timeline-data').map((e) => e.startTime);
      const received = performance
        .getEntriesByType('resource')
        .filter((e) => /\/api\/v1\/conversations\/[^/]+\/timeline/.test(e.name))
        .map((e) => (e as PerformanceResourceTiming).responseEnd);
      const data = (marked.length ? marked : received).filter((at) => at <= mark.startTime);
      return data.length ? mark.startTime - Math.max(...data) : null;
    },
    undefined,
    { timeout: 15_000, polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

/** The same data, fetched on the same page and written into the DOM with nothing else around it. */
async function baseline(page: Page, number: number) {
  return page.evaluate(async (n) => {
    const res = await fetch(`/api/v1/conversations/${n}/timeline`, { credentials: 'same-origin' });
    const body = (await res.json()) as { items: { type: string; message?: { text: string }; event?: { type: string } }[] };
    const arrived = performance.now();
    const ol = document.createElement('ol');
    for (const item of body.items) {
      const li = document.createElement('li');
      li.textContent = item.message?.text ?? item.event?.type ?? '';
      ol.append(li);
    }
    document.body.replaceChildren(ol);
    void ol.offsetHeight;
    return performance.now() - arrived;
  }, number);
}

async function main() {
  console.log('Building the agent app…');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = /<script[^>]+type="module"[^>]+src="\/app\/([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error('no module script in dist/web/index.html');
  const chunks = initialChunks(path.join(dist, entry));
  const js = chunks.reduce((sum, f) => sum + gz(f), 0);
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/app\/([^"]+)"/g)].reduce((sum, m) => sum + gz(path.join(dist, m[1])), 0);
  const allJs = fs
    .readdirSync(path.join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gz(path.join(dist, 'assets', f)), 0);
  const widget = gz(widgetFile);

  const heard = await startHeard({ demo: true });
  const browser = await launchBrowser();
  try {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, heard, heard.owner);
    const numbers = await page.evaluate(async () => {
      const r = await fetch('/api/v1/conversations?limit=50', { credentials: 'same-origin' });
      return ((await r.json()) as { items: { number: number }[] }).items.map((c) => c.number);
    });
    if (!numbers.length) throw new Error('the demo workspace has no conversations');
    const app: number[] = [];
    const base: number[] = [];
    // One opening first, not counted: the browser's caches warm up.
    await openConversation(page, heard.url, numbers[0]);
    for (let i = 0; i < N; i++) {
      const n = numbers[i % numbers.length];
      app.push(await openConversation(page, heard.url, n));
      base.push(await baseline(page, n));
    }

    console.log('');
    console.log(`Agent app (dist/web), Heard on ${heard.engine}, Chromium ${browser.version()}`);
    console.log('');
    console.log(`Initial JavaScript (entry + static imports, ${chunks.length} file${chunks.length === 1 ? '' : 's'}): ${kb(js)} gzipped`);
    console.log(`Initial CSS:                                  ${kb(css)} gzipped`);
    console.log(`All JavaScript, lazy chunks included:         ${kb(allJs)} gzipped`);
    console.log(`Chat widget (widget.js, socket.io-client in): ${kb(widget)} gzipped, budget ${kb(WIDGET_BUDGET)}${widget > WIDGET_BUDGET ? '  OVER BUDGET' : ''}`);
    console.log('');
    console.log(`Data arrival to rendered conversation, ${N} openings:`);
    console.log(summary('  app (heard:conversation-rendered)', app));
    console.log(summary('  baseline (plain DOM, same data)', base));
  } finally {
    await browser.close();
    await heard.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
