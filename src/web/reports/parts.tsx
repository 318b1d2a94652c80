import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { ApiError } from '../lib/api';

/** What went wrong, in words: the API's 404 (a server without reports) and 403 (light members) get their own. */
export function problemOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404) return t('reports.error.missing');
    if (error.status === 403) return t('reports.error.forbidden');
    if (error.status === 0) return t('reports.error.network');
    return t('reports.error', { detail: error.detail });
  }
  return t('reports.error', { detail: error instanceof Error ? error.message : String(error) });
}

export function CsvLink({ href, label }: { href: string; label: string }) {
  return (
    <a
      href={href}
      download
      aria-label={label}
      className="inline-flex h-8 shrink-0 items-center gap-1.5 rounded-md border border-line bg-surface px-2.5 text-[13px] font-medium whitespace-nowrap text-ink hover:bg-hover"
    >
      <Icon name="download" size={14} />
      {t('reports.csv')}
    </a>
  );
}
