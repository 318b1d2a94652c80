import { describe, expect, it } from 'vitest';
import { flattenCounts } from './queries';

describe('view counts', () => {
  it('flattens the GET /views answer into one count per rail entry', () => {
    expect(
      flattenCounts({
        mine: 2,
        unassigned: 4,
        open: 7,
        mentions: 1,
        snoozed: 0,
        solved: 3,
        teams: [{ id: 't1', name: 'Support', count: 3 }],
        inboxes: [{ id: 'i1', name: 'E-mail', count: 5 }],
        saved: { s1: 6, s2: 0 },
      }),
    ).toEqual({ mine: 2, unassigned: 4, open: 7, mentions: 1, snoozed: 0, solved: 3, 'team:t1': 3, 'inbox:i1': 5, 'saved:s1': 6, 'saved:s2': 0 });
  });
});
