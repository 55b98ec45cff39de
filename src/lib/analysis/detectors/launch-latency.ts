/**
 * Launch latency: from the host call that launched a device slice to the
 * moment the device started it (device start − host call start), over every
 * kernel / memcpy / memset / collective the trace links to its launch
 * (Kineto `ac2g` flows or correlation ids, Ascend `HostToDevice` flows).
 *
 * The distribution (p50/p90/p99/max) says how far ahead of the device the
 * host runs: small values everywhere mean the device waits for the host
 * (launch-bound); large values mean a deep queue. Outliers are latencies
 * above max(Q3 + 3·IQR, 2·p50), worst first.
 *
 * Blind spots: host and device clocks are aligned by the profiler, so a few
 * µs of skew are possible (negative values are counted and left out);
 * CUDA-graph replays launch many kernels from one call, so their latencies
 * include the time spent executing the earlier kernels of the graph.
 */
import type { Ns, SliceId, TraceModel } from '../../trace/model.ts';
import { nameOf } from '../access.ts';
import { sliceKinds } from '../activity.ts';
import { launchLinks } from '../links.ts';
import type { DetectorResult } from './types.ts';

/** The reason of one launch: the call that launched it and how much later the device started it. */
export function launchReason(launcherName: string, latencyNs: Ns): string {
  return `launched by \`${launcherName}\`, started ${(latencyNs / 1000).toFixed(3)} µs later`;
}

function quantile(sorted: Float64Array, q: number): Ns {
  if (sorted.length === 0) return 0;
  // Nearest-rank on integers keeps the result an exact ns value.
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

export function detectLaunchLatency(model: TraceModel): DetectorResult {
  const kinds = sliceKinds(model);
  const { launcher } = launchLinks(model);
  const startNs = model.slices.startNs;
  // Two passes over the slices (count, then fill) instead of growing arrays: at 1 GB this is millions of launches.
  let n = 0;
  let negative = 0;
  for (let s = 0; s < model.slices.length; s++) {
    const k = kinds[s];
    if (k !== 'computation' && k !== 'communication' && k !== 'memory') continue;
    const h = launcher[s];
    if (h < 0) continue;
    if (startNs[s] - startNs[h] < 0) negative++;
    else n++;
  }
  const slices: SliceId[] = new Array<SliceId>(n);
  const lat = new Float64Array(n);
  let total = 0;
  for (let s = 0, i = 0; i < n; s++) {
    const k = kinds[s];
    if (k !== 'computation' && k !== 'communication' && k !== 'memory') continue;
    const h = launcher[s];
    if (h < 0) continue;
    const d = startNs[s] - startNs[h];
    if (d < 0) continue;
    slices[i] = s;
    lat[i++] = d;
    total += d;
  }
  const sorted = lat.slice().sort();
  const p50Ns = quantile(sorted, 0.5);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const outlierThresholdNs = Math.max(q3 + 3 * (q3 - q1), 2 * p50Ns);
  const outlierIdx: number[] = [];
  for (let i = 0; i < n; i++) if (lat[i] > outlierThresholdNs) outlierIdx.push(i);
  outlierIdx.sort((a, b) => lat[b] - lat[a]);
  const result: DetectorResult = {
    name: 'launch_latency',
    slices,
    confidence: new Array<number>(n).fill(1),
    reasons: [],
    reason: 'host launch call start → device start, for every device slice linked to its launch',
    // One launch, one kernel: each is its own application.
    count: n,
    setup: 0,
    setupScopes: [],
    kernels: n,
    applications: slices.slice(),
    totalNs: total,
    latency: {
      p50Ns,
      p90Ns: quantile(sorted, 0.9),
      p99Ns: quantile(sorted, 0.99),
      maxNs: n ? sorted[n - 1] : 0,
      outlierThresholdNs,
      outliers: outlierIdx.map((i) => slices[i]),
      negative,
    },
  };
  // One distinct line per launch: written when first read (the page's detector view, not the CLI's report).
  let reasons: string[] | null = null;
  Object.defineProperty(result, 'reasons', {
    enumerable: true,
    get: () => (reasons ??= slices.map((s, i) => launchReason(nameOf(model, launcher[s]), lat[i]))),
  });
  return result;
}
