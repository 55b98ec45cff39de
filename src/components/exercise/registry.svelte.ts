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
import type { TimelineHandle, TimelineSelection } from '../timeline/units.ts';

export class TimelineLink {
  readonly id: string;
  handle = $state.raw<TimelineHandle | null>(null);
  selection = $state.raw<TimelineSelection>({ kind: 'none' });
  /** The model the widget shows (slice ids in `selection` refer to it). */
  model = $state.raw<TraceModel | null>(null);

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
