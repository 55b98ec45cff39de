// Every shared third-party trace through the real loader, checked against an
// independent JSON.parse + BigInt reading of the same file (test-support/reference.ts).
import { describe, expect, it } from 'vitest';
import { loadTrace } from './load.ts';
import type { TraceModel } from './model.ts';
import { endNsOf, flowIdText, sliceName, str } from './query.ts';
import { WELL_KNOWN_ARGS_KEYS, argsField, argsNumber, argsText } from './args.ts';
import { eventsOf, nsBetweenExact, reference, scaledUs, timeText, type RefEvent } from './test-support/reference.ts';
import { SHARED_TRACE_FILES, sharedBytes, sharedText, sharedTracesPresent, warnIfAbsent } from './test-support/shared.ts';
import { argsAsTexts } from './test-support/fixtures.ts';

warnIfAbsent();

interface Loaded {
  model: TraceModel;
  events: RefEvent[];
  json: unknown;
}

const cache = new Map<string, Promise<Loaded>>();
function load(rel: string): Promise<Loaded> {
  let p = cache.get(rel);
  if (!p) {
    p = (async () => {
      const model = await loadTrace(sharedBytes(rel), { fileName: rel });
      const json = JSON.parse(sharedText(rel)) as unknown;
      return { model, events: eventsOf(json), json };
    })();
    cache.set(rel, p);
  }
  return p;
}

function trackKey(m: TraceModel, t: number): string {
  return `${m.processes.pid[m.tracks.process[t]]}\t${m.tracks.tid[t]}`;
}

