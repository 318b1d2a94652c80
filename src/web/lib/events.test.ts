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

  it('tells a request for more information and the customer’s answers', () => {
    expect(describeEvent(ev('conversation.info_requested', { fieldKeys: ['order_number', 'device'], messageId: 'x', round: 2, topic: null }), members, teams)).toEqual([
      'Olivia Owner asked the customer for more information (round 2: order_number, device)',
    ]);
    const answered = { ...ev('conversation.updated', { changes: { customFields: { from: { a: 1 }, to: { a: 1, order_number: 'A-1' } } } }, null), actorContactId: 'c1' };
    expect(describeEvent(answered, members, teams)).toEqual(['Customer filled in order_number']);
  });

  it('tells the feedback wall’s steps: who asked and published, what the customer answered', () => {
    const say = (type: string, data: Record<string, unknown>, actor: string | null = 'Olivia Owner') => describeEvent(ev(type, { feedbackId: 'f1', ...data }, actor), members, teams);
    expect(say('feedback.requested', { kind: 'compliment' })).toEqual(['Olivia Owner asked the customer to share this compliment on the feedback wall']);
    expect(say('feedback.consented', { kind: 'complaint', anonymous: true }, null)).toEqual(['Customer agreed to share their complaint on the feedback wall, without their name']);
    expect(say('feedback.declined', { kind: 'compliment' }, null)).toEqual(['Customer declined to share their compliment on the feedback wall']);
    expect(say('feedback.published', { kind: 'compliment' })).toEqual(['Olivia Owner published the compliment on the feedback wall']);
    expect(say('feedback.withdrawn', { kind: 'compliment' }, null)).toEqual(['Customer withdrew consent: the compliment is off the feedback wall']);
  });

  it('names unassignment, mentions and system changes', () => {
    expect(describeEvent(ev('conversation.updated', { changes: { assigneeId: { from: 'm1', to: null } } }), members, teams)).toEqual(['Olivia Owner unassigned it']);
    expect(describeEvent(ev('member.mentioned', { memberId: 'm2' }), members, teams)).toEqual(['Olivia Owner mentioned Lee Chen']);
    // A reply assigns the conversation to the one who replied: they took it.
    expect(describeEvent(ev('conversation.updated', { changes: { assigneeId: { from: null, to: 'm0' } } }), members, teams)).toEqual(['Olivia Owner took it']);
    expect(describeEvent(ev('conversation.updated', { changes: { snoozedUntil: { from: '2026-01-01T00:00:00Z', to: null } } }, null), members, teams)).toEqual(['Heard woke it up']);
    expect(describeEvent(ev('message.delivery', {}), members, teams)).toEqual([]);
  });

  it('names the rule, the service level policy or the job that acted', () => {
    const by = (actorSystem: Record<string, unknown>, changes: Record<string, unknown>) => ({ ...ev('conversation.updated', { changes }, null), actorSystem }) as Parameters<typeof describeEvent>[0];
    expect(describeEvent(by({ kind: 'rule', id: 'r1', name: 'VIP to tier 2' }, { priority: { from: 'normal', to: 'high' } }), members, teams)).toEqual(['Rule ‘VIP to tier 2’ set the priority to High']);
    expect(describeEvent(by({ kind: 'sla' }, { teamId: { from: null, to: 't1' } }), members, teams)).toEqual(['The service level policy moved it to team Support']);
    expect(
      describeEvent(by({ kind: 'job', name: 'wake-snoozed' }, { snoozedUntil: { from: '2026-01-01T00:00:00Z', to: null }, status: { from: 'pending', to: 'open' } }), members, teams),
    ).toEqual(['Snooze ended: the conversation is open again']);
    expect(describeEvent(ev('rule.failed', { ruleName: 'VIP to Kim', reason: 'Kim Lee is deactivated' }, null), members, teams)).toEqual([
      'Rule ‘VIP to Kim’ could not run, so it changed nothing: Kim Lee is deactivated',
    ]);
  });

  it('names merges and splits with the other conversation’s number', () => {
    expect(describeEvent(ev('conversation.merged', { sourceNumber: 12, messages: 3 }), members, teams)).toEqual(['Olivia Owner merged #12 into this one']);
    expect(describeEvent(ev('conversation.updated', { changes: { status: { from: 'open', to: 'closed' }, mergedIntoId: { from: null, to: 'c2' } } }), members, teams)).toEqual([
      'Olivia Owner changed the status to Closed',
      'Olivia Owner merged it into another conversation',
    ]);
    expect(describeEvent(ev('conversation.split', { newNumber: 14 }), members, teams)).toEqual(['Olivia Owner split a message off into #14']);
    const cc = ev('conversation.updated', { changes: { participants: { from: ['k1', 'k2'], to: ['k2', 'k3'] } } });
    expect(describeEvent(cc, members, teams, { k3: 'Finn Assistant' })).toEqual(['Olivia Owner added Finn Assistant as cc', 'Olivia Owner removed a customer from cc']);
    expect(describeEvent(ev('conversation.created', { splitFromNumber: 9 }), members, teams)).toEqual(['Olivia Owner split this off from #9']);
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
