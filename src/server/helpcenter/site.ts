import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asc, eq } from 'drizzle-orm';
import { h } from 'preact';
import { helpCenters } from '../db/schema/index.js';
import { HeardError } from '../core/errors.js';
import { badInputForDatabase } from '../core/http/error-handler.js';
import { helpCenterBySlug, helpCenterMovedFrom, helpCenterPath } from '../domains/help-center/service.js';
import { ViewCounter } from '../domains/help-center/view-counter.js';
import { openHelpFile } from '../domains/knowledge-base/service.js';
import { safeContentType } from '../core/files/content-types.js';
import { serveHelpAssets } from './assets.js';
import { loadSite } from './context.js';
import { formCookie, issueFormToken, PageRefusal } from './forms.js';
import { catalog, htmlLang } from './i18n/index.js';
import { ErrorPage } from './pages/error.js';
import { sendPage } from './render.js';
import { communityPages } from './routes/community.js';
import { contactPages } from './routes/contact.js';
import { consentPages, feedbackWallPages } from './routes/feedback.js';
import { knowledgeBasePages } from './routes/knowledge-base.js';
import { portalPages } from './routes/portal.js';
import { seoRoutes } from './routes/seo.js';
import { surveyPages } from './routes/survey.js';
import { intakePages } from './routes/intake.js';

export interface SiteOptions {
  /** Where the built stylesheet and script are; dist/help by default. */
  assetsDir?: string;
  views: ViewCounter;
}

/**
 * The public help center at /help/<slug>: server-rendered HTML that works without
 * script, crawlable, with a small script for suggestions as you type. Its own error
 * pages, form parser and rate limits live inside this plugin, apart from the API's.
 */
export async function helpCenterSite(app: FastifyInstance, opts: SiteOptions) {
  const assets = serveHelpAssets(app, opts.assetsDir);

  // Article images: public (articles are), served only as the raster images they were checked to be.
  app.get('/help/files/:id/:name', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!/^[0-9a-f-]{36}$/i.test(id)) return reply.callNotFound();
    const f = await openHelpFile(app.ctx.db, app.files, id).catch(() => null);
    if (!f) return reply.callNotFound();
    return reply
      .type(safeContentType(f.contentType))
      .header('content-disposition', 'inline')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(f.stream);
  });

  // /help alone: the one published help center of this server, when there is one.
  app.get('/help', { schema: { hide: true }, config: { public: true } }, async (_req, reply) => {
    const rows = await app.ctx.db.select({ slug: helpCenters.slug }).from(helpCenters).where(eq(helpCenters.published, true)).orderBy(asc(helpCenters.createdAt)).limit(2);
    if (rows.length === 1) return reply.redirect(helpCenterPath(rows[0]), 302);
    return reply.code(404).type('text/plain; charset=utf-8').send(rows.length ? 'Several help centers are published here: open /help/<name>.\n' : 'No help center is published on this server.\n');
  });

  // One robots.txt for the server: the help centers are for crawlers, the apps and the API are not.
  app.get('/robots.txt', { schema: { hide: true }, config: { public: true } }, async (_req, reply) => {
    const root = app.ctx.config.publicUrl;
    const published = await app.ctx.db.select({ slug: helpCenters.slug }).from(helpCenters).where(eq(helpCenters.published, true));
    const body = ['User-agent: *', 'Disallow: /app/', 'Disallow: /api/', 'Disallow: /widget/', ...published.flatMap((h) => [`Disallow: ${helpCenterPath(h)}/portal/`, `Sitemap: ${root}${helpCenterPath(h)}/sitemap.xml`]), ''].join('\n');
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=600').send(body);
  });

  // The satisfaction survey's pages: outside /help, since a workspace need not have a help center.
  await surveyPages(app, { assets: assets.urls });
  // The feedback wall's consent page: outside /help too, like the survey's.
  await consentPages(app, { assets: assets.urls });
  // A conversation's intake link (the fields still missing): outside /help too.
  await intakePages(app, { assets: assets.urls });

  await app.register(async (site) => {
    // Forms post as application/x-www-form-urlencoded; this parser exists only for the help center's routes.
    site.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
      const fields: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (!(k in fields)) fields[k] = v;
      done(null, fields);
    });

    // Each request names its help center; who is looking is worked out once, here.
    site.addHook('preHandler', async (req, reply) => {
      const slug = (req.params as { site?: string }).site;
      if (slug === undefined) return;
      try {
        req.site = await loadSite(app, req, reply, assets.urls());
      } catch (err) {
        // A help center that moved to another address: its old links lead to the new one.
        const moved = err instanceof HeardError && err.status === 404 ? await helpCenterMovedFrom(app.ctx.db, slug) : undefined;
        if (!moved?.published || req.method !== 'GET') throw err;
        return reply.redirect(`${helpCenterPath(moved)}${req.url.slice(`/help/${slug}`.length)}`, 301);
      }
    });

    site.setErrorHandler(async (err: FastifyError | HeardError, req, reply) => errorPage(app, req, reply, err, assets.urls()));
    site.setNotFoundHandler(async (req, reply) => errorPage(app, req, reply, new HeardError(404, 'Not Found', 'not found'), assets.urls()));

    const deps = { views: opts.views };
    await site.register(knowledgeBasePages, deps);
    await site.register(communityPages, deps);
    await site.register(portalPages);
    await site.register(contactPages);
    await site.register(feedbackWallPages);
    await site.register(seoRoutes);
  }, { prefix: '/help' });
}

