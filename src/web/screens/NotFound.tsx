import { Link, useLocation } from 'react-router';
import { t } from '../i18n';

/** An address in the app that is no page of it (a mistyped or old link): said plainly, with the way back. */
export function NotFound({ back = '/inbox/mine', backLabel }: { back?: string; backLabel?: string }) {
  const { pathname } = useLocation();
  return (
    <div role="alert" className="flex h-full w-full flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-lg font-semibold">{t('notFound.title')}</h1>
      <p className="max-w-md text-sm break-words text-ink-2">{t('notFound.text', { path: `/app${pathname}` })}</p>
      <Link to={back} className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-ink hover:opacity-90">
        {backLabel ?? t('notFound.back')}
      </Link>
    </div>
  );
}
