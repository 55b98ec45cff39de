import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePack } from './schema.ts';
import { detectorsGivingAway } from './spoilers.ts';

describe('detectorsGivingAway', () => {
  it("lesson 1's launch-latency exercise hides the launch_latency reasons, the others hide nothing", () => {
    const raw = JSON.parse(readFileSync(fileURLToPath(new URL('../../content/exercises/reading-a-timeline.json', import.meta.url)), 'utf8'));
    const pack = parsePack(raw);
    expect(pack.ok).toBe(true);
    if (!pack.ok) return;
    const hiding = pack.value.exercises.map((e) => [e.id, detectorsGivingAway(e)]).filter(([, d]) => d.length);
    expect(hiding).toEqual([['rt-measure-launch-latency', ['launch_latency']]]);
  });
});
