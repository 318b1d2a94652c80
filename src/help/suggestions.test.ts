import { describe, expect, it } from 'vitest';
import { moveActive } from './listbox';
import { normalizeQuery, parseSuggestions, suggestionsUrl, wantsSuggestions } from './suggestions';

const BASE = 'https://help.example/help/acme/contact';

describe('queries', () => {
  it('are trimmed and collapsed, and asked about from 3 characters on', () => {
    expect(normalizeQuery('  gps \n  reboot ')).toBe('gps reboot');
    expect(normalizeQuery('x'.repeat(300))).toHaveLength(200);
    expect(wantsSuggestions(normalizeQuery(' ab '))).toBe(false);
    expect(wantsSuggestions(normalizeQuery('abc'))).toBe(true);
  });

  it('go to the form’s endpoint, keeping its own parameters', () => {
    expect(suggestionsUrl('/help/acme/search.json', 'gps & maps', 6, BASE)).toBe('/help/acme/search.json?q=gps+%26+maps&limit=6');
    expect(suggestionsUrl('/help/acme/search.json?kinds=thread', 'tent', 5, BASE)).toBe('/help/acme/search.json?kinds=thread&q=tent&limit=5');
  });
});

describe('parseSuggestions', () => {
  const item = { kind: 'article', title: 'Reset', titleHighlight: '\u0001Reset\u0002', snippet: 's', url: '/help/acme/articles/reset', suggestionUrl: '/help/acme/suggestions/article/1?q=reset' };

  it('takes well-formed items', () => {
    expect(parseSuggestions({ total: 3, items: [item] })).toEqual({ total: 3, items: [item] });
  });

  it('leaves out what is malformed or leads off the site', () => {
    const bad = [
      { ...item, kind: 'user' },
      { ...item, title: 5 },
      { ...item, url: 'javascript:alert(1)' },
      { ...item, url: '//evil.example/x' },
      { ...item, url: 'https://evil.example/x' },
      null,
      'x',
    ];
    expect(parseSuggestions({ total: 9, items: bad }).items).toEqual([]);
    expect(parseSuggestions({ items: [{ ...item, suggestionUrl: 'javascript:x' }] }).items[0].suggestionUrl).toBe(item.url);
    expect(parseSuggestions(null)).toEqual({ total: 0, items: [] });
    expect(parseSuggestions({ items: 'no' })).toEqual({ total: 0, items: [] });
  });
});

describe('moveActive', () => {
  it('moves down and up through the options and back to the text', () => {
    expect(moveActive(-1, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(1, 3, 'ArrowDown')).toBe(2);
    expect(moveActive(2, 3, 'ArrowDown')).toBe(-1);
    expect(moveActive(-1, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(0, 3, 'ArrowUp')).toBe(-1);
    expect(moveActive(1, 3, 'Enter')).toBe(1);
    expect(moveActive(0, 0, 'ArrowDown')).toBe(-1);
  });
});
