/**
 * Test support (Node only; never import from library code).
 *
 * - `sliceAt(model, name, startNs)`: a slice by name and start, so tests can
 *   name the expected answer from a fixture's hand-written times.
 * - `loadBundledTrace(url)`: the model of a sample trace as the site serves
 *   it (`/traces/x.json.gz` → public/traces/x.json.gz). The simulated NPU
 *   samples are deterministic output of lib/simulate, so when the file is not
 *   in public/ yet they are regenerated with the same parameters the CLI uses
 *   (same bytes as `tracewise simulate-npu --all`). Other samples are skipped
 *   when absent (null).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { generateScenario } from '../simulate/generate.ts';
import { SCENARIO_NAMES, type ScenarioName } from '../simulate/scenarios.ts';
import { loadTrace } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function sliceAt(model: TraceModel, name: string, startNs: number): number {
  for (let i = 0; i < model.slices.length; i++) {
    if (model.strings[model.slices.name[i]] === name && model.slices.startNs[i] === startNs) return i;
  }
  throw new Error(`no slice ${name} at ${startNs}`);
}

const cache = new Map<string, Promise<TraceModel | null>>();

export function bundledTracePath(url: string): string {
  return resolve(repoRoot, 'public', url.replace(/^\/+/, ''));
}

function simulatedScenario(url: string): ScenarioName | null {
  const m = /^\/?traces\/npu-deepseek-(.+)\.json(\.gz)?$/.exec(url);
  return m && (SCENARIO_NAMES as readonly string[]).includes(m[1]) ? (m[1] as ScenarioName) : null;
}

/** Whether `loadBundledTrace(url)` will find the trace (cheap: no loading). */
export function bundledTraceAvailable(url: string): boolean {
  return existsSync(bundledTracePath(url)) || simulatedScenario(url) !== null;
}

/** The raw JSON text of a bundled trace (file, or regenerated simulated sample); null when unavailable. */
export function bundledTraceJson(url: string): string | null {
  const path = bundledTracePath(url);
  if (existsSync(path)) {
    const b = readFileSync(path);
    return (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b).toString('utf8');
  }
  const scenario = simulatedScenario(url);
  return scenario ? generateScenario(scenario).json : null;
}

export function loadBundledTrace(url: string): Promise<TraceModel | null> {
  let p = cache.get(url);
  if (!p) {
    const json = bundledTraceJson(url);
    p = json === null ? Promise.resolve(null) : loadTrace(new TextEncoder().encode(json), { fileName: url });
    cache.set(url, p);
  }
  return p;
}
