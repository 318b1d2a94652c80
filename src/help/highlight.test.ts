import { describe, expect, it } from 'vitest';
import { markedSegments, plainText } from './highlight';

describe('markedSegments', () => {
  it('splits text into plain and marked runs', () => {
    expect(markedSegments('My \u0001GPS\u0002 keeps \u0001rebooting\u0002')).toEqual([
      { text: 'My ', marked: false },
      { text: 'GPS', marked: true },
      { text: ' keeps ', marked: false },
      { text: 'rebooting', marked: true },
    ]);
  });

  it('gives text without markers as one plain run, and nothing for nothing', () => {
    expect(markedSegments('Reset your password')).toEqual([{ text: 'Reset your password', marked: false }]);
    expect(markedSegments('')).toEqual([]);
  });

  it('drops unpaired markers instead of showing them', () => {
    expect(markedSegments('a \u0001b')).toEqual([{ text: 'a b', marked: false }]);
    expect(markedSegments('a\u0002 b \u0001c\u0002')).toEqual([
      { text: 'a b ', marked: false },
      { text: 'c', marked: true },
    ]);
    expect(markedSegments('\u0001x\u0001y\u0002')).toEqual([{ text: 'xy', marked: true }]);
  });

  it('keeps markup-looking text as text', () => {
    expect(markedSegments('<img src=x onerror=alert(1)> \u0001<b>\u0002')).toEqual([
      { text: '<img src=x onerror=alert(1)> ', marked: false },
      { text: '<b>', marked: true },
    ]);
    expect(plainText('\u0001E-17\u0002 error')).toBe('E-17 error');
  });
});
