import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { HeardError, NotFound } from '../../core/errors.js';
import { inTransaction } from '../../core/context.js';
import { conversationBrief } from '../../domains/conversations/queries.js';
import { helpCenterOf, logoUrl } from '../../domains/help-center/service.js';
import { getInbox } from '../../domains/inboxes/service.js';
import { COMMENT_MAX, RATINGS, type Rating, SurveyAnswerSchema } from '../../domains/satisfaction/schema.js';
import { answerSurvey, type Survey, surveyByToken, surveyOpen } from '../../domains/satisfaction/service.js';
import { checkOrigin } from '../forms.js';
import { catalog, htmlLang } from '../i18n/index.js';
import { type SurveyContext, SurveyClosedPage, SurveyNotFoundPage, SurveyPage } from '../pages/survey.js';
import { sendPage } from '../render.js';

const DEFAULT_COLOR = '#2563eb';

/** The reader's language when the workspace has no help center to say it: German for those who prefer it, else English. */
const preferredLocale = (req: FastifyRequest) => (/^\s*de\b/i.test(req.headers['accept-language'] ?? '') ? 'de' : 'en');

const isRating = (r: unknown): r is Rating => typeof r === 'string' && (RATINGS as readonly string[]).includes(r);

/**
 * The satisfaction survey's public pages at /survey/<token>, no sign-in: the token in the
 * link is the customer's key to their one survey. A GET shows the survey with the link's
 * rating chosen and stores nothing; a POST stores the answer (or changes it, while the
 * survey is open) and comes back to the GET. They look like the workspace's help center
 * when it has one, and speak its language.
 */
export async function surveyPages(app: FastifyInstance, opts: { assets: () => { css: string; js: string } }) {
  /** How a page for this survey looks: its workspace's help center, or a plain page named after its inbox. */
  const contextFor = async (req: FastifyRequest, survey: Survey | undefined): Promise<SurveyContext> => {
    const hc = survey ? await helpCenterOf(app.ctx.db, survey.workspaceId) : undefined;
    const inbox = survey && !hc ? await getInbox(app.ctx.db, survey, survey.inboxId).catch(() => undefined) : undefined;
    const locale = hc?.locale ?? preferredLocale(req);
    return {
      t: catalog(locale),
      lang: htmlLang(locale),
      brand: hc ? { title: hc.title, color: hc.color, logo: logoUrl(hc) } : { title: inbox?.name ?? 'Heard', color: DEFAULT_COLOR, logo: null },
      assets: opts.assets(),
    };
  };

  const showForm = async (survey: Survey, token: string, given: { rating: Rating | null; comment: string; autoSubmit: boolean; errors?: { rating?: string; comment?: string } }) => {
    const about = (await conversationBrief(app.ctx.db, survey.conversationId)) ?? null;
    return {
      token,
      about,
      rating: given.rating,
      comment: given.comment,
      // An answer is stored, and the page is not about to send another.
      saved: survey.rating !== null && !given.autoSubmit && !given.errors,
      autoSubmit: given.autoSubmit,
      changeableUntil: survey.changeableUntil,
      errors: given.errors,
    };
  };

  await app.register(async (site) => {
    site.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32 * 1024 }, (_req, body, done) => {
      const fields: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (!(k in fields)) fields[k] = v;
      done(null, fields);
    });

    site.setErrorHandler(async (err: FastifyError | HeardError, req, reply) => {
      const status = err instanceof HeardError ? err.status : (err.statusCode ?? 500);
      if (status >= 500) req.log.error({ err }, 'survey page failed');
      if (err instanceof HeardError && err.extra.retryAfter) reply.header('retry-after', String(err.extra.retryAfter));
      return sendPage(reply, h(SurveyNotFoundPage, { ctx: await contextFor(req, undefined), status }), status);
    });

    const tokenOf = (req: FastifyRequest) => (req.params as { token: string }).token;

    site.get('/survey/:token', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
      const token = tokenOf(req);
      const survey = await surveyByToken(app.ctx.db, token);
      if (!survey) throw new NotFound('Survey');
      const ctx = await contextFor(req, survey);
      if (!surveyOpen(survey)) return sendPage(reply, h(SurveyClosedPage, { ctx, rating: survey.rating, comment: survey.comment }));
      const asked = (req.query as { rating?: unknown }).rating;
      const linked = isRating(asked) ? asked : null;
      // The link's rating is sent by the page's script; one that is stored already needs no sending.
      const autoSubmit = linked !== null && linked !== survey.rating;
      const form = await showForm(survey, token, { rating: linked ?? survey.rating, comment: survey.comment ?? '', autoSubmit });
      return sendPage(reply, h(SurveyPage, { ctx, form }));
    });

    site.post(
      '/survey/:token',
      { schema: { hide: true }, config: { public: true, rateLimit: { max: app.ctx.config.HEARD_HELP_RATE_LIMIT, timeWindow: '1 minute' } } },
      async (req, reply) => {
        checkOrigin(req, app.ctx.config.publicUrl);
        const token = tokenOf(req);
        const survey = await surveyByToken(app.ctx.db, token);
        if (!survey) throw new NotFound('Survey');
        const fields = (req.body ?? {}) as Record<string, string | undefined>;
        const parsed = SurveyAnswerSchema.safeParse({ rating: fields.rating, comment: fields.comment });
        if (!parsed.success) {
          const ctx = await contextFor(req, survey);
          const paths = new Set(parsed.error.issues.map((i) => i.path[0]));
          const errors = {
            rating: paths.has('rating') ? ctx.t('survey.invalidRating') : undefined,
            comment: paths.has('comment') ? ctx.t('survey.commentTooLong', { max: COMMENT_MAX }) : undefined,
          };
          const form = await showForm(survey, token, { rating: isRating(fields.rating) ? fields.rating : null, comment: fields.comment ?? '', autoSubmit: false, errors });
          return sendPage(reply, h(SurveyPage, { ctx, form }), 422);
        }
        const outcome = await inTransaction(app.ctx, (tx) => answerSurvey(tx, token, parsed.data));
        if (outcome.kind === 'closed') {
          return sendPage(reply, h(SurveyClosedPage, { ctx: await contextFor(req, survey), rating: outcome.survey.rating, comment: outcome.survey.comment }), 410);
        }
        return reply.redirect(`/survey/${token}`, 303);
      },
    );
  });
}
