import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import * as Popover from '@radix-ui/react-popover';
import { type InfiniteData, type UseInfiniteQueryResult, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useHref, useSearchParams } from 'react-router';
import { Avatar } from '../components/Avatar';
import { ListSkeleton } from '../components/Skeleton';
import { Icon } from '../components/Icon';
import { channelLook } from '../lib/network';
import { Button, PriorityBadge, Select, SlaBadge, StatusPill } from '../components/ui';
import { t, tn } from '../i18n';
import { api, ApiError } from '../lib/api';
import { prefetchTimeline, qk, refreshLists, useMembers, useViewCounts } from '../lib/queries';
import { useRealtime } from '../lib/realtime';
import { NewCallDialog } from './CallDialogs';
import { useSession } from '../lib/session';
import { useShortcuts } from '../lib/shortcuts';
import { numberFormat, shortAge } from '../lib/time';
import { slaBadge } from '../lib/sla';
import { CHANNELS, type Conversation, type Member, type Page, PRIORITIES, type SavedViewFilters, STATUSES } from '../lib/types';
import { defaultSort, type Filters, hasFilters, type ListQuery, type Sort, SORTS, type ViewId } from '../lib/views';
import { SaveViewDialog } from './SavedViewDialogs';

const ROW = 78;

interface Props {
  title: string;
  view: ViewId;
  filters: Filters;
  /** The list's whole query (the view's own filters and the agent's): what "Save view" keeps. */
  listQuery: ListQuery;
  /** The saved view's filters, when the view is one. */
  savedFilters?: SavedViewFilters;
  items: Conversation[];
  query: UseInfiniteQueryResult<InfiniteData<Page<Conversation>>>;
  cursor: number;
  setCursor: (i: number) => void;
  openNumber: number | undefined;
  onOpen: (n: number) => void;
  listRef: RefObject<HTMLDivElement | null>;
}

