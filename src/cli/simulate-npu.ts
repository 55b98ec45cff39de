/**
 * `tracewise simulate-npu`: writes the simulated Ascend samples of the NPU
 * lesson (torch_npu trace_view.json format, gzip) from the model in
 * src/lib/simulate. Output is a pure function of (scenario, steps, seed):
 * re-running reproduces the committed files byte for byte (fixed gzip level,
 * no timestamps in the gzip header).
 *
 *   tracewise simulate-npu --scenario baseline [--steps 2] [--seed 20251124] -o out.json.gz
 *   tracewise simulate-npu --all -o public/traces [--manifest public/traces/manifest.json]
 *
 * `--manifest FILE` merges the samples' provenance entries into a manifest
 * (a JSON array of entries, matched by id). Exit codes: 0 done, 2 bad input.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateScenario } from '../lib/simulate/generate.ts';
import type { Generated } from '../lib/simulate/generate.ts';
import { manifestEntry, sampleFileName } from '../lib/simulate/manifest-entry.ts';
import type { SimulatedManifestEntry } from '../lib/simulate/manifest-entry.ts';
import { DEFAULT_SEED, DEFAULT_STEPS, SCENARIO_NAMES } from '../lib/simulate/scenarios.ts';
import type { ScenarioName } from '../lib/simulate/scenarios.ts';

/** zlib level of the committed samples; changing it changes every committed byte. */
export const GZIP_LEVEL = 9;

const USAGE = `usage: tracewise simulate-npu (--scenario NAME | --all) [--steps N] [--seed S] -o OUT [--manifest FILE]
  scenarios: ${SCENARIO_NAMES.join(', ')}
  -o OUT     a .json.gz (or .json) file with --scenario, a folder with --all`;

class UsageError extends Error {}

interface Options {
  scenario: ScenarioName | null;
  all: boolean;
  steps: number;
  seed: number;
  out: string;
  manifest: string | null;
}

function parse(argv: string[]): Options | 'help' {
  const args = argv[0] === 'simulate-npu' ? argv.slice(1) : argv.slice();
  const o: Options = { scenario: null, all: false, steps: DEFAULT_STEPS, seed: DEFAULT_SEED, out: '', manifest: null };
  const value = (i: number, flag: string): string => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith('-')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '--all':
        o.all = true;
        break;
      case '--scenario': {
        const v = value(i++, a);
        if (!(SCENARIO_NAMES as readonly string[]).includes(v)) throw new UsageError(`unknown scenario '${v}' (known: ${SCENARIO_NAMES.join(', ')})`);
        o.scenario = v as ScenarioName;
        break;
      }
      case '--steps': {
        const n = Number(value(i++, a));
        if (!Number.isInteger(n) || n < 1 || n > 50) throw new UsageError('--steps must be an integer from 1 to 50');
        o.steps = n;
        break;
      }
      case '--seed': {
        const n = Number(value(i++, a));
        if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new UsageError('--seed must be an integer from 0 to 4294967295');
        o.seed = n;
        break;
      }
      case '-o':
      case '--out':
        o.out = value(i++, a);
        break;
      case '--manifest':
        o.manifest = value(i++, a);
        break;
      default:
        throw new UsageError(`unknown argument '${a}'`);
    }
  }
  if (o.all === (o.scenario !== null)) throw new UsageError('give exactly one of --scenario NAME or --all');
  if (!o.out) throw new UsageError('missing -o OUT');
  if (o.all && existsSync(o.out) && !statSync(o.out).isDirectory()) throw new UsageError(`${o.out} is not a folder`);
  return o;
}

/** Deterministic bytes of a generated sample: gzip for *.gz, plain JSON otherwise. */
export function sampleBytes(g: Generated, path: string): Buffer {
  const json = Buffer.from(g.json, 'utf8');
  return path.endsWith('.gz') ? gzipSync(json, { level: GZIP_LEVEL }) : json;
}

function ms(ns: number): string {
  return (ns / 1e6).toFixed(2);
}

function mergeManifest(path: string, entries: SimulatedManifestEntry[]): void {
  let list: unknown[] = [];
  if (existsSync(path)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new UsageError(`${path}: not valid JSON`);
    }
    if (!Array.isArray(parsed)) throw new UsageError(`${path}: expected a JSON array of manifest entries`);
    list = parsed;
  }
  for (const e of entries) {
    const at = list.findIndex((x) => typeof x === 'object' && x !== null && (x as { id?: unknown }).id === e.id);
    if (at >= 0) list[at] = e;
    else list.push(e);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(list, null, 2)}\n`);
}

export async function run(argv: string[]): Promise<number> {
  let o: Options | 'help';
  try {
    o = parse(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`simulate-npu: ${e.message} (see --help)`);
      return 2;
    }
    throw e;
  }
  if (o === 'help') {
    console.log(USAGE);
    return 0;
  }
  const opts = o;
  const names: readonly ScenarioName[] = opts.all ? SCENARIO_NAMES : [opts.scenario!];
  const entries: SimulatedManifestEntry[] = [];
  try {
    if (opts.all) mkdirSync(opts.out, { recursive: true });
    for (const name of names) {
      const path = opts.all ? join(opts.out, sampleFileName(name)) : opts.out;
      const g = generateScenario(name, opts.steps, opts.seed);
      const bytes = sampleBytes(g, path);
      if (!opts.all) mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const file = path.split(/[\\/]/).pop()!;
      entries.push(manifestEntry(name, g, sha, file));
      const v = g.overlap;
      console.log(
        `${path}: ${(bytes.length / 1024).toFixed(0)} KiB, span ${ms(v.spanNs)} ms, computing ${ms(v.computingNs)} ms, ` +
          `communication ${ms(v.communicationNs)} ms, not overlapped ${ms(v.communicationNotOverlappedNs)} ms, free ${ms(v.freeNs)} ms`,
      );
    }
    if (opts.manifest) {
      mergeManifest(opts.manifest, entries);
      console.log(`${opts.manifest}: ${entries.length} simulated entr${entries.length === 1 ? 'y' : 'ies'} merged`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`simulate-npu: ${e.message}`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string') {
      console.error(`simulate-npu: ${err.path ?? opts.out}: ${err.code} ${err.message.split('\n')[0]}`);
      return 2;
    }
    throw e;
  }
  return 0;
}
