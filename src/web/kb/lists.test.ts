import { describe, expect, it } from 'vitest';
import { helpfulness } from './helpfulness';
import { reorder } from './reorder';
import { timeAgo } from './time-ago';

describe('moving a category up and down', () => {
  const list = [
    { id: 'a', position: 0 },
    { id: 'b', position: 1 },
    { id: 'c', position: 2 },
  ];

  it('swaps it with its neighbour and answers only the positions that change', () => {
    expect(reorder(list, 2, -1)).toEqual([
      { id: 'c', position: 1 },
      { id: 'b', position: 2 },
    ]);
    expect(reorder(list, 0, 1)).toEqual([
      { id: 'b', position: 0 },
      { id: 'a', position: 1 },
    ]);
  });

  it('does nothing past either end', () => {
    expect(reorder(list, 0, -1)).toEqual([]);
    expect(reorder(list, 2, 1)).toEqual([]);
  });

  it('numbers the list again when positions are tied', () => {
    const tied = [
      { id: 'a', position: 0 },
      { id: 'b', position: 0 },
      { id: 'c', position: 0 },
    ];
    expect(reorder(tied, 1, 1)).toEqual([
      { id: 'c', position: 1 },
      { id: 'b', position: 2 },
    ]);
  });
});

describe('helpfulness', () => {
  it('is the share of helpful answers, or nothing without votes', () => {
    expect(helpfulness(23, 2)).toEqual({ percent: 92, votes: 25 });
    expect(helpfulness(0, 3)).toEqual({ percent: 0, votes: 3 });
    expect(helpfulness(0, 0)).toBeNull();
  });
});

describe('how long ago', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const ago = (s: number) => timeAgo(new Date(now - s * 1000).toISOString(), now, 'en');
  it('says it in words', () => {
    expect(ago(10)).toBe('now');
    expect(ago(5 * 60)).toBe('5 minutes ago');
    expect(ago(3 * 3600)).toBe('3 hours ago');
    expect(ago(86_400)).toBe('yesterday');
    expect(ago(14 * 86_400)).toBe('2 weeks ago');
    expect(ago(400 * 86_400)).toBe('last year');
  });
});
