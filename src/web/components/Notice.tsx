import { useEffect } from 'react';
import { t } from '../i18n';
import { Icon } from './Icon';

/**
 * A short notice that something was done ("Macro applied: …"), where the agent is looking,
 * read out by screen readers; it goes by itself after a while, or when dismissed.
 */
export function Notice({ message, onDone, ms = 8000, className = '' }: { message: string | null; onDone: () => void; ms?: number; className?: string }) {
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(onDone, ms);
    return () => clearTimeout(timer);
  }, [message, ms]);
  return (
    <div role="status" aria-live="polite" className={message ? className : ''}>
      {message && (
        <p className="flex items-start gap-2 rounded-md border border-accent bg-accent-soft px-3 py-1.5 text-[13px] text-ink">
          <Icon name="check" size={15} className="mt-0.5 shrink-0 text-accent" />
          <span className="min-w-0 flex-1">{message}</span>
          <button type="button" aria-label={t('app.dismiss')} onClick={onDone} className="-my-0.5 rounded p-0.5 text-ink-3 hover:bg-hover hover:text-ink">
            <Icon name="x" size={14} />
          </button>
        </p>
      )}
    </div>
  );
}
