import { describe, expect, it } from 'vitest';
import { filtersFromSearch, isViewId, savedFiltersOf, viewOf, viewQuery } from './views';

describe('views', () => {
  it('turns views into list queries', () => {
    expect(viewQuery('mine')).toMatchObject({ assignee: 'me', sort: 'newest' });
    expect(viewQuery('unassigned')).toMatchObject({ assignee: 'none' });
    // The server's view, so the list and the rail's count agree.
    expect(viewQuery('solved')).toEqual({ view: 'solved', sort: 'newest' });
    // Breaching soon: the server's view, what breaches first on top unless the agent sorts otherwise.
    expect(viewQuery('breaching')).toEqual({ view: 'breaching', sort: 'due' });
    expect(viewQuery('breaching', { sort: 'waiting' })).toMatchObject({ sort: 'waiting' });
    expect(viewQuery('team:0190a0b0-0000-7000-8000-000000000001')).toMatchObject({ team: '0190a0b0-0000-7000-8000-000000000001' });
  });

  it('lets filters override the view', () => {
    expect(viewQuery('open', { status: 'pending', priority: 'urgent', sort: 'waiting' })).toMatchObject({ status: 'pending', priority: 'urgent', sort: 'waiting' });
  });

  it('accepts only known views', () => {
    expect(isViewId('mine')).toBe(true);
    expect(isViewId('inbox:0190a0b0-0000-7000-8000-000000000001')).toBe(true);
    expect(isViewId('inbox:nope')).toBe(false);
    expect(isViewId('saved:0190a0b0-0000-7000-8000-000000000001')).toBe(true);
    expect(isViewId('saved:mine')).toBe(false);
    expect(isViewId('everything')).toBe(false);
  });

  it('reads filters from the URL', () => {
    expect(filtersFromSearch(new URLSearchParams('status=open&tag=vip&bogus=1'))).toEqual({ status: 'open', tag: 'vip' });
  });

  it("lists a saved view by its filters and order; the agent's filters still override them", () => {
    const id = 'saved:0190a0b0-0000-7000-8000-000000000001' as const;
    const saved = { status: ['open' as const, 'pending' as const], priority: 'high' as const, assignee: 'me', snoozed: false, sort: 'waiting' as const };
    expect(viewQuery(id, {}, saved)).toEqual({ status: 'open,pending', priority: 'high', assignee: 'me', snoozed: 'false', sort: 'waiting' });
    expect(viewQuery(id, { priority: 'urgent', sort: 'newest' }, saved)).toMatchObject({ priority: 'urgent', sort: 'newest', status: 'open,pending' });
  });

  it('saves what a list query filters by, and says which views are more than filters', () => {
    expect(savedFiltersOf(viewQuery('mine', { priority: 'high' }))).toEqual({ filters: { assignee: 'me', status: ['open', 'pending'], snoozed: false, priority: 'high' } });
    expect(savedFiltersOf(viewQuery('solved'))).toEqual({ filters: { status: ['solved', 'closed'] } });
    expect(savedFiltersOf(viewQuery('open', { sort: 'waiting', tag: 'vip' }))).toEqual({ filters: { status: ['open'], snoozed: false, tag: 'vip', sort: 'waiting' } });
    expect(savedFiltersOf(viewQuery('breaching', { channel: 'email' }))).toEqual({ filters: { channel: 'email', sort: 'due' }, dropped: 'breaching' });
    expect(savedFiltersOf(viewQuery('mentions')).dropped).toBe('mentions');
    // Saved, then opened: the same list.
    const q = viewQuery('team:0190a0b0-0000-7000-8000-000000000002', { priority: 'low', sort: 'priority' });
    expect(viewQuery('saved:0190a0b0-0000-7000-8000-000000000003', {}, savedFiltersOf(q).filters)).toEqual(q);
  });

  it("opens a conversation's own address in the view its state puts it in", () => {
    const me = 'm1';
    const now = new Date('2026-12-07T10:00:00Z');
    const c = (over: Partial<{ status: 'open' | 'pending' | 'on_hold' | 'solved' | 'closed'; assigneeId: string | null; snoozedUntil: string | null }>) => ({ status: 'open' as const, assigneeId: null, snoozedUntil: null, ...over });
    expect(viewOf(c({ assigneeId: me }), me, now)).toBe('mine');
    expect(viewOf(c({ assigneeId: me, status: 'pending' }), me, now)).toBe('mine');
    expect(viewOf(c({}), me, now)).toBe('unassigned');
    expect(viewOf(c({ assigneeId: 'm2' }), me, now)).toBe('open');
    expect(viewOf(c({ status: 'pending' }), me, now)).toBe('open');
    expect(viewOf(c({ status: 'solved', assigneeId: me }), me, now)).toBe('solved');
    expect(viewOf(c({ status: 'closed' }), me, now)).toBe('solved');
    expect(viewOf(c({ assigneeId: me, snoozedUntil: '2026-12-08T09:00:00Z' }), me, now)).toBe('snoozed');
    // A snooze that has run out no longer hides it.
    expect(viewOf(c({ assigneeId: me, snoozedUntil: '2026-12-07T09:00:00Z' }), me, now)).toBe('mine');
  });
});
