import { describe, expect, it } from 'vitest';
import { agentsNeeded, averageSpeedOfAnswer, erlangC, serviceLevel } from './erlang-c.js';

/**
 * Erlang C straight from its textbook form, by summing the series term by term:
 * C = (Aᴺ/N! · N/(N−A)) / (Σₖ₌₀ᴺ⁻¹ Aᵏ/k! + Aᴺ/N! · N/(N−A)). Fine for small N,
 * overflowing for large ones: the independent check of the recursion.
 */
function erlangCBySummation(a: number, n: number) {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = (term * n) / (n - a);
  return top / (sum + top);
}

describe('Erlang C', () => {
  it('matches the summed textbook formula wherever that can be computed', () => {
    for (const a of [0.2, 1, 2.5, 7, 10, 48, 80]) {
      for (let n = Math.floor(a) + 1; n <= Math.floor(a) + 25; n++) {
        expect(erlangC(a, n)).toBeCloseTo(erlangCBySummation(a, n), 12);
      }
    }
  });

  it('reproduces the worked example: 100 calls per half hour of 3 minutes, 80% within 20 seconds', () => {
    // 200 an hour × 3 minutes = 10 erlangs. With 14 agents 17.4% of callers wait and
    // 88.8% are answered within 20 seconds; 13 reach only 79.6%. 30% shrinkage: 14 / 0.7 = 20.
    expect(erlangC(10, 14)).toBeCloseTo(0.1741, 4);
    expect(serviceLevel(200, 3, 14, 20)).toBeCloseTo(0.8884, 4);
    expect(serviceLevel(200, 3, 13, 20)).toBeCloseTo(0.7956, 4);
    expect(agentsNeeded(200, 3, 20, 0.8, 0.3)).toEqual({
      trafficErlangs: 10,
      agentsAnswering: 14,
      agentsNeeded: 20,
      serviceLevel: expect.closeTo(0.8884, 4),
      occupancy: expect.closeTo(10 / 14, 10),
    });
  });

  it('reproduces the worked example: 360 calls per half hour of 4 minutes, 55 agents, 15 seconds', () => {
    // 48 erlangs on 55 agents: 87% occupied, about 24% wait, 8.2 s on average, 84.6% within 15 s.
    expect(erlangC(48, 55)).toBeCloseTo(0.2387, 4);
    expect(averageSpeedOfAnswer(720, 4, 55)).toBeCloseTo(8.18, 2);
    expect(serviceLevel(720, 4, 55, 15)).toBeCloseTo(0.8459, 4);
    // 85% within 15 s needs one more agent than 55.
    expect(agentsNeeded(720, 4, 15, 0.85, 0).agentsAnswering).toBe(56);
  });

  it('gives the service level the formula 1 − C·e^(−(N−A)T/h) gives, checked by hand for one agent', () => {
    // One agent, 6 arrivals an hour of 5 minutes: A = 0.5, C = A = 0.5 (M/M/1),
    // within 60 s: 1 − 0.5 · e^(−0.5 · 60 / 300).
    expect(erlangC(0.5, 1)).toBeCloseTo(0.5, 12);
    expect(serviceLevel(6, 5, 1, 60)).toBeCloseTo(1 - 0.5 * Math.exp(-0.1), 12);
  });

  it('stays exact for thousands of agents, where factorials overflow', () => {
    expect(erlangCBySummation(1500, 1600)).toBeNaN();
    const c = erlangC(1500, 1600);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(0.01);
    const big = agentsNeeded(30_000, 3, 20, 0.8, 0);
    expect(big.agentsAnswering).toBeGreaterThan(1500);
    expect(big.agentsAnswering).toBeLessThan(1530);
    expect(serviceLevel(30_000, 3, big.agentsAnswering, 20)).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevel(30_000, 3, big.agentsAnswering - 1, 20)).toBeLessThan(0.8);
  });

  it('needs the smallest N: one fewer misses the goal', () => {
    for (const [arrivals, handle, target, goal] of [[12, 6, 3600, 0.8], [40, 8, 300, 0.9], [3, 20, 60, 0.95], [250, 4, 30, 0.7]]) {
      const { agentsAnswering: n } = agentsNeeded(arrivals, handle, target, goal, 0);
      expect(serviceLevel(arrivals, handle, n, target)).toBeGreaterThanOrEqual(goal);
      expect(serviceLevel(arrivals, handle, n - 1, target)).toBeLessThan(goal);
    }
  });

  it('raises the agents for shrinkage, rounding up', () => {
    expect(agentsNeeded(200, 3, 20, 0.8, 0).agentsNeeded).toBe(14);
    expect(agentsNeeded(200, 3, 20, 0.8, 0.25).agentsNeeded).toBe(19);
    expect(agentsNeeded(200, 3, 20, 0.8, 0.5).agentsNeeded).toBe(28);
  });

  it('needs no one when nothing arrives, and everyone waits in an overloaded queue', () => {
    expect(agentsNeeded(0, 6, 3600, 0.8, 0.3)).toEqual({ trafficErlangs: 0, agentsAnswering: 0, agentsNeeded: 0, serviceLevel: 1, occupancy: 0 });
    expect(erlangC(5, 5)).toBe(1);
    expect(serviceLevel(100, 6, 10, 20)).toBe(0);
    expect(averageSpeedOfAnswer(100, 6, 10)).toBe(Infinity);
  });

  it('refuses input that has no meaning', () => {
    expect(() => erlangC(-1, 3)).toThrow(/trafficErlangs/);
    expect(() => erlangC(1, 2.5)).toThrow(/agents/);
    expect(() => serviceLevel(10, 0, 3, 20)).toThrow(/handleMinutes/);
    expect(() => agentsNeeded(10, 3, 20, 1, 0)).toThrow(/serviceLevelGoal/);
    expect(() => agentsNeeded(10, 3, 20, 0.8, 1)).toThrow(/shrinkage/);
  });
});
