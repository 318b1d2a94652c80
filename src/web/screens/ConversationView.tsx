import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import { Avatar } from '../components/Avatar';
import { PaneSkeleton } from '../components/Skeleton';
import { Icon } from '../components/Icon';
import { Button, SlaBadge } from '../components/ui';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { type ConversationPatch, qk, refreshLists, useContact, useConversation, useMembers, useTeams, useTimeline, useUpdateConversation } from '../lib/queries';
import { announceLeaving, announceViewing, useRealtime } from '../lib/realtime';
import { useSession } from '../lib/session';
import { useSplit } from '../lib/layout';
import { useShortcuts } from '../lib/shortcuts';
import { channelLook } from '../lib/network';
import { fullTime, shortAge } from '../lib/time';
import type { Conversation, FeedbackKind, Message } from '../lib/types';
import { LogCallDialog } from './CallDialogs';
import { Composer, type ComposerHandle } from './Composer';
import { ContactSidebar } from './ContactSidebar';
import { Controls, MoreMenu, SnoozeMenu } from './ConversationControls';
import { MergeDialog } from './MergeDialog';
import { GoodwillDialog, useWaitingGoodwill } from './Goodwill';
import { type FeedbackSource, ShareFeedbackDialog } from './ShareFeedbackDialog';
import { Timeline } from './Timeline';

const SIDEBAR_KEY = 'heard.contactPanel';

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

