import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { inboxes } from '../../db/schema/index.js';
import { findWorkspaceByName } from '../../domains/workspaces/service.js';
import { DEMO_WORKSPACE } from '../../demo/load-demo.js';
import { widgetSettings } from './service.js';

/** Where `npm run build` puts the widget (vite.widget.config.ts). */
export const WIDGET_DIR = fileURLToPath(new URL('../../../../dist/widget/', import.meta.url));

/**
 * Serves the widget's script at /widget.js, for any site to load (cross-origin), and
 * /demo, a small shop page with the widget of the demo workspace, to try it at once.
 */
export async function serveWidget(app: FastifyInstance, widgetDir = WIDGET_DIR) {
  const file = join(widgetDir, 'widget.js');
  let cached: { mtimeMs: number; body: Buffer } | undefined;
  const read = () => {
    if (!existsSync(file)) return undefined;
    const { mtimeMs } = statSync(file);
    // A rebuild under a running server is picked up at the next request.
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, body: readFileSync(file) };
    return cached.body;
  };

  app.get('/widget.js', { schema: { hide: true }, config: { public: true } }, async (_req, reply) => {
    const body = read();
    // Other sites load this script: helmet's same-origin resource policy would have browsers refuse it.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    if (!body) {
      return reply.code(503).type('application/javascript; charset=utf-8').header('cache-control', 'no-store').send(
        `console.error("[Heard] widget.js is not built on this server: run \`npm run build\` (npm start does it for you).");\n`,
      );
    }
    // Not fingerprinted (the URL is in customers' pages): cached briefly, so a new version arrives within minutes.
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(body);
  });

  app.get('/demo', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const workspace = await findWorkspaceByName(app.ctx.db, DEMO_WORKSPACE);
    const [inbox] = workspace
      ? await app.ctx.db
          .select()
          .from(inboxes)
          .where(and(eq(inboxes.workspaceId, workspace.id), eq(inboxes.channel, 'widget'), isNull(inboxes.archivedAt)))
          .orderBy(asc(inboxes.createdAt))
          .limit(1)
      : [];
    const host = `${req.protocol}://${req.host}`;
    // The page loads only the widget script from here and talks only to here (its API and socket).
    reply.header(
      'content-security-policy',
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${host.replace(/^http/, 'ws')}; frame-ancestors 'none'`,
    );
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(demoPage(host, inbox ? widgetSettings(inbox).publicKey : undefined));
  });
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function demoPage(host: string, publicKey: string | undefined) {
  const products = [
    ['Trail runner 2', '€129', '#0ea5e9'],
    ['Rain shell', '€189', '#f59e0b'],
    ['Merino tee', '€59', '#10b981'],
    ['Day pack 22 l', '€95', '#8b5cf6'],
  ];
  const tag = publicKey ? `<script src="${escape(host)}/widget.js" data-inbox="${escape(publicKey)}" async></script>` : '';
  const note = publicKey
    ? `<p class="note">The chat button at the bottom right is Heard's widget, loaded by one tag:<br><code>${escape(tag)}</code><br>Answer in the agent app at <a href="/app/">/app</a> (Website chat inbox).</p>`
    : `<p class="note"><strong>No widget to show.</strong> This page uses the first widget inbox of the demo workspace, and there is none:
       start Heard with <code>npm start</code> (it loads the demo workspace), or create a widget inbox in Settings › Inboxes and put its tag into your own page.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Outfitters — demo shop</title>
<style>
  :root { color-scheme: light dark; --bg: #fafaf9; --fg: #1c1917; --card: #fff; --line: #e7e5e4; --muted: #78716c; }
  @media (prefers-color-scheme: dark) { :root { --bg: #1c1917; --fg: #f5f5f4; --card: #292524; --line: #44403c; --muted: #a8a29e; } }
  body { margin: 0; font: 16px/1.5 Georgia, 'Times New Roman', serif; background: var(--bg); color: var(--fg); }
  header { display: flex; align-items: center; justify-content: space-between; padding: 18px 32px; border-bottom: 1px solid var(--line); }
  header b { font-size: 22px; letter-spacing: .02em; }
  nav a { margin-left: 20px; color: inherit; text-decoration: none; white-space: nowrap; }
  main { max-width: 1000px; margin: 0 auto; padding: 32px; }
  h1 { font-size: 34px; margin: 0 0 6px; }
  .lead { color: var(--muted); margin: 0 0 28px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 20px; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
  .pic { height: 140px; }
  .card div.t { padding: 12px 14px; display: flex; justify-content: space-between; }
  .note { margin-top: 36px; padding: 14px 16px; border: 1px dashed var(--line); border-radius: 8px; font: 14px/1.5 system-ui, sans-serif; color: var(--muted); }
  code { font-size: 12px; word-break: break-all; }
  @media (max-width: 600px) {
    header { flex-wrap: wrap; gap: 4px 0; padding: 14px 20px; }
    nav a { margin: 0 16px 0 0; }
    main { padding: 24px 20px; }
    h1 { font-size: 28px; }
  }
  /* The host page's own button styles: the widget must not pick them up. */
  button { font-family: 'Comic Sans MS', cursive; background: hotpink; }
</style>
</head>
<body>
<header><b>Acme Outfitters</b><nav><a href="#">Shoes</a><a href="#">Jackets</a><a href="#">Packs</a><a href="#">Basket (0)</a></nav></header>
<main>
  <h1>Made for the weather you get</h1>
  <p class="lead">Free returns for 60 days. Questions about sizes or an order? Ask us in the chat.</p>
  <div class="grid">
    ${products.map(([name, price, color]) => `<div class="card"><div class="pic" style="background:${color}"></div><div class="t"><span>${name}</span><span>${price}</span></div></div>`).join('\n    ')}
  </div>
  ${note}
</main>
${tag}
</body>
</html>
`;
}
