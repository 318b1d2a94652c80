import { type CSSProperties, useEffect, useMemo, useRef, useState } from 'react';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { t } from '../i18n';
import { useConversation, useConversationList, useInboxes, useSavedViews, useTeams, useViewCounts } from '../lib/queries';
import { clampListWidth, LIST_WIDTH, saveListWidth, savedListWidth } from '../lib/layout';
import { useSession } from '../lib/session';
import { useShortcuts } from '../lib/shortcuts';
import { filtersFromSearch, isViewId, savedViewId, viewOf, viewQuery, type ViewId } from '../lib/views';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';

/** A view: the list of its conversations, and the open one beside it. */
export function InboxPage() {
  const params = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const view: ViewId = isViewId(params.view) ? params.view : 'mine';
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const savedId = savedViewId(view);
  const savedViews = useSavedViews();
  const saved = savedId ? savedViews.data?.find((v) => v.id === savedId) : undefined;
  const query = useMemo(() => viewQuery(view, filters, saved?.filters), [view, filters, saved]);
  // A saved view's list waits for its filters.
  const list = useConversationList(query, !savedId || !!saved);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const number = params.number ? Number(params.number) : undefined;
  const [cursor, setCursor] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const teams = useTeams().data ?? [];
  const inboxes = useInboxes().data ?? [];
  const memberId = useSession().member.id;
  const [listWidth, setListWidth] = useState(() => savedListWidth(memberId));
  const resize = (w: number) => {
    const next = clampListWidth(w);
    setListWidth(next);
    saveListWidth(memberId, next);
  };

  const title = savedId
    ? (saved?.name ?? t('saved.title'))
    : view.startsWith('team:')
      ? (teams.find((x) => `team:${x.id}` === view)?.name ?? t('nav.teams'))
      : view.startsWith('inbox:')
        ? (inboxes.find((x) => `inbox:${x.id}` === view)?.name ?? t('nav.inboxes'))
        : t(`view.${view}` as 'view.mine');

  const counts = useViewCounts().data;
  useEffect(() => {
    const n = counts?.[view];
    document.title = n ? `(${n}) ${title} · ${t('app.name')}` : `${title} · ${t('app.name')}`;
  }, [counts, view, title]);

  // The keyboard cursor follows the open conversation.
  useEffect(() => {
    if (number === undefined) return;
    const i = items.findIndex((c) => c.number === number);
    if (i >= 0) setCursor(i);
  }, [number, items]);

  const qs = search.toString() ? `?${search.toString()}` : '';
  const open = (n: number) => navigate(`/inbox/${view}/${n}${qs}`);

  useShortcuts((action) => {
    if (action === 'next' || action === 'prev') {
      if (!items.length) return false;
      const next = Math.max(0, Math.min(items.length - 1, cursor + (action === 'next' ? 1 : -1)));
      setCursor(next);
      if (number !== undefined) open(items[next].number);
      return true;
    }
    if (action === 'open' && number === undefined && items[cursor]) {
      open(items[cursor].number);
      return true;
    }
    if (action === 'back' && number !== undefined) {
      navigate(`/inbox/${view}${qs}`);
      requestAnimationFrame(() => listRef.current?.focus());
      return true;
    }
    return false;
  });

  // A saved view that is gone (deleted, or its team left): back to the agent's own.
  if (savedId && savedViews.isSuccess && !savedViews.isFetching && !saved) return <Navigate to="/inbox/mine" replace />;

  return (
    <>
      <section
        id="list-pane"
        aria-label={t('list.label')}
        style={{ '--list-width': `${listWidth}px` } as CSSProperties}
        className={`${number !== undefined ? 'hidden split:flex' : 'flex'} w-full min-w-0 shrink-0 flex-col bg-surface split:w-(--list-width)`}
      >
        <ConversationList
          title={title}
          view={view}
          filters={filters}
          listQuery={query}
          savedFilters={saved?.filters}
          items={items}
          query={list}
          cursor={cursor}
          setCursor={setCursor}
          openNumber={number}
          onOpen={open}
          listRef={listRef}
        />
      </section>
      <ListSeparator width={listWidth} onResize={resize} />
      <div className={`${number === undefined ? 'hidden split:flex' : 'flex'} min-w-0 flex-1`}>
        {number !== undefined ? (
          <ConversationView
            key={number}
            number={number}
            backTo={`/inbox/${view}${qs}`}
            onOpen={open}
            onSolved={() => {
              const i = items.findIndex((x) => x.number === number);
              const next = items[i + 1] ?? items[i - 1];
              if (next && next.number !== number) open(next.number);
              else navigate(`/inbox/${view}${qs}`);
            }}
          />
        ) : (
          <div className="flex flex-1 flex-col items-center justify-center gap-1 text-center text-ink-3">
            <p className="font-medium text-ink-2">{t('conv.none')}</p>
            <p className="text-sm">{t('conv.noneHint')}</p>
          </div>
        )}
      </div>
    </>
  );
}

/**
 * The line between the list and the conversation, from 900 px: dragged, or moved with the arrow
 * keys (Home and End for the bounds), it sets the list's width, which the agent keeps.
 */
function ListSeparator({ width, onResize }: { width: number; onResize: (w: number) => void }) {
  const drag = useRef<{ x: number; width: number } | null>(null);
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-controls="list-pane"
      aria-label={t('list.resize')}
      aria-valuenow={width}
      aria-valuemin={LIST_WIDTH.min}
      aria-valuemax={LIST_WIDTH.max}
      tabIndex={0}
      className="relative z-10 -mx-1 hidden w-2 shrink-0 cursor-col-resize touch-none justify-center outline-none split:flex group"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, width };
      }}
      onPointerMove={(e) => {
        if (drag.current) onResize(drag.current.width + e.clientX - drag.current.x);
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onDoubleClick={() => onResize(LIST_WIDTH.initial)}
      onKeyDown={(e) => {
        const step = e.shiftKey ? LIST_WIDTH.step * 4 : LIST_WIDTH.step;
        const next =
          e.key === 'ArrowLeft' ? width - step : e.key === 'ArrowRight' ? width + step : e.key === 'Home' ? LIST_WIDTH.min : e.key === 'End' ? LIST_WIDTH.max : undefined;
        if (next === undefined) return;
        e.preventDefault();
        onResize(next);
      }}
    >
      <span aria-hidden="true" className="h-full w-px bg-line group-hover:w-0.5 group-hover:bg-accent group-focus-visible:w-0.5 group-focus-visible:bg-accent" />
    </div>
  );
}

/**
 * /app/conversations/<number>, the address a list row links to (a new tab, a copied link):
 * the conversation opens beside the list of the view it belongs in.
 */
export function ConversationAddress() {
  const { number } = useParams();
  const memberId = useSession().member.id;
  const valid = !!number && /^\d{1,9}$/.test(number);
  const c = useConversation(valid ? number : undefined);
  // Unknown or not visible: the view says so in its own words, with its way back.
  if (!valid || c.isError) return <Navigate to={valid ? `/inbox/open/${number}` : '/inbox/open'} replace />;
  if (!c.data) return <div className="flex flex-1 items-center justify-center text-ink-3" role="status">{t('app.loading')}</div>;
  return <Navigate to={`/inbox/${viewOf(c.data, memberId)}/${number}`} replace />;
}
