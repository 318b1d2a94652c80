import { describe, expect, it } from 'vitest';
import { busiestDay, dayBars, shortfall, type StaffingHour, staffingGrid } from './staffing';

const hour = (dayOfWeek: number, h: number, agentsNeeded: number, agentsSeen: number, arrivalsPerHour = agentsNeeded * 3): StaffingHour => ({
  dayOfWeek,
  hour: h,
  arrivalsPerHour,
  agentsNeeded,
  agentsSeen,
  occupancy: 0.5,
});

describe('staffing grid', () => {
  const hours = [hour(1, 9, 4, 2), hour(1, 10, 2, 2), hour(3, 14, 8, 8.5), hour(7, 23, 1, 0.25), hour(6, 3, 0, 1)];
  const grid = staffingGrid({ hours, now: { dayOfWeek: 3, hour: 14, online: 5 } });

  it('lays out seven days of 24 hours, Monday and midnight first, filling hours the answer left out', () => {
    expect(grid).toHaveLength(7);
    expect(grid.every((row) => row.length === 24)).toBe(true);
    expect(grid[0][9]).toMatchObject({ dayOfWeek: 1, hour: 9, agentsNeeded: 4, agentsSeen: 2 });
    expect(grid[6][23]).toMatchObject({ dayOfWeek: 7, hour: 23 });
    expect(grid[4][12]).toMatchObject({ dayOfWeek: 5, hour: 12, agentsNeeded: 0, agentsSeen: 0, short: false });
  });

  it('marks hours short of staff, by how many, and never an hour that needs no one', () => {
    expect(grid[0][9]).toMatchObject({ short: true, gap: 2 });
    expect(grid[0][10]).toMatchObject({ short: false, gap: 0 });
    expect(grid[2][14]).toMatchObject({ short: false, gap: 0 });
    expect(grid[6][23]).toMatchObject({ short: true, gap: 0.75 });
    expect(grid[5][3]).toMatchObject({ short: false });
    expect(shortfall(grid)).toEqual({ hours: 2, agentHours: 2.8 });
  });

  it('shades by the busiest hour and marks the hour it is now', () => {
    expect(grid[2][14]).toMatchObject({ intensity: 1, current: true });
    expect(grid[0][9].intensity).toBe(0.5);
    expect(grid[0][9].current).toBe(false);
    expect(staffingGrid({ hours: [], now: { dayOfWeek: 1, hour: 0, online: null } }).flat().every((c) => c.intensity === 0)).toBe(true);
  });

  it('gives a day’s bars hour by hour, and opens on the busiest day', () => {
    const monday = dayBars(grid, 1);
    expect(monday).toHaveLength(24);
    expect(monday[9]).toEqual({ hour: '09', needed: 4, seen: 2, arrivals: 12, short: true });
    expect(busiestDay(grid)).toBe(3);
    expect(busiestDay(staffingGrid({ hours: [], now: { dayOfWeek: 1, hour: 0, online: null } }))).toBe(1);
  });
});
