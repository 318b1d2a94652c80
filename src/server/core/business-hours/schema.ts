import { z } from 'zod';
import { WEEKDAYS } from './calendar.js';

const time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time as HH:MM (24:00 for midnight at the end of a day)');
const IntervalSchema = z.object({ from: time, to: time }).refine((i) => i.from < i.to, { message: 'must end after it starts', path: ['to'] });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real date');

export const TimeZoneSchema = z
  .string()
  .max(100)
  .refine((tz) => tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz), 'must be an IANA time zone, e.g. Europe/Berlin');

const HoursSchema = z
  .partialRecord(z.enum(WEEKDAYS), z.array(IntervalSchema).max(6))
  .refine((h) => Object.values(h).some((list) => list && list.length > 0), 'must open on at least one day')
  .describe('Opening hours per weekday (mon … sun), as wall times in the time zone; a day left out is closed.');

const HolidaysSchema = z
  .array(z.object({ date, name: z.string().trim().max(100).optional() }))
  .max(500)
  .describe('Whole days closed, as local dates.');

/** A business-hours calendar to create. */
export const BusinessHoursCreateSchema = z.object({
  name: z.string().trim().min(1).max(100),
  timeZone: TimeZoneSchema,
  hours: HoursSchema,
  holidays: HolidaysSchema.default([]),
});
export type BusinessHoursCreate = z.infer<typeof BusinessHoursCreateSchema>;

/** What to change on a calendar: only the fields given. */
export const BusinessHoursUpdateSchema = z.object({
  name: BusinessHoursCreateSchema.shape.name.optional(),
  timeZone: TimeZoneSchema.optional(),
  hours: HoursSchema.optional(),
  holidays: HolidaysSchema.optional(),
});
export type BusinessHoursUpdate = z.infer<typeof BusinessHoursUpdateSchema>;
