import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import { qk, refreshLists } from './queries';
import type { RealtimeEvent, Timeline } from './types';

/** Who else is looking at (or typing in) a conversation, as the server last said. */
export interface Viewer {
  memberId: string;
  typing?: boolean;
}

interface State {
  connected: boolean;
  online: Set<string>;
  viewers: Map<string, Viewer[]>;
  /** The conversations whose customer is typing in the chat widget now. */
  customerTyping: Set<string>;
}

let state: State = { connected: true, online: new Set(), viewers: new Map(), customerTyping: new Set() };
const customerTypingTimers = new Map<string, ReturnType<typeof setTimeout>>();

function setCustomerTyping(conversationId: string, typing: boolean) {
  clearTimeout(customerTypingTimers.get(conversationId));
  customerTypingTimers.delete(conversationId);
  const next = new Set(state.customerTyping);
  if (typing) {
    next.add(conversationId);
    // A lost "stopped typing" (a closed tab) must not leave the line on for ever.
    customerTypingTimers.set(conversationId, setTimeout(() => setCustomerTyping(conversationId, false), 8000));
  } else next.delete(conversationId);
  if (next.size !== state.customerTyping.size || typing !== state.customerTyping.has(conversationId)) set({ customerTyping: next });
}
const listeners = new Set<() => void>();
let socket: Socket | null = null;

function set(next: Partial<State>) {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useRealtime(): State {
  return useSyncExternalStore(subscribe, () => state);
}

/** Connects to /agent and keeps the query caches current, handing each new event to onEvent too; returns the disconnect. */
export function connectRealtime(qc: QueryClient, onEvent?: (e: RealtimeEvent) => void): () => void {
  const s = io('/agent', { path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
  socket = s;
  const seen = new Set<string>();
  let pending = false;
  const refreshSoon = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      void refreshLists(qc);
      void qc.invalidateQueries({ queryKey: qk.views });
    }, 300);
  };
  let first = true;
  s.on('connect', () => {
    const wasDown = !state.connected;
    set({ connected: true });
    s.emit('presence:list', (ids: string[]) => set({ online: new Set(ids) }));
    if (wasDown) void qc.invalidateQueries();
    // What changed between the page's first fetches and this first connection came as no
    // event: the lists and the open conversation are fetched once more.
    else if (first) {
      refreshSoon();
      void qc.invalidateQueries({ queryKey: ['timeline'] });
    }
    first = false;
  });
  s.on('disconnect', () => set({ connected: false }));
  s.on('connect_error', () => set({ connected: false }));
  s.on('presence', (p: { memberId: string; online: boolean }) => {
    const online = new Set(state.online);
    if (p.online) online.add(p.memberId);
    else online.delete(p.memberId);
    set({ online });
  });
  s.on('conversation:viewers', (v: { conversationId: string; viewers: Viewer[] }) => {
    const viewers = new Map(state.viewers);
    viewers.set(v.conversationId, v.viewers);
    set({ viewers });
  });
  s.on('visitor:typing', (v: { conversationId: string; typing: boolean }) => setCustomerTyping(v.conversationId, v.typing));
  s.on('event', (e: RealtimeEvent) => {
    if (seen.has(e.id)) return;
    seen.add(e.id);
    if (seen.size > 2000) seen.clear();
    refreshSoon();
    if (e.conversationId) {
      // Their message arrived: they stopped typing.
      if (e.type === 'message.created' && e.data.direction === 'in') setCustomerTyping(e.conversationId, false);
      void qc.invalidateQueries({ queryKey: ['timeline'], predicate: (q) => (q.state.data as Timeline | undefined)?.conversation.id === e.conversationId });
      void qc.invalidateQueries({ queryKey: qk.conversation(e.conversationId) });
    }
    // A rating shows in the contact's history too.
    if (e.type.startsWith('contact.') || e.type === 'satisfaction.rated') void qc.invalidateQueries({ queryKey: ['contact'] });
    // An action given, decided or delivered: the conversation's panel, the ledgers and what waits for approval.
    if (e.type.startsWith('goodwill.')) void qc.invalidateQueries({ queryKey: ['goodwill'] });
    // A follow-up task made, done, snoozed or dismissed; a business event on a contact's history.
    if (e.type === 'outreach_task.changed') void qc.invalidateQueries({ queryKey: ['outreach'] });
    if (e.type === 'business_event.recorded') void qc.invalidateQueries({ queryKey: ['contact'] });
    // A reply retried, failed, sent or sent another way: the delivery problems (the rail's count comes with the views).
    if (e.type === 'message.delivery') void qc.invalidateQueries({ queryKey: ['delivery-problems'] });
    onEvent?.(e);
  });
  return () => {
    s.disconnect();
    socket = null;
  };
}

/** Tells the others that I am viewing (and perhaps typing in) a conversation. */
export function announceViewing(conversationId: string, typing = false) {
  socket?.emit('conversation:view', { conversationId, typing }, () => {});
}

export function announceLeaving(conversationId: string) {
  socket?.emit('conversation:leave', { conversationId }, () => {});
}
