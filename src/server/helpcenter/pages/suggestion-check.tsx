/** @jsxImportSource preact */
import { FormGuard } from '../layout.js';
import type { PageContext } from '../page-context.js';

/**
 * On a page opened from the contact form's suggestions (an article or a community
 * thread): "Did this answer your question?", and the thanks once the reader said so.
 */
export function SuggestionCheck({ ctx, deflection }: { ctx: PageContext; deflection: { id: string; solved: boolean } }) {
  const { t, base } = ctx;
  return (
    <aside class="notice notice-brand" aria-live="polite">
      {deflection.solved ? (
        <p>{t('deflect.solved')}</p>
      ) : (
        <form method="post" action={`${base}/suggestions/${deflection.id}/solved`} class="inline-form">
          <FormGuard ctx={ctx} />
          <span>{t('deflect.ask')}</span>
          <button type="submit">{t('deflect.yes')}</button>
          <a class="button button-quiet" href={`${base}/contact`}>
            {t('deflect.no')}
          </a>
        </form>
      )}
    </aside>
  );
}