describe.skipIf(!sharedTracesPresent)('every shared trace, against a JSON.parse reference', () => {
  for (const rel of SHARED_TRACE_FILES) {
    describe(rel, () => {
      it('reads every event, per phase', async () => {
        const { model, events } = await load(rel);
        const ref = reference(events);
        expect(model.stats.events).toBe(ref.events);
        expect(model.stats.byPhase).toEqual(ref.byPhase);
        expect(model.stats.truncated).toBe(false);
        expect(model.stats.droppedBytes).toBe(0);
      });

      it('notes each args\' well-known top-level keys at load, as JSON.parse of its text has them', async () => {
        const { model } = await load(rel);
        const seen: Record<string, number> = {};
        const wrong: string[] = [];
        for (let i = 0; i < model.args.length; i++) {
          const parsed = JSON.parse(argsText(model.args, i)) as Record<string, unknown>;
          for (const key of WELL_KNOWN_ARGS_KEYS) {
            const v = parsed[key];
            const want = typeof v === 'number' || typeof v === 'string' ? v : null;
            const raw = argsField(model.args, i, key);
            // A string comes back as written (escapes kept): unescape it as JSON does.
            const got = typeof raw === 'string' ? (JSON.parse(`"${raw}"`) as string) : raw;
            if (want !== null) seen[key] = (seen[key] ?? 0) + 1;
            if (!Object.is(got, want) && wrong.length < 5) wrong.push(`${i} ${key}: ${String(got)} vs ${String(want)}`);
          }
        }
        expect(wrong).toEqual([]);
        // A key the trace has gets a column; one it lacks an empty one.
        for (const key of WELL_KNOWN_ARGS_KEYS) expect(model.args.keyed[key].length, key).toBe(seen[key] ? model.args.length : 0);
        // Every kernel of a PyTorch (Kineto) trace carries its id (Ascend's trace_view.json has none).
        let kernels = 0;
        let kernelIds = 0;
        for (let s = 0; s < model.slices.length; s++) {
          if (str(model, model.slices.cat[s]) !== 'kernel') continue;
          kernels++;
          if (argsNumber(model.args, model.slices.args[s], 'correlation') !== null) kernelIds++;
        }
        expect(kernelIds).toBe(kernels);
        if (kernels > 0) expect(seen.correlation).toBeGreaterThan(kernels);
      });

      it('reads the same from chunks it may reuse (ownsInput: args written into the input\'s memory)', async () => {
        const { model } = await load(rel);
        const bytes = sharedBytes(rel);
        const size = 1 << 17;
        async function* owned(): AsyncGenerator<Uint8Array> {
          for (let off = 0; off < bytes.length; off += size) yield bytes.slice(off, off + size);
        }
        const recycled = await loadTrace(owned(), { fileName: rel, ownsInput: true });
        expect(argsAsTexts(recycled)).toEqual(argsAsTexts(model));
      });

      it('puts each X event on its (pid, tid) track', async () => {
        const { model, events } = await load(rel);
        const ref = reference(events);
        expect(model.slices.length).toBe(ref.slices);
        const got = new Map<string, number>();
        for (let t = 0; t < model.tracks.length; t++) {
          const n = model.tracks.sliceEnd[t] - model.tracks.sliceStart[t];
          if (n > 0) got.set(trackKey(model, t), n);
        }
        expect(got).toEqual(ref.slicesByTrack);
        let kernels = 0;
        for (let i = 0; i < model.slices.length; i++) {
          const cat = str(model, model.slices.cat[i]);
          if (cat === 'kernel' || cat === 'Kernel') kernels++;
        }
        expect(kernels).toBe(ref.kernels);
      });

      it('keeps counters per (process, name, series) and instants', async () => {
        const { model, events } = await load(rel);
        const ref = reference(events);
        expect(model.instants.length).toBe(ref.instants);
        // One counter track per distinct (pid, name, series); samples per (pid, series).
        let counterTracks = 0;
        for (let t = 0; t < model.tracks.length; t++) if (model.tracks.kind[t] === 'counter') counterTracks++;
        expect(counterTracks).toBe(ref.counterSamples.size);
        const want = new Map<string, number>();
        for (const [key, n] of ref.counterSamples) {
          const [pid, , series] = key.split('\t');
          want.set(`${pid}\t${series}`, (want.get(`${pid}\t${series}`) ?? 0) + n);
        }
        const got = new Map<string, number>();
        for (let i = 0; i < model.counters.length; i++) {
          const key = trackKey(model, model.counters.track[i]);
          got.set(key, (got.get(key) ?? 0) + 1);
          if (i > 0 && model.counters.track[i] === model.counters.track[i - 1]) expect(model.counters.tsNs[i]).toBeGreaterThanOrEqual(model.counters.tsNs[i - 1]);
        }
        expect(got).toEqual(want);
      });

      it('matches flows by (category, id)', async () => {
        const { model, events } = await load(rel);
        const ref = reference(events);
        expect(model.flows.length).toBe(ref.flowArrows);
        // JSON.parse reads a bare id past 2^53 (torch_npu's async_npu ids) as the nearest double, while the
        // model keeps its digits: compare long digit ids at that precision, on both sides.
        const rounded = (key: string) => key.replace(/\u0000(\d{16,})$/, (_, digits: string) => `\u0000${Number(digits)}`);
        const count = (into: Map<string, number>, key: string, n: number) => into.set(rounded(key), (into.get(rounded(key)) ?? 0) + n);
        const got = new Map<string, number>();
        const want = new Map<string, number>();
        for (let f = 0; f < model.flows.length; f++) count(got, `${model.strings[model.flows.cat[f]]}\u0000${flowIdText(model, f)}`, 1);
        for (const [key, n] of ref.flowArrowsByKey) count(want, key, n);
        expect(got).toEqual(want);
      });

      it('names processes and threads from metadata', async () => {
        const { model, events } = await load(rel);
        const ref = reference(events);
        for (const [pid, name] of ref.processNames) {
          const p = model.processes.pid.indexOf(pid);
          expect(p, `process ${pid}`).toBeGreaterThanOrEqual(0);
          expect(str(model, model.processes.name[p])).toBe(name);
        }
        for (let t = 0; t < model.tracks.length; t++) {
          if (model.tracks.kind[t] === 'counter') continue;
          const named = ref.threadNames.get(trackKey(model, t));
          if (named !== undefined) expect(str(model, model.tracks.name[t])).toBe(named);
        }
      });

      it('measures time exactly from the earliest timestamp', async () => {
        const { model, events } = await load(rel);
        const ref = reference(events);
        expect(scaledUs(model.originUs)).toBe(ref.origin);
        expect(model.endNs).toBe(ref.endNs);
        // A few X events, located by their text, against BigInt arithmetic on that text.
        // Numbers whose text survives JSON.parse: strings, safe integers, ≤ 15 significant digits.
        const exact = (v: unknown): boolean => typeof v === 'string' || Number.isSafeInteger(v) || (typeof v === 'number' && sigDigits(String(v)) <= 15);
        const xs = events.filter((e) => e.ph === 'X' && timeText(e.ts) !== null && exact(e.ts) && exact(e.dur ?? 0));
        const picks = [xs[0], xs[Math.floor(xs.length / 2)], xs[xs.length - 1]];
        for (const e of picks) {
          const start = nsBetweenExact(scaledUs(timeText(e.ts)!), ref.origin!);
          const end = nsBetweenExact(scaledUs(timeText(e.ts)!) + scaledUs(timeText(e.dur ?? 0) ?? '0'), ref.origin!);
          const p = model.processes.pid.indexOf(String(e.pid));
          const found = findSlice(model, p, String(e.tid), String(e.name), start);
          expect(found, `${String(e.name)} at ${timeText(e.ts)}`).toBeGreaterThanOrEqual(0);
          expect(endNsOf(model, found)).toBe(end);
        }
      });

      it('nests slices: parents contain children, rows never overlap', async () => {
        const { model } = await load(rel);
        const s = model.slices;
        for (let t = 0; t < model.tracks.length; t++) {
          const lastEndAtDepth = new Map<number, number>();
          for (let i = model.tracks.sliceStart[t]; i < model.tracks.sliceEnd[t]; i++) {
            expect(s.track[i]).toBe(t);
            if (i > model.tracks.sliceStart[t]) expect(s.startNs[i]).toBeGreaterThanOrEqual(s.startNs[i - 1]);
            const p = s.parent[i];
            if (p >= 0) {
              expect(s.startNs[p]).toBeLessThanOrEqual(s.startNs[i]);
              expect(endNsOf(model, p)).toBeGreaterThanOrEqual(endNsOf(model, i));
              expect(s.depth[i]).toBeGreaterThan(s.depth[p]);
            }
            const prev = lastEndAtDepth.get(s.depth[i]);
            if (prev !== undefined && s.durNs[i] > 0) expect(s.startNs[i]).toBeGreaterThanOrEqual(prev);
            lastEndAtDepth.set(s.depth[i], Math.max(prev ?? -Infinity, endNsOf(model, i)));
            expect(s.depth[i]).toBeLessThan(model.tracks.maxDepth[t]);
          }
        }
      });

      it('binds flow ends inside the slices they point at', async () => {
        const { model } = await load(rel);
        const f = model.flows;
        for (let i = 0; i < f.length; i++) {
          for (const [slice, ns] of [
            [f.fromSlice[i], f.fromNs[i]],
            [f.toSlice[i], f.toNs[i]],
          ] as const) {
            if (slice < 0) continue;
            expect(model.slices.startNs[slice]).toBeLessThanOrEqual(ns);
            expect(endNsOf(model, slice)).toBeGreaterThanOrEqual(ns);
          }
        }
      });
    });
  }
});

