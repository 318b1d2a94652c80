import type { Actor } from '../../core/actor.js';
import { hasScope } from '../../core/actor.js';

interface ConversationLike {
  assigneeId: string | null;
}

/**
 * Who may do what with a conversation. Every member reads the workspace's
 * conversations and writes internal notes; a light member (e.g. an executive) answers
 * and changes only what is assigned to them.
 */
export const conversationPolicy = {
  read: (a: Actor) => hasScope(a, 'read'),
  note: (a: Actor) => hasScope(a, 'write'),
  /** Opening a conversation from the agent's side (a logged call): not for light members. */
  open: (a: Actor) => hasScope(a, 'write') && a.role !== 'light',
  reply: (a: Actor, c: ConversationLike) => hasScope(a, 'write') && (a.role !== 'light' || c.assigneeId === a.memberId),
  update: (a: Actor, c: ConversationLike) => hasScope(a, 'write') && (a.role !== 'light' || c.assigneeId === a.memberId),
};
