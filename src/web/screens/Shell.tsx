import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { Avatar } from '../components/Avatar';
import { Icon, type IconName } from '../components/Icon';
import { t } from '../i18n';
import { useAvailability } from '../lib/availability';
import { qk, useInboxes, useSavedViewMutations, useSavedViews, useTeams, useViewCounts } from '../lib/queries';
import { useHeldMailCount } from '../lib/held-mail';
import { useOutreachCount } from '../lib/outreach';
import { useRealtime } from '../lib/realtime';
import { signOut, useSession } from '../lib/session';
import { useShortcuts } from '../lib/shortcuts';
import { nextTheme, setTheme, useTheme } from '../lib/theme';
import type { SavedView } from '../lib/types';
import { filtersFromSearch, isViewId, savedFiltersOf, savedViewId, type ViewId, viewQuery } from '../lib/views';
import { RenameViewDialog } from './SavedViewDialogs';
import { SearchDialog } from './SearchDialog';
import { ShortcutsDialog } from './ShortcutsDialog';

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

function RailLink({ to, icon, label, count, className = '', countClassName = '' }: { to: string; icon?: IconName; label: string; count?: number; className?: string; countClassName?: string }) {
  return (
    <NavLink
      to={to}
      className={({ isActive }) =>
        `group flex min-w-0 items-center gap-2 rounded-md px-2 py-1.5 text-[13px] ${isActive ? 'bg-selected font-medium text-ink' : 'text-ink-2 hover:bg-hover hover:text-ink'} ${className}`
      }
    >
      {icon ? <Icon name={icon} className="shrink-0 opacity-80" /> : <span className="w-4" />}
      <span className="min-w-0 flex-1 truncate">{label}</span>
      {count !== undefined && count > 0 && <span className={`text-xs tabular-nums text-ink-3 ${countClassName}`}>{compact.format(count)}</span>}
    </NavLink>
  );
}

function RailButton({ icon, label, onClick }: { icon: IconName; label: string; onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} aria-label={label} title={label} className="rounded-md p-2 text-ink-2 hover:bg-hover hover:text-ink">
      <Icon name={icon} />
    </button>
  );
}

const menuItem = 'cursor-pointer rounded px-2 py-1.5 outline-none data-highlighted:bg-hover data-disabled:cursor-default data-disabled:opacity-50';

/**
 * A saved view in the rail: its link with its live count and, for those who may change it, a
 * menu (rename, update with the list's current filters, delete) on a button of its own.
 */
function SavedViewLink({ view, count, current, onRename, indent }: { view: SavedView; count?: number; current?: ReturnType<typeof savedFiltersOf>; onRename: () => void; indent?: boolean }) {
  const { update, remove } = useSavedViewMutations();
  const navigate = useNavigate();
  const location = useLocation();
  const here = location.pathname.startsWith(`/inbox/saved:${view.id}`);
  return (
    <div className="group/saved relative flex items-center">
      {/* The menu's button takes the count's place while the pointer or the focus is on the view (always there on touch screens). */}
      <RailLink
        to={`/inbox/saved:${view.id}`}
        icon={indent ? undefined : 'bookmark'}
        label={view.name}
        count={count}
        className={`flex-1 ${view.editable ? 'pointer-coarse:pr-8' : ''}`}
        countClassName={view.editable ? 'pointer-fine:group-hover/saved:invisible pointer-fine:group-has-[:focus-visible]/saved:invisible pointer-fine:group-has-[[data-state=open]]/saved:invisible' : ''}
      />
      {view.editable && (
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <button
              type="button"
              aria-label={t('saved.actions', { name: view.name })}
              title={t('saved.actions', { name: view.name })}
              className="absolute right-1 rounded p-1 text-ink-2 opacity-0 group-has-[:focus-visible]/saved:opacity-100 group-hover/saved:opacity-100 hover:bg-hover hover:text-ink data-[state=open]:opacity-100 pointer-coarse:opacity-100"
            >
              <Icon name="more" size={14} />
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="start" side="right" className="z-50 min-w-52 rounded-md border border-line bg-raised p-1 text-sm shadow-lg">
              <DropdownMenu.Item className={menuItem} onSelect={onRename}>
                {t('saved.rename')}
              </DropdownMenu.Item>
              <DropdownMenu.Item
                className={menuItem}
                disabled={!current}
                onSelect={() =>
                  current &&
                  update.mutate({ id: view.id, patch: { filters: current.filters } }, { onSuccess: () => navigate(`/inbox/saved:${view.id}`) })
                }
              >
                {t('saved.updateFilters')}
              </DropdownMenu.Item>
              <DropdownMenu.Separator className="my-1 h-px bg-line" />
              <DropdownMenu.Item
                className={`${menuItem} text-danger`}
                onSelect={() => {
                  if (!window.confirm(t(view.personal ? 'saved.confirmDelete' : 'saved.confirmDeleteTeam', { name: view.name }))) return;
                  remove.mutate(view.id, { onSuccess: () => here && navigate('/inbox/mine') });
                }}
              >
                {t('saved.delete')}
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      )}
    </div>
  );
}

