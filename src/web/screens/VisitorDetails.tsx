import { t } from '../i18n';
import { shortAge } from '../lib/time';
import type { VisitorContext } from '../lib/types';
import { browserOf, localTimeIn } from '../lib/visitor';

/** Beside a widget conversation: the page the visitor is on, their browser, language, local time and when they were last there. */
export function VisitorDetails({ visitor }: { visitor: VisitorContext }) {
  const browser = browserOf(visitor.userAgent);
  const local = localTimeIn(visitor.timezone);
  const rows: [string, React.ReactNode][] = [];
  if (visitor.url) {
    rows.push([
      t('visitor.page'),
      <a href={safeHref(visitor.url)} target="_blank" rel="noreferrer noopener" className="text-accent underline" title={visitor.url}>
        {visitor.title || visitor.url}
      </a>,
    ]);
  }
  if (browser) rows.push([t('visitor.browser'), <span title={visitor.userAgent}>{browser}</span>]);
  if (visitor.locale) rows.push([t('visitor.locale'), visitor.locale]);
  if (local) rows.push([t('visitor.localTime'), t('visitor.timeIn', { time: local, zone: visitor.timezone! })]);
  if (visitor.lastSeenAt) rows.push([t('visitor.lastSeen'), shortAge(visitor.lastSeenAt)]);
  if (!rows.length) return null;
  return (
    <section aria-label={t('visitor.title')} className="border-t border-line p-4 text-[13px]">
      <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('visitor.title')}</h3>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-ink-3">{label}</dt>
            <dd className="min-w-0 truncate">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Only http(s) links from what a visitor's browser reported. */
function safeHref(url: string) {
  return /^https?:\/\//i.test(url) ? url : undefined;
}
