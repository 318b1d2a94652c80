// The controls in an open conversation's header: its fields, snooze, and the menu of less frequent actions.
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { Icon } from '../components/Icon';
import { Button, Select } from '../components/ui';
import { t } from '../i18n';
import { type ConversationPatch, useMembers, useTeams } from '../lib/queries';
import { useSession } from '../lib/session';
import { fullTime } from '../lib/time';
import { type Conversation, PRIORITIES, STATUSES } from '../lib/types';

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

export function Controls({
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
    // Each select is as wide as its longest choice: on a narrow screen they wrap, never shrink.
    <div className="flex min-w-0 flex-1 flex-wrap items-center gap-1.5">
      <Select label={t('conv.status')} value={c.status} disabled={disabled} className="shrink-0" onChange={(e) => patch({ status: e.target.value })}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </Select>
      <Select label={t('conv.priority')} value={c.priority} disabled={disabled} className="shrink-0" onChange={(e) => patch({ priority: e.target.value })}>
        {PRIORITIES.map((s) => (
          <option key={s} value={s}>
            {t(`priority.${s}`)}
          </option>
        ))}
      </Select>
      <Select label={t('conv.assignee')} value={c.assigneeId ?? ''} disabled={disabled} onChange={(e) => patch({ assigneeId: e.target.value || null })} className="shrink-0">
        <option value="">{t('list.unassigned')}</option>
        <option value={me.member.id}>
          {me.user.name} ({t('msg.you')})
        </option>
        {members
          .filter((m) => m.id !== me.member.id && (m.active !== false || m.id === c.assigneeId))
          .map((m) => (
            <option key={m.id} value={m.id}>
              {m.availability === 'away' ? t('conv.memberAway', { name: m.name }) : m.name}
            </option>
          ))}
      </Select>
      <Select label={t('conv.team')} value={c.teamId ?? ''} disabled={disabled} onChange={(e) => patch({ teamId: e.target.value || null })} className="shrink-0">
        <option value="">{t('conv.noTeam')}</option>
        {teams.map((tm) => (
          <option key={tm.id} value={tm.id}>
            {tm.name}
          </option>
        ))}
      </Select>
      <ul className="flex flex-wrap items-center gap-1 pointer-coarse:gap-x-3 pointer-coarse:gap-y-2" aria-label={t('conv.tags')}>
        {c.tags.map((tag) => (
          <li key={tag} className="flex items-center gap-0.5 rounded-full bg-hover py-0.5 pr-1 pl-2 text-xs text-ink-2">
            #{tag}
            {/* On a touch screen the drawn × stays small; the tap it takes is about 46 × 38 px. */}
            {!disabled && (
              <button type="button" aria-label={t('conv.removeTag', { tag })} onClick={() => patch({ removeTags: [tag] })} className="relative rounded-full p-0.5 hover:text-danger max-split:p-2 pointer-coarse:before:absolute pointer-coarse:before:-inset-x-2.5 pointer-coarse:before:-inset-y-1.5 pointer-coarse:before:content-['']">
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
            className="h-11 w-28 rounded-md border border-transparent bg-transparent px-2 text-sm text-ink hover:border-line focus:border-accent split:h-7 split:text-xs"
          />
        </form>
      )}
    </div>
  );
}

/** The conversation's less frequent actions: log a call, merge into another. */
export function MoreMenu({ disabled, onLogCall, onMerge, onGoodwill }: { disabled: boolean; onLogCall: () => void; onMerge: () => void; onGoodwill?: () => void }) {
  const item = 'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-hover max-split:py-3';
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" disabled={disabled} aria-label={t('conv.more')} title={t('conv.more')} className="px-1.5">
          <Icon name="more" size={18} strokeWidth={3} />
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className="z-50 min-w-44 rounded-md border border-line bg-raised p-1 shadow-lg">
          <DropdownMenu.Item className={item} onSelect={onLogCall}>
            <Icon name="phone" size={14} className="text-ink-3" />
            {t('conv.logCall')}
          </DropdownMenu.Item>
          <DropdownMenu.Item className={item} onSelect={onMerge}>
            <Icon name="merge" size={14} className="text-ink-3" />
            {t('conv.merge')}
          </DropdownMenu.Item>
          {onGoodwill && (
            // On a narrow screen the header has no room for the Goodwill button: it is here instead.
            <DropdownMenu.Item className={`${item} split:hidden`} onSelect={onGoodwill}>
              <Icon name="gift" size={14} className="text-ink-3" />
              {t('goodwill.button')}
            </DropdownMenu.Item>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export function SnoozeMenu({ open, setOpen, disabled, snoozed, onSnooze }: { open: boolean; setOpen: (o: boolean) => void; disabled: boolean; snoozed: boolean; onSnooze: (at: string | null) => void }) {
  const item = 'cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-hover max-split:py-3';
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
