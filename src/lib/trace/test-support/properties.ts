/**
 * Test support: the loader's properties as plain functions that throw on a
 * violation (no test framework inside), run by property.test.ts for a few
 * hundred cases and by tests/fuzz/run.mjs for minutes.
 */
import { chunkedStream, loadOutcome } from './arbitraries.ts';
import { eventsOf, reference } from './reference.ts';

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`property violated: ${what}`);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A generated (valid) trace reads exactly as a JSON.parse reading says, in chunks of `chunk` bytes. */
export async function readsLikeJsonParse(text: string, chunk: number): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  const ref = reference(eventsOf(JSON.parse(text)));
  const out = await loadOutcome(chunkedStream(bytes, chunk));
  if (ref.events === 0) {
    check(out.kind === 'model' ? out.model.stats.events === 0 : out.error.code === 'not-a-trace', 'a trace without events is empty or not a trace');
    return;
  }
  check(out.kind === 'model', `loads (got ${out.kind === 'error' ? `${out.error.code}: ${out.error.message}` : ''})`);
  if (out.kind !== 'model') return;
  const m = out.model;
  check(m.stats.events === ref.events, `events ${m.stats.events} = ${ref.events}`);
  check(same(sortKeys(m.stats.byPhase), sortKeys(ref.byPhase)), 'events per phase');
  check(!m.stats.truncated, 'not truncated');
  check(m.slices.length >= ref.slices, 'every X event is a slice');
  check(m.instants.length === ref.instants, 'instants');
  check(m.counters.length === [...ref.counterSamples.values()].reduce((a, b) => a + b, 0), 'counter samples');
  check(m.flows.length === ref.flowArrows, 'flow arrows');
  check(m.endNs === ref.endNs, `end ${m.endNs} = ${ref.endNs}`);
}

/** Damaged bytes load or fail with a TraceLoadError (loadOutcome rethrows anything else). */
export async function failsOnlyWithTraceLoadError(bytes: Uint8Array, chunk: number): Promise<void> {
  const out = await loadOutcome(chunkedStream(bytes, chunk));
  if (out.kind === 'error') check(out.error.position === undefined || (out.error.position >= 0 && out.error.position <= bytes.length), 'error position within the input');
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
