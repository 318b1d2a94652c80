import { describe, expect, it } from 'vitest';
import { de } from './de';
import { en } from './en';
import { chooseLocale, replyTimeKey, translator } from './index';

describe("the widget's language", () => {
  it("follows the browser's languages in order, falling back to English", () => {
    expect(chooseLocale(['de-DE', 'en'])).toBe('de');
    expect(chooseLocale(['fr-FR', 'de_AT'])).toBe('de');
    expect(chooseLocale(['EN-gb'])).toBe('en');
    expect(chooseLocale(['fr', 'it'])).toBe('en');
    expect(chooseLocale([])).toBe('en');
  });

  it('fills in the values, and every language has every string', () => {
    expect(translator('de')('typing.agent', { name: 'Ann' })).toBe('Ann schreibt…');
    expect(translator('xx')('launcher.unread', { n: 3 })).toBe('3 unread');
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it('says the usual reply time in round words', () => {
    expect(replyTimeKey(20)).toEqual({ key: 'status.replyMinute' });
    expect(replyTimeKey(4 * 60)).toEqual({ key: 'status.replyMinutes', n: 4 });
    expect(replyTimeKey(23 * 60)).toEqual({ key: 'status.replyMinutes', n: 25 });
    expect(replyTimeKey(70 * 60)).toEqual({ key: 'status.replyHour' });
    expect(replyTimeKey(5 * 3600)).toEqual({ key: 'status.replyHours', n: 5 });
    expect(replyTimeKey(30 * 3600)).toEqual({ key: 'status.replyDay' });
  });
});
