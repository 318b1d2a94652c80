import { describe, expect, it } from 'vitest';
import { withinBusinessHours } from './service.js';

describe('widget business hours', () => {
  const hours = { timezone: 'America/New_York', days: { mon: [{ from: '09:00', to: '17:00' }] } };

  it('keeps 09:00 local on both sides of a DST change, through the business-hours calendar', () => {
    // Monday 2027-03-08 09:30 EST (UTC-5) and Monday 2027-03-15 09:30 EDT (UTC-4).
    expect(withinBusinessHours(hours, new Date('2027-03-08T14:30:00Z'))).toBe(true);
    expect(withinBusinessHours(hours, new Date('2027-03-15T13:30:00Z'))).toBe(true);
    // 08:30 local the week after the change, though 09:30 at the week before's offset.
    expect(withinBusinessHours(hours, new Date('2027-03-15T12:30:00Z'))).toBe(false);
    expect(withinBusinessHours(hours, new Date('2027-03-09T14:30:00Z'))).toBe(false);
    expect(withinBusinessHours(null, new Date())).toBe(true);
  });
});