/** The list the agent is looking at (its view, filters and order), when it is a list. */
function useCurrentList(saved: SavedView[]) {
  const location = useLocation();
  return useMemo(() => {
    const m = /^\/inbox\/([^/]+)/.exec(location.pathname);
    const view = m ? decodeURIComponent(m[1]) : undefined;
    if (!isViewId(view)) return undefined;
    const id = savedViewId(view);
    const own = id ? saved.find((v) => v.id === id) : undefined;
    if (id && !own) return undefined;
    return savedFiltersOf(viewQuery(view, filtersFromSearch(new URLSearchParams(location.search)), own?.filters));
  }, [location.pathname, location.search, saved]);
}

const fixed: { id: ViewId; icon: IconName }[] = [
  { id: 'mine', icon: 'user' },
  { id: 'unassigned', icon: 'userOff' },
  { id: 'open', icon: 'stack' },
  { id: 'mentions', icon: 'at' },
  { id: 'breaching', icon: 'clock' },
];

/** The frame around every signed-in page: the left rail with views, search, theme and account. */
export function Shell({ children }: { children: ReactNode }) {
  const me = useSession();
  const viewCounts = useViewCounts();
  const counts = viewCounts.data ?? {};
  const teams = useTeams().data ?? [];
  const inboxes = (useInboxes().data ?? []).filter((i) => !i.archived);
  const savedViews = useSavedViews();
  const saved = savedViews.data ?? [];
  const current = useCurrentList(saved);
  const [renaming, setRenaming] = useState<SavedView | null>(null);
  const held = useHeldMailCount();
  const outreach = useOutreachCount().data;
  const { connected } = useRealtime();
  const theme = useTheme();
  const availability = useAvailability();
  const away = availability.availability === 'away';
  const [searchOpen, setSearchOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();

  // The counts, fetched again on every change, name the saved views I see: one that another
  // member added to my team, or took away, shows up without waiting for the list's own refetch.
  const countedIds = viewCounts.isSuccess ? Object.keys(counts).filter((k) => k.startsWith('saved:')).sort().join() : undefined;
  useEffect(() => {
    if (countedIds === undefined || !savedViews.isSuccess || savedViews.isFetching) return;
    if (saved.map((v) => `saved:${v.id}`).sort().join() !== countedIds) void qc.invalidateQueries({ queryKey: qk.savedViews });
  }, [countedIds]);

  useShortcuts((action) => {
    if (action === 'search') return setSearchOpen(true), true;
    if (action === 'help') return setHelpOpen(true), true;
    return false;
  });

  const themeLabel = theme === 'light' ? t('nav.themeLight') : theme === 'dark' ? t('nav.themeDark') : t('nav.themeSystem');
  // My teams first; everyone sees every team, as anyone may pick up a team's work.
  const myTeams = [...teams].sort((a, b) => Number(!!b.memberIds?.includes(me.member.id)) - Number(!!a.memberIds?.includes(me.member.id)));

  return (
    <div className="flex h-full min-h-0">
      <nav aria-label={t('nav.primary')} className="flex w-48 shrink-0 flex-col border-r border-line bg-surface xl:w-52 2xl:w-56">
        <div className="flex items-center gap-2 px-3 pt-3 pb-2">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={22} height={22} />
          <span className="min-w-0 flex-1 truncate font-semibold">{me.workspace.name}</span>
        </div>
        <button
          type="button"
          onClick={() => setSearchOpen(true)}
          className="mx-3 mb-2 flex items-center gap-2 rounded-md border border-line bg-canvas px-2 py-1.5 text-left text-[13px] text-ink-3 hover:border-ink-3"
        >
          <Icon name="search" />
          <span className="flex-1">{t('nav.search')}</span>
          <kbd className="rounded border border-line px-1 text-[11px]">{t('nav.searchKeys')}</kbd>
        </button>
        <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
          {fixed.map((v) => (
            <RailLink key={v.id} to={`/inbox/${v.id}`} icon={v.icon} label={t(`view.${v.id}` as 'view.mine')} count={counts[v.id]} />
          ))}
          {held !== undefined && <RailLink to="/held" icon="shield" label={t('held.nav')} count={held} />}
          <RailLink to="/outreach" icon="phone" label={t('outreach.nav')} count={outreach} countClassName={outreach ? 'font-semibold text-accent' : ''} />
          {saved.some((v) => v.personal) && <h2 className="mt-4 mb-1 px-2 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('saved.nav')}</h2>}
          {saved
            .filter((v) => v.personal)
            .map((v) => (
              <SavedViewLink key={v.id} view={v} count={counts[`saved:${v.id}`]} current={current} onRename={() => setRenaming(v)} />
            ))}
          {myTeams.length > 0 && <h2 className="mt-4 mb-1 px-2 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('nav.teams')}</h2>}
          {myTeams.map((tm) => (
            <div key={tm.id}>
              <RailLink to={`/inbox/team:${tm.id}`} icon="users" label={tm.name} count={counts[`team:${tm.id}`]} />
              {saved
                .filter((v) => v.teamId === tm.id)
                .map((v) => (
                  <SavedViewLink key={v.id} view={v} count={counts[`saved:${v.id}`]} current={current} onRename={() => setRenaming(v)} indent />
                ))}
            </div>
          ))}
          {inboxes.length > 0 && <h2 className="mt-4 mb-1 px-2 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('nav.inboxes')}</h2>}
          {inboxes.map((ib) => (
            <RailLink key={ib.id} to={`/inbox/inbox:${ib.id}`} icon="inbox" label={ib.name} count={counts[`inbox:${ib.id}`]} />
          ))}
          <div className="mt-4 border-t border-line pt-2">
            <RailLink to="/inbox/snoozed" icon="snooze" label={t('view.snoozed')} count={counts.snoozed} />
            <RailLink to="/inbox/solved" icon="check" label={t('view.solved')} count={counts.solved} />
          </div>
          <div className="mt-2 border-t border-line pt-2">
            <RailLink to="/kb" icon="book" label={t('nav.kb')} />
            {/* Light members may not see reports (the API answers 403). */}
            {me.member.role !== 'light' && <RailLink to="/reports" icon="chart" label={t('nav.reports')} />}
          </div>
        </div>
        {!connected && (
          <p role="status" className="mx-3 mb-2 rounded-md bg-danger-soft px-2 py-1 text-xs text-danger">
            {t('app.offline')}
          </p>
        )}
        <div className="flex items-center gap-1 border-t border-line px-2 py-2">
          <DropdownMenu.Root>
            <DropdownMenu.Trigger asChild>
              <button
                type="button"
                aria-label={`${t('nav.account')} (${away ? t('nav.away') : t('nav.available')})`}
                className="flex min-w-0 flex-1 items-center gap-2 rounded-md p-1 text-left hover:bg-hover"
              >
                <Avatar name={me.user.name} src={me.user.avatarUrl} size={26} online={connected} away={away} />
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-[13px]">{me.user.name}</span>
                  {away && <span className="block text-[11px] leading-tight text-warn">{t('nav.away')}</span>}
                </span>
              </button>
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content side="top" align="start" className="z-50 min-w-48 rounded-md border border-line bg-raised p-1 text-sm shadow-lg">
                <div className="px-2 py-1.5 text-xs text-ink-3">{me.user.email}</div>
                <DropdownMenu.Item
                  className="cursor-pointer rounded px-2 py-1.5 outline-none data-highlighted:bg-hover"
                  disabled={availability.pending}
                  onSelect={() => availability.set(away ? 'available' : 'away')}
                >
                  <span className="flex items-center gap-2">
                    <span className={`h-2.5 w-2.5 shrink-0 rounded-full ${away ? 'bg-ok' : 'bg-warn'}`} aria-hidden="true" />
                    {away ? t('nav.setAvailable') : t('nav.setAway')}
                  </span>
                </DropdownMenu.Item>
                <DropdownMenu.Separator className="my-1 h-px bg-line" />
                <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 outline-none data-highlighted:bg-hover" onSelect={() => navigate('/settings')}>
                  {t('nav.settings')}
                </DropdownMenu.Item>
                <DropdownMenu.Item className="cursor-pointer rounded px-2 py-1.5 outline-none data-highlighted:bg-hover" onSelect={() => setHelpOpen(true)}>
                  {t('nav.shortcuts')}
                </DropdownMenu.Item>
                <DropdownMenu.Separator className="my-1 h-px bg-line" />
                <DropdownMenu.Item
                  className="cursor-pointer rounded px-2 py-1.5 text-danger outline-none data-highlighted:bg-hover"
                  onSelect={async () => {
                    await signOut();
                    qc.setQueryData(['me'], null);
                    navigate('/login');
                  }}
                >
                  {t('nav.signOut')}
                </DropdownMenu.Item>
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
          <RailButton icon={theme === 'dark' ? 'moon' : 'sun'} label={`${t('nav.theme')} (${themeLabel})`} onClick={() => setTheme(nextTheme(theme))} />
          <RailButton icon="gear" label={t('nav.settings')} onClick={() => navigate('/settings')} />
        </div>
      </nav>
      <div className="flex min-h-0 min-w-0 flex-1">{children}</div>
      <SearchDialog open={searchOpen} onOpenChange={setSearchOpen} />
      <ShortcutsDialog open={helpOpen} onOpenChange={setHelpOpen} />
      <RenameViewDialog key={renaming?.id} view={renaming} onOpenChange={(o) => !o && setRenaming(null)} />
    </div>
  );
}
