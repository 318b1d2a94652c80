import { t } from '../i18n';
import { api } from './api';
import { systemName } from './events';
import type { Conversation, RealtimeEvent } from './types';

/**
 * Opt-in browser notifications: a conversation assigned to me, or a note that @mentions me,
 * by someone else. The choice is kept per member in this browser (localStorage), and the
 * browser's own permission must be granted too.
 */

const storageKey = (memberId: string) => `heard.notifications.${memberId}`;

export function notificationsSupported() {
  return typeof window !== 'undefined' && 'Notification' in window;
}

/** Whether this member turned notifications on in this browser. */
export function notificationsWanted(memberId: string) {
  return localStorage.getItem(storageKey(memberId)) === 'on';
}

/**
 * Turns notifications on (asking the browser's permission when not granted yet) or off.
 * Answers what the browser said: 'granted', 'denied', 'default' or 'unsupported'.
 */
export async function setNotificationsWanted(memberId: string, on: boolean): Promise<NotificationPermission | 'unsupported'> {
  if (!on) {
    localStorage.removeItem(storageKey(memberId));
    return notificationsSupported() ? Notification.permission : 'unsupported';
  }
  if (!notificationsSupported()) return 'unsupported';
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission === 'granted') localStorage.setItem(storageKey(memberId), 'on');
  return permission;
}

export type NotificationReason = { kind: 'assigned' | 'mentioned' | 'approval'; conversationId: string };

/**
 * Why an event concerns me: assigned to me or mentioned me, by someone else, or (for a
 * supervisor: an admin or owner) someone's goodwill waits for approval; null for anything else.
 */
export function notificationReason(e: RealtimeEvent, memberId: string, role?: string): NotificationReason | null {
  if (!e.conversationId || e.actorMemberId === memberId) return null;
  if (e.type === 'goodwill.requested' && (role === 'owner' || role === 'admin')) return { kind: 'approval', conversationId: e.conversationId };
  if (e.type === 'member.mentioned' && e.data.memberId === memberId) return { kind: 'mentioned', conversationId: e.conversationId };
  const assignee = (e.data.changes as Record<string, { to?: unknown }> | undefined)?.assigneeId;
  if (e.type === 'conversation.updated' && assignee?.to === memberId) return { kind: 'assigned', conversationId: e.conversationId };
  return null;
}

/**
 * Shows a notification for an event that concerns me, when I asked for them: who did what,
 * and the conversation's subject. Clicking it brings the tab forward and opens the conversation.
 */
export async function notifyAbout(e: RealtimeEvent, me: { memberId: string; role?: string; actorName: (id: string | null) => Promise<string> }, open: (path: string) => void) {
  if (!notificationsSupported() || Notification.permission !== 'granted' || !notificationsWanted(me.memberId)) return;
  const reason = notificationReason(e, me.memberId, me.role);
  if (!reason) return;
  const c = await api<Conversation>(`/conversations/${reason.conversationId}`).catch(() => null);
  if (!c) return;
  const actor = systemName(e.actorSystem) ?? (await me.actorName(e.actorMemberId));
  const title = t(reason.kind === 'assigned' ? 'notify.assigned' : reason.kind === 'approval' ? 'notify.approval' : 'notify.mentioned', { actor, number: c.number });
  const n = new Notification(title, { body: c.subject || t('list.noSubject'), tag: `heard-${e.id}` });
  n.onclick = () => {
    window.focus();
    open(reason.kind === 'approval' ? `/settings/goodwill` : `/inbox/${reason.kind === 'assigned' ? 'mine' : 'mentions'}/${c.number}`);
    n.close();
  };
}
