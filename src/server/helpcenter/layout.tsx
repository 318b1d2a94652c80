/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { logoUrl } from '../domains/help-center/service.js';
import type { PageContext } from './page-context.js';
import { StoredHtml } from './render.js';

export interface PageMeta {
  /** The page's own title; the help center's title follows it. */
  title?: string;
  description?: string;
  /** The canonical path (no query) when the page is one crawlers should index. */
  canonical?: string;
  /** Pages that are someone's own (portal, forms' answers) are kept out of search engines. */
  noindex?: boolean;
  /** Which part of the navigation the page belongs to. */
  section?: 'kb' | 'community' | 'feedback' | 'contact' | 'portal';
  /** The home page has a search box of its own. */
  hideHeaderSearch?: boolean;
  /** og:type article for articles. */
  ogType?: 'website' | 'article';
}

/** Black or white text, whichever reads better on the brand colour (WCAG relative luminance). */
export function inkOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#111827' : '#ffffff';
}

/** The frame of every help center page: head with its title, description and canonical link; header with search and navigation; the footer. */
export function Layout({ ctx, meta, children }: { ctx: PageContext; meta: PageMeta; children: ComponentChildren }) {
  const { hc, t, base } = ctx;
  const title = meta.title ? `${meta.title} · ${hc.title}` : hc.title;
  const logo = logoUrl(hc);
  const canonical = meta.canonical ? `${ctx.publicUrl}${meta.canonical}` : undefined;
  const noindex = meta.noindex || !hc.published;
  const nav: { href: string; label: string; section: PageMeta['section'] }[] = [
    { href: base, label: t('nav.kb'), section: 'kb' },
    ...(hc.communityEnabled ? [{ href: `${base}/community`, label: t('nav.community'), section: 'community' as const }] : []),
    ...(ctx.feedbackWall ? [{ href: `${base}/feedback`, label: t('nav.feedback'), section: 'feedback' as const }] : []),
    { href: `${base}/contact`, label: t('nav.contact'), section: 'contact' },
  ];
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {meta.description && <meta name="description" content={meta.description} />}
        {canonical && <link rel="canonical" href={canonical} />}
        {noindex && <meta name="robots" content="noindex" />}
        <meta property="og:site_name" content={hc.title} />
        <meta property="og:title" content={meta.title ?? hc.title} />
        <meta property="og:type" content={meta.ogType ?? 'website'} />
        {canonical && <meta property="og:url" content={canonical} />}
        {meta.description && <meta property="og:description" content={meta.description} />}
        <link rel="stylesheet" href={ctx.assets.css} />
        <style>{`:root{--brand:${hc.color};--brand-ink:${inkOn(hc.color)}}`}</style>
        <link rel="search" type="application/opensearchdescription+xml" href={`${base}/opensearch.xml`} title={hc.title} />
        <script src={ctx.assets.js} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        {ctx.viewer.member && (
          <div class="staffbar" role="note">
            <span>{hc.published ? t('staff.bar', { name: ctx.viewer.member.name }) : t('staff.unpublished')}</span>
            <a href="/app/kb">{t('staff.open')}</a>
          </div>
        )}
        <header class="site">
          <div class="wrap site-row">
            <a class="brand" href={base}>
              {logo ? <img src={logo} alt="" height={32} /> : <span class="brand-mark" aria-hidden="true">{hc.title.slice(0, 1)}</span>}
              <span>{hc.title}</span>
            </a>
            <nav aria-label={t('nav.label')} class="nav">
              {nav.map((n) => (
                <a href={n.href} aria-current={meta.section === n.section ? 'page' : undefined}>
                  {n.label}
                </a>
              ))}
            </nav>
            {/* The customer's own requests, or signing in to them: beside the title on a phone, after the sections on a wide screen. */}
            {ctx.viewer.customer ? (
              <a class="account" href={`${base}/portal`} aria-current={meta.section === 'portal' ? 'page' : undefined}>
                {t('nav.myRequests')}
              </a>
            ) : (
              <a class="account" href={`${base}/portal/sign-in?return=${encodeURIComponent(ctx.path)}`} aria-current={meta.section === 'portal' ? 'page' : undefined}>
                {t('nav.signIn')}
              </a>
            )}
          </div>
          {!meta.hideHeaderSearch && (
            <div class="wrap">
              <SearchForm ctx={ctx} compact />
            </div>
          )}
        </header>
        <main id="main" class="wrap">
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            {hc.footerHtml && <StoredHtml html={hc.footerHtml} className="footer-text" />}
            <p class="powered">{t('footer.powered')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The one search box: articles and community threads. */
export function SearchForm({ ctx, compact, value }: { ctx: PageContext; compact?: boolean; value?: string }) {
  const { t, base } = ctx;
  return (
    <form
      class={compact ? 'search search-compact' : 'search'}
      action={`${base}/search`}
      method="get"
      role="search"
      data-suggest={`${base}/search.json`}
      data-label-suggestions={t('search.suggestions')}
      data-label-article={t('search.kind.article')}
      data-label-thread={t('search.kind.thread')}
    >
      <label for={compact ? 'q-header' : 'q'} class="visually-hidden">
        {t('search.label')}
      </label>
      <input id={compact ? 'q-header' : 'q'} type="search" name="q" value={value} placeholder={t('search.placeholder')} autocomplete="off" maxLength={200} />
      {/* On a phone the button is a magnifier (help.css), so the box keeps the room to show what it searches. */}
      <button type="submit" aria-label={t('search.submit')}>
        <span class="search-icon" aria-hidden="true" />
        <span class="search-word">{t('search.submit')}</span>
      </button>
    </form>
  );
}

/** The hidden parts every form carries: its token, and the trap field that people never see. */
export function FormGuard({ ctx }: { ctx: PageContext }) {
  return (
    <>
      <input type="hidden" name="_form" value={ctx.formToken()} />
      <div class="trap" aria-hidden="true">
        <label>
          Website <input type="text" name="website" tabIndex={-1} autocomplete="off" />
        </label>
      </div>
    </>
  );
}

/** A form field's error, announced with the field. */
export function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

/** Dates as the help center's readers write them. */
// A formatter costs far more to make than to use: one per language and style, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, withTime: boolean) {
  const key = `${lang}:${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', ...(withTime ? { hour: 'numeric', minute: '2-digit' } : {}) });
    formatters.set(key, f);
  }
  return f;
}

export function formatDate(lang: string, d: Date) {
  return formatter(lang, false).format(d);
}

export function formatDateTime(lang: string, d: Date) {
  return formatter(lang, true).format(d);
}
