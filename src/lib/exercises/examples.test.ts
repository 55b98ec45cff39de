/**
 * The example pack (examples.json, also quoted in the README) on the bundled
 * simulated NPU samples: every exercise parses, its solution passes and its
 * known wrong answers fail (STYLE.md example 15). The reference values are
 * also recomputed from the raw trace JSON with a plain JSON.parse, so the
 * exercises are checked against the file and not only against our analysis.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultAnalysis as A } from './analysis.ts';
import { checkAnswer, materializeAnswer, type Traces } from './check.ts';
import { nameOf } from '../analysis/access.ts';
import { parsePack, type Exercise, type Pack } from './schema.ts';
import { bundledTraceJson, loadBundledTrace } from './testing.ts';
import { verifyExercise } from './verify.ts';

const raw: unknown = JSON.parse(readFileSync(new URL('./examples.json', import.meta.url), 'utf8'));
const parsed = parsePack(raw);

async function tracesOf(ex: Exercise): Promise<Traces> {
  if (ex.kind === 'compare') return { before: await loadBundledTrace(ex.traces.before), after: await loadBundledTrace(ex.traces.after) };
  return { model: ex.trace ? await loadBundledTrace(ex.trace) : null };
}

interface RawEvent {
  ph?: string;
  name?: string;
  pid?: number | string;
  tid?: number | string;
  ts?: string | number;
  dur?: string | number;
}

/** Exact ns of a µs timestamp text ("1763974800000123.450"). */
function ns(us: string | number | undefined): bigint {
  const [i, f = ''] = String(us ?? '0').split('.');
  return BigInt(i) * 1000n + BigInt((f + '000').slice(0, 3));
}

function events(url: string): RawEvent[] {
  const doc = JSON.parse(bundledTraceJson(url)!) as RawEvent[] | { traceEvents: RawEvent[] };
  return Array.isArray(doc) ? doc : doc.traceEvents;
}

const byName = (ev: RawEvent[], re: RegExp) => ev.filter((e) => e.ph === 'X' && re.test(String(e.name))).sort((a, b) => (ns(a.ts) < ns(b.ts) ? -1 : 1));

describe('examples.json', () => {
  it('is a valid pack with one exercise of each kind', () => {
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    const kinds = new Set((raw as Pack).exercises.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['choice', 'compare', 'find', 'measure']);
  });

  const pack = parsed.ok ? parsed.value : { id: '', exercises: [] };
  for (const ex of pack.exercises) {
    it(`${ex.id}: the solution passes and the known wrong answers fail on the bundled trace`, async () => {
      const traces = await tracesOf(ex);
      expect(verifyExercise(ex, traces, A)).toEqual([]);
    });
  }
});

describe('examples.json against the raw trace', () => {
  const BASE = '/traces/npu-deepseek-baseline.json.gz';
  const RSAG = '/traces/npu-deepseek-rs-ag.json.gz';
  const ex = (id: string) => (parsed.ok ? parsed.value.exercises.find((e) => e.id === id)! : null!);

  it('find: the answer is the HCCL op that follows the second attention task of step 1', async () => {
    const ev = events(BASE);
    const model = (await loadBundledTrace(BASE))!;
    const steps = byName(ev, /^ProfilerStep#/);
    const [s0, s1] = [ns(steps[0].ts), ns(steps[0].ts) + ns(steps[0].dur)];
    const inStep = (e: RawEvent) => ns(e.ts) >= s0 && ns(e.ts) < s1;
    const hcom = byName(ev, /^hcom_allReduce_/).filter(inStep);
    // The NPU task of the 2nd attention op of the step, and the first HCCL op starting after it ends.
    // NPU tasks are named op_kernel ("aclnnFusedInferAttentionScoreV3_FusedInferAttentionScore_..."); host ops are not.
    const attnTasks = byName(ev, /FusedInferAttentionScore_/).filter(inStep);
    const afterAttn = hcom.find((e) => ns(e.ts) >= ns(attnTasks[1].ts) + ns(attnTasks[1].dur))!;
    const sol = materializeAnswer(ex('npu-find-attention-allreduce').solution, model, A)!;
    expect(sol.kind).toBe('slice');
    const id = (sol as { sliceId: number }).sliceId;
    expect(nameOf(model, id)).toBe(afterAttn.name);
    expect(BigInt(model.slices.startNs[id]) + ns(model.originUs)).toBe(ns(afterAttn.ts));
  });

  it('measure: the host layers of step 1 last what the Python events say', async () => {
    const ev = events(BASE);
    const model = (await loadBundledTrace(BASE))!;
    const step = byName(ev, /^ProfilerStep#/)[0];
    const layers = byName(ev, /^nn\.Module: DeepseekV2DecoderLayer_\d+$/).filter((e) => ns(e.ts) >= ns(step.ts) && ns(e.ts) < ns(step.ts) + ns(step.dur));
    expect(layers.length).toBe(4);
    const m = ex('npu-measure-layer-host');
    for (const l of layers) {
      const d = Number(ns(l.dur));
      // Typing each layer's own duration (in ms, 3 decimals) is accepted.
      const r = checkAnswer(m, { model }, A, { kind: 'value', value: Math.round(d / 1000) / 1000, unit: 'ms' });
      expect(r.correct, `${l.name}: ${r.feedback.en}`).toBe(true);
    }
  });

  it('compare: saved = ProfilerStep#7 before − after, from the two files', async () => {
    const d = (url: string) => Number(ns(byName(events(url), /^ProfilerStep#/)[0].dur));
    const savedNs = d(BASE) - d(RSAG);
    const r = checkAnswer(ex('npu-compare-rs-ag-step'), { before: await loadBundledTrace(BASE), after: await loadBundledTrace(RSAG) }, A, {
      kind: 'value',
      value: savedNs,
      unit: 'ns',
    });
    expect(r.correct).toBe(true);
    // The author's 3.33 ms is within the stated 5%.
    expect(Math.abs(savedNs / 1e6 - 3.33) / (savedNs / 1e6)).toBeLessThan(0.05);
  });

  it('compare choice: the written Overlap Analysis lanes agree on which trace exposes more', () => {
    const exposed = (url: string) => {
      const ev = events(url);
      const tid = new Map<string, string>();
      for (const e of ev as Array<RawEvent & { args?: { name?: string } }>) if (e.ph === 'M' && e.name === 'thread_name') tid.set(`${e.pid}:${e.tid}`, String(e.args?.name));
      return ev.filter((e) => e.ph === 'X' && tid.get(`${e.pid}:${e.tid}`) === 'Communication(Not Overlapped)').reduce((s, e) => s + ns(e.dur), 0n);
    };
    expect(exposed(RSAG) > exposed(BASE)).toBe(true);
  });
});
