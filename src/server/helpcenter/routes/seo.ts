import type { FastifyPluginAsync } from 'fastify';
import { sitemapEntries } from '../../domains/knowledge-base/published.js';
import { siteOf } from './shared.js';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What crawlers and browsers ask of a help center: its sitemap, robots.txt, an OpenSearch description, the logo. */
export const seoRoutes: FastifyPluginAsync = async (app) => {
  const root = app.ctx.config.publicUrl;

  app.get('/:site/sitemap.xml', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    if (!hc.published) return reply.callNotFound();
    const e = await sitemapEntries(app.ctx.db, hc.workspaceId, hc.communityEnabled);
    const url = (path: string, at?: Date) => `<url><loc>${xml(root + path)}</loc>${at ? `<lastmod>${at.toISOString()}</lastmod>` : ''}</url>`;
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      url(ctx.base),
      url(`${ctx.base}/contact`),
      ...(hc.communityEnabled ? [url(`${ctx.base}/community`)] : []),
      ...e.categories.map((c) => url(`${ctx.base}/categories/${c.slug}`, c.updatedAt)),
      ...e.articles.map((a) => url(`${ctx.base}/articles/${a.slug}`, a.updatedAt)),
      ...e.threads.map((t) => url(`${ctx.base}/community/${t.number}`, t.updatedAt)),
      '</urlset>',
    ].join('\n');
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=600').send(body);
  });

  app.get('/:site/opensearch.xml', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
<ShortName>${xml(hc.title.slice(0, 16))}</ShortName>
<Description>${xml(hc.title)}</Description>
<InputEncoding>UTF-8</InputEncoding>
<Url type="text/html" template="${xml(`${root}${ctx.base}/search`)}?q={searchTerms}"/>
</OpenSearchDescription>`;
    return reply.type('application/opensearchdescription+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  });

  app.get('/:site/logo', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { hc } = siteOf(req);
    if (!hc.logoSha256 || !hc.logoContentType) return reply.callNotFound();
    return reply
      .type(hc.logoContentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(await app.files.get(hc.logoSha256));
  });

};
