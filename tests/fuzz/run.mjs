#!/usr/bin/env node
// A longer fast-check campaign over the trace loader than the unit tests run:
//   npm run fuzz -- --minutes 10 [--seed 42]
// Splits the time between the three properties of src/lib/trace/property.test.ts
// (Node 24 runs the TypeScript test support directly). Exit 1 on a violation,
// printing fast-check's counterexample and the seed to replay it.
import fc from 'fast-check';
import { damagedTraceArbitrary, traceArbitrary } from '../../src/lib/trace/test-support/arbitraries.ts';
import { failsOnlyWithTraceLoadError, readsLikeJsonParse } from '../../src/lib/trace/test-support/properties.ts';

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}
const minutes = flag('minutes', 1);
const seed = flag('seed', Date.now() % 2 ** 31);
if (!(minutes > 0)) {
  console.error('usage: node tests/fuzz/run.mjs [--minutes N] [--seed S]');
  process.exit(2);
}

const properties = [
  ['generated traces read like JSON.parse', fc.asyncProperty(traceArbitrary, fc.integer({ min: 1, max: 300 }), ({ text }, chunk) => readsLikeJsonParse(text, chunk))],
  ['damaged traces fail only with TraceLoadError', fc.asyncProperty(damagedTraceArbitrary, fc.integer({ min: 1, max: 200 }), (b, chunk) => failsOnlyWithTraceLoadError(b, chunk))],
  ['random bytes fail only with TraceLoadError', fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 64 }), (b, chunk) => failsOnlyWithTraceLoadError(b, chunk))],
];

const budgetMs = (minutes * 60_000) / properties.length;
console.log(`fuzzing the trace loader for ${minutes} min, seed ${seed}`);
let failed = false;
for (const [name, property] of properties) {
  const started = Date.now();
  const result = await fc.check(property, {
    seed,
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: budgetMs,
    markInterruptAsFailure: false,
    timeout: 10_000, // a run that takes this long counts as a hang
  });
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  if (result.failed) {
    failed = true;
    console.log(`FAIL ${name} after ${result.numRuns} runs (${secs} s)`);
    console.log(fc.defaultReportMessage(result));
  } else {
    console.log(`ok   ${name}: ${result.numRuns} runs in ${secs} s`);
  }
}
process.exit(failed ? 1 : 0);
