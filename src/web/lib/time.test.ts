import { describe, expect, it } from 'vitest';
import { duration, parseDuration } from './time';

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
