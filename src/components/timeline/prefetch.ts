/**
 * Starts loading a timeline's trace the moment its island scrolls into view,
 * beside the island's own code. A widget hydrates when visible
 * (`client:visible`): Astro then fetches its code (the widget's chunk and what
 * it imports, ~50 KB gzip), evaluates and mounts it, and only then would the
 * widget start its worker; here the worker, the trace's download and its parse
 * run meanwhile, and the widget takes the load over (trace-cache.ts's
 * `prefetchTrace`). Timeline.svelte marks its box with `data-tw-trace` (the
 * URL it will load) in the server-rendered page; Timeline.astro and
 * ExerciseTimeline.astro run `prefetchVisibleTraces` from a page script.
 * No trace is fetched for a widget that never comes into view; the loader's
 * code (trace-cache.ts and what it imports) is fetched as soon as the page has
 * a widget, so it is there when the first one comes into view.
 */
let started = false;

/** Watches every `[data-tw-trace]` box of the page; idempotent (both wrappers call it). */
export function prefetchVisibleTraces(root: ParentNode = document): void {
  if (started || typeof IntersectionObserver === 'undefined') return;
  started = true;
  const boxes = [...root.querySelectorAll<HTMLElement>('[data-tw-trace]')];
  if (!boxes.length) return;
  // The loader's code is fetched now, while the page waits for its first layout: imported only when a box
  // came into view, its fetch and evaluation (80–170 ms on a page busy hydrating) delayed every load.
  let cache: Promise<typeof import('./trace-cache.ts')> | null = null;
  const loader = () => (cache ??= import('./trace-cache.ts'));
  void loader().catch(() => (cache = null));
  // The same trigger as Astro's client:visible (any part of the box in the viewport).
  const io = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      io.unobserve(entry.target);
      const url = (entry.target as HTMLElement).dataset.twTrace;
      if (url) void loader().then((m) => m.prefetchTrace(url));
    }
  });
  for (const box of boxes) io.observe(box);
}
