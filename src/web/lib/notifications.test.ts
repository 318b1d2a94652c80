import { describe, expect, it } from 'vitest';
import { notificationReason } from './notifications';
import type { RealtimeEvent } from './types';

const ev = (type: string, actorMemberId: string | null, data: Record<string, unknown>): RealtimeEvent => ({ id: 'e1', type, conversationId: 'c1', actorMemberId, data, createdAt: '' });

describe('which events notify me', () => {
  it('a conversation assigned to me, or a note mentioning me, by someone else', () => {
    expect(notificationReason(ev('conversation.updated', 'm2', { changes: { assigneeId: { from: null, to: 'm1' } } }), 'm1')).toEqual({ kind: 'assigned', conversationId: 'c1' });
    expect(notificationReason(ev('member.mentioned', 'm2', { memberId: 'm1' }), 'm1')).toEqual({ kind: 'mentioned', conversationId: 'c1' });
  });

  it('not my own actions, not others being assigned or mentioned, not other changes', () => {
    expect(notificationReason(ev('conversation.updated', 'm1', { changes: { assigneeId: { from: null, to: 'm1' } } }), 'm1')).toBeNull();
    expect(notificationReason(ev('conversation.updated', 'm2', { changes: { assigneeId: { from: 'm1', to: 'm3' } } }), 'm1')).toBeNull();
    expect(notificationReason(ev('member.mentioned', 'm2', { memberId: 'm3' }), 'm1')).toBeNull();
    expect(notificationReason(ev('conversation.updated', 'm2', { changes: { status: { from: 'open', to: 'solved' } } }), 'm1')).toBeNull();
    expect(notificationReason(ev('message.created', 'm2', {}), 'm1')).toBeNull();
  });

  it('a supervisor (admin or owner) when someone’s goodwill waits for approval; not agents, not their own request', () => {
    const asked = ev('goodwill.requested', 'm2', { actionId: 'g1', kind: 'credit', amountMinor: 8000, currency: 'EUR' });
    expect(notificationReason(asked, 'm1', 'admin')).toEqual({ kind: 'approval', conversationId: 'c1' });
    expect(notificationReason(asked, 'm1', 'owner')).toEqual({ kind: 'approval', conversationId: 'c1' });
    expect(notificationReason(asked, 'm1', 'agent')).toBeNull();
    expect(notificationReason(asked, 'm2', 'admin')).toBeNull();
    expect(notificationReason(ev('goodwill.issued', 'm2', {}), 'm1', 'admin')).toBeNull();
  });
});