export function ConversationList({ title, view, filters, listQuery, savedFilters, items, query, cursor, setCursor, openNumber, onOpen, listRef }: Props) {
  const [, setSearch] = useSearchParams();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const members = useMembers().data ?? [];
  const presence = useRealtime().online;
  const counts = useViewCounts().data;
  const total = counts?.[view];

  // A new view or new filters start with nothing selected.
  useEffect(() => setSelected(new Set()), [view, filters]);

  const virtualizer = useVirtualizer({ count: items.length + (query.hasNextPage ? 1 : 0), getScrollElement: () => listRef.current, estimateSize: () => ROW, overscan: 12 });
  const virtualItems = virtualizer.getVirtualItems();
  const last = virtualItems[virtualItems.length - 1];

  // Infinite scroll: the next page is fetched as its placeholder row comes into view.
  useEffect(() => {
    if (last && last.index >= items.length - 1 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  }, [last?.index, items.length, query.hasNextPage, query.isFetchingNextPage]);

  const qc = useQueryClient();
  const [callOpen, setCallOpen] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  const sortDefault = defaultSort(view, savedFilters);
  // Filters or an order of the agent's own: "Save view" says so in words.
  const narrowed = hasFilters(filters) || !!filters.sort;
  useEffect(() => {
    if (cursor < items.length) {
      virtualizer.scrollToIndex(cursor, { align: 'auto' });
      // The next one is likely opened next (j): have it ready.
      for (const c of items.slice(cursor, cursor + 2)) prefetchTimeline(qc, String(c.number));
    }
  }, [cursor]);

  const hoverTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const hover = useCallback(
    (n: number) => {
      if (hoverTimer.current) clearTimeout(hoverTimer.current);
      hoverTimer.current = setTimeout(() => prefetchTimeline(qc, String(n)), 120);
    },
    [qc],
  );

  function toggle(index: number, shift: boolean) {
    const next = new Set(selected);
    const id = items[index].id;
    const on = !next.has(id);
    if (shift && anchor !== null) {
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      for (let i = a; i <= b; i++) next.add(items[i].id);
    } else if (on) next.add(id);
    else next.delete(id);
    setAnchor(index);
    setSelected(next);
  }

  useShortcuts((action) => {
    if (action === 'select' && items[cursor]) {
      toggle(cursor, false);
      return true;
    }
    if (action === 'back' && selected.size && openNumber === undefined) {
      setSelected(new Set());
      return true;
    }
    return false;
  });

  const setFilter = (k: keyof Filters, v: string) =>
    setSearch((p) => {
      const n = new URLSearchParams(p);
      if (v) n.set(k, v);
      else n.delete(k);
      return n;
    });

  const allSelected = items.length > 0 && selected.size === items.length;

  return (
    <>
      <header className="flex flex-col gap-2 border-b border-line px-3 pt-3 pb-2">
        <div className="flex items-center gap-2">
          <input
            type="checkbox"
            aria-label={t('list.selectAll')}
            checked={allSelected}
            ref={(el) => {
              if (el) el.indeterminate = selected.size > 0 && !allSelected;
            }}
            onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((c) => c.id)))}
            className="h-6 w-6 accent-accent split:h-4 split:w-4"
          />
          <h1 className="min-w-0 flex-1 truncate text-[15px] font-semibold">{title}</h1>
          {total !== undefined && !hasFilters(filters) && <span className="hidden text-xs text-ink-3 tabular-nums sm:inline">{tn('view.count', total, { count: numberFormat().format(total) })}</span>}
          <Button
            variant={narrowed ? 'default' : 'ghost'}
            onClick={() => setSaveOpen(true)}
            aria-label={t('saved.save')}
            title={t('saved.saveTitle')}
            className={`split:h-7 shrink-0 ${narrowed ? 'px-1.5 text-xs sm:px-2' : 'px-1.5'}`}
          >
            <Icon name="bookmark" size={14} />
            {narrowed && <span className="hidden sm:inline">{t('saved.save')}</span>}
          </Button>
        </div>
        {selected.size > 0 ? (
          <BulkBar ids={[...selected]} members={members} onDone={() => setSelected(new Set())} />
        ) : (
          <div className="flex items-center gap-2">
            <Select label={t('list.sort')} value={filters.sort ?? sortDefault} onChange={(e) => setFilter('sort', e.target.value === sortDefault ? '' : e.target.value)} className="flex-1">
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`sort.${s as Sort}`)}
                </option>
              ))}
            </Select>
            <FiltersPopover filters={filters} members={members} setFilter={setFilter} clear={() => setSearch(filters.sort ? { sort: filters.sort } : {})} />
            <Button onClick={() => setCallOpen(true)} aria-label={t('nav.newCall')} title={t('nav.newCall')} className="px-2">
              <Icon name="phone" size={14} />
            </Button>
          </div>
        )}
      </header>
      {callOpen && <NewCallDialog open onOpenChange={setCallOpen} />}
      {saveOpen && <SaveViewDialog open onOpenChange={setSaveOpen} query={listQuery} />}
      <div
        ref={listRef}
        tabIndex={-1}
        role="listbox"
        aria-label={title}
        aria-multiselectable="true"
        aria-activedescendant={items[cursor] ? `conv-${items[cursor].id}` : undefined}
        className="min-h-0 flex-1 overflow-y-auto outline-none"
      >
        {query.isPending && <ListSkeleton />}
        {query.isError && (
          <div className="p-6 text-center text-sm text-danger">
            {t('app.error', { detail: (query.error as Error).message })}{' '}
            <button type="button" className="underline" onClick={() => query.refetch()}>
              {t('app.retry')}
            </button>
          </div>
        )}
        {query.isSuccess && items.length === 0 && <p className="p-8 text-center text-sm text-ink-3">{hasFilters(filters) ? t('list.emptyFiltered') : t('list.empty')}</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualItems.map((vi) => {
            const c = items[vi.index];
            return (
              <div key={vi.key} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${vi.start}px)` }}>
                {c ? (
                  <Row
                    c={c}
                    index={vi.index}
                    active={c.number === openNumber}
                    cursor={vi.index === cursor}
                    checked={selected.has(c.id)}
                    anySelected={selected.size > 0}
                    assignee={members.find((m) => m.id === c.assigneeId)}
                    online={c.assigneeId ? presence.has(c.assigneeId) : undefined}
                    onToggle={toggle}
                    onHover={hover}
                    onOpen={(i, n) => {
                      setCursor(i);
                      onOpen(n);
                    }}
                  />
                ) : (
                  <p className="p-4 text-center text-xs text-ink-3">{t('list.loadingMore')}</p>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}

const Row = memo(function Row({
  c,
  index,
  active,
  cursor,
  checked,
  anySelected,
  assignee,
  online,
  onToggle,
  onOpen,
  onHover,
}: {
  c: Conversation;
  index: number;
  active: boolean;
  cursor: boolean;
  checked: boolean;
  anySelected: boolean;
  assignee: Member | undefined;
  online: boolean | undefined;
  onToggle: (i: number, shift: boolean) => void;
  onOpen: (i: number, n: number) => void;
  onHover: (n: number) => void;
}) {
  const unread = c.unread === true;
  const waiting = c.waitingSince && c.status !== 'solved' && c.status !== 'closed' ? shortAge(c.waitingSince) : '';
  const due = slaBadge(c) !== null;
  const href = useHref(`/conversations/${c.number}`);
  return (
    // A real link to the conversation's own address (a new tab, a copied link); a plain click
    // opens it here, in the view's context, and Shift, Ctrl or Cmd with a click selects it.
    <a
      href={href}
      tabIndex={-1}
      draggable={false}
      id={`conv-${c.id}`}
      role="option"
      aria-selected={active}
      aria-label={`#${c.number} ${c.contact?.name ?? ''}: ${c.subject || t('list.noSubject')}${unread ? `, ${t('list.unread')}` : ''}${checked ? `, ${t('list.checked')}` : ''}`}
      onClick={(e) => {
        e.preventDefault();
        if (e.shiftKey || e.metaKey || e.ctrlKey) onToggle(index, e.shiftKey);
        else onOpen(index, c.number);
      }}
      onMouseEnter={() => onHover(c.number)}
      className={`group flex h-full cursor-pointer gap-2 border-b border-line px-3 py-2 ${active ? 'bg-selected' : checked ? 'bg-accent-soft' : 'hover:bg-hover'} ${cursor && !active ? 'shadow-[inset_3px_0_0_var(--accent)]' : ''}`}
    >
      <div className="flex w-4 shrink-0 flex-col items-center pt-0.5">
        {/* A box that looks like a checkbox but is not a control of its own: a control inside a
            list option is out of reach for screen readers (the keyboard selects with x, and the
            option says when it is selected). A touch screen has no hover: there the box always
            shows, and a finger-sized tap around it selects. */}
        <span
          aria-hidden="true"
          data-testid={`select-${c.number}`}
          title={t('list.select', { number: c.number })}
          onClick={(e) => {
            // Inside the row's link: without preventDefault the browser would follow it.
            e.preventDefault();
            e.stopPropagation();
            onToggle(index, e.shiftKey);
          }}
          className={`relative flex h-4 w-4 items-center justify-center rounded border pointer-coarse:before:absolute pointer-coarse:before:-inset-3.5 pointer-coarse:before:content-[''] ${checked ? 'border-accent bg-accent text-white' : 'border-ink-3 bg-surface'} ${checked || anySelected ? '' : 'opacity-0 group-hover:opacity-100 pointer-coarse:opacity-100'}`}
        >
          {checked && <Icon name="check" size={12} />}
        </span>
        {unread && <span className="mt-2 h-2 w-2 rounded-full bg-accent" aria-hidden="true" />}
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-1.5">
          <span className={`min-w-0 flex-1 truncate text-[13px] ${unread ? 'font-semibold text-ink' : 'text-ink'}`}>{c.contact?.name ?? '—'}</span>
          {/* A running SLA says more than how long the customer has waited: its badge takes that place. */}
          {due ? (
            <SlaBadge c={c} />
          ) : waiting ? (
            <span className="shrink-0 text-[11px] text-warn tabular-nums" title={t('list.waiting', { time: waiting })}>
              {waiting}
            </span>
          ) : (
            <span className="shrink-0 text-[11px] text-ink-3 tabular-nums">{shortAge(c.lastMessageAt)}</span>
          )}
        </div>
        <div className={`flex items-center gap-1.5 truncate text-[13px] ${unread ? 'font-semibold text-ink' : 'text-ink-2'}`}>
          <Icon name={channelLook(c.channel, c.network).icon} size={13} className="shrink-0 text-ink-3" aria-label={channelLook(c.channel, c.network).label} />
          <span className="truncate">{c.subject || t('list.noSubject')}</span>
        </div>
        <div className="mt-0.5 flex items-center gap-1.5">
          <span className="min-w-0 flex-1 truncate text-xs text-ink-3">{c.preview}</span>
          <PriorityBadge priority={c.priority} />
          {c.status !== 'open' && <StatusPill status={c.status} />}
          {assignee ? <Avatar name={assignee.name} src={assignee.avatarUrl} size={18} online={online} /> : null}
        </div>
      </div>
    </a>
  );
});

