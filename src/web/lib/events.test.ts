import { describe, expect, it } from 'vitest';
import { describeEvent } from './events';
import { mentionAt } from './mention';

const members = [
  { id: 'm1', name: 'Sam Rivera', email: 'sam@acme.test', role: 'agent' },
  { id: 'm2', name: 'Lee Chen', email: 'lee@acme.test', role: 'agent' },
];
const teams = [{ id: 't1', name: 'Support' }];
const ev = (type: string, data: Record<string, unknown>, actorName: string | null = 'Olivia Owner') => ({ id: 'e', type, actorMemberId: actorName ? 'm0' : null, actorName, data });

describe('timeline event lines', () => {
  it('says who changed what, one line per change', () => {
    const lines = describeEvent(
      ev('conversation.updated', { changes: { status: { from: 'open', to: 'solved' }, assigneeId: { from: null, to: 'm1' }, teamId: { from: null, to: 't1' }, tags: { from: ['a'], to: ['b'] } } }),
      members,
      teams,
    );
    expect(lines).toEqual([
      'Olivia Owner changed the status to Solved',
      'Olivia Owner assigned it to Sam Rivera',
      'Olivia Owner moved it to team Support',
      'Olivia Owner added #b',
      'Olivia Owner removed #a',
    ]);
  });

  it('names unassignment, mentions and system changes', () => {
    expect(describeEvent(ev('conversation.updated', { changes: { assigneeId: { from: 'm1', to: null } } }), members, teams)).toEqual(['Olivia Owner unassigned it']);
    expect(describeEvent(ev('member.mentioned', { memberId: 'm2' }), members, teams)).toEqual(['Olivia Owner mentioned Lee Chen']);
    expect(describeEvent(ev('conversation.updated', { changes: { snoozedUntil: { from: '2026-01-01T00:00:00Z', to: null } } }, null), members, teams)).toEqual(['Heard woke it up']);
    expect(describeEvent(ev('message.delivery', {}), members, teams)).toEqual([]);
  });
});

describe('@mention detection', () => {
  it('finds the mention being typed before the caret', () => {
    expect(mentionAt('Ask @Sa', 7)).toEqual({ start: 4, query: 'Sa' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('mail me at a@b', 14)).toBeNull();
    expect(mentionAt('Ask @Sam later', 14)).toBeNull();
  });
});