describe.skipIf(!sharedTracesPresent)('format and lane kinds of the real traces', () => {
  it('reads PyTorch traces as Kineto with GPU devices from "GPU N" labels', async () => {
    for (const rel of SHARED_TRACE_FILES.filter((f) => f.startsWith('pytorch/'))) {
      const { model, events } = await load(rel);
      expect(model.format, rel).toBe('kineto');
      const labels = new Map<string, string>();
      for (const e of events) if (e.ph === 'M' && e.name === 'process_labels') labels.set(String(e.pid), String((e.args as { labels: string }).labels));
      for (let p = 0; p < model.processes.length; p++) {
        const label = labels.get(model.processes.pid[p]);
        const gpu = label ? /^GPU (\d+)$/.exec(label) : null;
        if (gpu) {
          expect(model.processes.kind[p]).toBe('gpu');
          expect(model.processes.device[p]).toBe(Number(gpu[1]));
        } else if (label === 'CPU') expect(model.processes.kind[p]).toBe('host');
      }
      for (let t = 0; t < model.tracks.length; t++) {
        if (model.processes.kind[model.tracks.process[t]] === 'gpu') expect(model.tracks.kind[t]).toBe('gpu-stream');
      }
    }
  });

  it('reads both Ascend ranks with host, NPU, HCCL, overlap and counter lanes', async () => {
    const expected: Record<string, string> = {
      Python: 'host',
      CANN: 'host',
      'Ascend Hardware': 'npu',
      HCCL: 'comm',
      'Overlap Analysis': 'overlap',
      HBM: 'counters',
      LLC: 'counters',
      'NPU MEM': 'counters',
      'AI Core Freq': 'counters',
      QoS: 'counters',
      'Acc PMU': 'counters',
      'Stars Soc Info': 'counters',
    };
    for (const [rank, rel] of SHARED_TRACE_FILES.filter((f) => f.startsWith('ascend/')).entries()) {
      const { model } = await load(rel);
      expect(model.format).toBe('ascend');
      const kinds = Object.fromEntries(Array.from({ length: model.processes.length }, (_, p) => [str(model, model.processes.name[p]), model.processes.kind[p]]));
      expect(kinds).toEqual(expected);
      const npu = model.processes.kind.indexOf('npu');
      expect(model.processes.device[npu]).toBe(rank); // rank r ran on device r (profiler_info_r.json)
      const lanes = [];
      for (let t = 0; t < model.tracks.length; t++) if (model.tracks.kind[t] === 'overlap') lanes.push(str(model, model.tracks.name[t]));
      expect(lanes).toEqual(['Computing', 'Communication', 'Communication(Not Overlapped)', 'Free']);
    }
  });

  it('keeps top-level fields of Kineto files as metadata', async () => {
    const { model, json } = await load('pytorch/hta-nccl-data.json.gz');
    const { traceEvents: _, ...rest } = json as Record<string, unknown>;
    expect(model.metadata).toEqual(rest);
  });

  it('binds every Kineto launch flow from a runtime call to a kernel-side slice', async () => {
    const { model } = await load('pytorch/hta-nccl-data.json.gz');
    const ac2g = model.strings.indexOf('ac2g');
    let checked = 0;
    for (let i = 0; i < model.flows.length; i++) {
      if (model.flows.cat[i] !== ac2g) continue;
      const from = model.flows.fromSlice[i];
      const to = model.flows.toSlice[i];
      expect(str(model, model.slices.cat[from])).toMatch(/^cuda_runtime|cuda_driver$/);
      expect(model.tracks.kind[model.slices.track[to]]).toBe('gpu-stream');
      expect(sliceName(model, from).length).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

function sigDigits(text: string): number {
  return text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
}

function findSlice(model: TraceModel, p: number, tid: string, name: string, startNs: number): number {
  for (let t = 0; t < model.tracks.length; t++) {
    if (model.tracks.process[t] !== p || model.tracks.tid[t] !== tid) continue;
    for (let i = model.tracks.sliceStart[t]; i < model.tracks.sliceEnd[t]; i++) {
      if (model.slices.startNs[i] === startNs && sliceName(model, i) === name) return i;
    }
  }
  return -1;
}
