/**
 * `tracewise slim`: a smaller copy of a trace for lessons and bug reports (see src/lib/trace/slim.ts
 * for what is kept and why).
 *
 *   tracewise slim IN -o OUT.json.gz [--steps A[-B] | --window FROM-TO] [--end-pad-us N]
 *                                    [--drop-fields stack,memory,shapes,args:NAME]
 *
 * `--window` is in µs from the trace's first event, as viewers show time. The whole input is read
 * and parsed at once (JSON.parse), so inputs are limited to MAX_JSON_BYTES of JSON. The gzip output
 * carries no timestamp, so the same input and options give the same bytes.
 *
 * Exit codes: 0 written; 2 bad usage or input (one line `tracewise: FILE: problem`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  DROP_FIELD_HELP,
  parseDropFields,
  SlimError,
  slimTrace,
  traceStartUs,
  type DropField,
  type SlimOptions,
} from '../lib/trace/slim.ts';
import { describeFileError } from './files.ts';

/** Beyond this the JSON text nears V8's string limit (~512 MiB); slim needs the whole text at once. */
export const MAX_JSON_BYTES = 500 * 1024 * 1024;
const GZIP_LEVEL = 9;

const USAGE = `usage: tracewise slim IN -o OUT.json[.gz] [--steps A[-B] | --window FROM-TO] [--end-pad-us N] [--drop-fields LIST]
  --steps A-B        keep the host span of ProfilerStep#A .. ProfilerStep#B
  --window FROM-TO   keep [FROM, TO] µs, counted from the trace's first event
  --end-pad-us N     keep N µs more after the end (device work that lags the host)
  --drop-fields LIST comma-separated: ${DROP_FIELD_HELP}
IN may be .json or .json.gz (at most ${MAX_JSON_BYTES / 1024 / 1024} MiB of JSON); OUT ending in .gz is gzipped.`;

class UsageError extends Error {}

interface Args {
  input: string;
  output: string;
  steps: { first: number; last: number } | null;
  window: { from: number; to: number } | null;
  endPadUs: number;
  drop: DropField[];
}

function range(text: string, what: string, integer: boolean): [number, number] {
  const m = /^\s*([0-9.]+)\s*(?:-\s*([0-9.]+)\s*)?$/.exec(text);
  const a = m ? Number(m[1]) : NaN;
  const b = m ? (m[2] === undefined ? a : Number(m[2])) : NaN;
  const ok = Number.isFinite(a) && Number.isFinite(b) && a <= b && (!integer || (Number.isInteger(a) && Number.isInteger(b)));
  if (!ok) throw new UsageError(`${what} must look like ${integer ? '2-3 or 2' : '1500-4200.5'} (got '${text}')`);
  return [a, b];
}

function parse(argv: string[]): Args | 'help' {
  const args = argv[0] === 'slim' ? argv.slice(1) : argv.slice();
  const o: Args = { input: '', output: '', steps: null, window: null, endPadUs: 0, drop: [] };
  const value = (i: number, flag: string): string => {
    const v = args[i + 1];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '-o':
      case '--out':
        o.output = value(i++, a);
        break;
      case '--steps': {
        const [first, last] = range(value(i++, a), '--steps', true);
        o.steps = { first, last };
        break;
      }
      case '--window': {
        const [from, to] = range(value(i++, a), '--window', false);
        o.window = { from, to };
        break;
      }
      case '--end-pad-us': {
        const v = Number(value(i++, a));
        if (!(Number.isFinite(v) && v >= 0)) throw new UsageError('--end-pad-us must be a number ≥ 0');
        o.endPadUs = v;
        break;
      }
      case '--drop-fields':
        try {
          o.drop = parseDropFields(value(i++, a));
        } catch (e) {
          throw new UsageError(`--drop-fields: ${(e as Error).message}`);
        }
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (o.input) throw new UsageError(`one input file only (got '${o.input}' and '${a}')`);
        o.input = a;
    }
  }
  if (!o.input) throw new UsageError('missing input file');
  if (!o.output) throw new UsageError('missing -o OUT');
  if (o.steps && o.window) throw new UsageError('give --steps or --window, not both');
  return o;
}

/** The parsed JSON of a .json or .json.gz file; throws SlimError with a one-line reason. */
export function readTraceJson(path: string): unknown {
  let bytes: Buffer = readFileSync(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_JSON_BYTES + 1 });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new SlimError(tooLarge());
      throw new SlimError('not valid gzip (corrupt or truncated)');
    }
  }
  if (bytes.length > MAX_JSON_BYTES) throw new SlimError(tooLarge());
  if (bytes.length === 0) throw new SlimError('empty file');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new SlimError(`not valid JSON (${((e as Error).message ?? '').split('\n')[0]})`);
  }
}

function tooLarge(): string {
  return `too large for slim: more than ${MAX_JSON_BYTES / 1024 / 1024} MiB of JSON (it parses the whole text at once)`;
}

export async function run(argv: string[]): Promise<number> {
  let o: Args | 'help';
  try {
    o = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tracewise: slim: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (o === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const a = o;
  let json: unknown;
  try {
    json = readTraceJson(a.input);
  } catch (e) {
    const why = e instanceof SlimError ? e.message : describeFileError(e);
    if (why === null) throw e;
    process.stderr.write(`tracewise: ${a.input}: ${why}\n`);
    return 2;
  }
  const opts: SlimOptions = { drop: a.drop, endPadUs: a.endPadUs };
  let result;
  try {
    if (a.steps) opts.steps = a.steps;
    if (a.window) {
      const start = traceStartUs(json);
      if (Number.isNaN(start)) throw new SlimError('has no timed events to take a window of');
      opts.windowUs = { fromUs: start + a.window.from, toUs: start + a.window.to };
    }
    result = slimTrace(json, opts);
  } catch (e) {
    if (!(e instanceof SlimError)) throw e;
    process.stderr.write(`tracewise: ${a.input}: ${e.message}\n`);
    return 2;
  }
  const text = JSON.stringify(result.trace);
  const bytes = a.output.endsWith('.gz') ? gzipSync(text, { level: GZIP_LEVEL }) : Buffer.from(text, 'utf8');
  try {
    writeFileSync(a.output, bytes);
  } catch (e) {
    const why = describeFileError(e);
    if (why === null) throw e;
    process.stderr.write(`tracewise: ${a.output}: ${why}\n`);
    return 2;
  }
  const s = result.stats;
  const w = s.windowUs ? `, window ${(s.windowUs.toUs - s.windowUs.fromUs).toFixed(1)} µs` : '';
  process.stdout.write(
    `${a.output}: kept ${s.keptEvents.toLocaleString('en-US')} of ${s.sourceEvents.toLocaleString('en-US')} events${w}` +
      ` (${s.droppedOutsideWindow} outside the window, ${s.droppedByField} by --drop-fields, ${s.droppedFlowEvents} unpaired flow events${s.droppedUnmatched ? `, ${s.droppedUnmatched} unmatched B/E` : ''})` +
      `, ${(bytes.length / 1024).toFixed(0)} KiB\n`,
  );
  return 0;
}
