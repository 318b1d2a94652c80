import * as Popover from '@radix-ui/react-popover';
import { useQueryClient } from '@tanstack/react-query';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { Avatar } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { Notice } from '../components/Notice';
import { Button, Select } from '../components/ui';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { isMacro, type MacroNames, macroPhrases } from '../lib/macros';
import { patchConversationInCaches, qk, refreshLists, useCanned, useTeams } from '../lib/queries';
import { mentionAt } from '../lib/mention';
import { announceViewing, useRealtime } from '../lib/realtime';
import type { Attachment, CannedResponse, Conversation, Member, Message } from '../lib/types';
import { noRecipients, recipientFields, type ReplyRecipients } from '../lib/email';
import { EmailRecipients } from './EmailRecipients';
import { Suggestions } from '../catalog/Suggestions';


/** Who replied in the messages a 409 names (a collision), by name. */
function whoReplied(newerMessages: unknown[], members: { id: string; name: string }[]) {
  const newer = newerMessages as { authorName?: string | null; authorMemberId?: string | null }[];
  return [...new Set(newer.map((m) => m.authorName ?? members.find((x) => x.id === m.authorMemberId)?.name).filter(Boolean))].join(', ') || t('event.someone');
}
export type ComposerMode = 'reply' | 'note';
export interface ComposerHandle {
  focus(mode: ComposerMode): void;
  /** Adds text to the reply (a goodwill action's sentence for the customer). */
  insertReply(text: string): void;
}

interface Props {
  conversation: Conversation;
  contactName: string;
  members: Member[];
  lastMessageId: string | undefined;
  canReply: boolean;
  /** Opens the dialog that logs a phone call on this conversation. */
  onLogCall?: () => void;
}

const draftKey = (id: string) => `heard.draft.${id}`;

