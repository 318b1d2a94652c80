import { type ReactNode, useLayoutEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { qk } from '../lib/queries';
import { send, useWrite } from './data';
import { getLocale, t } from '../i18n';
import { ApiError } from '../lib/api';
import { useSession } from '../lib/session';
import { fullTime } from '../lib/time';

/** Shared classes of the settings pages, so every form looks the same. */
export const cls = {
  input: 'w-full rounded-md border border-line bg-canvas px-3 py-1.5 text-sm text-ink outline-none focus:border-accent max-split:min-h-11',
  /** An input as wide as its own width class says (a time, a date, a number of minutes). */
  inputSized: 'rounded-md border border-line bg-canvas px-2 py-1.5 text-sm text-ink outline-none focus:border-accent max-split:min-h-11',
  select: 'rounded-md border border-line bg-canvas px-2 py-1.5 text-sm text-ink outline-none focus:border-accent max-split:min-h-11',
  primary: 'rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-ink hover:opacity-90 disabled:opacity-60 max-split:min-h-11 max-split:inline-flex max-split:items-center max-split:justify-center',
  secondary: 'rounded-md border border-line px-3 py-1.5 text-sm text-ink hover:bg-hover disabled:opacity-60 max-split:min-h-11 max-split:inline-flex max-split:items-center max-split:justify-center',
  danger: 'rounded-md border border-line px-3 py-1.5 text-sm text-danger hover:bg-danger-soft disabled:opacity-60 max-split:min-h-11 max-split:inline-flex max-split:items-center max-split:justify-center',
  label: 'mb-1 block text-sm font-medium text-ink-2',
  card: 'rounded-lg border border-line bg-surface',
  th: 'px-4 py-2 text-left text-xs font-semibold tracking-wide text-ink-3 uppercase',
  td: 'px-4 py-2 align-middle text-sm',
};

export function isAdminRole(role: string) {
  return role === 'owner' || role === 'admin';
}

/** Whether the signed-in member is an owner or admin (the server decides; this only hides controls it would refuse). */
export function useIsAdmin() {
  return isAdminRole(useSession().member.role);
}

export function SettingsPage({ title, description, actions, children }: { title: string; description?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby="settings-page-title" className="mx-auto w-full max-w-4xl px-3 py-4 split:px-6 split:py-6">
      <header className="mb-5 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1 basis-60">
          <h1 id="settings-page-title" className="text-lg font-semibold text-ink">
            {title}
          </h1>
          {description && <p className="mt-1 text-sm text-ink-2">{description}</p>}
        </div>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** The message for a failed request: the admin-role refusal, the fields at fault (by their labels when given, a list's items by the list's), or the server's detail. */
/**
 * The server's reason for a refused field, in the member's language when it is a common one
 * (the server words its reasons in English); others are shown as they came.
 */
export function reasonText(reason: string): string {
  if (getLocale() === 'en') return reason;
  const n = /(\d+)/.exec(reason)?.[1];
  if (/invalid email|not an e-mail/i.test(reason)) return t('validation.email');
  if (/too small|at least/i.test(reason) && n) return t('validation.tooShort', { n });
  if (/too big|at most/i.test(reason) && n) return t('validation.tooLong', { n });
  if (/required|received undefined/i.test(reason)) return t('validation.required');
  if (/already (exists|taken|in use)|is taken/i.test(reason)) return t('validation.taken');
  return reason;
}

export function errorText(e: unknown, labels: Record<string, string> = {}): string {
  if (e instanceof ApiError) {
    if (e.status === 403) return t('settings.needAdmin');
    if (e.status === 0) return t('error.network');
    if (e.status === 409) return e.detail || t('error.conflict');
    if (e.errors.length)
      return e.errors
        .map((x) => {
          // A list's item (`addTags.2`) is named by the list's label.
          const field = x.field.replace(/^body\./, '');
          return `${labels[field] ?? labels[field.replace(/\.\d+$/, '')] ?? x.field}: ${reasonText(x.reason)}`;
        })
        .join('; ');
    return e.detail;
  }
  return e instanceof Error ? e.message : String(e);
}

export function ErrorNote({ error, labels }: { error: unknown; labels?: Record<string, string> }) {
  if (!error) return null;
  return (
    <p role="alert" className="my-3 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
      {errorText(error, labels)}
    </p>
  );
}

/** What a page shows when its query failed: a 403 is the admin-role refusal, said plainly. */
export function LoadState({ error, loading }: { error: unknown; loading: boolean }) {
  if (error instanceof ApiError && error.status === 403) return <NeedAdmin />;
  if (error) return <ErrorNote error={error} />;
  if (loading)
    return (
      <p role="status" className="text-sm text-ink-3">
        {t('settings.loading')}
      </p>
    );
  return null;
}

export function NeedAdmin() {
  return (
    <div role="alert" className="rounded-lg border border-line bg-surface px-5 py-6">
      <h2 className="font-semibold text-ink">{t('settings.needAdmin')}</h2>
      <p className="mt-1 text-sm text-ink-2">{t('settings.needAdminHint')}</p>
    </div>
  );
}

export function ReadOnlyNote() {
  return <p className="mb-4 rounded-md bg-accent-soft px-3 py-2 text-sm text-ink-2">{t('settings.readOnly')}</p>;
}

/**
 * The table of a settings page: a card, column headings (an empty heading is the actions
 * column, named for screen readers), and a row that says so when there is nothing yet.
 * On a phone a table of three or more columns is read row by row (styles.css, .stacked-table):
 * the first cell heads the row, each other cell is a line with its column's name before it.
 * The rows are the pages' own, so the names are put on the cells here, after each render.
 */
export function SettingsTable({ columns = [], empty, isEmpty, children }: { columns?: string[]; empty?: string; isEmpty: boolean; children: ReactNode }) {
  const stacked = columns.length >= 3;
  const table = useRef<HTMLTableElement>(null);
  useLayoutEffect(() => {
    if (!stacked || !table.current) return;
    for (const row of Array.from(table.current.tBodies[0]?.rows ?? [])) {
      // Drawn as blocks, a table keeps its meaning for screen readers only when it says so.
      row.setAttribute('role', 'row');
      Array.from(row.cells).forEach((cell, i) => {
        cell.setAttribute('role', 'cell');
        // The first cell heads its row, as a card's title does.
        const label = i === 0 || cell.colSpan > 1 ? '' : (columns[i] ?? '');
        if (label) cell.dataset.label = label;
        else delete cell.dataset.label;
      });
    }
  });
  return (
    // Otherwise, on a phone a wide table scrolls inside its card, not the page.
    <div className={`${cls.card} overflow-x-auto`}>
      <table ref={table} role={stacked ? 'table' : undefined} className={`w-full ${stacked ? 'stacked-table' : ''}`}>
        {columns.length > 0 && (
          <thead role={stacked ? 'rowgroup' : undefined} className={stacked ? 'max-sm:sr-only' : undefined}>
            <tr role={stacked ? 'row' : undefined}>
              {columns.map((c, i) => (
                <th key={i} role={stacked ? 'columnheader' : undefined} className={cls.th}>
                  {c || <span className="sr-only">{t('settings.actions')}</span>}
                </th>
              ))}
            </tr>
          </thead>
        )}
        <tbody role={stacked ? 'rowgroup' : undefined}>
          {isEmpty && empty && (
            <tr>
              <td colSpan={Math.max(columns.length, 1)} className={`${cls.td} text-ink-3`}>
                {empty}
              </td>
            </tr>
          )}
          {children}
        </tbody>
      </table>
    </div>
  );
}

/** A secret shown once, right after it was made (an API token, an invitation link): to copy now, then gone. */
export function SecretOnce({ message, label, secret, onDone }: { message: string; label: string; secret: string; onDone: () => void }) {
  return (
    <div role="status" className="mb-5 rounded-lg border border-accent bg-accent-soft p-4">
      <p className="text-sm font-medium">{message}</p>
      <code aria-label={label} className="mt-2 block rounded-md bg-canvas px-2 py-1.5 font-mono text-xs break-all select-all">
        {secret}
      </code>
      <div className="mt-2 flex gap-2">
        <button type="button" className={cls.secondary} onClick={() => void navigator.clipboard?.writeText(secret)}>
          {t('settings.tokens.copy')}
        </button>
        <button type="button" className={cls.secondary} onClick={onDone}>
          {t('settings.tokens.done')}
        </button>
      </div>
    </div>
  );
}

export function formatDate(iso: string | null | undefined) {
  if (!iso) return t('settings.never');
  return fullTime(iso);
}

/**
 * A secret hidden until asked for, with a rotate button that asks first. `shown` belongs to
 * the caller, which may show the secret elsewhere too (as it does just after a rotation).
 */
export function SecretField({
  value,
  label,
  shown,
  setShown,
  rotating,
  onRotate,
  rotateLabel = t('settings.inboxes.rotate'),
}: {
  value: string;
  label: string;
  shown: boolean;
  setShown: (v: boolean) => void;
  rotating: boolean;
  onRotate: () => void;
  rotateLabel?: string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <code aria-label={label} className="min-w-0 flex-1 truncate rounded-md bg-canvas px-2 py-1.5 font-mono text-xs">
        {shown ? value : '•'.repeat(24)}
      </code>
      <button type="button" className={cls.secondary} onClick={() => setShown(!shown)}>
        {shown ? t('settings.inboxes.hide') : t('settings.inboxes.show')}
      </button>
      <button type="button" className={cls.secondary} disabled={rotating} onClick={() => window.confirm(t('settings.inboxes.confirmRotate')) && onRotate()}>
        {rotateLabel}
      </button>
    </div>
  );
}

/** An inbox's secret (the API channel's signing secret, the widget's identity secret). */
export function InboxSecret({ inboxId, value, label, shown, setShown }: { inboxId: string; value: string; label: string; shown: boolean; setShown: (v: boolean) => void }) {
  const rotate = useWrite(() => send('POST', `/inboxes/${inboxId}/rotate-secret`), [qk.inboxes]);
  return (
    <>
      <SecretField value={value} label={label} shown={shown} setShown={setShown} rotating={rotate.isPending} onRotate={() => rotate.mutate(undefined, { onSuccess: () => setShown(true) })} />
      <ErrorNote error={rotate.error} />
    </>
  );
}

/** A Delete button that asks first: `label` names what it deletes for screen readers, `confirm` is the question. */
export function DeleteButton({ label, confirm, onDelete }: { label: string; confirm: string; onDelete: () => void }) {
  return (
    <button type="button" className={cls.danger} aria-label={label} onClick={() => window.confirm(confirm) && onDelete()}>
      {t('settings.delete')}
    </button>
  );
}

/** An on/off switch (role switch): `label` names it for screen readers, `children` is the text shown beside it, if any. */
export function Switch({ on, onChange, label, disabled, children }: { on: boolean; onChange: (on: boolean) => void; label: string; disabled?: boolean; children?: ReactNode }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!on)}
      className="flex shrink-0 items-center gap-2 rounded-full p-1 text-sm font-medium text-ink disabled:opacity-60"
    >
      {children}
      <span className={`relative inline-flex h-6 w-11 items-center rounded-full border transition-colors ${on ? 'border-accent bg-accent' : 'border-ink-3 bg-hover'}`}>
        <span className={`absolute h-4.5 w-4.5 rounded-full shadow transition-transform ${on ? 'translate-x-[22px] bg-accent-ink' : 'translate-x-[3px] bg-ink-3'}`} />
      </span>
    </button>
  );
}

