/**
 * Format fidelity: the simulated samples must look, to a parser, exactly like
 * real torch_npu output. The real reference is the public msinsight sample
 * (rank 0 of a torch_npu run, ../shared/traces/ascend/train-2rank-level1).
 * Each structural property is extracted from both files by the same code, so
 * a drift of the writer (or a check that would not hold on real data) fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { argsText } from '../trace/args.ts';
import { generateScenario } from './generate.ts';
import { SCENARIO_NAMES } from './scenarios.ts';

const REAL_DIR = '../shared/traces/ascend/train-2rank-level1/rank0';
const REAL = `${REAL_DIR}/trace_view.json`;
const haveReal = existsSync(REAL);
if (!haveReal) console.warn(`format-fidelity: skipped, ${REAL} not found (run from the repo root with ../shared present)`);

/**
 * Task types the real sample does not happen to contain but torch_npu writes
 * for Ascend C mixed Cube+Vector kernels (CANN "Setting the Kernel Type":
 * KERNEL_TYPE_MIX_AIC_1_x). AI_VECTOR_CORE appears in the real kernel_details.csv.
 */
const DOCUMENTED_TASK_TYPES = ['MIX_AIC'];

type Ev = Record<string, unknown> & { ph: string; name: string; pid: number | string; tid: number | string };

/** Digits → N, so "Stream 4" and "Stream 2" have the same shape. */
const shape = (s: string): string => s.replace(/\d+/g, 'N');