function FiltersPopover({ filters, members, setFilter, clear }: { filters: Filters; members: Member[]; setFilter: (k: keyof Filters, v: string) => void; clear: () => void }) {
  const active = [filters.status, filters.channel, filters.priority, filters.tag, filters.assignee].filter(Boolean).length;
  const [tag, setTag] = useState(filters.tag ?? '');
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <Button aria-label={t('list.filters')} className={active ? 'border-accent text-accent' : ''}>
          <Icon name="filter" size={14} />
          {t('list.filters')}
          {active > 0 && <span className="rounded-full bg-accent px-1.5 text-[11px] text-accent-ink">{active}</span>}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="end" sideOffset={6} className="z-50 grid w-64 gap-2 rounded-lg border border-line bg-raised p-3 text-sm shadow-lg">
          <label className="grid gap-1 text-xs text-ink-2">
            {t('filter.status')}
            <Select label={t('filter.status')} value={filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">{t('filter.any')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </Select>
          </label>
          <label className="grid gap-1 text-xs text-ink-2">
            {t('filter.channel')}
            <Select label={t('filter.channel')} value={filters.channel ?? ''} onChange={(e) => setFilter('channel', e.target.value)}>
              <option value="">{t('filter.any')}</option>
              {CHANNELS.map((s) => (
                <option key={s} value={s}>
                  {t(`channel.${s}`)}
                </option>
              ))}
            </Select>
          </label>
          <label className="grid gap-1 text-xs text-ink-2">
            {t('filter.priority')}
            <Select label={t('filter.priority')} value={filters.priority ?? ''} onChange={(e) => setFilter('priority', e.target.value)}>
              <option value="">{t('filter.any')}</option>
              {PRIORITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`priority.${s}`)}
                </option>
              ))}
            </Select>
          </label>
          <label className="grid gap-1 text-xs text-ink-2">
            {t('filter.assignee')}
            <Select label={t('filter.assignee')} value={filters.assignee ?? ''} onChange={(e) => setFilter('assignee', e.target.value)}>
              <option value="">{t('filter.any')}</option>
              <option value="me">{t('view.mine')}</option>
              <option value="none">{t('list.unassigned')}</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </Select>
          </label>
          <form
            className="grid gap-1 text-xs text-ink-2"
            onSubmit={(e) => {
              e.preventDefault();
              setFilter('tag', tag.trim());
            }}
          >
            <label htmlFor="filter-tag">{t('filter.tag')}</label>
            <input
              id="filter-tag"
              value={tag}
              onChange={(e) => setTag(e.target.value)}
              onBlur={() => setFilter('tag', tag.trim())}
              placeholder={t('filter.tagPlaceholder')}
              className="h-8 rounded-md border border-line bg-surface px-2 text-[13px] text-ink"
            />
          </form>
          {active > 0 && (
            <Button
              variant="ghost"
              onClick={() => {
                setTag('');
                clear();
              }}
            >
              {t('list.clearFilters')}
            </Button>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** Applies one change to many conversations: POST /conversations/bulk, or one PATCH each on servers without it. */
async function bulkUpdate(ids: string[], update: Record<string, unknown>): Promise<{ updated: number; failed: { id: string; reason: string }[] }> {
  try {
    return await api('/conversations/bulk', { method: 'POST', body: { ids, update } });
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  const failed: { id: string; reason: string }[] = [];
  await Promise.all(
    ids.map((id) => api(`/conversations/${id}`, { method: 'PATCH', body: update }).catch((err: Error) => failed.push({ id, reason: err.message }))),
  );
  return { updated: ids.length - failed.length, failed };
}

function BulkBar({ ids, members, onDone }: { ids: string[]; members: Member[]; onDone: () => void }) {
  const me = useSession();
  const qc = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tagOpen, setTagOpen] = useState(false);
  const [tagDraft, setTagDraft] = useState('');
  async function run(update: Record<string, unknown>) {
    setBusy(true);
    try {
      const r = await bulkUpdate(ids, update);
      setMessage(r.failed.length ? t('bulk.failed', { count: r.failed.length, reason: r.failed[0].reason }) : tn('bulk.done', r.updated));
      if (!r.failed.length) onDone();
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(false);
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
    }
  }
  const item = 'cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-hover';
  const content = 'z-50 max-h-80 min-w-44 overflow-y-auto rounded-md border border-line bg-raised p-1 shadow-lg';
  return (
    <div className="flex flex-wrap items-center gap-1.5" role="toolbar" aria-label={tn('bulk.selected', ids.length)}>
      <span className="mr-1 text-xs font-medium">{tn('bulk.selected', ids.length)}</span>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <Button disabled={busy}>{t('bulk.assign')}</Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className={content} align="start">
            <DropdownMenu.Item className={item} onSelect={() => run({ assigneeId: me.member.id })}>
              {t('conv.assignMe')}
            </DropdownMenu.Item>
            <DropdownMenu.Item className={item} onSelect={() => run({ assigneeId: null })}>
              {t('conv.unassign')}
            </DropdownMenu.Item>
            <DropdownMenu.Separator className="my-1 h-px bg-line" />
            {members
              .filter((m) => m.active !== false)
              .map((m) => (
                <DropdownMenu.Item key={m.id} className={item} onSelect={() => run({ assigneeId: m.id })}>
                  {m.name}
                </DropdownMenu.Item>
              ))}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <Button disabled={busy}>{t('bulk.status')}</Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className={content} align="start">
            {STATUSES.map((s) => (
              <DropdownMenu.Item key={s} className={item} onSelect={() => run({ status: s })}>
                {t(`status.${s}`)}
              </DropdownMenu.Item>
            ))}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <Popover.Root open={tagOpen} onOpenChange={setTagOpen}>
        <Popover.Trigger asChild>
          <Button disabled={busy}>{t('bulk.addTag')}</Button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content align="start" sideOffset={4} className="z-50 rounded-md border border-line bg-raised p-2 shadow-lg">
            <form
              className="flex gap-1"
              onSubmit={(e) => {
                e.preventDefault();
                const tag = tagDraft.trim().replace(/^#/, '');
                setTagOpen(false);
                setTagDraft('');
                if (tag) void run({ addTags: [tag] });
              }}
            >
              <input
                autoFocus
                aria-label={t('bulk.addTagPrompt')}
                placeholder={t('bulk.addTagPrompt')}
                value={tagDraft}
                onChange={(e) => setTagDraft(e.target.value.replace(',', ''))}
                className="h-8 w-40 rounded-md border border-line bg-canvas px-2 text-[13px]"
              />
              <Button type="submit" variant="primary">
                {t('bulk.addTag')}
              </Button>
            </form>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      <Button variant="ghost" aria-label={t('bulk.clear')} onClick={onDone}>
        <Icon name="x" size={14} />
      </Button>
      {message && (
        <p role="status" className="w-full text-xs text-ink-2">
          {message}
        </p>
      )}
    </div>
  );
}