/** When a reply can be sent later: in an hour, tomorrow at 9, next Monday at 9. */
function laterTimes(now = new Date()) {
  const hour = new Date(now.getTime() + 3600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(now.getDate() + ((8 - now.getDay()) % 7 || 7));
  monday.setHours(9, 0, 0, 0);
  return [
    { key: 'composer.in1h' as const, at: hour.toISOString() },
    { key: 'composer.tomorrow' as const, at: tomorrow.toISOString() },
    { key: 'composer.monday' as const, at: monday.toISOString() },
  ];
}


export const Composer = forwardRef<ComposerHandle, Props>(function Composer({ conversation, contactName, members, lastMessageId, canReply, onLogCall }, ref) {
  const qc = useQueryClient();
  const [mode, setMode] = useState<ComposerMode>(canReply ? 'reply' : 'note');
  const [text, setText] = useState(() => sessionStorage.getItem(draftKey(conversation.id)) ?? '');
  const [after, setAfter] = useState('');
  const [sendAt, setSendAt] = useState('');
  const [files, setFiles] = useState<Attachment[]>([]);
  const [recipients, setRecipients] = useState<ReplyRecipients>(noRecipients);
  const [uploading, setUploading] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // On a phone the composer would take half the screen from the conversation: until the agent
  // starts a reply (focus inside it, or a draft), it is the mode buttons and one line to tap.
  const [focused, setFocused] = useState(false);
  const [collision, setCollision] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [mentionIndex, setMentionIndex] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const { online } = useRealtime();
  const teams = useTeams().data ?? [];
  const names: MacroNames = { member: (id) => members.find((m) => m.id === id)?.name, team: (id) => teams.find((tm) => tm.id === id)?.name };
  const fileInput = useRef<HTMLInputElement>(null);
  const typingAt = useRef(0);
  // The newest message when I began writing: a reply by someone else after it is a collision.
  const seenAtStart = useRef<string | undefined>(undefined);
  const typingStop = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (typingStop.current && clearTimeout(typingStop.current)), []);

  useImperativeHandle(ref, () => ({
    focus(m) {
      setMode(m === 'reply' && !canReply ? 'note' : m);
      requestAnimationFrame(() => area.current?.focus());
    },
    insertReply(body) {
      if (canReply) setMode('reply');
      insert(body);
    },
  }));

  useEffect(() => {
    if (text) sessionStorage.setItem(draftKey(conversation.id), text);
    else sessionStorage.removeItem(draftKey(conversation.id));
  }, [text, conversation.id]);

  const candidates = useMemo(() => {
    if (!mention || mode !== 'note') return [];
    const q = mention.query.toLowerCase();
    return members.filter((m) => m.active !== false && (m.name.toLowerCase().includes(q) || m.email.toLowerCase().startsWith(q))).slice(0, 6);
  }, [mention, members, mode]);

  function onChange(v: string, caret: number) {
    if (!text && v) seenAtStart.current = lastMessageId;
    setText(v);
    setMention(mentionAt(v, caret));
    setMentionIndex(0);
    // Others see that I am writing a reply; it stops showing after a pause.
    const now = Date.now();
    if (mode === 'reply' && now - typingAt.current > 3000) {
      typingAt.current = now;
      announceViewing(conversation.id, true);
    }
    if (typingStop.current) clearTimeout(typingStop.current);
    typingStop.current = setTimeout(() => {
      typingAt.current = 0;
      announceViewing(conversation.id, false);
    }, 5000);
  }

  function insertMention(m: Member) {
    if (!mention) return;
    const caret = area.current?.selectionStart ?? text.length;
    const next = `${text.slice(0, mention.start)}@${m.name} ${text.slice(caret)}`;
    setText(next);
    setMention(null);
    const pos = mention.start + m.name.length + 2;
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(pos, pos);
    });
  }

  async function upload(list: FileList | null) {
    if (!list?.length) return;
    setError(null);
    for (const f of Array.from(list)) {
      setUploading(f.name);
      try {
        const form = new FormData();
        form.append('file', f, f.name);
        const r = await api<Attachment[] | { items: Attachment[] }>('/attachments', { method: 'POST', form });
        setFiles((prev) => [...prev, ...(Array.isArray(r) ? r : r.items)]);
      } catch (e) {
        setError((e as Error).message);
      }
    }
    setUploading(null);
  }

  async function send(force = false) {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api<Message>(`/conversations/${conversation.id}/messages`, {
        method: 'POST',
        body: {
          text,
          kind: mode,
          ...(after ? { status: after } : {}),
          ...(mode === 'reply' && sendAt ? { sendAt } : {}),
          ...(files.length ? { attachmentIds: files.map((f) => f.id) } : {}),
          ...(mode === 'reply' ? recipientFields(recipients) : {}),
          ...(mode === 'reply' && (seenAtStart.current ?? lastMessageId) ? { lastSeenMessageId: seenAtStart.current ?? lastMessageId } : {}),
          ...(force ? { force: true } : {}),
        },
      });
      setText('');
      seenAtStart.current = undefined;
      setFiles([]);
      setRecipients(noRecipients);
      setCollision(null);
      setAfter('');
      setSendAt('');
      announceViewing(conversation.id, false);
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && Array.isArray(e.body.newerMessages)) {
        setCollision(t('composer.collision', { names: whoReplied(e.body.newerMessages, members) }));
        void qc.invalidateQueries({ queryKey: ['timeline'] });
      } else setError(e instanceof ApiError && e.status === 403 ? t('error.forbidden') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  /** Adds text below what is already written, and puts the caret at its end. */
  function insert(body: string) {
    if (!text) seenAtStart.current = lastMessageId;
    const next = text ? `${text}\n${body}` : body;
    setText(next);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(next.length, next.length);
    });
  }

  /**
   * Applies a macro through the server, where its changes and (with `sendNow`) its reply land
   * together or not at all; the text comes back as a draft otherwise, for the agent to finish.
   */
  async function applyMacro(c: CannedResponse, sendNow: boolean) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // Sent at once, it is a reply like any other: one by a teammate since the agent looked stops it.
      const body = { send: sendNow, ...(sendNow && lastMessageId ? { lastSeenMessageId: lastMessageId } : {}) };
      const r = await api<{ conversation: Conversation; draft?: string; message?: Message }>(`/conversations/${conversation.id}/macros/${c.id}`, { method: 'POST', body });
      patchConversationInCaches(qc, r.conversation);
      if (r.draft !== undefined) {
        if (canReply) setMode('reply');
        insert(r.draft);
      }
      const changes = c.actions ? macroPhrases(c.actions, names, 'applied').join(', ') : '';
      setNotice(t(sendNow ? 'composer.macroSent' : 'composer.macroApplied', { name: c.title, changes: changes || t('composer.macroNothing') }));
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
    } catch (e) {
      // Nothing was changed: the server refuses a macro whole (e.g. it names a deactivated member).
      if (e instanceof ApiError && e.status === 409 && Array.isArray(e.body.newerMessages)) {
        setError(t('composer.macroCollision', { names: whoReplied(e.body.newerMessages, members), name: c.title }));
        void qc.invalidateQueries({ queryKey: ['timeline'] });
      } else setError(e instanceof ApiError && e.status === 403 ? t('error.forbidden') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const note = mode === 'note';
  const compact = !focused && !text.trim() && !files.length && !uploading && !error;
  const whenOpen = compact ? 'max-split:hidden' : '';
  return (
    <div
      className={`border-t border-line p-3 ${note ? 'bg-note' : 'bg-surface'}`}
      onFocus={() => setFocused(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      <div className="mb-2 flex items-center gap-1" role="group" aria-label={t('composer.mode')}>
        {canReply && (
          <button
            type="button"
            aria-pressed={!note}
            onClick={() => setMode('reply')}
            className={`flex items-center gap-1 rounded-md px-2.5 py-1 text-[13px] font-medium max-split:min-h-11 ${!note ? 'bg-accent-soft text-accent' : 'text-ink-2 hover:bg-hover'}`}
          >
            <Icon name="reply" size={14} />
            {t('composer.reply')}
          </button>
        )}
        <button
          type="button"
          aria-pressed={note}
          onClick={() => setMode('note')}
          className={`flex items-center gap-1 rounded-md px-2.5 py-1 text-[13px] font-medium max-split:min-h-11 ${note ? 'bg-note-line/60 text-ink' : 'text-ink-2 hover:bg-hover'}`}
        >
          <Icon name="note" size={14} />
          {t('composer.note')}
        </button>
        <span className="flex-1" />
        <CannedPicker conversationId={conversation.id} names={names} canSend={canReply} onPick={insert} onMacro={(c, sendNow) => void applyMacro(c, sendNow)} />
        <button type="button" aria-label={t('composer.attach')} title={t('composer.attach')} onClick={() => fileInput.current?.click()} className="rounded-md p-1.5 text-ink-2 hover:bg-hover max-split:p-3.5">
          <Icon name="paperclip" />
        </button>
        {onLogCall && (
          <button type="button" aria-label={t('call.title')} title={t('call.title')} onClick={onLogCall} className="rounded-md p-1.5 text-ink-2 hover:bg-hover max-split:p-3.5">
            <Icon name="phone" />
          </button>
        )}
        <input ref={fileInput} type="file" multiple hidden onChange={(e) => void upload(e.target.files).then(() => (e.target.value = ''))} />
      </div>
      <Notice message={notice} onDone={() => setNotice(null)} className="mb-2" />
      {!note && (
        <div className={whenOpen}>
          <EmailRecipients conversation={conversation} value={recipients} onChange={setRecipients} />
        </div>
      )}
      <div className="relative">
        <textarea
          ref={area}
          aria-label={note ? t('composer.note') : t('composer.reply')}
          value={text}
          rows={4}
          placeholder={note ? t('composer.notePlaceholder') : t('composer.replyPlaceholder', { name: contactName })}
          onChange={(e) => onChange(e.target.value, e.target.selectionStart)}
          onKeyDown={(e) => {
            if (candidates.length) {
              if (e.key === 'ArrowDown') return e.preventDefault(), setMentionIndex((i) => (i + 1) % candidates.length);
              if (e.key === 'ArrowUp') return e.preventDefault(), setMentionIndex((i) => (i - 1 + candidates.length) % candidates.length);
              if (e.key === 'Enter' || e.key === 'Tab') return e.preventDefault(), insertMention(candidates[mentionIndex]);
              if (e.key === 'Escape') return e.preventDefault(), e.stopPropagation(), setMention(null);
            }
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send();
            }
            if (e.key === 'Escape') {
              e.preventDefault();
              area.current?.blur();
            }
          }}
          className={`block max-h-72 w-full resize-y ${compact ? 'max-split:h-11 max-split:resize-none' : 'min-h-16 max-split:h-20'} split:min-h-24 rounded-md border px-3 py-2 text-base split:text-[14px] leading-relaxed text-ink outline-none focus:border-accent ${note ? 'border-note-line bg-surface/60' : 'border-line bg-canvas'}`}
        />
        {candidates.length > 0 && (
          <ul role="listbox" aria-label={t('composer.mentionList')} className="absolute bottom-full left-2 z-20 mb-1 w-80 rounded-md border border-line bg-raised p-1 whitespace-nowrap shadow-lg">
            {candidates.map((m, i) => (
              <li
                key={m.id}
                role="option"
                aria-selected={i === mentionIndex}
                onMouseDown={(e) => {
                  e.preventDefault();
                  insertMention(m);
                }}
                className={`cursor-pointer rounded px-2 py-1 text-sm ${i === mentionIndex ? 'bg-selected' : ''}`}
              >
                <span className="flex items-center gap-2">
                  <Avatar name={m.name} src={m.avatarUrl} size={20} online={online.has(m.id)} />
                  {m.name} <span className="text-xs text-ink-3">{m.email}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {!note && (
        <div className={whenOpen}>
          <Suggestions conversationId={conversation.id} draft={text} onInsert={insert} />
        </div>
      )}
      {(files.length > 0 || uploading) && (
        <ul className="mt-2 flex flex-wrap gap-1.5">
          {files.map((f) => (
            <li key={f.id} className="flex items-center gap-1 rounded-md border border-line bg-canvas px-2 py-0.5 text-xs">
              <Icon name="paperclip" size={12} />
              {f.filename}
              <button type="button" aria-label={t('composer.removeAttachment', { name: f.filename })} onClick={() => setFiles((p) => p.filter((x) => x.id !== f.id))} className="text-ink-3 hover:text-danger">
                <Icon name="x" size={12} />
              </button>
            </li>
          ))}
          {uploading && <li className="text-xs text-ink-3">{t('composer.uploading', { name: uploading })}</li>}
        </ul>
      )}
      {collision && (
        <div role="alert" className="mt-2 flex flex-wrap items-center gap-2 rounded-md border border-warn bg-canvas px-3 py-2 text-[13px]">
          <span className="flex-1">{collision}</span>
          <Button
            onClick={() => {
              seenAtStart.current = lastMessageId;
              setCollision(null);
            }}
          >
            {t('composer.collisionReview')}
          </Button>
          <Button variant="primary" onClick={() => void send(true)}>
            {t('composer.collisionSend')}
          </Button>
        </div>
      )}
      {error && (
        <p role="alert" className="mt-2 text-[13px] text-danger">
          {error}
        </p>
      )}
      <div className={`mt-2 flex flex-wrap items-center justify-end gap-2 ${whenOpen}`}>
        <span className="hidden text-xs text-ink-3 2xl:inline">{t('composer.hint')}</span>
        <span className="flex-1" />
        {!note && (
          <Select label={t('composer.after')} value={after} onChange={(e) => setAfter(e.target.value)} className="shrink-0">
            <option value="">{t('composer.keepStatus')}</option>
            <option value="pending">{t('composer.then', { status: t('status.pending') })}</option>
            <option value="solved">{t('composer.then', { status: t('status.solved') })}</option>
          </Select>
        )}
        {!note && (
          <Select label={t('composer.when')} value={sendAt} onChange={(e) => setSendAt(e.target.value)} className="shrink-0">
            <option value="">{t('composer.now')}</option>
            {laterTimes().map((l) => (
              <option key={l.key} value={l.at}>
                {t(l.key)}
              </option>
            ))}
          </Select>
        )}
        <Button variant="primary" disabled={busy || !text.trim()} onClick={() => void send()} title={t('composer.hint')}>
          {busy ? t('composer.sending') : note ? t('composer.addNote') : sendAt ? t('composer.schedule') : after ? t('composer.sendAnd', { status: t(`status.${after}` as 'status.open').toLowerCase() }) : t('composer.send')}
        </Button>
      </div>
    </div>
  );
});

/**
 * The canned responses, searchable. A plain one puts its text, filled for this conversation, in
 * the composer; a macro is applied (its changes at once, its text as a draft), or applied and
 * sent in one go.
 */
function CannedPicker({
  conversationId,
  names,
  canSend,
  onPick,
  onMacro,
}: {
  conversationId: string;
  names: MacroNames;
  canSend: boolean;
  onPick: (body: string) => void;
  onMacro: (c: CannedResponse, sendNow: boolean) => void;
}) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const canned = useCanned(open);
  const items = (canned.data ?? []).filter((c) => `${c.title} ${c.shortcut ?? ''} ${c.body}`.toLowerCase().includes(q.toLowerCase()));
  async function pick(c: CannedResponse, sendNow = false) {
    setOpen(false);
    if (isMacro(c.actions)) return onMacro(c, sendNow);
    try {
      const r = await api<{ body?: string; text?: string }>(`/canned-responses/${c.id}/render`, { method: 'POST', body: { conversationId } });
      onPick(r.body ?? r.text ?? c.body);
    } catch {
      onPick(c.body);
    }
  }
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button type="button" aria-label={t('composer.canned')} title={t('composer.canned')} className="rounded-md p-1.5 text-ink-2 hover:bg-hover max-split:p-3.5">
          <Icon name="bolt" />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content side="top" align="end" sideOffset={6} collisionPadding={8} className="z-50 w-96 max-w-[calc(100vw-16px)] rounded-lg border border-line bg-raised p-2 shadow-lg">
          <input
            autoFocus
            aria-label={t('composer.cannedSearch')}
            placeholder={t('composer.cannedSearch')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && items[0]) void pick(items[0]);
            }}
            className="mb-1 h-8 w-full rounded-md border border-line bg-canvas px-2 text-[13px]"
          />
          <ul className="max-h-72 overflow-y-auto">
            {canned.isSuccess && items.length === 0 && <li className="p-2 text-xs text-ink-3">{t('composer.cannedEmpty')}</li>}
            {items.map((c) => {
              const macro = isMacro(c.actions) ? c.actions : null;
              return (
                <li key={c.id} className="flex items-center gap-1 rounded hover:bg-hover">
                  <button
                    type="button"
                    onClick={() => void pick(c)}
                    aria-label={macro ? t('composer.macroApply', { name: c.title }) : undefined}
                    title={macro ? `${c.title}: ${macroPhrases(macro, names, 'summary').join(', ')}` : c.title}
                    className="min-w-0 flex-1 rounded px-2 py-1.5 text-left"
                  >
                    <span className="flex items-center gap-1.5 text-[13px] font-medium">
                      <span className="min-w-0 truncate">{c.title}</span>
                      {macro && <span className="shrink-0 rounded bg-accent-soft px-1 py-px text-[11px] font-medium text-accent">{t('composer.macro')}</span>}
                    </span>
                    {macro && <span className="block truncate text-xs text-accent">{macroPhrases(macro, names, 'summary').join(', ')}</span>}
                    <span className="block truncate text-xs text-ink-3">{c.body}</span>
                  </button>
                  {macro && canSend && (
                    <button
                      type="button"
                      aria-label={t('composer.macroSendWho', { name: c.title })}
                      title={t('composer.macroSendWho', { name: c.title })}
                      onClick={() => void pick(c, true)}
                      className="mr-1 shrink-0 rounded-md border border-line bg-surface px-2 py-1 text-xs font-medium text-ink hover:border-ink-3"
                    >
                      {t('composer.macroSend')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
