/**
 * One trace an exercise needs (compare needs two): the linked timeline's
 * model when there is one, else loaded by URL through the timeline's shared
 * cache, so a widget and an exercise showing the same sample load it once.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { loadSharedTrace, type SharedLoad } from '../timeline/trace-cache.ts';
import { analysisOf } from '../../lib/worker/client.ts';
import type { TimelineLink } from './registry.svelte.ts';
import { siteUrl } from './site-url.ts';

export class TraceSlot {
  readonly url: string | null;
  readonly link: TimelineLink | null;
  loaded = $state.raw<TraceModel | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private load: SharedLoad | null = null;
  private pending: Promise<void> | null = null;

  constructor(url: string | undefined, link: TimelineLink | null) {
    this.url = url ? siteUrl(url) : null;
    this.link = link;
  }

  /** The model to check answers against (the timeline's own, so its slice ids match the selection). */
  get model(): TraceModel | null {
    return this.link?.model ?? this.loaded;
  }

  /** Starts loading by URL unless a model is already there. */
  ensure(): void {
    if (this.model || this.loading || !this.url) return;
    this.loading = true;
    this.error = null;
    const load = loadSharedTrace(this.url, () => {});
    this.load = load;
    this.pending = load.promise.then(
      (m) => {
        if (this.load !== load) return;
        this.loaded = m;
        this.loading = false;
      },
      (e: unknown) => {
        if (this.load !== load) return;
        this.loading = false;
        this.error = (e as Error)?.message ?? String(e);
      },
    );
  }

  /**
   * Resolves once the model is there with its analysis in lib/analysis' memo
   * (a lesson's model can come before its detectors: client.ts `analysed`), or
   * loading failed (see `error`): a check then reads the worker's results.
   */
  ready(): Promise<void> {
    this.ensure();
    const analysed = (): Promise<void> | undefined => (this.model ? analysisOf(this.model).analysed : undefined);
    return this.model ? (analysed() ?? Promise.resolve()) : (this.pending ?? Promise.resolve()).then(analysed);
  }

  dispose(): void {
    this.load?.cancel();
    this.load = null;
  }
}
