/**
 * The widget's pure parts on real third-party traces (../shared/traces):
 * row order, search and area aggregation checked against a plain JSON.parse
 * reading of the same file, and the LOD bound on every track.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { loadTrace } from '../../lib/trace/load.ts';
import { buildGroups } from './layout.ts';
import { SliceLod } from './lod.ts';
import { compileSearch, searchSlices } from './search.ts';
import { aggregateSlices } from './aggregate.ts';

const SHARED = resolve(process.cwd(), '../shared/traces');
const ASCEND = resolve(SHARED, 'ascend/train-2rank-level1/rank0/trace_view.json');
const KINETO = resolve(SHARED, 'pytorch/hta-nccl-data.json.gz');
const present = existsSync(ASCEND) && existsSync(KINETO);
if (!present) console.warn(`timeline real-trace tests skipped: ${SHARED} is absent`);

function events(path: string): Array<Record<string, any>> {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const doc = JSON.parse(bytes.toString('utf8'));
  return Array.isArray(doc) ? doc : doc.traceEvents;
}

const load = (path: string) => loadTrace(new Uint8Array(readFileSync(path)));

describe.skipIf(!present)('on real traces', () => {
  it('orders the Ascend lanes as MindStudio Insight does, counters last', async () => {
    const model = await load(ASCEND);
    const labels = buildGroups(model).map((g) => g.label);
    expect(labels.slice(0, 5)).toEqual(['Python', 'CANN', 'Ascend Hardware', 'HCCL', 'Overlap Analysis']);
    // Every process named in the file with slices or samples has a group.
    const evs = events(ASCEND);
    const named = new Map(evs.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [String(e.pid), e.args.name]));
    const withData = new Set(evs.filter((e) => e.ph === 'X' || e.ph === 'C').map((e) => named.get(String(e.pid))));
    expect(new Set(labels)).toEqual(withData);
  });

  it('finds every NCCL kernel of a Kineto trace, in time order', async () => {
    const model = await load(KINETO);
    const expected = events(KINETO).filter((e) => e.ph === 'X' && /nccl/i.test(e.name));
    const ids = searchSlices(model, compileSearch('/nccl/i')!);
    expect(ids.length).toBe(expected.length);
    const starts = [...ids].map((i) => model.slices.startNs[i]);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('aggregates a whole stream like counting its events per name', async () => {
    const model = await load(KINETO);
    const evs = events(KINETO);
    const gpuPid = evs.find((e) => e.ph === 'M' && e.name === 'process_labels' && e.args.labels === 'GPU 0')!.pid;
    const expected = new Map<string, number>();
    for (const e of evs) if (e.ph === 'X' && e.pid === gpuPid && String(e.tid) === '7') expected.set(e.name, (expected.get(e.name) ?? 0) + 1);
    const stream = [...Array(model.tracks.length).keys()].find((t) => model.strings[model.tracks.name[t]].trim() === 'stream 7')!;
    const agg = aggregateSlices(model, new SliceLod(model), [stream], -1, model.endNs + 1);
    expect(new Map(agg.rows.map((r) => [r.name, r.count]))).toEqual(expected);
  });

  it('visits at most about one slice per pixel and depth on every track, at any zoom', async () => {
    for (const path of [ASCEND, KINETO]) {
      const model = await load(path);
      const lod = new SliceLod(model);
      const widthPx = 600;
      for (const span of [model.endNs, model.endNs / 37, model.endNs / 1000]) {
        const start = model.endNs / 3;
        for (let t = 0; t < model.tracks.length; t++) {
          for (let d = 0; d < lod.depthCount(t); d++) {
            let n = 0;
            lod.forEachVisible(t, d, start, start + span, span / widthPx, () => n++);
            expect(n).toBeLessThanOrEqual(widthPx + 2);
          }
        }
      }
    }
  });
});
