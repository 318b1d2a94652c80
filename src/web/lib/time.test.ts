import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n';
import { duration, fullTime, numberFormat, parseDuration } from './time';

describe('call durations', () => {
  it('reads mm:ss, h:mm:ss and plain minutes', () => {
    expect(parseDuration('4:30')).toBe(270);
    expect(parseDuration(' 0:45 ')).toBe(45);
    expect(parseDuration('1:02:03')).toBe(3723);
    expect(parseDuration('5')).toBe(300);
    expect(parseDuration('2.5')).toBe(150);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'abc', '4:7', '4:75', '-3', '1:2:3:4']) expect(parseDuration(bad), bad).toBeNull();
  });

  it('shows a duration back as m:ss', () => {
    expect(duration(270)).toBe('4:30');
    expect(duration(45)).toBe('45s');
  });
});

describe("dates in the member's language and clock", () => {
  afterEach(() => setLocale('en', 'auto'));

  it('follow the language, and the clock when the member chose one, without a reload', () => {
    const at = new Date(2026, 11, 7, 14, 5).toISOString();
    setLocale('de', 'auto');
    expect(fullTime(at)).toBe('07.12.2026, 14:05');
    setLocale('de', '12h');
    expect(fullTime(at)).toMatch(/^07\.12\.2026, 0?2:05\sPM$/i);
    setLocale('en', '24h');
    expect(fullTime(at)).toBe('Dec 7, 2026, 14:05');
    setLocale('en', '12h');
    expect(fullTime(at)).toMatch(/^Dec 7, 2026, 2:05\sPM$/);
    expect(numberFormat().format(1234.5)).toBe('1,234.5');
    setLocale('de');
    expect(numberFormat().format(1234.5)).toBe('1.234,5');
  });
});
