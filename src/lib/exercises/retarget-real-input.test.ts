// Re-targeting on the inputs of issue 18 that are not ordinary traces: a file
// of metadata only is said to have no timed events, not to be CPU-only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { defaultAnalysis as A } from './analysis.ts';
import { RETARGET_IDS, retargetExercises } from './retarget.ts';
import { M } from './retarget-text.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../trace/fixtures/${name}`, import.meta.url)));

describe('a metadata-only trace', () => {
  it('every exercise says there are no timed events at all, in both languages, never "CPU-only"', async () => {
    const model = await loadTrace(fixture('metadata-only.json'));
    const slots = retargetExercises(model, A, 'upload:meta');
    expect(slots.map((s) => s.id)).toEqual([...RETARGET_IDS]);
    for (const s of slots) {
      expect(s.status).toBe('missing');
      if (s.status !== 'missing') continue;
      expect(s.reason).toEqual(M.noTimedEvents);
      expect(s.reason.en).toMatch(/no timed events at all/);
      expect(s.reason['zh-CN']).toMatch(/完全没有带时间的事件/);
      expect(s.reason.en).not.toMatch(/CPU-only trace,|host only/);
    }
  });
});
