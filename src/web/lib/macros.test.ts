import { describe, expect, it } from 'vitest';
import { actionsFromDraft, draftFromActions, emptyMacroDraft, isMacro, macroPhrases, parseTags } from './macros';

const names = { member: (id: string) => ({ m1: 'Ada Agent' })[id], team: (id: string) => ({ t1: 'Billing' })[id] };

describe('macros', () => {
  it('say what they will do, and what they did, in the order of the conversation header', () => {
    const a = { addTags: ['refund'], status: 'solved' as const };
    expect(macroPhrases(a, names, 'summary')).toEqual(['sets Solved', 'adds tag refund']);
    expect(macroPhrases(a, names, 'applied')).toEqual(['Solved', 'tag refund']);
    const all = { status: 'pending' as const, priority: 'high' as const, assigneeId: 'm1', teamId: 't1', addTags: ['a', 'b'], removeTags: ['vip'] };
    expect(macroPhrases(all, names, 'summary')).toEqual(['sets Pending', 'sets priority High', 'assigns Ada Agent', 'moves to team Billing', 'adds tags a, b', 'removes tag vip']);
    expect(macroPhrases(all, names, 'applied')).toEqual(['Pending', 'priority High', 'assigned to Ada Agent', 'team Billing', 'tags a, b', 'tag vip removed']);
  });

  it('say unassign and no team for null, and name unknown members and teams plainly', () => {
    expect(macroPhrases({ assigneeId: null, teamId: null }, names, 'summary')).toEqual(['unassigns', 'removes the team']);
    expect(macroPhrases({ assigneeId: null, teamId: null }, names, 'applied')).toEqual(['unassigned', 'no team']);
    expect(macroPhrases({ assigneeId: 'gone', teamId: 'gone' }, names, 'summary')).toEqual(['assigns Someone', 'moves to team a team']);
  });

  it('are canned responses that change something', () => {
    expect(isMacro(null)).toBe(false);
    expect(isMacro(undefined)).toBe(false);
    expect(isMacro({})).toBe(false);
    expect(isMacro({ addTags: [] })).toBe(false);
    expect(isMacro({ assigneeId: null })).toBe(true);
    expect(isMacro({ status: 'solved' })).toBe(true);
  });

  it('read tags from a comma-separated field: trimmed, without blanks or repeats', () => {
    expect(parseTags(' refund, vip ,, refund,')).toEqual(['refund', 'vip']);
    expect(parseTags('  ')).toEqual([]);
  });

  it('turn the form into actions and back; leaving every field as it is makes no macro', () => {
    expect(actionsFromDraft(emptyMacroDraft)).toBeNull();
    expect(actionsFromDraft({ ...emptyMacroDraft, addTags: ' , ' })).toBeNull();
    const d = { status: 'solved' as const, priority: '' as const, assignee: 'none', team: 't1', addTags: 'refund, vip', removeTags: '' };
    const a = actionsFromDraft(d);
    expect(a).toEqual({ status: 'solved', assigneeId: null, teamId: 't1', addTags: ['refund', 'vip'] });
    expect(draftFromActions(a)).toEqual(d);
    expect(draftFromActions({ teamId: null })).toEqual({ ...emptyMacroDraft, team: 'none' });
    expect(draftFromActions(null)).toEqual(emptyMacroDraft);
  });
});
