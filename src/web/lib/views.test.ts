import { describe, expect, it } from 'vitest';
import { filtersFromSearch, isViewId, viewQuery } from './views';

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
    expect(isViewId('everything')).toBe(false);
  });

  it('reads filters from the URL', () => {
    expect(filtersFromSearch(new URLSearchParams('status=open&tag=vip&bogus=1'))).toEqual({ status: 'open', tag: 'vip' });
  });
});