/** An error as a page of the help center it happened in (or a plain one when there is none). */
async function errorPage(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, thrown: FastifyError | HeardError, urls: { css: string; js: string }) {
  // A value the database could not take is the visitor's mistake, and the statement is nobody's business.
  const err = badInputForDatabase(thrown) ?? thrown;
  const status = err instanceof HeardError ? err.status : (err.statusCode ?? 500);
  if (status >= 500) req.log.error({ err }, 'help center page failed');
  if (err instanceof HeardError && err.extra.retryAfter) reply.header('retry-after', String(err.extra.retryAfter));
  let ctx = req.site?.ctx;
  if (!ctx) {
    const slug = (req.params as { site?: string } | undefined)?.site ?? /^\/help\/([^/?#]+)/.exec(req.url)?.[1];
    const hc = slug ? await helpCenterBySlug(app.ctx.db, slug).catch(() => null) : null;
    if (!hc || !hc.published) return reply.code(status).type('text/plain; charset=utf-8').send(status === 404 ? 'Not found\n' : status < 500 ? `${err.message}\n` : 'Something went wrong\n');
    const cookie = formCookie(req, reply, app.ctx.config.secureCookies);
    ctx = {
      hc,
      t: catalog(hc.locale),
      base: helpCenterPath(hc),
      publicUrl: app.ctx.config.publicUrl,
      lang: htmlLang(hc.locale),
      viewer: { customer: null, member: null },
      formToken: () => issueFormToken(app.ctx.secret, cookie),
      assets: urls,
      path: req.url.split('?')[0],
      feedbackWall: false,
    };
  }
  // Someone who must sign in first is taken there, and back afterwards.
  if (status === 401) {
    const back = req.method === 'GET' ? req.url : (refererPath(req.headers.referer, ctx.base) ?? ctx.base);
    return reply.redirect(`${ctx.base}/portal/sign-in?return=${encodeURIComponent(back)}`, 303);
  }
  const message = err instanceof PageRefusal ? ctx.t(err.key) : status < 500 ? err.message : undefined;
  return sendPage(reply, h(ErrorPage, { ctx, status, message }), status);
}

/** The path of the page a form was sent from, when it is a page of this help center. */
function refererPath(referer: string | undefined, base: string) {
  if (!referer) return undefined;
  try {
    const path = new URL(referer).pathname;
    return path.startsWith(`${base}/`) || path === base ? path : undefined;
  } catch {
    return undefined;
  }
}
