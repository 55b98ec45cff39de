/**
 * How an exercise finds the timeline it is about. Islands on an Astro page
 * are separate Svelte roots but share this module, so a registry keyed by a
 * widget id connects them: ExerciseTimeline publishes its handle, the
 * learner's current selection and the loaded model under its `id`; an
 * Exercise with `timeline="<id>"` reads them. Either side may hydrate first:
 * the link object is created by whoever asks first and its fields are runes,
 * so the exercise updates when the timeline arrives.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import type { TimeRange, TimelineHandle, TimelineSelection } from '../timeline/units.ts';

export class TimelineLink {
  readonly id: string;
  handle = $state.raw<TimelineHandle | null>(null);
  selection = $state.raw<TimelineSelection>({ kind: 'none' });
  /** The model the widget shows (slice ids in `selection` refer to it). */
  model = $state.raw<TraceModel | null>(null);
  /** Per unsolved exercise, the detectors whose reasons would give its answer away (the widget hides them). */
  hiddenBy = $state.raw<Record<string, readonly string[]>>({});
  hiddenDetectors = $derived([...new Set(Object.values(this.hiddenBy).flat())]);

  /** Exercise `exerciseId` asks for what these detectors say (an empty list: it no longer does). */
  hideFacts(exerciseId: string, detectors: readonly string[]): void {
    const cur = this.hiddenBy[exerciseId] ?? [];
    if (cur.length === detectors.length && cur.every((d, i) => d === detectors[i])) return;
    const next = { ...this.hiddenBy };
    if (detectors.length) next[exerciseId] = detectors;
    else delete next[exerciseId];
    this.hiddenBy = next;
  }

  constructor(id: string) {
    this.id = id;
  }
}

const links = new Map<string, TimelineLink>();

export function timelineLink(id: string): TimelineLink {
  let l = links.get(id);
  if (!l) links.set(id, (l = new TimelineLink(id)));
  return l;
}

/**
 * Timelines that show the same time window, so a before/after pair reads on
 * one axis: whichever the learner moved last leads, the others follow
 * (clamped to their own trace). All traces count ns from their own start.
 */
export class SyncGroup {
  readonly name: string;
  window = $state.raw<TimeRange | null>(null);
  /** Id of the timeline that set `window`. */
  source = $state.raw<string | null>(null);
  /** End of each member's trace (ns): every member may scroll to the longest, so the windows can stay equal. */
  ends = $state.raw<Record<string, number>>({});
  maxEndNs = $derived(Math.max(0, ...Object.values(this.ends)));

  constructor(name: string) {
    this.name = name;
  }

  setEnd(id: string, endNs: number): void {
    if (this.ends[id] !== endNs) this.ends = { ...this.ends, [id]: endNs };
  }
}

const groups = new Map<string, SyncGroup>();

/**
 * Which exercise is pinned at the bottom of the viewport (one per page): an exercise whose widget is on
 * screen while the exercise itself is still below the fold. Among several, the one the learner last
 * worked in, else the one whose widget is most in view (then the first on the page); a solved one only
 * when it was the last worked in.
 */
export class PinBoard {
  candidates = $state.raw<Record<string, number>>({});
  /** The exercise the learner last clicked or typed in. */
  focused = $state.raw<string | null>(null);
  pinned = $derived.by(() => {
    const ids = Object.keys(this.candidates);
    if (this.focused && ids.includes(this.focused)) return this.focused;
    return ids.sort((a, b) => this.candidates[a] - this.candidates[b])[0] ?? null;
  });

  /** `order`: the exercise's rank as a candidate (lower first), or null (not a candidate). */
  set(id: string, order: number | null): void {
    const has = Object.hasOwn(this.candidates, id);
    if (order === null ? !has : this.candidates[id] === order) return;
    const next = { ...this.candidates };
    if (order === null) delete next[id];
    else next[id] = order;
    this.candidates = next;
  }
}

let board: PinBoard | null = null;
export function pinBoard(): PinBoard {
  return (board ??= new PinBoard());
}

/**
 * Where the mouse or pen is on the page (viewport px), or null (touch, or it left the window): a card that is
 * about to pin never appears under it (pin-dock.ts). Plain fields, not runes: read while placing, and
 * `onmove` callbacks (the exercises waiting for the pointer to leave their spot) hear each move.
 */
export const pointer = {
  at: null as { x: number; y: number } | null,
  waiting: new Set<() => void>(),
};
if (typeof window !== 'undefined') {
  addEventListener(
    'pointermove',
    (e) => {
      pointer.at = e.pointerType === 'touch' ? null : { x: e.clientX, y: e.clientY };
      pointer.waiting.forEach((f) => f());
    },
    { passive: true, capture: true },
  );
  document.documentElement.addEventListener('mouseleave', () => {
    pointer.at = null;
    pointer.waiting.forEach((f) => f());
  });
}

export function syncGroup(name: string): SyncGroup {
  let g = groups.get(name);
  if (!g) groups.set(name, (g = new SyncGroup(name)));
  return g;
}
