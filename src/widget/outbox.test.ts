import { describe, expect, it } from 'vitest';
import { acknowledge, lastStoredId, mergeMessages, parseOutbox, pendingIn } from './outbox';
import type { ChatMessage, OutboxItem } from './types';

const msg = (id: string, at: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  conversationId: 'c1',
  from: 'agent',
  authorName: 'Ann',
  text: id,
  createdAt: `2026-11-23T10:00:${at}.000Z`,
  ...extra,
});
const item = (clientMessageId: string, conversationId: string | null, extra: Partial<OutboxItem> = {}): OutboxItem => ({
  clientMessageId,
  text: clientMessageId,
  conversationId,
  createdAt: '2026-11-23T10:00:30.000Z',
  ...extra,
});

describe('merging messages from history, the socket and sync', () => {
  it('keeps one copy of a message that arrives twice, oldest first', () => {
    const a = msg('a', '01');
    const b = msg('b', '02');
    expect(mergeMessages([b], [a, b, a]).map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('replaces a pending message by the stored one with the same clientMessageId, and never the other way round', () => {
    const pending = pendingIn([item('x', 'c1')], 'c1');
    const stored = msg('m1', '05', { from: 'visitor', clientMessageId: 'x', authorName: null, text: 'x' });
    const merged = mergeMessages(pending, [stored]);
    expect(merged).toHaveLength(1);
    expect(merged[0].id).toBe('m1');
    expect(merged[0].pending).toBeFalsy();
    expect(mergeMessages(merged, pending)).toEqual(merged);
  });

  it('keeps pending messages after the stored ones, and continues sync after the last stored one', () => {
    const list = mergeMessages([], [...pendingIn([item('p', 'c1')], 'c1'), msg('a', '01'), msg('b', '40')]);
    expect(list.map((m) => m.id)).toEqual(['a', 'b', 'pending:p']);
    expect(lastStoredId(list)).toBe('b');
    expect(lastStoredId(pendingIn([item('p', 'c1')], 'c1'))).toBeUndefined();
  });
});

describe('the outbox', () => {
  it('drops an acknowledged message, and sends the next ones of the same new conversation to the one Heard opened', () => {
    const box = [item('1', null, { newConversation: true }), item('2', null, { newConversation: true }), item('3', 'other')];
    const after = acknowledge(box, '1', 'c9');
    expect(after).toEqual([item('2', 'c9', { newConversation: false }), item('3', 'other')]);
  });

  it('shows only the messages of the conversation on screen', () => {
    const box = [item('1', 'c1'), item('2', 'c2'), item('3', null)];
    expect(pendingIn(box, 'c1').map((m) => m.clientMessageId)).toEqual(['1']);
    expect(pendingIn(box, null).map((m) => m.clientMessageId)).toEqual(['3']);
  });

  it('reads back what it stored, and nothing malformed', () => {
    expect(parseOutbox(JSON.stringify([item('1', 'c1')]))).toEqual([{ ...item('1', 'c1'), attachments: undefined }]);
    expect(parseOutbox(JSON.stringify([{ clientMessageId: '1', text: 'hi', createdAt: 'x' }]))).toEqual([{ clientMessageId: '1', text: 'hi', createdAt: 'x', conversationId: null, attachments: undefined }]);
    const withFiles = item('2', 'c1', { attachments: [{ ticket: 't.1', filename: 'a.png', contentType: 'image/png', size: 10 }] });
    expect(parseOutbox(JSON.stringify([withFiles]))).toEqual([withFiles]);
    expect(pendingIn([withFiles], 'c1')[0].attachments).toEqual([{ id: 'pending:0', filename: 'a.png', contentType: 'image/png', size: 10 }]);
    expect(parseOutbox('{not json')).toEqual([]);
    expect(parseOutbox(JSON.stringify([{ text: 'no id' }, 42, null]))).toEqual([]);
    expect(parseOutbox(null)).toEqual([]);
  });
});
