import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import { Avatar } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { Button, Select } from '../components/ui';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { type ConversationPatch, qk, refreshLists, useContact, useMembers, useTeams, useTimeline, useUpdateConversation } from '../lib/queries';
import { announceLeaving, announceViewing, useRealtime } from '../lib/realtime';
import { useSession } from '../lib/session';
import { useShortcuts } from '../lib/shortcuts';
import { fullTime, shortAge } from '../lib/time';
import { type Conversation, PRIORITIES, STATUSES } from '../lib/types';
import { Composer, type ComposerHandle } from './Composer';
import { ContactSidebar } from './ContactSidebar';
import { Timeline } from './Timeline';

const SIDEBAR_KEY = 'heard.contactPanel';

/** Snooze presets, as instants from now. */
export function snoozeTimes(now = new Date()) {
  const hour = new Date(now.getTime() + 3600_000);
  const four = new Date(now.getTime() + 4 * 3600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(now.getDate() + (((8 - now.getDay()) % 7) || 7));
  monday.setHours(9, 0, 0, 0);
  return [
    { key: 'conv.snooze1h' as const, at: hour },
    { key: 'conv.snooze4h' as const, at: four },
    { key: 'conv.snoozeTomorrow' as const, at: tomorrow },
    { key: 'conv.snoozeNextWeek' as const, at: monday },
  ];
}

const wideQuery = window.matchMedia('(min-width: 1280px)');

/** True at 1280 px and wider, where the contact panel fits beside the conversation. */
function useWide() {
  return useSyncExternalStore(
    (l) => {
      wideQuery.addEventListener('change', l);
      return () => wideQuery.removeEventListener('change', l);
    },
    () => wideQuery.matches,
  );
}

export function ConversationView({ number, backTo, onSolved }: { number: number; backTo: string; onSolved?: () => void }) {
  const timeline = useTimeline(String(number));
  const members = useMembers().data ?? [];
  const teams = useTeams().data ?? [];
  const me = useSession();
  const update = useUpdateConversation();
  const qc = useQueryClient();
  const composer = useRef<ComposerHandle>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [sidebar, setSidebar] = useState(() => localStorage.getItem(SIDEBAR_KEY) !== 'hidden');
  // Below 1280 px the contact opens over the conversation, and only when asked for.
  const [overlay, setOverlay] = useState(false);
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const [tagDraft, setTagDraft] = useState('');
  const { viewers } = useRealtime();
  const wide = useWide();
  const c = timeline.data?.conversation;
  const contact = useContact(c?.contactId);
  const items = timeline.data?.items;

  // Presence in this conversation, for collision warnings on the other side.
  useEffect(() => {
    if (!c) return;
    announceViewing(c.id);
    return () => announceLeaving(c.id);
  }, [c?.id]);

  // Reading it marks it read (servers without read state answer 404, which is fine).
  useEffect(() => {
    if (!c?.id) return;
    api(`/conversations/${c.id}/read`, { method: 'POST' })
      .then(() => {
        void refreshLists(qc);
        void qc.invalidateQueries({ queryKey: qk.views });
      })
      .catch(() => {});
  }, [c?.id, items?.length]);

  // The newest entry is in view when the conversation opens and when something arrives.
  useLayoutEffect(() => {
    if (!items) return;
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    performance.mark('heard:conversation-rendered');
  }, [items?.length]);

  const patch = (p: ConversationPatch) => c && update.mutate({ id: c.id, patch: p });
  // Light members change only what is assigned to them (the server says so too).
  const canChange = !!c && (me.member.role !== 'light' || c.assigneeId === me.member.id);
  // Solving or snoozing ends the work here: the next conversation of the list opens.
  const snooze = (at: string | null) => {
    if (!c) return;
    if (at === null) return patch({ snoozedUntil: null });
    update.mutate({ id: c.id, patch: { snoozedUntil: at } }, { onSuccess: () => onSolved?.() });
  };
  const toggleSolved = () => {
    if (!c) return;
    if (c.status === 'solved') return patch({ status: 'open' });
    update.mutate({ id: c.id, patch: { status: 'solved' } }, { onSuccess: () => onSolved?.() });
  };

  useShortcuts((action) => {
    if (!c) return false;
    if (action === 'reply') return composer.current?.focus('reply'), true;
    if (action === 'note') return composer.current?.focus('note'), true;
    if (action === 'assignMe') return patch({ assigneeId: me.member.id }), true;
    if (action === 'solve') return canChange && toggleSolved(), true;
    if (action === 'snooze') return setSnoozeOpen(true), true;
    return false;
  });

  if (timeline.isError) {
    const nf = timeline.error instanceof ApiError && timeline.error.status === 404;
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-2 text-ink-2">
        <p>{nf ? t('conv.notFound') : t('app.error', { detail: (timeline.error as Error).message })}</p>
        <Link to={backTo} className="text-accent underline">
          {t('conv.back')}
        </Link>
      </div>
    );
  }
  if (!c || !items) return <div className="flex flex-1 items-center justify-center text-ink-3">{t('app.loading')}</div>;

  const contactName = c.contact?.name ?? contact.data?.name ?? t('msg.customer');
  const lastMessage = [...items].reverse().find((i) => i.type === 'message');
  const others = (viewers.get(c.id) ?? []).filter((v) => v.memberId !== me.member.id);
  const nameOf = (id: string) => members.find((m) => m.id === id)?.name ?? t('event.someone');
  const typing = others.filter((v) => v.typing);
  const snoozed = c.snoozedUntil && new Date(c.snoozedUntil) > new Date();

  return (
    <div className="flex min-w-0 flex-1">
      <section aria-label={c.subject || t('list.noSubject')} className="flex min-w-0 flex-1 flex-col bg-canvas">
        <header className="border-b border-line bg-surface px-4 pt-3 pb-2">
          <div className="flex items-start gap-2">
            <Link to={backTo} aria-label={t('conv.back')} className="mt-0.5 rounded p-1 text-ink-2 hover:bg-hover md:hidden">
              <Icon name="back" />
            </Link>
            <div className="min-w-0 flex-1">
              <h1 className="truncate text-[16px] font-semibold" title={c.subject}>
                {c.subject || t('list.noSubject')}
              </h1>
              <p className="text-xs text-ink-3">
                {t('conv.number', { number: c.number })} · {contactName}
                {c.waitingSince && c.status !== 'solved' && c.status !== 'closed' && <> · <span title={fullTime(c.waitingSince)}>{t('list.waiting', { time: shortAge(c.waitingSince) })}</span></>}
              </p>
              {others.length > 0 && (
                <p className={`mt-0.5 flex items-center gap-1.5 text-xs ${typing.length ? 'text-warn' : 'text-ink-2'}`} role="status">
                  {others.map((v) => (
                    <Avatar key={v.memberId} name={nameOf(v.memberId)} src={members.find((m) => m.id === v.memberId)?.avatarUrl} size={16} />
                  ))}
                  {typing.length
                    ? t('collision.typing', { names: typing.map((v) => nameOf(v.memberId)).join(', ') })
                    : t('collision.viewing', { names: others.map((v) => nameOf(v.memberId)).join(', ') })}
                </p>
              )}
            </div>
            <div className="flex shrink-0 items-center gap-1.5">
              <SnoozeMenu open={snoozeOpen} setOpen={setSnoozeOpen} disabled={!canChange} snoozed={!!snoozed} onSnooze={snooze} />
              <Button
                variant={c.status === 'solved' ? 'default' : 'primary'}
                disabled={!canChange}
                onClick={toggleSolved}
                aria-keyshortcuts="s"
              >
                <Icon name="check" size={14} />
                {c.status === 'solved' ? t('conv.reopen') : t('conv.solve')}
              </Button>
            </div>
            <button
              type="button"
              aria-label={t('conv.contactPanel')}
              aria-pressed={wide ? sidebar : overlay}
              title={t('conv.contactPanel')}
              onClick={() => {
                if (!wide) return setOverlay(!overlay);
                localStorage.setItem(SIDEBAR_KEY, sidebar ? 'hidden' : 'shown');
                setSidebar(!sidebar);
              }}
              className={`rounded-md p-2 hover:bg-hover ${(wide ? sidebar : overlay) ? 'text-accent' : 'text-ink-2'}`}
            >
              <Icon name="sidebar" />
            </button>
          </div>
          <div className="mt-2">
            <Controls c={c} patch={patch} disabled={!canChange} tagDraft={tagDraft} setTagDraft={setTagDraft} />
          </div>
          {update.isError && (
            <p role="alert" className="mt-1 text-xs text-danger">
              {update.error instanceof ApiError && update.error.status === 403 ? t('error.forbidden') : (update.error as Error).message}
            </p>
          )}
          {snoozed && (
            <p className="mt-2 flex items-center gap-2 rounded-md bg-accent-soft px-2 py-1 text-xs text-accent" role="status">
              <Icon name="snooze" size={14} />
              {t('conv.snoozedUntil', { time: fullTime(c.snoozedUntil!) })}
              <button type="button" className="ml-auto underline" onClick={() => patch({ snoozedUntil: null })}>
                {t('conv.unsnooze')}
              </button>
            </p>
          )}
        </header>
        <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto px-4 py-4 lg:px-6">
          <div className="mx-auto max-w-3xl">
            <Timeline items={items} members={members} teams={teams} contactName={contactName} />
          </div>
        </div>
        <Composer
          ref={composer}
          key={c.id}
          conversation={c}
          contactName={contactName}
          members={members}
          lastMessageId={lastMessage?.type === 'message' ? lastMessage.message.id : undefined}
          canReply={canChange}
        />
      </section>
      {sidebar && (
        <div className="hidden xl:flex">
          <ContactSidebar contactId={c.contactId} currentNumber={c.number} />
        </div>
      )}
      {overlay && !wide && (
        <div className="fixed inset-y-0 right-0 z-30 flex shadow-xl">
          <ContactSidebar contactId={c.contactId} currentNumber={c.number} />
        </div>
      )}
    </div>
  );
}

