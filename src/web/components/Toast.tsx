import { useEffect } from 'react';
import { t } from '../i18n';
import { Icon } from './Icon';

/**
 * A short notice at the bottom of the window that something was done ("Macro applied: …"),
 * read out by screen readers; it goes by itself after a while, or when dismissed.
 */
export function Toast({ message, onDone, ms = 8000 }: { message: string | null; onDone: () => void; ms?: number }) {
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(onDone, ms);
    return () => clearTimeout(timer);
  }, [message, ms]);
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
      {message && (
        <p className="pointer-events-auto flex max-w-lg items-start gap-2 rounded-lg border border-line bg-raised px-3 py-2 text-[13px] text-ink shadow-lg">
          <Icon name="check" size={15} className="mt-0.5 shrink-0 text-ok" />
          <span className="min-w-0 flex-1">{message}</span>
          <button type="button" aria-label={t('app.dismiss')} onClick={onDone} className="-my-0.5 rounded p-0.5 text-ink-3 hover:bg-hover hover:text-ink">
            <Icon name="x" size={14} />
          </button>
        </p>
      )}
    </div>
  );
}
