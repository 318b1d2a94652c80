import { type KeyboardEvent, type ReactNode, useId } from 'react';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { useSession } from '../lib/session';
import type { ArticleStatus } from './data';
import { numberFormat } from '../lib/time';

/** Light members read the knowledge base; agents and admins write it (the server decides; this hides what it would refuse). */
export function useCanWrite() {
  return useSession().member.role !== 'light';
}

/** The frame of a knowledge-base page: its scroll area, a heading with an optional way back, a description and actions. */
export function KbPage({ title, description, back, actions, wide, children }: { title: string; description?: ReactNode; back?: boolean; actions?: ReactNode; wide?: boolean; children: ReactNode }) {
  return (
    <div className="min-h-0 flex-1 overflow-y-auto bg-canvas">
      <section aria-labelledby="kb-page-title" className={`mx-auto w-full px-6 py-6 ${wide ? 'max-w-6xl' : 'max-w-4xl'}`}>
        {back && <BackLink />}
        <header className="mb-5 flex flex-wrap items-start justify-between gap-x-4 gap-y-3">
          <div className="min-w-0">
            <h1 id="kb-page-title" className="text-lg font-semibold text-ink">
              {title}
            </h1>
            {description && <p className="mt-1 max-w-2xl text-sm text-ink-2">{description}</p>}
          </div>
          {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
        </header>
        {children}
      </section>
    </div>
  );
}

export function BackLink() {
  return (
    <Link to="/kb" className="mb-2 inline-flex items-center gap-1 rounded text-sm text-ink-2 hover:text-ink">
      <Icon name="back" size={14} />
      {t('kb.editor.back')}
    </Link>
  );
}

/** A link that opens in a new tab, and says so to screen readers. */
export function ExternalLink({ href, children, className = '' }: { href: string; children: ReactNode; className?: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={`inline-flex items-center gap-1 ${className}`}>
      {children}
      <Icon name="external" size={13} className="shrink-0 opacity-70" />
      <span className="sr-only">{t('kb.newTab')}</span>
    </a>
  );
}

const tone: Record<ArticleStatus, string> = {
  published: 'bg-hover text-ok',
  draft: 'bg-note text-ink-2',
  archived: 'bg-hover text-ink-3',
};

export function StatusBadge({ status }: { status: ArticleStatus }) {
  return <span className={`inline-flex shrink-0 items-center rounded px-1.5 py-px text-[11px] font-medium whitespace-nowrap ${tone[status]}`}>{t(`kb.status.${status}`)}</span>;
}

/** A small label beside a name: Staff, Answered, Locked. */
export function Badge({ children, tone: kind = 'plain' }: { children: ReactNode; tone?: 'plain' | 'accent' | 'ok' | 'warn' }) {
  const cls = { plain: 'bg-hover text-ink-2', accent: 'bg-accent-soft text-accent', ok: 'bg-hover text-ok', warn: 'bg-hover text-warn' }[kind];
  return <span className={`inline-flex shrink-0 items-center rounded px-1.5 py-px text-[11px] font-medium whitespace-nowrap ${cls}`}>{children}</span>;
}

/**
 * Tabs (WAI-ARIA): one tab stop, arrow keys, Home and End move between them and choose.
 * The caller renders the panel with `panelProps(id)`.
 */
export function Tabs<T extends string>({ label, value, options, onChange, idBase }: { label: string; value: T; options: { value: T; label: string }[]; onChange: (v: T) => void; idBase: string }) {
  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = options.findIndex((o) => o.value === value);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? options.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const target = options[(next + options.length) % options.length];
    onChange(target.value);
    document.getElementById(`${idBase}-tab-${target.value}`)?.focus();
  };
  return (
    <div role="tablist" aria-label={label} onKeyDown={move} className="flex flex-wrap gap-1">
      {options.map((o) => {
        const selected = o.value === value;
        return (
          <button
            key={o.value}
            type="button"
            role="tab"
            id={`${idBase}-tab-${o.value}`}
            aria-selected={selected}
            aria-controls={`${idBase}-panel`}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChange(o.value)}
            className={`rounded-md px-2.5 py-1 text-sm max-split:min-h-11 ${selected ? 'bg-selected font-medium text-ink' : 'text-ink-2 hover:bg-hover hover:text-ink'}`}
          >
            {o.label}
          </button>
        );
      })}
    </div>
  );
}

/** The attributes of the panel a Tabs controls. */
export function panelProps(idBase: string, value: string) {
  return { role: 'tabpanel', id: `${idBase}-panel`, 'aria-labelledby': `${idBase}-tab-${value}` } as const;
}

/** An id for a Tabs and its panel, stable for the component. */
export function useTabsId() {
  return `tabs${useId().replace(/:/g, '')}`;
}

/** A figure above a list: the number, what it counts, and a line of context. */
export function Figure({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="min-w-0 rounded-lg border border-line bg-surface px-4 py-3">
      <dt className="text-xs leading-snug font-medium text-ink-2">{label}</dt>
      <dd className="mt-1 text-xl font-semibold text-ink tabular-nums">{value}</dd>
      {hint && <dd className="mt-0.5 text-xs leading-snug text-ink-3">{hint}</dd>}
    </div>
  );
}

export const number = { format: (n: number) => numberFormat().format(n) };
