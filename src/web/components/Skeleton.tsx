import { t } from '../i18n';

/**
 * Placeholders in the shape of what is coming, shown while it loads over a slow network:
 * the page keeps its frame, and nothing jumps when the rows arrive.
 */
const bar = 'animate-pulse rounded bg-hover motion-reduce:animate-none';

/** Rows of the conversation list, as grey bars. */
export function ListSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div role="status" aria-label={t('app.loading')} aria-busy="true">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} aria-hidden="true" className="flex gap-3 border-b border-line px-4 py-3">
          <div className={`h-7 w-7 shrink-0 rounded-full ${bar}`} />
          <div className="flex min-w-0 flex-1 flex-col gap-2">
            <div className="flex gap-2">
              <div className={`h-3 w-1/3 ${bar}`} />
              <div className={`ml-auto h-3 w-8 ${bar}`} />
            </div>
            <div className={`h-3 ${i % 3 === 0 ? 'w-3/4' : i % 3 === 1 ? 'w-2/3' : 'w-5/6'} ${bar}`} />
          </div>
        </div>
      ))}
    </div>
  );
}

/** A conversation (or any page) on its way: a heading and a few message blocks. */
export function PaneSkeleton() {
  return (
    <div role="status" aria-label={t('app.loading')} aria-busy="true" className="flex min-w-0 flex-1 flex-col gap-4 p-6">
      <div aria-hidden="true" className={`h-5 w-1/3 ${bar}`} />
      {[0, 1, 2].map((i) => (
        <div key={i} aria-hidden="true" className={`flex flex-col gap-2 rounded-lg border border-line p-4 ${i === 1 ? 'ml-auto w-3/4' : 'w-4/5'}`}>
          <div className={`h-3 w-1/4 ${bar}`} />
          <div className={`h-3 w-full ${bar}`} />
          <div className={`h-3 w-2/3 ${bar}`} />
        </div>
      ))}
    </div>
  );
}

/**
 * The signed-in frame before the session is known: the rail, the list and the
 * conversation pane as placeholders, so a slow start is no blank page.
 */
export function ShellSkeleton() {
  return (
    <div className="flex h-full min-h-0">
      <div aria-hidden="true" className="hidden w-48 shrink-0 flex-col gap-3 border-r border-line bg-surface p-3 md:flex xl:w-52 2xl:w-56">
        <div className={`h-5 w-2/3 ${bar}`} />
        <div className={`h-7 ${bar}`} />
        {[0, 1, 2, 3, 4, 5].map((i) => (
          <div key={i} className={`h-3 ${i % 2 ? 'w-1/2' : 'w-3/4'} ${bar}`} />
        ))}
      </div>
      <div className="flex w-full min-w-0 flex-col border-r border-line bg-surface md:w-80">
        <div aria-hidden="true" className="border-b border-line px-4 py-3">
          <div className={`h-5 w-1/3 ${bar}`} />
        </div>
        <ListSkeleton />
      </div>
      <div aria-hidden="true" className="hidden min-w-0 flex-1 lg:flex">
        <PaneSkeleton />
      </div>
    </div>
  );
}
