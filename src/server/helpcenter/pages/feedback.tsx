/** @jsxImportSource preact */
import type { FeedbackKind, FeedbackState } from '../../domains/feedback/schema.js';
import type { WallItem } from '../../domains/feedback/service.js';
import type { Translate } from '../i18n/index.js';
import { formatDate, Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { type SurveyContext, SurveyLayout } from './survey.js';

/** One item as the wall shows it (and the consent page previews it): the kind, the customer's words, their name, the date, and the company's response beneath. Text only. */
export function FeedbackCard({ t, lang, item, as = 'li' }: { t: Translate; lang: string; item: Omit<WallItem, 'id'>; as?: 'li' | 'div' }) {
  const Tag = as;
  return (
    <Tag class={`feedback-card feedback-${item.kind}`}>
      <p class={`badge feedback-badge feedback-badge-${item.kind}`}>{t(`feedback.kind.${item.kind}`)}</p>
      <figure>
        <blockquote>{item.quote}</blockquote>
        <figcaption>
          <span class="feedback-name">{item.name ?? t('feedback.anonymous')}</span>
          <span class="muted"> · </span>
          <time class="muted" dateTime={item.publishedAt.toISOString()}>
            {formatDate(lang, item.publishedAt)}
          </time>
        </figcaption>
      </figure>
      {item.response && (
        <div class="feedback-response">
          <p class="feedback-response-label">{t('feedback.response')}</p>
          <p>{item.response}</p>
        </div>
      )}
    </Tag>
  );
}

/** The feedback wall: what customers agreed to share, newest first, with a filter by kind. */
export function FeedbackWallPage({ ctx, items, kind }: { ctx: PageContext; items: WallItem[]; kind: FeedbackKind | undefined }) {
  const { t, base } = ctx;
  const filters: { value: FeedbackKind | undefined; label: string }[] = [
    { value: undefined, label: t('feedback.filter.all') },
    { value: 'compliment', label: t('feedback.filter.compliment') },
    { value: 'complaint', label: t('feedback.filter.complaint') },
  ];
  return (
    <Layout ctx={ctx} meta={{ title: t('feedback.title'), description: t('feedback.lead'), canonical: `${base}/feedback`, section: 'feedback' }}>
      <h1>{t('feedback.title')}</h1>
      <p class="lead">{t('feedback.lead')}</p>
      <nav class="feedback-filter" aria-label={t('feedback.filter')}>
        {filters.map((f) => (
          <a href={f.value ? `${base}/feedback?kind=${f.value}` : `${base}/feedback`} aria-current={kind === f.value ? 'page' : undefined}>
            {f.label}
          </a>
        ))}
      </nav>
      {items.length ? (
        <ul class="feedback-list">
          {items.map((item) => (
            <FeedbackCard t={t} lang={ctx.lang} item={item} />
          ))}
        </ul>
      ) : (
        <p class="empty">{t('feedback.empty')}</p>
      )}
    </Layout>
  );
}

export interface ConsentView {
  token: string;
  about: { subject: string; number: number } | null;
  state: FeedbackState;
  kind: FeedbackKind;
  quote: string;
  displayName: string;
  anonymous: boolean;
  response: string | null;
}

/**
 * The consent page: exactly what would appear (the quote, the name, the response), and the
 * answer. A GET shows it; only a POST records anything (mail scanners open links). After a
 * yes, the same link withdraws.
 */
export function ConsentPage({ ctx, view }: { ctx: SurveyContext; view: ConsentView }) {
  const { t } = ctx;
  const action = `/feedback/consent/${view.token}`;
  const preview = (anonymous: boolean) => ({ kind: view.kind, quote: view.quote, name: anonymous ? null : view.displayName, response: view.response, publishedAt: new Date() });
  const ask = view.state === 'consent_requested' || view.state === 'declined';
  const agreed = view.state === 'consented' || view.state === 'published' || view.state === 'unpublished';
  return (
    <SurveyLayout ctx={ctx} title={t('consent.title')}>
      <h1>{t('consent.title')}</h1>
      {view.state === 'withdrawn' ? (
        <div class="notice" role="status">
          <p>{t('consent.withdrawn')}</p>
        </div>
      ) : (
        <>
          {view.about && <p class="lead">{t('consent.lead', { subject: view.about.subject, number: view.about.number })}</p>}
          {agreed && (
            <div class="notice notice-brand" role="status">
              <p>
                <strong>{view.anonymous ? t('consent.agreedAnonymous') : t('consent.agreed')}</strong>
                {` ${view.state === 'published' ? t('consent.published') : t('consent.pending')}`}
              </p>
            </div>
          )}
          {view.state === 'declined' && (
            <div class="notice" role="status">
              <p>{t('consent.declined')}</p>
            </div>
          )}
          <h2 class="feedback-preview-label">{t('consent.preview')}</h2>
          <FeedbackCard t={t} lang={ctx.lang} item={preview(agreed && view.anonymous)} as="div" />
          {ask && (
            <form method="post" action={action} class="stack form consent-form">
              {view.state === 'declined' && <p>{t('consent.changeMind')}</p>}
              <label class="check">
                <input type="checkbox" name="anonymous" value="on" />
                <span>{t('consent.anonymous')}</span>
              </label>
              <p class="consent-actions">
                <button type="submit" name="answer" value="yes">
                  {t('consent.yes')}
                </button>
                {view.state === 'consent_requested' && (
                  <button type="submit" name="answer" value="no" class="button-quiet">
                    {t('consent.no')}
                  </button>
                )}
              </p>
              <p class="muted small">{t('consent.nothingShown')}</p>
            </form>
          )}
          {agreed && (
            <form method="post" action={action} class="stack form consent-form">
              <p class="muted small">{t('consent.withdrawHint')}</p>
              <p>
                <button type="submit" name="answer" value="withdraw" class="button-quiet">
                  {t('consent.withdraw')}
                </button>
              </p>
            </form>
          )}
        </>
      )}
    </SurveyLayout>
  );
}

/** A consent link that opens nothing: never issued, cut short, or altered. */
export function ConsentNotFoundPage({ ctx, status }: { ctx: SurveyContext; status: number }) {
  const { t } = ctx;
  const title = status === 404 ? t('consent.notFound.title') : t('error.title');
  return (
    <SurveyLayout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p role="alert">{status === 404 ? t('consent.notFound') : status === 429 ? t('error.tooMany') : t('error.generic')}</p>
    </SurveyLayout>
  );
}
