import type { ReactNode, SelectHTMLAttributes } from 'react';
import { slaBadge } from '../lib/sla';
import { useNow } from '../lib/use-now';
import type { Conversation, Priority, Status } from '../lib/types';
import { t } from '../i18n';

/** A compact native select: accessible, keyboard-friendly and fast; touch-sized below 900 px. */
export function Select({ label, children, className = '', ...rest }: { label: string; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select
      aria-label={label}
      title={label}
      className={`h-11 max-w-full min-w-0 cursor-pointer rounded-md border border-line bg-surface px-2 text-sm text-ink hover:border-ink-3 split:h-8 split:text-[13px] ${className}`}
      {...rest}
    >
      {children}
    </select>
  );
}

const statusTone: Record<Status, string> = {
  open: 'bg-accent-soft text-accent',
  pending: 'bg-hover text-warn',
  on_hold: 'bg-hover text-ink-2',
  solved: 'bg-hover text-ok',
  closed: 'bg-hover text-ink-3',
};

export function StatusPill({ status }: { status: Status }) {
  return <span className={`inline-flex shrink-0 items-center rounded px-1.5 py-px text-[11px] font-medium ${statusTone[status]}`}>{t(`status.${status}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  if (priority === 'normal' || priority === 'low') return null;
  return (
    <span className={`inline-flex shrink-0 items-center rounded px-1.5 py-px text-[11px] font-semibold ${priority === 'urgent' ? 'bg-danger text-white' : 'bg-danger-soft text-danger'}`}>
      {t(`priority.${priority}`)}
    </span>
  );
}

/** A conversation's SLA due badge: amber inside the warning window, red once breached. */
export function SlaBadge({ c }: { c: Pick<Conversation, 'sla' | 'status'> }) {
  // Counted from a clock that moves: a badge turns amber, then red, on time without a reload.
  const badge = slaBadge(c, useNow());
  if (!badge) return null;
  const tone = badge.tone === 'breached' ? 'bg-danger text-white' : badge.tone === 'warn' ? 'bg-warn text-surface' : 'bg-hover text-ink-2';
  return (
    <span data-testid="sla-badge" data-tone={badge.tone} title={[badge.label, badge.title].filter(Boolean).join(' · ')} className={`inline-flex shrink-0 items-center rounded px-1.5 py-px text-[11px] font-semibold tabular-nums ${tone}`}>
      <span className="hidden sm:inline">{badge.label}</span>
      <span className="sm:hidden">{badge.short}</span>
    </span>
  );
}

export function Button({ children, variant = 'default', className = '', ...rest }: { variant?: 'default' | 'primary' | 'ghost' | 'danger' } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  const tone =
    variant === 'primary'
      ? 'bg-accent text-accent-ink hover:opacity-90 border-transparent'
      : variant === 'ghost'
        ? 'border-transparent text-ink-2 hover:bg-hover hover:text-ink'
        : variant === 'danger'
          ? 'border-line text-danger hover:bg-danger-soft'
          : 'border-line bg-surface text-ink hover:bg-hover';
  return (
    <button type="button" className={`inline-flex h-11 min-w-11 shrink-0 items-center justify-center gap-1.5 rounded-md border px-2.5 text-[13px] font-medium whitespace-nowrap disabled:opacity-50 split:h-8 split:min-w-0 ${tone} ${className}`} {...rest}>
      {children}
    </button>
  );
}
