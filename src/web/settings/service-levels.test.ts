import { describe, expect, it } from 'vitest';
import { formatDuration, hoursSummary, parseDuration, policySummary } from './service-levels';

describe('business hours and SLA policies in words', () => {
  it('reads durations as people type them, and writes them back the same way', () => {
    expect(parseDuration('1h 30m')).toBe(90);
    expect(parseDuration('1h30')).toBe(90);
    expect(parseDuration('2 hours')).toBe(120);
    expect(parseDuration('45 min')).toBe(45);
    expect(parseDuration('15m')).toBe(15);
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('  ')).toBeNull();
    expect(parseDuration('1.5h')).toBeUndefined();
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('h')).toBeUndefined();
    expect([15, 60, 90, 1440].map(formatDuration)).toEqual(['15m', '1h', '1h 30m', '24h']);
  });

  it('groups the days that share their hours', () => {
    const nine = [{ from: '09:00', to: '17:00' }];
    expect(hoursSummary({ mon: nine, tue: nine, wed: nine, thu: nine, fri: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '15:00' }], sun: nine })).toBe(
      'Mon–Thu 09:00–17:00 · Fri 09:00–12:00, 13:00–15:00 · Sun 09:00–17:00',
    );
    expect(hoursSummary({})).toBe('Never open');
  });

  it('says what a policy covers and what it tracks, naming inboxes and calendars', () => {
    const names = { inboxes: [{ id: 'i1', name: 'Shop chat' }], teams: [], calendars: [{ id: 'c1', name: 'Berlin office' }] };
    expect(policySummary({ name: 'Urgent', conditions: { priorities: ['urgent'] }, targets: { firstResponse: { minutes: 15, businessHoursId: 'c1' } } }, names)).toBe(
      'Urgent · Priority urgent · First reply 15m (business hours: Berlin office)',
    );
    expect(
      policySummary({ name: 'Chat', conditions: { inboxIds: ['i1'], tags: ['vip', 'gold'], contactAttribute: { key: 'plan', value: 'pro' } }, targets: { resolution: { minutes: 1440, businessHoursId: null } } }, names),
    ).toBe('Chat · Inbox Shop chat · Tagged vip or gold · Contact plan = pro · Resolution 24h (around the clock)');
    expect(policySummary({ name: 'Empty', conditions: {}, targets: {} }, names)).toBe('Empty · Every conversation · No targets');
  });
});
