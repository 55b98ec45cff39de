/**
 * The generator is a pure function of (scenario, steps, seed): no clock, no
 * Math.random. (The committed files are compared in src/cli/simulate-npu.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { generateScenario } from './generate.ts';
import { SCENARIO_NAMES } from './scenarios.ts';

describe('simulated samples are deterministic', () => {
  it.each(SCENARIO_NAMES)('%s: two generations give identical text', (name) => {
    const a = generateScenario(name, 1, 7);
    const b = generateScenario(name, 1, 7);
    expect(a.json.length).toBeGreaterThan(10_000);
    expect(b.json === a.json).toBe(true);
  });

  it('the seed only moves the jitter: another seed gives other bytes, the same structure', () => {
    const a = generateScenario('baseline', 1, 1);
    const b = generateScenario('baseline', 1, 2);
    expect(a.json === b.json).toBe(false);
    expect(b.records.hw.length).toBe(a.records.hw.length);
    expect(b.records.py.map((s) => s.name)).toEqual(a.records.py.map((s) => s.name));
  });
});
