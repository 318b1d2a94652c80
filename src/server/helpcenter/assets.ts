import crypto from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build` puts the help center's stylesheet and script (vite.help.config.ts). */
export const HELP_ASSETS_DIR = fileURLToPath(new URL('../../../dist/help/', import.meta.url));

const FILES = { 'help.css': 'text/css; charset=utf-8', 'help.js': 'application/javascript; charset=utf-8' } as const;
type AssetName = keyof typeof FILES;

/**
 * Serves the help center's two assets at /help/assets/, each addressed with its content
 * hash (help.css?v=…), so browsers keep them for a year and a new build is fetched at once.
 * A rebuild under a running server is picked up at the next request.
 */
export function serveHelpAssets(app: FastifyInstance, dir = HELP_ASSETS_DIR) {
  const cache = new Map<AssetName, { mtimeMs: number; body: Buffer; hash: string }>();
  const read = (name: AssetName) => {
    const file = join(dir, name);
    if (!existsSync(file)) return undefined;
    const { mtimeMs } = statSync(file);
    let c = cache.get(name);
    if (c?.mtimeMs !== mtimeMs) {
      const body = readFileSync(file);
      c = { mtimeMs, body, hash: crypto.createHash('sha256').update(body).digest('hex').slice(0, 12) };
      cache.set(name, c);
    }
    return c;
  };
  app.get('/help/assets/:name', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const name = (req.params as { name: string }).name as AssetName;
    if (!(name in FILES)) return reply.callNotFound();
    const asset = read(name);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('The help center is not built: run `npm run build` (npm start does it for you).\n');
    const versioned = (req.query as { v?: string }).v === asset.hash;
    return reply
      .type(FILES[name])
      .header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      .header('etag', `"${asset.hash}"`)
      .send(asset.body);
  });
  return {
    /** The addresses pages link to: with the current content hash. */
    urls: () => ({ css: `/help/assets/help.css?v=${read('help.css')?.hash ?? '0'}`, js: `/help/assets/help.js?v=${read('help.js')?.hash ?? '0'}` }),
  };
}
