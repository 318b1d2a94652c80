import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, type Calendar, instantOf, isOpen, nextOpenTime } from './calendar.js';

const nineToFive = { from: '09:00', to: '17:00' };
const berlin: Calendar = {
  timeZone: 'Europe/Berlin',
  hours: { mon: [nineToFive], tue: [nineToFive], wed: [nineToFive], thu: [nineToFive], fri: [nineToFive] },
};
const allDay = { from: '00:00', to: '24:00' };
const berlinAlways: Calendar = { timeZone: 'Europe/Berlin', hours: { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] } };
const at = (s: string) => new Date(s);

describe('business-hours calendar', () => {
  it('carries a target over the weekend: Friday 16:50 in Berlin plus 30 minutes is Monday 09:20', () => {
    // 2026-12-04 is a Friday; Berlin is UTC+1 in winter.
    expect(addBusinessMinutes(berlin, at('2026-12-04T15:50:00Z'), 30).toISOString()).toBe('2026-12-07T08:20:00.000Z');
    expect(businessMinutesBetween(berlin, at('2026-12-04T15:50:00Z'), at('2026-12-07T08:20:00Z'))).toBe(30);
  });

  it('moves a time outside hours to the next opening, and leaves one inside as it is', () => {
    // Friday 19:00 Berlin (18:00Z) is after hours: Monday 09:00 Berlin; a holiday Monday: Tuesday.
    expect(nextOpenTime(berlin, at('2026-12-04T18:00:00Z')).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(nextOpenTime({ ...berlin, holidays: [{ date: '2026-12-07' }] }, at('2026-12-04T18:00:00Z')).toISOString()).toBe('2026-12-08T08:00:00.000Z');
    expect(nextOpenTime(berlin, at('2026-12-07T10:15:00Z')).toISOString()).toBe('2026-12-07T10:15:00.000Z');
    // Before opening on a working day: that morning.
    expect(nextOpenTime(berlin, at('2026-12-08T05:00:00Z')).toISOString()).toBe('2026-12-08T08:00:00.000Z');
  });

  it('skips a holiday: with Monday off the same target is due Tuesday 09:20', () => {
    const withHoliday = { ...berlin, holidays: [{ date: '2026-12-07', name: 'Company day' }] };
    expect(addBusinessMinutes(withHoliday, at('2026-12-04T15:50:00Z'), 30).toISOString()).toBe('2026-12-08T08:20:00.000Z');
    expect(isOpen(withHoliday, at('2026-12-07T10:00:00Z'))).toBe(false);
    expect(isOpen(berlin, at('2026-12-07T10:00:00Z'))).toBe(true);
  });

  it('starts the clock at the next opening when a conversation arrives at night, and splits a day with a lunch break', () => {
    const lunch: Calendar = { timeZone: 'Europe/Berlin', hours: { mon: [{ from: '13:00', to: '17:00' }, { from: '09:00', to: '12:00' }] } };
    // Monday 07:00 Berlin: 180 minutes fill the morning, 30 more run after lunch.
    expect(addBusinessMinutes(lunch, at('2026-12-07T06:00:00Z'), 210).toISOString()).toBe('2026-12-07T12:30:00.000Z');
    expect(isOpen(lunch, at('2026-12-07T11:30:00Z'))).toBe(false);
    expect(businessMinutesBetween(lunch, at('2026-12-07T00:00:00Z'), at('2026-12-08T00:00:00Z'))).toBe(420);
  });

  it('counts a 23-hour and a 25-hour day when the clocks change', () => {
    // 2027-03-28: Berlin goes from UTC+1 to UTC+2 at 02:00; 2026-10-25: back at 03:00.
    expect(businessMinutesBetween(berlinAlways, at('2027-03-27T23:00:00Z'), at('2027-03-28T22:00:00Z'))).toBe(23 * 60);
    expect(businessMinutesBetween(berlinAlways, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * 60);
    expect(addBusinessMinutes(berlinAlways, at('2027-03-27T11:00:00Z'), 24 * 60).toISOString()).toBe('2027-03-28T11:00:00.000Z');
    // A wall time the change skips (02:30) names the instant an hour on.
    expect(new Date(instantOf('Europe/Berlin', { y: 2027, m: 3, d: 28 }, 150)).toISOString()).toBe('2027-03-28T01:30:00.000Z');
  });

  it('keeps office hours at local time across a DST change in another zone', () => {
    const newYork: Calendar = { timeZone: 'America/New_York', hours: { fri: [nineToFive], mon: [nineToFive] } };
    // Friday 2027-03-12 16:00 EST (UTC-5) plus two hours: one on Friday, one from Monday 09:00 EDT (UTC-4).
    expect(addBusinessMinutes(newYork, at('2027-03-12T21:00:00Z'), 120).toISOString()).toBe('2027-03-15T14:00:00.000Z');
  });

  it('refuses a calendar that is never open rather than looping', () => {
    expect(() => addBusinessMinutes({ timeZone: 'UTC', hours: {} }, at('2026-12-04T00:00:00Z'), 1)).toThrow(RangeError);
  });
});
