/** The staffing forecast as GET /api/v1/reports/staffing answers it, and its shaping for the grid and the chart. */

export interface StaffingHour {
  /** ISO day: 1 Monday … 7 Sunday. */
  dayOfWeek: number;
  hour: number;
  arrivalsPerHour: number;
  agentsNeeded: number;
  agentsSeen: number;
  occupancy: number;
}

export interface StaffingAssumptions {
  weeks: number;
  from: string;
  to: string;
  timeZone: string;
  targetMinutes: number;
  serviceLevel: number;
  handleMinutes: number;
  shrinkage: number;
  inboxId: string | null;
  teamId: string | null;
  channel: string | null;
}

export interface StaffingForecast {
  assumptions: StaffingAssumptions;
  now: { dayOfWeek: number; hour: number; online: number | null };
  hours: StaffingHour[];
}

/** What the page asks with: the editable assumptions (as the API takes them) and the filters. */
export interface StaffingInput {
  weeks: number;
  handleMinutes: number;
  targetMinutes: number;
  serviceLevel: number;
  shrinkage: number;
  inboxId?: string;
  teamId?: string;
  channel?: string;
}

export const DEFAULT_STAFFING_INPUT: StaffingInput = { weeks: 4, handleMinutes: 6, targetMinutes: 60, serviceLevel: 0.8, shrinkage: 0.3 };

export interface StaffingCell extends StaffingHour {
  /** Fewer members replied in this hour than the forecast needs. */
  short: boolean;
  /** How many are missing (0 when enough were there). */
  gap: number;
  /** 0–1: the agents needed against the busiest hour of the week, for the cell's shade. */
  intensity: number;
  /** The hour it is now, in the forecast's time zone. */
  current: boolean;
}

/**
 * The 7 × 24 grid, Monday first, hour 0 first: every hour present even where the answer
 * left one out. An hour is short when the members seen replying fall below the agents
 * needed; an hour that needs no one is never short.
 */
export function staffingGrid(f: Pick<StaffingForecast, 'hours' | 'now'>): StaffingCell[][] {
  const byKey = new Map(f.hours.map((h) => [h.dayOfWeek * 24 + h.hour, h]));
  const busiest = Math.max(0, ...f.hours.map((h) => h.agentsNeeded));
  return [1, 2, 3, 4, 5, 6, 7].map((dayOfWeek) =>
    Array.from({ length: 24 }, (_, hour) => {
      const h = byKey.get(dayOfWeek * 24 + hour) ?? { dayOfWeek, hour, arrivalsPerHour: 0, agentsNeeded: 0, agentsSeen: 0, occupancy: 0 };
      const gap = Math.max(0, h.agentsNeeded - h.agentsSeen);
      return {
        ...h,
        short: gap > 0,
        gap: Math.round(gap * 100) / 100,
        intensity: busiest === 0 ? 0 : h.agentsNeeded / busiest,
        current: f.now.dayOfWeek === dayOfWeek && f.now.hour === hour,
      };
    }),
  );
}

/** How many hours of the week are short of staff, and the agent-hours missing over them. */
export function shortfall(grid: StaffingCell[][]) {
  const cells = grid.flat().filter((c) => c.short);
  return { hours: cells.length, agentHours: Math.round(cells.reduce((sum, c) => sum + c.gap, 0) * 10) / 10 };
}

/** One day's hours for the bar chart: the hour as "09", agents needed and seen, arrivals. */
export function dayBars(grid: StaffingCell[][], dayOfWeek: number) {
  return grid[dayOfWeek - 1].map((c) => ({ hour: String(c.hour).padStart(2, '0'), needed: c.agentsNeeded, seen: c.agentsSeen, arrivals: c.arrivalsPerHour, short: c.short }));
}

/** The day with the most agents needed over its hours (Monday on a quiet week): the chart's first day. */
export function busiestDay(grid: StaffingCell[][]) {
  let best = 1;
  let most = 0;
  grid.forEach((row, i) => {
    const sum = row.reduce((s, c) => s + c.agentsNeeded, 0);
    if (sum > most) [best, most] = [i + 1, sum];
  });
  return best;
}

/** The query string the page sends: percentages as the API's fractions, empty filters left out. */
export function staffingQuery(input: StaffingInput) {
  return {
    weeks: input.weeks,
    handleMinutes: input.handleMinutes,
    targetMinutes: input.targetMinutes,
    serviceLevel: input.serviceLevel,
    shrinkage: input.shrinkage,
    inboxId: input.inboxId || undefined,
    teamId: input.teamId || undefined,
    channel: input.channel || undefined,
  };
}
