#!/usr/bin/env node
// A longer fast-check campaign over the trace loader than the unit tests run:
//   npm run fuzz -- --minutes 10 [--seed 42]
// Splits the time between the three properties of src/lib/trace/property.test.ts
// and the real-trace property of real-traces.mjs (tokenizer, loader and every
// detector on mutated windows of ../shared/traces; Node 24 runs the TypeScript
// directly). Exit 1 on a violation, printing fast-check's counterexample and
// the seed to replay it; the totals line says how many cases ran.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { damagedTraceArbitrary, traceArbitrary } from '../../src/lib/trace/test-support/arbitraries.ts';
import { failsOnlyWithTraceLoadError, readsLikeJsonParse } from '../../src/lib/trace/test-support/properties.ts';
import { loadsAndAnalyses, mutatedRealTraceArbitrary, realTraces } from './real-traces.mjs';

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
const real = realTraces();
if (real.traces.length > 0) {
  properties.push([
    `mutated real traces (${real.traces.length} files) load, analyse and chunk alike`,
    fc.asyncProperty(mutatedRealTraceArbitrary(real.traces), fc.integer({ min: 1, max: 4096 }), ({ bytes }, chunk) => loadsAndAnalyses(bytes, chunk)),
  ]);
} else console.log(`real-trace property skipped: ${real.reason}`);

const budgetMs = (minutes * 60_000) / properties.length;
console.log(`fuzzing the trace loader for ${minutes} min, seed ${seed}`);
let failed = false;
let cases = 0;
const startedAll = Date.now();
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
  cases += result.numRuns;
  if (result.failed) {
    failed = true;
    console.log(`FAIL ${name} after ${result.numRuns} runs (${secs} s)`);
    // The counterexample can be megabytes (a real trace's window): save it, print the error.
    const file = join(tmpdir(), `tracewise-fuzz-${seed}-${properties.indexOf(properties.find(([n]) => n === name))}.json`);
    writeFileSync(file, JSON.stringify(result.counterexample, (k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)));
    console.log(`  ${String(result.errorInstance?.message ?? result.error).split('\n')[0]}`);
    console.log(`  replay: npm run fuzz -- --seed ${seed} (path ${result.counterexamplePath}); counterexample (Uint8Arrays as latin1 text) in ${file}`);
  } else {
    console.log(`ok   ${name}: ${result.numRuns} runs in ${secs} s`);
  }
}
console.log(`${failed ? 'FAILED' : 'passed'}: ${cases} cases in ${((Date.now() - startedAll) / 60_000).toFixed(1)} min, seed ${seed}, ${new Date().toISOString()}`);
process.exit(failed ? 1 : 0);