export function ConversationView({ number, backTo, onSolved, onOpen }: { number: number; backTo: string; onSolved?: () => void; onOpen: (number: number) => void }) {
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
  const [dialog, setDialog] = useState<'call' | 'merge' | 'goodwill' | null>(null);
  const [splitError, setSplitError] = useState<string | null>(null);
  const [sharing, setSharing] = useState<{ source: FeedbackSource; kind: FeedbackKind } | null>(null);
  const { viewers, customerTyping } = useRealtime();
  const wide = useWide();
  const sideBySide = useSplit();
  const c = timeline.data?.conversation;
  const contact = useContact(c?.contactId);
  const full = useConversation(c?.id).data;
  const participants = full?.participants ?? [];
  // The timeline's conversation does not carry its inbox; the full one names an API inbox's network.
  const network = full?.channel === 'api' ? full.network : undefined;
  const mergedInto = useConversation(c?.mergedIntoId ?? undefined).data;
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

  // A customer's second question becomes a conversation of its own, which then opens.
  const splitNow = async (m: Message) => {
    if (!window.confirm(t('msg.splitConfirm'))) return;
    setSplitError(null);
    try {
      const created = await api<Conversation>(`/messages/${m.id}/split`, { method: 'POST' });
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      onOpen(created.number);
    } catch (e) {
      setSplitError(e instanceof ApiError && e.status === 403 ? t('error.forbidden') : (e as Error).message);
    }
  };

  // A stable handler, so the memoised messages of the timeline do not re-render with each change here.
  const splitRef = useRef(splitNow);
  splitRef.current = splitNow;
  const split = useCallback((m: Message) => void splitRef.current(m), []);
  const share = useCallback((source: FeedbackSource, kind: FeedbackKind) => setSharing({ source, kind }), []);

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
  if (!c || !items) return <PaneSkeleton />;

  const contactName = c.contact?.name ?? contact.data?.name ?? t('msg.customer');
  const lastMessage = [...items].reverse().find((i) => i.type === 'message');
  const others = (viewers.get(c.id) ?? []).filter((v) => v.memberId !== me.member.id);
  const nameOf = (id: string) => members.find((m) => m.id === id)?.name ?? t('event.someone');
  const typing = others.filter((v) => v.typing);
  const snoozed = c.snoozedUntil && new Date(c.snoozedUntil) > new Date();
  const controls = <Controls c={c} patch={patch} disabled={!canChange} tagDraft={tagDraft} setTagDraft={setTagDraft} />;
  const actions = (
    <div className="flex shrink-0 items-center gap-1.5">
      <SnoozeMenu open={snoozeOpen} setOpen={setSnoozeOpen} disabled={!canChange} snoozed={!!snoozed} onSnooze={snooze} />
      <Button variant={c.status === 'solved' ? 'default' : 'primary'} disabled={!canChange} onClick={toggleSolved} aria-keyshortcuts="s">
        <Icon name="check" size={14} />
        {c.status === 'solved' ? t('conv.reopen') : t('conv.solve')}
      </Button>
      <GoodwillButton conversationId={c.id} onClick={() => setDialog('goodwill')} />
      <MoreMenu disabled={!canChange} onLogCall={() => setDialog('call')} onMerge={() => setDialog('merge')} onGoodwill={() => setDialog('goodwill')} />
    </div>
  );

  return (
    <div className="flex min-w-0 flex-1">
      <section aria-label={c.subject || t('list.noSubject')} className="flex min-w-0 flex-1 flex-col bg-canvas">
        <header className="border-b border-line bg-surface px-3 pt-2 pb-2 split:px-4 split:pt-3">
          <div className="flex items-start gap-2">
            <Link to={backTo} aria-label={t('conv.back')} className="-ml-1 flex h-11 w-11 shrink-0 items-center justify-center rounded-md text-ink-2 hover:bg-hover split:hidden">
              <Icon name="back" size={20} />
            </Link>
            <div className="min-w-0 flex-1">
              <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-0.5">
                <h1 className="min-w-0 max-w-full truncate text-[16px] font-semibold" title={c.subject}>
                  {c.subject || t('list.noSubject')}
                </h1>
                <SlaBadge c={c} />
              </div>
              <p className="text-xs text-ink-3">
                {t('conv.number', { number: c.number })} · {contactName}
                {network && (
                  <>
                    {' · '}
                    <span className="inline-flex items-center gap-1 align-bottom">
                      <Icon name={channelLook('api', network).icon} size={12} />
                      {t('msg.via', { channel: channelLook('api', network).label })}
                    </span>
                  </>
                )}
                {participants.length > 0 && <> · {t('conv.cc', { names: participants.map((p) => p.name || t('msg.customer')).join(', ') })}</>}
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
            {sideBySide && actions}
            <button
              type="button"
              aria-label={sideBySide ? t('conv.contactPanel') : t('conv.details')}
              aria-pressed={wide ? sidebar : overlay}
              title={t('conv.contactPanel')}
              onClick={() => {
                if (!wide) return setOverlay(!overlay);
                localStorage.setItem(SIDEBAR_KEY, sidebar ? 'hidden' : 'shown');
                setSidebar(!sidebar);
              }}
              className={`flex h-11 w-11 shrink-0 items-center justify-center rounded-md hover:bg-hover split:h-9 split:w-9 ${(wide ? sidebar : overlay) ? 'text-accent' : 'text-ink-2'}`}
            >
              <Icon name="sidebar" />
            </button>
          </div>
          {sideBySide ? (
            <div className="mt-2">{controls}</div>
          ) : (
            // On a phone the actions have no room beside the title, and the fields are in the details pane: here, what they say.
            <div className="mt-1 flex items-center gap-2">
              {actions}
              <span className="min-w-0 flex-1 truncate text-right text-xs text-ink-2">
                {t(`status.${c.status}`)} · {c.assigneeId ? nameOf(c.assigneeId) : t('list.unassigned')}
              </span>
            </div>
          )}
          {update.isError && (
            <p role="alert" className="mt-1 text-xs text-danger">
              {update.error instanceof ApiError && update.error.status === 403 ? t('error.forbidden') : (update.error as Error).message}
            </p>
          )}
          {mergedInto && (
            <p className="mt-2 flex items-center gap-2 rounded-md bg-hover px-2 py-1 text-xs text-ink-2" role="status">
              <Icon name="merge" size={14} />
              <button type="button" className="underline" onClick={() => onOpen(mergedInto.number)}>
                {t('conv.mergedInto', { number: mergedInto.number })}
              </button>
            </p>
          )}
          {splitError && (
            <p role="alert" className="mt-1 text-xs text-danger">
              {splitError}
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
        <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto px-3 py-4 split:px-4 lg:px-6">
          <div className="mx-auto max-w-3xl">
            <Timeline items={items} emailFallback={timeline.data?.emailFallback} members={members} teams={teams} contactName={contactName} network={network} customers={Object.fromEntries(participants.map((p) => [p.contactId, p.name]))} onSplit={canChange ? split : undefined} onShare={me.member.role !== 'light' ? share : undefined} />
          </div>
        </div>
        <p role="status" className="min-h-5 px-4 text-xs text-ink-2 lg:px-6">
          {customerTyping.has(c.id) && t('conv.customerTyping', { name: contactName })}
        </p>
        <Composer
          ref={composer}
          key={c.id}
          conversation={c}
          contactName={contactName}
          members={members}
          lastMessageId={lastMessage?.type === 'message' ? lastMessage.message.id : undefined}
          canReply={canChange}
          onLogCall={canChange ? () => setDialog('call') : undefined}
        />
      </section>
      {dialog === 'call' && (
        <LogCallDialog conversation={c} phone={contact.data?.identities.find((i) => i.kind === 'phone')?.value} open onOpenChange={(o) => setDialog(o ? 'call' : null)} />
      )}
      {sharing && <ShareFeedbackDialog source={sharing.source} kind={sharing.kind} contactName={contactName} onOpenChange={(o) => !o && setSharing(null)} />}
      {dialog === 'goodwill' && (
        <GoodwillDialog conversationId={c.id} canGive={canChange} onInsert={(text) => composer.current?.insertReply(text)} onOpenChange={(o) => setDialog(o ? 'goodwill' : null)} />
      )}
      {dialog === 'merge' && <MergeDialog conversation={c} contactName={contactName} open onOpenChange={(o) => setDialog(o ? 'merge' : null)} onMerged={(kept) => onOpen(kept.number)} />}
      {sidebar && (
        <div className="hidden xl:flex">
          <ContactSidebar contactId={c.contactId} currentNumber={c.number} conversation={c} canChange={canChange} />
        </div>
      )}
      {overlay && !wide && (
        // Below 900 px the details are a pane of their own, over the whole conversation, with the way back.
        <div
          className="fixed inset-0 z-30 flex flex-col bg-surface shadow-xl split:left-auto split:flex-row"
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !sideBySide && !e.defaultPrevented) setOverlay(false);
          }}
        >
          <div className="flex h-12 shrink-0 items-center gap-1 border-b border-line px-1 split:hidden">
            {/* The pane covers the conversation: the focus starts on the way back, not behind it. */}
            <button type="button" autoFocus onClick={() => setOverlay(false)} className="flex h-11 items-center gap-1 rounded-md px-2 text-sm text-ink-2 hover:bg-hover">
              <Icon name="back" size={20} />
              {t('conv.backToConversation')}
            </button>
          </div>
          <div className="flex min-h-0 flex-1 flex-col overflow-y-auto max-split:[&>aside]:w-full max-split:[&>aside]:flex-none max-split:[&>aside]:overflow-visible max-split:[&>aside]:border-l-0">
            {!sideBySide && (
              <section aria-label={t('conv.fields')} className="border-b border-line p-3">
                {controls}
              </section>
            )}
            <ContactSidebar contactId={c.contactId} currentNumber={c.number} conversation={c} canChange={canChange} />
          </div>
        </div>
      )}
    </div>
  );
}

/** Opens the conversation's goodwill; says how many of its actions wait for approval. */
function GoodwillButton({ conversationId, onClick }: { conversationId: string; onClick: () => void }) {
  const waiting = useWaitingGoodwill(conversationId);
  const label = waiting ? t('goodwill.buttonWaiting', { count: waiting }) : t('goodwill.button');
  return (
    // On a narrow screen it is in the More menu: the header has no room.
    <div className="hidden split:flex">
      <Button onClick={onClick} aria-label={label} title={label}>
        <Icon name="gift" size={14} />
        <span className="hidden lg:inline">{t('goodwill.button')}</span>
        {waiting > 0 && <span className="rounded-full bg-warn/20 px-1.5 text-[11px] font-semibold text-warn">{waiting}</span>}
      </Button>
    </div>
  );
}
