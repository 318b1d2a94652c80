/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { RATINGS, type Rating } from '../../domains/satisfaction/schema.js';
import type { Translate } from '../i18n/index.js';
import { formatDateTime, inkOn } from '../layout.js';

/** What a survey page is rendered with: the workspace's look (its help center's, when it has one) and language. */
export interface SurveyContext {
  t: Translate;
  lang: string;
  brand: { title: string; color: string; logo: string | null };
  assets: { css: string; js: string };
}

/** The frame of the survey pages: the brand, and nothing to wander off to. Never indexed. */
export function SurveyLayout({ ctx, title, children }: { ctx: SurveyContext; title: string; children: ComponentChildren }) {
  const { brand, t } = ctx;
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${brand.title}`}</title>
        <link rel="stylesheet" href={ctx.assets.css} />
        <style>{`:root{--brand:${brand.color};--brand-ink:${inkOn(brand.color)}}`}</style>
        <script src={ctx.assets.js} defer />
      </head>
      <body>
        <header class="site">
          <div class="wrap site-row">
            <span class="brand">
              {brand.logo ? <img src={brand.logo} alt="" height={32} /> : <span class="brand-mark" aria-hidden="true">{brand.title.slice(0, 1)}</span>}
              <span>{brand.title}</span>
            </span>
          </div>
        </header>
        <main id="main" class="wrap">
          <div class="narrow survey">{children}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p class="powered">{t('footer.powered')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** A face for each rating: smiling, straight, frowning. */
function Face({ rating }: { rating: Rating }) {
  const mouth = rating === 'good' ? 'M8 14.5c1.1 1.4 2.4 2 4 2s2.9-.6 4-2' : rating === 'okay' ? 'M8.5 15.5h7' : 'M8 16.5c1.1-1.4 2.4-2 4-2s2.9.6 4 2';
  return (
    <svg class="face" viewBox="0 0 24 24" width="36" height="36" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="1.6" />
      <circle cx="9" cy="9.5" r="1.2" fill="currentColor" />
      <circle cx="15" cy="9.5" r="1.2" fill="currentColor" />
      <path d={mouth} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
    </svg>
  );
}

export interface SurveyForm {
  token: string;
  about: { subject: string; number: number } | null;
  /** The rating shown chosen: the one the link named, or the one given before. */
  rating: Rating | null;
  comment: string;
  /** The answer just stored. */
  saved: boolean;
  /** The page sends the rating its link named by itself (the script), as people who click expect. */
  autoSubmit: boolean;
  changeableUntil: Date;
  errors?: { rating?: string; comment?: string };
}

/**
 * The survey: the three ratings (the one chosen selected), a comment box, and Send. A GET
 * records nothing (mail scanners open links); with script, the page sends the chosen
 * rating at once, and without it the customer presses Send.
 */
export function SurveyPage({ ctx, form }: { ctx: SurveyContext; form: SurveyForm }) {
  const { t } = ctx;
  const e = form.errors ?? {};
  return (
    <SurveyLayout ctx={ctx} title={t('survey.title')}>
      <h1>{t('survey.title')}</h1>
      {form.about && <p class="lead">{t('survey.about', { subject: form.about.subject, number: form.about.number })}</p>}
      {form.saved && (
        <div class="notice notice-brand" role="status">
          <p>
            <strong>{t('survey.saved')}</strong> {t('survey.changeUntil', { date: formatDateTime(ctx.lang, form.changeableUntil) })}
          </p>
        </div>
      )}
      <form method="post" action={`/survey/${form.token}`} class="stack form survey-form" data-autosubmit={form.autoSubmit ? '' : undefined}>
        <fieldset class="ratings" aria-describedby={e.rating ? 'rating-error' : undefined}>
          <legend>{t('survey.legend')}</legend>
          <div class="rating-options">
            {RATINGS.map((r) => (
              <label class={`rating rating-${r}`}>
                <input type="radio" name="rating" value={r} checked={form.rating === r} required />
                <Face rating={r} />
                <span>{t(`survey.rating.${r}`)}</span>
              </label>
            ))}
          </div>
          {e.rating && (
            <p class="field-error" id="rating-error">
              {e.rating}
            </p>
          )}
        </fieldset>
        <div class="field">
          <label for="comment">{t('survey.comment')}</label>
          <textarea id="comment" name="comment" rows={4} maxLength={2000} aria-invalid={e.comment ? 'true' : undefined} aria-describedby={e.comment ? 'comment-error' : undefined}>
            {form.comment}
          </textarea>
          {e.comment && (
            <p class="field-error" id="comment-error">
              {e.comment}
            </p>
          )}
        </div>
        <p>
          <button type="submit">{t('survey.send')}</button>
        </p>
      </form>
    </SurveyLayout>
  );
}

/** A survey past its time: the answer as it stands (if any), and no form. */
export function SurveyClosedPage({ ctx, rating, comment }: { ctx: SurveyContext; rating: Rating | null; comment: string | null }) {
  const { t } = ctx;
  return (
    <SurveyLayout ctx={ctx} title={t('survey.title')}>
      <h1>{t('survey.title')}</h1>
      <div class="notice" role="status">
        <p>{t('survey.closed')}</p>
      </div>
      {rating && (
        <div class="survey-answer">
          <p class={`rating rating-${rating} rating-static`}>
            <Face rating={rating} />
            <span>{t('survey.yourAnswer', { rating: t(`survey.rating.${rating}`) })}</span>
          </p>
          {comment && (
            <>
              <p class="muted small">{t('survey.yourComment')}</p>
              <blockquote>{comment}</blockquote>
            </>
          )}
        </div>
      )}
    </SurveyLayout>
  );
}

/** A link that opens no survey: one never issued, cut short, or altered. */
export function SurveyNotFoundPage({ ctx, status }: { ctx: SurveyContext; status: number }) {
  const { t } = ctx;
  const title = status === 404 ? t('survey.notFound.title') : t('error.title');
  return (
    <SurveyLayout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p role="alert">{status === 404 ? t('survey.notFound') : status === 429 ? t('error.tooMany') : t('error.generic')}</p>
    </SurveyLayout>
  );
}
