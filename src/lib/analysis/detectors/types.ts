/**
 * What every detector returns: the slices it matched (device-side slices when
 * the trace has them), a confidence in [0, 1] and a one-line reason per match,
 * and a one-line summary. A detector reports each execution once (the kernel,
 * not also the op or scope that launched it), so `totalNs`, the sum of the
 * matched durations, does not double count.
 *
 * `count` counts applications of the operation, `kernels` the matched slices:
 * a fused kernel is one application; a chain of generic kernels found through
 * their enclosing scope (python function, nn.Module, record_function, aten::
 * op, GPU annotation) is one application per scope instance. HF's eager RoPE
 * is ~14 elementwise kernels under one `apply_rotary_pos_emb`: one
 * application, 14 kernels.
 */
import type { Ns, SliceId } from '../../trace/model.ts';

export const COLLECTIVE_NAMES = [
  'all_reduce',
  'reduce_scatter',
  'all_gather',
  'all_to_all',
  'broadcast',
  'send_recv',
] as const;
export type CollectiveName = (typeof COLLECTIVE_NAMES)[number];

export const SEMANTIC_NAMES = [
  'rope',
  'attention',
  'paged_attention',
  'kv_cache_write',
  'matmul',
  'norm',
  'activation',
  'moe',
] as const;
export type SemanticName = (typeof SEMANTIC_NAMES)[number];

export const DETECTOR_NAMES = [
  ...COLLECTIVE_NAMES,
  ...SEMANTIC_NAMES,
  'event_wait',
  'sync',
  'launch_latency',
] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

export interface DetectorResult {
  name: DetectorName;
  slices: SliceId[];
  /** Per match, 0..1. */
  confidence: number[];
  /** Per match, one line saying which signal matched. */
  reasons: string[];
  /** One line for the whole detector. */
  reason: string;
  /** Applications of the operation: distinct `applications` entries, less the `setup` ones. */
  count: number;
  /** Scope instances that only prepare the operation (RoPE's cos/sin table): in `kernels` and `totalNs`, not in `count`. */
  setup: number;
  /** Those scope instances (distinct `applications` entries), in slice-id order; empty when `setup` is 0. */
  setupScopes: SliceId[];
  /** Matched slices (kernels, tasks or host calls): `slices.length`. */
  kernels: number;
  /** Per match, the slice that stands for its application: the kernel itself, or the enclosing scope it was found through. */
  applications: SliceId[];
  /** Sum of matched durations (launch_latency: sum of latencies). */
  totalNs: Ns;
  /** launch_latency only: the distribution. */
  latency?: LatencyStats;
}

export interface LatencyStats {
  p50Ns: Ns;
  p90Ns: Ns;
  p99Ns: Ns;
  maxNs: Ns;
  /** Latencies above this are outliers: max(Q3 + 3·IQR, 2·p50). */
  outlierThresholdNs: Ns;
  /** Device slices whose launch latency is an outlier, worst first. */
  outliers: SliceId[];
  /** Launches whose device start precedes the host call (clock skew); left out of the distribution. */
  negative: number;
}

/** Collects matches and keeps each slice once (the first, most confident, wins). */
export class MatchList {
  readonly slices: SliceId[] = [];
  readonly confidence: number[] = [];
  readonly reasons: string[] = [];
  readonly applications: SliceId[] = [];
  /** One byte per slice id seen so far (a Set of hundreds of thousands of ids cost more in rehashing and GC). */
  private seen = new Uint8Array(0);
  private readonly setupScopes = new Set<SliceId>();

  /** `application`: the scope instance the match was found through (default: the slice itself, one application). */
  add(slice: SliceId, confidence: number, reason: string, application: SliceId = slice): void {
    if (this.has(slice)) return;
    if (slice >= this.seen.length) {
      const grown = new Uint8Array(Math.max(slice + 1, this.seen.length * 2, 1024));
      grown.set(this.seen);
      this.seen = grown;
    }
    this.seen[slice] = 1;
    this.slices.push(slice);
    this.confidence.push(confidence);
    this.reasons.push(reason);
    this.applications.push(application);
  }

  /** The application scope `app` prepares the operation instead of applying it (SemanticSpec.setup). */
  markSetup(app: SliceId): void {
    this.setupScopes.add(app);
  }

  has(slice: SliceId): boolean {
    return this.seen[slice] === 1;
  }

  result(name: DetectorName, reason: string, durNs: Float64Array): DetectorResult {
    // Report in slice-id order (track, then time) for stable output; most passes add in that order already.
    let ascending = true;
    for (let i = 1; i < this.slices.length && ascending; i++) ascending = this.slices[i - 1] < this.slices[i];
    const order = ascending ? null : this.slices.map((_, i) => i).sort((a, b) => this.slices[a] - this.slices[b]);
    const inOrder = <T>(xs: T[]): T[] => (order ? order.map((i) => xs[i]) : xs.slice());
    const slices = inOrder(this.slices);
    const applications = inOrder(this.applications);
    let totalNs = 0;
    for (const s of slices) totalNs += durNs[s];
    const distinct = distinctCount(applications);
    // Setup scopes are left out of count only when some instance applies the operation.
    let setupScopes = [...this.setupScopes].sort((a, b) => a - b);
    if (setupScopes.length === distinct) setupScopes = [];
    const setup = setupScopes.length;
    return {
      name,
      slices,
      confidence: inOrder(this.confidence),
      reasons: inOrder(this.reasons),
      reason,
      count: distinct - setup,
      setup,
      setupScopes,
      kernels: slices.length,
      applications,
      totalNs,
    };
  }
}

/** Distinct values among slice ids (non-negative integers): a byte per id instead of a Set. */
function distinctCount(ids: readonly SliceId[]): number {
  let max = -1;
  let min = 0;
  for (const id of ids) {
    if (id > max) max = id;
    if (!(id >= min)) min = id; // negative or NaN: not a slice id
  }
  if (min < 0 || !(min === min) || max > 4 * ids.length + 1_000_000) return new Set(ids).size;
  const seen = new Uint8Array(max + 1);
  let n = 0;
  for (const id of ids) {
    if (seen[id] === 0) {
      seen[id] = 1;
      n++;
    }
  }
  return n;
}