function Controls({
  c,
  patch,
  disabled,
  tagDraft,
  setTagDraft,
}: {
  c: Conversation;
  patch: (p: ConversationPatch) => void;
  disabled: boolean;
  tagDraft: string;
  setTagDraft: (s: string) => void;
}) {
  const members = useMembers().data ?? [];
  const teams = useTeams().data ?? [];
  const me = useSession();
  return (
    <div className="flex min-w-0 flex-1 flex-wrap items-center gap-1.5">
      <Select label={t('conv.status')} value={c.status} disabled={disabled} onChange={(e) => patch({ status: e.target.value })}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </Select>
      <Select label={t('conv.priority')} value={c.priority} disabled={disabled} onChange={(e) => patch({ priority: e.target.value })}>
        {PRIORITIES.map((s) => (
          <option key={s} value={s}>
            {t(`priority.${s}`)}
          </option>
        ))}
      </Select>
      <Select label={t('conv.assignee')} value={c.assigneeId ?? ''} disabled={disabled} onChange={(e) => patch({ assigneeId: e.target.value || null })} className="max-w-36">
        <option value="">{t('list.unassigned')}</option>
        <option value={me.member.id}>
          {me.user.name} ({t('msg.you')})
        </option>
        {members
          .filter((m) => m.id !== me.member.id && (m.active !== false || m.id === c.assigneeId))
          .map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
      </Select>
      <Select label={t('conv.team')} value={c.teamId ?? ''} disabled={disabled} onChange={(e) => patch({ teamId: e.target.value || null })} className="max-w-36">
        <option value="">{t('conv.noTeam')}</option>
        {teams.map((tm) => (
          <option key={tm.id} value={tm.id}>
            {tm.name}
          </option>
        ))}
      </Select>
      <ul className="flex flex-wrap items-center gap-1" aria-label={t('conv.tags')}>
        {c.tags.map((tag) => (
          <li key={tag} className="flex items-center gap-0.5 rounded-full bg-hover py-0.5 pr-1 pl-2 text-xs text-ink-2">
            #{tag}
            {!disabled && (
              <button type="button" aria-label={t('conv.removeTag', { tag })} onClick={() => patch({ removeTags: [tag] })} className="rounded-full p-0.5 hover:text-danger">
                <Icon name="x" size={10} />
              </button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const tag = tagDraft.trim().replace(/^#/, '');
            if (tag) patch({ addTags: [tag] });
            setTagDraft('');
          }}
        >
          <input
            aria-label={t('conv.addTag')}
            placeholder={`+ ${t('conv.addTag')}`}
            value={tagDraft}
            onChange={(e) => setTagDraft(e.target.value.replace(',', ''))}
            className="h-7 w-28 rounded-md border border-transparent bg-transparent px-2 text-xs text-ink hover:border-line focus:border-accent"
          />
        </form>
      )}
    </div>
  );
}

function SnoozeMenu({ open, setOpen, disabled, snoozed, onSnooze }: { open: boolean; setOpen: (o: boolean) => void; disabled: boolean; snoozed: boolean; onSnooze: (at: string | null) => void }) {
  const item = 'cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-hover';
  return (
    <DropdownMenu.Root open={open} onOpenChange={setOpen}>
      <DropdownMenu.Trigger asChild>
        <Button disabled={disabled} aria-label={t('conv.snooze')} aria-keyshortcuts="z">
          <Icon name="snooze" size={14} />
          <span className="hidden 2xl:inline">{t('conv.snooze')}</span>
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-52 rounded-md border border-line bg-raised p-1 shadow-lg">
          {snoozeTimes().map((s) => (
            <DropdownMenu.Item key={s.key} className={item} onSelect={() => onSnooze(s.at.toISOString())}>
              <span className="flex justify-between gap-4">
                {t(s.key)}
                <span className="text-xs text-ink-3">{fullTime(s.at.toISOString())}</span>
              </span>
            </DropdownMenu.Item>
          ))}
          {snoozed && (
            <>
              <DropdownMenu.Separator className="my-1 h-px bg-line" />
              <DropdownMenu.Item className={item} onSelect={() => onSnooze(null)}>
                {t('conv.unsnooze')}
              </DropdownMenu.Item>
            </>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
