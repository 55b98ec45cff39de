// Property tests (fast-check): generated traces read like JSON.parse reads
// them, in any chunking; damaged ones (cut, flipped, spliced, random bytes)
// never make the loader throw anything but a TraceLoadError, and never hang.
// tests/fuzz/run.mjs runs the same properties for minutes.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { damagedTraceArbitrary, traceArbitrary } from './test-support/arbitraries.ts';
import { failsOnlyWithTraceLoadError, readsLikeJsonParse } from './test-support/properties.ts';

const RUNS = Number(process.env.TRACEWISE_PROPERTY_RUNS ?? 150);
const options = { numRuns: RUNS, timeout: 5000 };

describe('generated traces', () => {
  it('read the same events as JSON.parse, in any chunking', async () => {
    await fc.assert(fc.asyncProperty(traceArbitrary, fc.integer({ min: 1, max: 300 }), ({ text }, chunk) => readsLikeJsonParse(text, chunk)), options);
  });
});

describe('damaged traces', () => {
  it('either load or fail with a TraceLoadError', async () => {
    await fc.assert(fc.asyncProperty(damagedTraceArbitrary, fc.integer({ min: 1, max: 200 }), (bytes, chunk) => failsOnlyWithTraceLoadError(bytes, chunk)), options);
  });

  it('random bytes either load or fail with a TraceLoadError', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => failsOnlyWithTraceLoadError(bytes, chunk)), options);
  });
});
