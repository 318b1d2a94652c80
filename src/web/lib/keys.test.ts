import { describe, expect, it } from 'vitest';
import { actionFor, SHORTCUTS } from './keys';

describe('keyboard map', () => {
  it('maps single keys outside text fields', () => {
    expect(actionFor({ key: 'j' })).toBe('next');
    expect(actionFor({ key: 'k' })).toBe('prev');
    expect(actionFor({ key: 'Enter' })).toBe('open');
    expect(actionFor({ key: 'r' })).toBe('reply');
    expect(actionFor({ key: '?' })).toBe('help');
    expect(actionFor({ key: 'q' })).toBeNull();
  });

  it('leaves typing alone but still opens search and goes back from a field', () => {
    expect(actionFor({ key: 'j', inField: true })).toBeNull();
    expect(actionFor({ key: 'k', ctrlKey: true, inField: true })).toBe('search');
    expect(actionFor({ key: 'K', metaKey: true })).toBe('search');
    expect(actionFor({ key: 'Escape', inField: true })).toBe('back');
  });

  it('ignores browser chords', () => {
    expect(actionFor({ key: 'r', ctrlKey: true })).toBeNull();
    expect(actionFor({ key: 'a', metaKey: true })).toBeNull();
  });

  it('lists every action it knows in the help', () => {
    const listed = new Set(SHORTCUTS.map((s) => s.action));
    for (const k of ['j', 'k', 'Enter', 'x', 'r', 'n', 'a', 's', 'z', '/', '?', 'Escape']) expect(listed.has(actionFor({ key: k })!)).toBe(true);
  });
});
