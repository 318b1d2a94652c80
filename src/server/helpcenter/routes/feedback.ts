import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { HeardError, NotFound } from '../../core/errors.js';
import { inTransaction } from '../../core/context.js';
import { conversationBrief } from '../../domains/conversations/queries.js';
import { FEEDBACK_KINDS, type FeedbackKind, ConsentAnswerSchema } from '../../domains/feedback/schema.js';
import { answerConsent, type FeedbackItem, feedbackByToken, wallItems } from '../../domains/feedback/service.js';
import { helpCenterOf, logoUrl } from '../../domains/help-center/service.js';
import { checkOrigin } from '../forms.js';
import { catalog, htmlLang } from '../i18n/index.js';
import { ConsentNotFoundPage, ConsentPage, FeedbackWallPage } from '../pages/feedback.js';
import type { SurveyContext } from '../pages/survey.js';
import { sendPage } from '../render.js';
import { siteOf } from './shared.js';

const DEFAULT_COLOR = '#2563eb';

/** The reader's language when the workspace has no help center to say it. */
const preferredLocale = (req: FastifyRequest) => (/^\s*de\b/i.test(req.headers['accept-language'] ?? '') ? 'de' : 'en');

/**
 * The consent page at /feedback/consent/<token>, no sign-in: the token in the link the
 * customer was sent is their key to this one item. A GET shows exactly what would appear and
 * stores nothing; a POST records yes, no or a withdrawal and comes back to the GET.
 */
export async function consentPages(app: FastifyInstance, opts: { assets: () => { css: string; js: string } }) {
  const contextFor = async (req: FastifyRequest, item: FeedbackItem | undefined): Promise<SurveyContext> => {
    const hc = item ? await helpCenterOf(app.ctx.db, item.workspaceId) : undefined;
    const locale = hc?.locale ?? preferredLocale(req);
    return {
      t: catalog(locale),
      lang: htmlLang(locale),
      brand: hc ? { title: hc.title, color: hc.color, logo: logoUrl(hc) } : { title: 'Heard', color: DEFAULT_COLOR, logo: null },
      assets: opts.assets(),
    };
  };

  await app.register(async (site) => {
    site.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      const fields: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (!(k in fields)) fields[k] = v;
      done(null, fields);
    });

    site.setErrorHandler(async (err: FastifyError | HeardError, req, reply) => {
      const status = err instanceof HeardError ? err.status : (err.statusCode ?? 500);
      if (status >= 500) req.log.error({ err }, 'consent page failed');
      if (err instanceof HeardError && err.extra.retryAfter) reply.header('retry-after', String(err.extra.retryAfter));
      return sendPage(reply, h(ConsentNotFoundPage, { ctx: await contextFor(req, undefined), status }), status);
    });

    const tokenOf = (req: FastifyRequest) => (req.params as { token: string }).token;

    site.get('/feedback/consent/:token', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
      const token = tokenOf(req);
      const item = await feedbackByToken(app.ctx.db, token);
      if (!item) throw new NotFound('Feedback');
      const about = (await conversationBrief(app.ctx.db, item.conversationId)) ?? null;
      const view = { token, about, state: item.state, kind: item.kind, quote: item.quote, displayName: item.displayName, anonymous: item.anonymous, response: item.response };
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(ConsentPage, { ctx: await contextFor(req, item), view }));
    });

    site.post(
      '/feedback/consent/:token',
      { schema: { hide: true }, config: { public: true, rateLimit: { max: app.ctx.config.HEARD_HELP_RATE_LIMIT, timeWindow: '1 minute' } } },
      async (req, reply) => {
        checkOrigin(req, app.ctx.config.publicUrl);
        const token = tokenOf(req);
        if (!(await feedbackByToken(app.ctx.db, token))) throw new NotFound('Feedback');
        const parsed = ConsentAnswerSchema.safeParse(req.body ?? {});
        // A form of ours always names its answer: anything else changes nothing.
        if (parsed.success) await inTransaction(app.ctx, (tx) => answerConsent(tx, token, { answer: parsed.data.answer, anonymous: parsed.data.anonymous === 'on' }));
        return reply.redirect(`/feedback/consent/${token}`, 303);
      },
    );
  });
}

const isKind = (k: unknown): k is FeedbackKind => typeof k === 'string' && (FEEDBACK_KINDS as readonly string[]).includes(k);

/** The feedback wall in the help center: /help/<slug>/feedback, of one kind with ?kind=. */
export const feedbackWallPages: FastifyPluginAsync = async (app) => {
  app.get('/:site/feedback', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const { hc, ctx } = siteOf(req);
    const asked = (req.query as { kind?: unknown }).kind;
    const kind = isKind(asked) ? asked : undefined;
    const items = await wallItems(app.ctx.db, hc.workspaceId, { kind });
    return sendPage(reply, h(FeedbackWallPage, { ctx, items, kind }));
  });
};