interface RawFacts {
  processNames: Map<number | string, string>;
  threadNames: Map<string, string>;
  /** "process|thread-shape|ph|cat" → set of key orders. */
  keyOrders: Map<string, Set<string>>;
  /** "process|thread-shape|ph|cat" → set of sorted arg key lists. */
  argKeys: Map<string, Set<string>>;
  /** process name → labels / sort index. */
  labels: Map<string, string>;
  sortIndex: Map<string, number>;
  pythonPid: number;
  tsTexts: string[];
  hwTaskTypes: Set<string>;
  /** HW task name → task types, for the non-kernel tasks. */
  hwNamedTypes: Map<string, Set<string>>;
  planeTypes: Set<string>;
  groupOpShapes: Set<string>;
  flowCats: Set<string>;
  flowNameShapes: Set<string>;
  events: Ev[];
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function rawFacts(events: Ev[]): RawFacts {
  const f: RawFacts = {
    processNames: new Map(), threadNames: new Map(), keyOrders: new Map(), argKeys: new Map(), labels: new Map(), sortIndex: new Map(),
    pythonPid: -1, tsTexts: [], hwTaskTypes: new Set(), hwNamedTypes: new Map(), planeTypes: new Set(), groupOpShapes: new Set(),
    flowCats: new Set(), flowNameShapes: new Set(), events,
  };
  for (const e of events) {
    if (e.ph !== 'M') continue;
    const args = e.args as Record<string, unknown>;
    if (e.name === 'process_name') f.processNames.set(e.pid, String(args.name));
    if (e.name === 'thread_name') f.threadNames.set(`${e.pid}|${e.tid}`, String(args.name));
  }
  for (const [pid, name] of f.processNames) if (name === 'Python') f.pythonPid = Number(pid);
  for (const e of events) {
    const proc = f.processNames.get(e.pid) ?? '?';
    const args = (e.args ?? {}) as Record<string, unknown>;
    if (e.ph === 'M') {
      if (e.name === 'process_labels') f.labels.set(proc, String(args.labels));
      if (e.name === 'process_sort_index') f.sortIndex.set(proc, Number(args.sort_index));
    }
    const thread = shape(f.threadNames.get(`${e.pid}|${e.tid}`) ?? `tid ${e.tid}`);
    const lane = `${proc}|${e.ph === 'C' || e.ph === 'M' ? '-' : thread}|${e.ph}|${String(e.cat ?? '')}`;
    addTo(f.keyOrders, lane, Object.keys(e).join(','));
    if (e.ph !== 'M' && e.args !== undefined) addTo(f.argKeys, lane, Object.keys(args).sort().join(','));
    if (typeof e.ts === 'string' || typeof e.ts === 'number') f.tsTexts.push(typeof e.ts === 'string' ? e.ts : `number:${e.ts}`);
    if (e.ph === 'X' && proc === 'Ascend Hardware') {
      const tt = String(args['Task Type']);
      f.hwTaskTypes.add(tt);
      if (!/^aclnn|^[A-Z][a-z]/.test(e.name) || ['Notify Wait', 'Write Value'].includes(e.name)) addTo(f.hwNamedTypes, e.name, tt);
    }
    if (e.ph === 'X' && proc === 'HCCL') {
      if (thread.startsWith('Plane')) f.planeTypes.add(e.name);
      else f.groupOpShapes.add(e.name.replace(/^hcom_[A-Za-z]+_/, 'hcom_OP_').replace(/\d+/g, 'N'));
    }
    if (e.ph === 's' || e.ph === 'f') {
      f.flowCats.add(String(e.cat));
      f.flowNameShapes.add(`${String(e.cat)}:${shape(e.name)}`);
    }
  }
  return f;
}

/** Id conventions of the three flow kinds; returns the violations (empty on a well-formed file). */
function flowIdViolations(text: string, events: Ev[]): string[] {
  const bad: string[] = [];
  const corr = new Set<number>();
  for (const e of events) if (e.ph === 'X' && e.name === 'Enqueue') corr.add(Number((e.args as { correlation_id: number }).correlation_id));
  for (const e of events) {
    if (e.ph !== 's' && e.ph !== 'f') continue;
    if (e.cat === 'async_npu') {
      // the id is written as a JSON number whose digits are the flow end's ts without the dot
      if (e.ph === 'f') {
        const digits = String(e.ts).replace('.', '');
        if (!text.includes(`"id": ${digits}, "pid": ${e.pid}, "tid": ${e.tid}, "ts": "${e.ts}"`)) bad.push(`async_npu f ${e.ts}: id is not its ts digits`);
      }
    } else if (e.cat === 'HostToDevice') {
      if (typeof e.id !== 'string' || e.name !== `HostToDevice${e.id}`) bad.push(`HostToDevice ${e.name}: id/name mismatch`);
      if (e.ph === 's' && 'bp' in e) bad.push('HostToDevice s has bp');
      if (e.ph === 'f' && e.bp !== 'e') bad.push('HostToDevice f without bp e');
    } else if (e.cat === 'async_task_queue') {
      if (typeof e.id !== 'number' || !corr.has(e.id)) bad.push(`async_task_queue ${String(e.id)}: not an Enqueue correlation_id`);
    }
  }
  return bad;
}

/** msprof process ids: host pid << 10 | sort index << 5 | device. */
function pidViolations(f: RawFacts): string[] {
  const bad: string[] = [];
  for (const [pid, name] of f.processNames) {
    if (name === 'Python') continue;
    const n = Number(pid);
    if (Math.floor(n / 1024) !== f.pythonPid) bad.push(`${name}: pid ${n} is not python pid << 10`);
    if (((n >> 5) & 31) !== f.sortIndex.get(name)) bad.push(`${name}: pid bits ≠ sort index`);
  }
  return bad;
}

function subsetViolations(label: string, gen: Iterable<string>, real: Set<string>): string[] {
  return [...gen].filter((x) => !real.has(x)).map((x) => `${label}: ${x}`);
}

interface ModelFacts {
  format: string;
  processKinds: Map<string, string>;
  /** "process|thread-shape" → track kind. */
  trackKinds: Map<string, string>;
  /** "process|thread-shape|cat" → sorted arg key lists (from the loader's raw args text). */
  sliceArgKeys: Map<string, Set<string>>;
  flowCats: Set<string>;
  unboundFlows: number;
  warningCodes: Set<string>;
}

function modelFacts(m: TraceModel): ModelFacts {
  const f: ModelFacts = { format: m.format, processKinds: new Map(), trackKinds: new Map(), sliceArgKeys: new Map(), flowCats: new Set(), unboundFlows: 0, warningCodes: new Set() };
  for (let p = 0; p < m.processes.length; p++) f.processKinds.set(m.strings[m.processes.name[p]], m.processes.kind[p]);
  const laneOf = (t: number): string => `${m.strings[m.processes.name[m.tracks.process[t]]]}|${shape(m.strings[m.tracks.name[t]])}`;
  for (let t = 0; t < m.tracks.length; t++) f.trackKinds.set(laneOf(t), m.tracks.kind[t]);
  for (let s = 0; s < m.slices.length; s++) {
    const a = m.slices.args[s];
    const keys = a < 0 ? '' : Object.keys(JSON.parse(argsText(m.args, a)) as object).sort().join(',');
    const cat = m.slices.cat[s] < 0 ? '' : m.strings[m.slices.cat[s]];
    addTo(f.sliceArgKeys, `${laneOf(m.slices.track[s])}|${cat}`, keys);
  }
  for (let i = 0; i < m.flows.length; i++) {
    f.flowCats.add(m.strings[m.flows.cat[i]]);
    if (m.flows.fromSlice[i] < 0 || m.flows.toSlice[i] < 0) f.unboundFlows++;
  }
  for (const w of m.stats.warnings) f.warningCodes.add(w.code);
  return f;
}

function realKernelDetailCores(): Set<string> {
  const csv = readFileSync(`${REAL_DIR}/kernel_details.csv`, 'utf8').split('\n');
  const header = csv[0].split(',');
  const col = header.indexOf('Accelerator Core');
  return new Set(csv.slice(1).filter((l) => l.trim()).map((l) => l.split(',')[col]));
}

describe.skipIf(!haveReal)('simulated samples match real torch_npu trace_view.json structure', () => {
  const realText = haveReal ? readFileSync(REAL, 'utf8') : '[]';
  const realEvents = JSON.parse(realText) as Ev[];
  const real = rawFacts(realEvents);

  it('the checks themselves hold on the real trace', () => {
    expect(flowIdViolations(realText, realEvents)).toEqual([]);
    expect(pidViolations(real)).toEqual([]);
    // all strings; all but a counter sample or two carry exactly three decimals
    expect(real.tsTexts.every((t) => /^\d{16}(\.\d{3})?$/.test(t))).toBe(true);
    expect(real.tsTexts.filter((t) => !t.includes('.')).length).toBeLessThan(real.tsTexts.length / 1000);
    expect(realText.startsWith('[{"ph": "X", "name": ')).toBe(true);
  });

  for (const name of SCENARIO_NAMES) {
    describe(name, () => {
      const g = generateScenario(name);
      const events = JSON.parse(g.json) as Ev[];
      const gen = rawFacts(events);

      it('is one JSON array on one line with Python json.dumps separators, like the real file', () => {
        expect(g.json.includes('\n')).toBe(false);
        expect(g.json.startsWith('[{"ph": "X", "name": ')).toBe(true);
        expect(/[^\\]":"|,"[a-z]/.test(g.json)).toBe(false);
      });

      it('writes every ts as a 16-digit absolute µs string with exactly three decimals', () => {
        expect(gen.tsTexts.length).toBe(events.filter((e) => e.ph !== 'M').length);
        const bad = gen.tsTexts.filter((t) => !/^\d{16}\.\d{3}$/.test(t));
        expect(bad.slice(0, 5)).toEqual([]);
      });

      it('uses real process names, labels, sort indices and msprof pid encoding', () => {
        const realNames = new Set(real.processNames.values());
        const genNames = new Set(gen.processNames.values());
        expect(subsetViolations('process', genNames, realNames)).toEqual([]);
        for (const must of ['Python', 'CANN', 'Ascend Hardware', 'HCCL', 'Overlap Analysis', 'AI Core Freq', 'HBM']) expect(genNames.has(must)).toBe(true);
        for (const n of genNames) {
          expect([n, gen.labels.get(n)]).toEqual([n, real.labels.get(n)]);
          expect([n, gen.sortIndex.get(n)]).toEqual([n, real.sortIndex.get(n)]);
        }
        expect(pidViolations(gen)).toEqual([]);
      });

      it('names threads with the real patterns', () => {
        const pattern = (f: RawFacts): Set<string> => new Set([...f.threadNames].map(([k, v]) => `${f.processNames.get(Number(k.split('|')[0])) ?? f.processNames.get(k.split('|')[0])}|${shape(v)}`));
        expect(subsetViolations('thread', pattern(gen), pattern(real))).toEqual([]);
      });

      it('keeps the real key order and arg keys of every lane', () => {
        const realOrders = new Set([...real.keyOrders].flatMap(([lane, set]) => [...set].map((o) => `${lane}#${o}`)));
        const genOrders = [...gen.keyOrders].flatMap(([lane, set]) => [...set].map((o) => `${lane}#${o}`));
        expect(subsetViolations('key order', genOrders, realOrders)).toEqual([]);
        const realArgs = new Set([...real.argKeys].flatMap(([lane, set]) => [...set].map((o) => `${lane}#${o}`)));
        const genArgs = [...gen.argKeys].flatMap(([lane, set]) => [...set].map((o) => `${lane}#${o}`));
        expect(subsetViolations('arg keys', genArgs, realArgs)).toEqual([]);
      });

      it('uses real hardware task types, HCCL sub-task types and hcom op name shapes', () => {
        const allowed = new Set([...real.hwTaskTypes, ...realKernelDetailCores(), ...DOCUMENTED_TASK_TYPES]);
        allowed.delete('HCCL'); // a kernel_details category, not a hardware task type
        expect(subsetViolations('task type', gen.hwTaskTypes, allowed)).toEqual([]);
        for (const [taskName, types] of gen.hwNamedTypes) {
          expect(subsetViolations(`task ${taskName}`, types, real.hwNamedTypes.get(taskName) ?? new Set())).toEqual([]);
        }
        expect(subsetViolations('plane task', gen.planeTypes, real.planeTypes)).toEqual([]);
        expect(subsetViolations('hcom op', gen.groupOpShapes, real.groupOpShapes)).toEqual([]);
        const ops = new Set(events.filter((e) => e.ph === 'X' && /^hcom_/.test(e.name)).map((e) => e.name.split('__')[0]));
        for (const op of ops) expect(['hcom_allReduce', 'hcom_reduceScatter', 'hcom_allGather', 'hcom_alltoallv']).toContain(op);
      });

      it('writes flows with the real categories, names and id conventions', () => {
        expect(subsetViolations('flow cat', gen.flowCats, real.flowCats)).toEqual([]);
        expect(subsetViolations('flow name', gen.flowNameShapes, real.flowNameShapes)).toEqual([]);
        for (const must of ['async_npu', 'HostToDevice', 'async_task_queue']) expect(gen.flowCats.has(must)).toBe(true);
        expect(flowIdViolations(g.json, events)).toEqual([]);
      });

      it('loads through the project loader into the same structure as the real trace', async () => {
        const [rm, gm] = await Promise.all([loadTrace(new TextEncoder().encode(realText)), loadTrace(new TextEncoder().encode(g.json))]);
        const r = modelFacts(rm);
        const s = modelFacts(gm);
        expect(s.format).toBe('ascend');
        expect(s.format).toBe(r.format);
        for (const [n, kind] of s.processKinds) expect([n, kind]).toEqual([n, r.processKinds.get(n)]);
        for (const [lane, kind] of s.trackKinds) expect([lane, kind]).toEqual([lane, r.trackKinds.get(lane)]);
        const realArgs = new Set([...r.sliceArgKeys].flatMap(([lane, set]) => [...set].map((k) => `${lane}#${k}`)));
        const genArgs = [...s.sliceArgKeys].flatMap(([lane, set]) => [...set].map((k) => `${lane}#${k}`));
        expect(subsetViolations('model args', genArgs, realArgs)).toEqual([]);
        expect(subsetViolations('model flow cat', s.flowCats, r.flowCats)).toEqual([]);
        expect(s.unboundFlows).toBe(0);
        expect(subsetViolations('warning', s.warningCodes, r.warningCodes)).toEqual([]);
      });
    });
  }
});
