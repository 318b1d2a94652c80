import { describe, expect, it } from 'vitest';
import { withinBusinessHours } from './service.js';

describe('widget business hours', () => {
  const calendar = { timeZone: 'America/New_York', hours: { mon: [{ from: '09:00', to: '17:00' }] } };

  it('keeps 09:00 local on both sides of a DST change, through the business-hours calendar', () => {
    // Monday 2027-03-08 09:30 EST (UTC-5) and Monday 2027-03-15 09:30 EDT (UTC-4).
    expect(withinBusinessHours(calendar, new Date('2027-03-08T14:30:00Z'))).toBe(true);
    expect(withinBusinessHours(calendar, new Date('2027-03-15T13:30:00Z'))).toBe(true);
    // 08:30 local the week after the change, though 09:30 at the week before's offset.
    expect(withinBusinessHours(calendar, new Date('2027-03-15T12:30:00Z'))).toBe(false);
    expect(withinBusinessHours(calendar, new Date('2027-03-09T14:30:00Z'))).toBe(false);
    expect(withinBusinessHours(null, new Date())).toBe(true);
  });

  it("is closed all day on the calendar's holidays", () => {
    const withHoliday = { ...calendar, holidays: [{ date: '2027-03-15', name: 'Staff day' }] };
    expect(withinBusinessHours(withHoliday, new Date('2027-03-15T13:30:00Z'))).toBe(false);
    expect(withinBusinessHours(withHoliday, new Date('2027-03-08T14:30:00Z'))).toBe(true);
  });
});
