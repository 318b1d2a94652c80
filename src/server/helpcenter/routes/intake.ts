import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { HeardError, Invalid, NotFound } from '../../core/errors.js';
import { inTransaction } from '../../core/context.js';
import { helpCenterOf, logoUrl } from '../../domains/help-center/service.js';
import { readIntakeToken } from '../../domains/topics/intake.js';
import { answerIntake, openIntake } from '../../domains/topics/intake-round.js';
import { checkOrigin } from '../forms.js';
import { invalidToErrors } from '../form-body.js';
import { catalog, htmlLang } from '../i18n/index.js';
import { IntakeDonePage, IntakeInvalidPage, IntakePage } from '../pages/intake.js';
import type { SurveyContext } from '../pages/survey.js';
import { sendPage } from '../render.js';

const preferredLocale = (req: FastifyRequest) => (/^\s*de\b/i.test(req.headers['accept-language'] ?? '') ? 'de' : 'en');

/** An expired link: 410, and the page says so. */
class LinkExpired extends HeardError {
  constructor() {
    super(410, 'Gone', 'This link has expired');
  }
}

/**
 * The intake link's one-page form at /intake/<token>, no sign-in: the signed token names the
 * conversation, and the page asks every field still missing at once. A GET stores nothing;
 * a POST stores the answers (all checked together) through the conversations commands.
 * Outside /help/<slug>, like the survey, so it works without a help center.
 */
export async function intakePages(app: FastifyInstance, opts: { assets: () => { css: string; js: string } }) {
  const contextFor = async (req: FastifyRequest, workspaceId: string | undefined): Promise<SurveyContext> => {
    const hc = workspaceId ? await helpCenterOf(app.ctx.db, workspaceId) : undefined;
    const locale = hc?.locale ?? preferredLocale(req);
    return {
      t: catalog(locale),
      lang: htmlLang(locale),
      brand: hc ? { title: hc.title, color: hc.color, logo: logoUrl(hc) } : { title: 'Heard', color: '#2563eb', logo: null },
      assets: opts.assets(),
    };
  };

  /** The conversation the token opens; 404 for a forged one, 410 for an expired one. */
  const conversationOf = (req: FastifyRequest) => {
    const read = readIntakeToken(app.ctx.secret, (req.params as { token: string }).token);
    if (read === 'expired') throw new LinkExpired();
    if (!read) throw new NotFound('Link');
    return read.conversationId;
  };

  await app.register(async (site) => {
    site.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      const fields: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (!(k in fields)) fields[k] = v;
      done(null, fields);
    });

    site.setErrorHandler(async (err: FastifyError | HeardError, req, reply) => {
      const status = err instanceof HeardError ? err.status : (err.statusCode ?? 500);
      if (status >= 500) req.log.error({ err }, 'intake page failed');
      return sendPage(reply, h(IntakeInvalidPage, { ctx: await contextFor(req, undefined), expired: status === 410 }), status);
    });

    site.get('/intake/:token', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
      const open = await openIntake(app.ctx.db, conversationOf(req));
      if (!open) throw new NotFound('Conversation');
      const ctx = await contextFor(req, open.conversation.workspaceId);
      if (!open.fields.length) return sendPage(reply, h(IntakeDonePage, { ctx, saved: false }));
      const token = (req.params as { token: string }).token;
      return sendPage(reply, h(IntakePage, { ctx, form: { token, about: open.conversation, fields: open.fields, values: {} } }));
    });

    site.post(
      '/intake/:token',
      { schema: { hide: true }, config: { public: true, rateLimit: { max: app.ctx.config.HEARD_HELP_RATE_LIMIT, timeWindow: '1 minute' } } },
      async (req, reply) => {
        checkOrigin(req, app.ctx.config.publicUrl);
        const conversationId = conversationOf(req);
        const body = (req.body ?? {}) as Record<string, string>;
        const answers = Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (k.startsWith('field.') && typeof v === 'string' ? [[k.slice(6), v]] : [])));
        try {
          await inTransaction(app.ctx, (tx) => answerIntake(tx, conversationId, answers));
        } catch (err) {
          if (!(err instanceof Invalid)) throw err;
          const open = await openIntake(app.ctx.db, conversationId);
          if (!open) throw new NotFound('Conversation');
          const ctx = await contextFor(req, open.conversation.workspaceId);
          const token = (req.params as { token: string }).token;
          const form = { token, about: open.conversation, fields: open.fields, values: body, errors: invalidToErrors(err, ctx.t) ?? {} };
          return sendPage(reply, h(IntakePage, { ctx, form }), 422);
        }
        const open = await openIntake(app.ctx.db, conversationId);
        return sendPage(reply, h(IntakeDonePage, { ctx: await contextFor(req, open?.conversation.workspaceId), saved: true }));
      },
    );
  });
}
