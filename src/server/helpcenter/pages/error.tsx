/** @jsxImportSource preact */
import { Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

/**
 * What a reader sees when a page is missing or a request failed: what happened in words,
 * and the way back. `message` is in the reader's words already (a catalog string) or a
 * service's explanation; a server fault never shows its own.
 */
export function ErrorPage({ ctx, status, message }: { ctx: PageContext; status: number; message?: string }) {
  const { t, base } = ctx;
  const title = status === 404 ? t('error.notFound.title') : t('error.title');
  const text = status === 404 ? t('error.notFound') : status === 429 ? t('error.tooMany') : status >= 500 && status !== 503 ? t('error.generic') : (message ?? t('error.generic'));
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <div class="narrow">
        <h1>{title}</h1>
        <p role="alert">{text}</p>
        <p>
          <a class="button" href={base}>
            {t('error.home')}
          </a>
        </p>
      </div>
    </Layout>
  );
}
