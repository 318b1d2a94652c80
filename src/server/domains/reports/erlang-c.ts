/**
 * Erlang C: how many agents a queue of randomly arriving conversations needs to answer a
 * share of them within a target time (the M/M/N queue: Poisson arrivals, exponential
 * handle times, no one hangs up). Pure functions; docs/staffing.md gives the formulas.
 *
 * Everything is computed through the Erlang B recursion, B(0) = 1 and
 * B(n) = A·B(n−1) / (n + A·B(n−1)), which stays between 0 and 1 at every step: no
 * factorials or powers, so 2,000 agents are as exact as 2.
 */

/** Erlang B, the blocking probability of `agents` servers offered `traffic` erlangs. */
function erlangB(traffic: number, agents: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (traffic * b) / (n + traffic * b);
  return b;
}

/**
 * The probability that a conversation has to wait (no agent free when it arrives), for
 * `trafficErlangs` of work (arrivals per hour × hours of handling each) and `agents`
 * agents. At or above one erlang per agent the queue grows without end: every
 * conversation waits, so 1.
 */
export function erlangC(trafficErlangs: number, agents: number): number {
  if (!Number.isFinite(trafficErlangs) || trafficErlangs < 0) throw new RangeError('trafficErlangs must be a number at least 0');
  if (!Number.isInteger(agents) || agents < 0) throw new RangeError('agents must be a whole number at least 0');
  if (trafficErlangs === 0) return 0;
  if (agents <= trafficErlangs) return 1;
  const b = erlangB(trafficErlangs, agents);
  return (agents * b) / (agents - trafficErlangs * (1 - b));
}

/**
 * The share of conversations answered within `targetSeconds`, with `agents` agents,
 * `arrivalsPerHour` arriving and each taking `handleMinutes` of an agent's time:
 * 1 − C · e^(−(N − A) · T / h).
 */
export function serviceLevel(arrivalsPerHour: number, handleMinutes: number, agents: number, targetSeconds: number): number {
  if (!(handleMinutes > 0)) throw new RangeError('handleMinutes must be more than 0');
  if (!(targetSeconds >= 0)) throw new RangeError('targetSeconds must be at least 0');
  const traffic = (arrivalsPerHour * handleMinutes) / 60;
  const waits = erlangC(traffic, agents);
  if (waits === 0) return 1;
  if (agents <= traffic) return 0;
  return 1 - waits * Math.exp((-(agents - traffic) * targetSeconds) / (handleMinutes * 60));
}

/** The average wait before an agent picks a conversation up, in seconds: C · h / (N − A). Infinite for an overloaded queue. */
export function averageSpeedOfAnswer(arrivalsPerHour: number, handleMinutes: number, agents: number): number {
  const traffic = (arrivalsPerHour * handleMinutes) / 60;
  if (traffic === 0) return 0;
  if (agents <= traffic) return Infinity;
  return (erlangC(traffic, agents) * handleMinutes * 60) / (agents - traffic);
}

export interface Staffing {
  /** The work arriving, in erlangs: how many agents would be busy all the time. */
  trafficErlangs: number;
  /** The fewest agents answering at once who meet the goal. */
  agentsAnswering: number;
  /** Those agents raised for shrinkage: how many must be on the schedule. */
  agentsNeeded: number;
  /** The service level the answering agents reach (1 when nothing arrives). */
  serviceLevel: number;
  /** The share of their time the answering agents spend handling conversations (0 when nothing arrives). */
  occupancy: number;
}

/**
 * The smallest number of agents answering at once whose service level reaches
 * `serviceLevelGoal` (a fraction), then raised for shrinkage (the share of paid time
 * spent away from the queue: breaks, meetings, training): ⌈N / (1 − shrinkage)⌉.
 * No arrivals need no agents.
 */
export function agentsNeeded(arrivalsPerHour: number, handleMinutes: number, targetSeconds: number, serviceLevelGoal: number, shrinkage: number): Staffing {
  if (!Number.isFinite(arrivalsPerHour) || arrivalsPerHour < 0) throw new RangeError('arrivalsPerHour must be a number at least 0');
  if (!(serviceLevelGoal > 0 && serviceLevelGoal < 1)) throw new RangeError('serviceLevelGoal must be between 0 and 1');
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError('shrinkage must be at least 0 and below 1');
  const traffic = (arrivalsPerHour * handleMinutes) / 60;
  if (traffic === 0) return { trafficErlangs: 0, agentsAnswering: 0, agentsNeeded: 0, serviceLevel: 1, occupancy: 0 };
  // Fewer agents than erlangs never keep up; the service level rises with every agent from there.
  let n = Math.floor(traffic) + 1;
  let level = serviceLevel(arrivalsPerHour, handleMinutes, n, targetSeconds);
  while (level < serviceLevelGoal) level = serviceLevel(arrivalsPerHour, handleMinutes, ++n, targetSeconds);
  // 14 / 0.7 is 20.000000000000004 in floating point: that is 20 agents, not 21.
  const scheduled = Math.ceil(n / (1 - shrinkage) - 1e-9);
  return { trafficErlangs: traffic, agentsAnswering: n, agentsNeeded: scheduled, serviceLevel: level, occupancy: traffic / n };
}
