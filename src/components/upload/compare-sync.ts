/**
 * The maths of two timelines on one shared axis: each run's time is shifted
 * so that its anchor (the start of a matched step, a slice the learner
 * picked, or the trace start) sits at shared time 0. A window in one run
 * maps to the other by removing one anchor and adding the other; each
 * timeline may scroll over the union of both runs' extents, so windows stay
 * equal at the edges too.
 */
import type { RunDiff } from '../../lib/analysis/diff.ts';
import type { Ns, TimeRange } from '../timeline/units.ts';

export interface Anchor {
  /** Anchor time in run A and in run B (ns from each trace's start). */
  aNs: Ns;
  bNs: Ns;
}

export interface AnchorOption extends Anchor {
  key: string;
  /** Step name in A and in B (equal when matched by number); empty for the trace start. */
  aName: string;
  bName: string;
}

/** A window of the run anchored at `from` as the same shared times in the run anchored at `to`. */
export function shiftWindow(w: TimeRange, fromNs: Ns, toNs: Ns): TimeRange {
  return { startNs: w.startNs - fromNs + toNs, endNs: w.endNs - fromNs + toNs };
}

/** How far each timeline must be able to scroll (its own ns) so that both can show any shared window. */
export function sharedBounds(endANs: Ns, endBNs: Ns, anchor: Anchor): { a: TimeRange; b: TimeRange } {
  const lo = Math.min(-anchor.aNs, -anchor.bNs);
  const hi = Math.max(endANs - anchor.aNs, endBNs - anchor.bNs);
  return { a: { startNs: lo + anchor.aNs, endNs: hi + anchor.aNs }, b: { startNs: lo + anchor.bNs, endNs: hi + anchor.bNs } };
}

/** The anchors offered: every matched step's start (the first is the default), then the trace starts. */
export function anchorOptions(diff: RunDiff): AnchorOption[] {
  const steps = diff.steps.map((p, i) => ({ key: `step${i}`, aNs: p.a.startNs, bNs: p.b.startNs, aName: p.a.name, bName: p.b.name }));
  return [...steps, { key: 'start', aNs: 0, bNs: 0, aName: '', bName: '' }];
}

export const sameWindow = (x: TimeRange | null, y: TimeRange | null): boolean => !!x && !!y && x.startNs === y.startNs && x.endNs === y.endNs;

/** A row of the diff summary the learner clicked: its slices are outlined in both runs. */
export interface DiffPick {
  kind: 'finding' | 'kernel';
  name: string;
}

/** The slices of a picked row in each run. */
export function pickedSlices(diff: RunDiff, pick: DiffPick): { a: number[]; b: number[] } | null {
  const row = pick.kind === 'kernel' ? diff.kernels.find((k) => k.name === pick.name) : diff.findings.find((f) => f.name === pick.name);
  return row ? { a: row.a.slices, b: row.b.slices } : null;
}