/**
 * A settings page for one item of a list (`/settings/<list>/:id`, or `new`): a link back to
 * the list, the read-only note for agents, and "not found" for an id the list does not have.
 */
export function ItemEditorPage<T extends { id: string; name: string }>({
  items,
  back,
  titles,
  children,
}: {
  items: { data?: T[]; error: unknown; isPending: boolean; isSuccess: boolean };
  back: { to: string; label: string };
  titles: { list: string; new: string; notFound: string };
  children: (item: T | undefined) => ReactNode;
}) {
  const { id } = useParams();
  const admin = useIsAdmin();
  const isNew = id === 'new';
  const item = isNew ? undefined : items.data?.find((x) => x.id === id);
  const backLink = (
    <Link to={back.to} className="text-sm whitespace-nowrap text-accent underline">
      {back.label}
    </Link>
  );
  if (!isNew && !item)
    return (
      <SettingsPage title={titles.list} actions={backLink}>
        <LoadState error={items.error} loading={items.isPending} />
        {items.isSuccess && <p className="text-sm text-ink-2">{titles.notFound}</p>}
      </SettingsPage>
    );
  return (
    <SettingsPage title={item?.name ?? titles.new} actions={backLink}>
      {!admin && <ReadOnlyNote />}
      {children(item)}
    </SettingsPage>
  );
}
