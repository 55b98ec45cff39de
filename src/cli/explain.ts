/**
 * `tracewise explain FILE... [--name REGEX] [--json] [--lang en|zh-CN]`: every distinct slice name
 * (matching REGEX, when given; device slices only when not) with what the decoder in
 * src/lib/analysis/explain says about it: family, category, fields, role. `--json` prints one object per
 * file per line, schema `tracewise.explain/1`:
 * `{"schema","file","names":[{"name","count","family","category","fields":{…}}]}` (`family` null when the
 * name is not recognised; `category` one of computing / communication / wait / copy / host, the most
 * common among the name's slices).
 *
 * Exit codes: 0 done (also when nothing matched); 2 bad input or usage (a file that is not a trace, a
 * REGEX that does not compile); 1 an internal error.
 */
import type { SliceId, TraceModel } from '../lib/trace/model.ts';
import { nameOf } from '../lib/analysis/access.ts';
import { sliceKinds } from '../lib/analysis/activity.ts';
import { decodeSlice, type ExplainCategory, type FieldValue, type NameDecoding } from '../lib/analysis/explain/index.ts';
import { loadTraceFile } from './files.ts';
import { parseTraceArgs } from './args.ts';
import { problemLine } from './analyze.ts';

const USAGE = 'usage: tracewise explain FILE... [--name REGEX] [--json] [--lang en|zh-CN] [--max-inflated-mib N]   (without --name: every device slice name)';

export interface ExplainedName {
  name: string;
  count: number;
  family: string | null;
  category: ExplainCategory;
  fields: Record<string, FieldValue>;
}

export interface ExplainJson {
  schema: 'tracewise.explain/1';
  file: string;
  names: ExplainedName[];
}

interface Group {
  first: SliceId;
  count: number;
  categories: Map<ExplainCategory, number>;
}

/** Distinct names (matching `pattern`, or on a device when null), most frequent first. */
export function explainNames(file: string, model: TraceModel, pattern: RegExp | null): { json: ExplainJson; decodings: Map<string, NameDecoding | null> } {
  const kinds = sliceKinds(model);
  const groups = new Map<string, Group>();
  for (let s = 0; s < model.slices.length; s++) {
    const name = nameOf(model, s);
    if (pattern ? !pattern.test(name) : kinds[s] === null) continue;
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { first: s, count: 0, categories: new Map() }));
    g.count++;
    // The category depends on where a slice sits (a Notify Wait on a stream or on a Plane thread), so count each.
    const c = decodeSlice(model, s).category;
    g.categories.set(c, (g.categories.get(c) ?? 0) + 1);
  }
  const decodings = new Map<string, NameDecoding | null>();
  const names: ExplainedName[] = [];
  for (const [name, g] of groups) {
    const { decoding } = decodeSlice(model, g.first);
    decodings.set(name, decoding);
    const category = [...g.categories].sort((a, b) => b[1] - a[1])[0][0];
    names.push({ name, count: g.count, family: decoding?.family ?? null, category, fields: decoding?.fields ?? {} });
  }
  names.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { json: { schema: 'tracewise.explain/1', file, names }, decodings };
}

function human(json: ExplainJson, decodings: Map<string, NameDecoding | null>, lang: 'en' | 'zh'): string {
  const out = [json.file];
  if (!json.names.length) out.push(lang === 'en' ? '  no matching slice' : '  没有匹配的 slice');
  for (const n of json.names) {
    const d = decodings.get(n.name) ?? null;
    out.push(`  ${String(n.count).padStart(6)}×  ${n.name}`);
    const pad = ' '.repeat(11);
    if (!d) {
      out.push(`${pad}${lang === 'en' ? 'not recognised' : '未识别'} · ${n.category}`);
      continue;
    }
    out.push(`${pad}${d.label[lang]} · ${n.category}`);
    const fields = Object.entries(n.fields).map(([k, v]) => `${k}=${v}`).join(' ');
    if (fields) out.push(`${pad}${fields}`);
    out.push(`${pad}${d.role[lang]}`);
    for (const c of d.caveats) out.push(`${pad}! ${c[lang]}`);
  }
  return out.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  let pattern: RegExp | null = null;
  let lang: 'en' | 'zh' = 'en';
  const args = parseTraceArgs('explain', argv, USAGE, (a, value) => {
    if (a === '--name') {
      const src = value();
      if (src === undefined) {
        process.stderr.write(`tracewise: explain: --name needs a regular expression\n${USAGE}\n`);
        return 2;
      }
      try {
        pattern = new RegExp(src);
      } catch (e) {
        process.stderr.write(`tracewise: explain: --name ${JSON.stringify(src)} is not a regular expression (${(e as Error).message.split('\n')[0]})\n`);
        return 2;
      }
      return true;
    }
    if (a === '--lang') {
      const l = value();
      if (l !== 'en' && l !== 'zh-CN') {
        process.stderr.write(`tracewise: explain: --lang is en or zh-CN\n${USAGE}\n`);
        return 2;
      }
      lang = l === 'en' ? 'en' : 'zh';
      return true;
    }
    return false;
  });
  if (typeof args === 'number') return args;
  const { asJson, files, opts } = args;
  if (!files.length) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let code = 0;
  let first = true;
  for (const file of files) {
    let model: TraceModel;
    try {
      model = await loadTraceFile(file, opts);
    } catch (e) {
      const line = problemLine(file, e);
      if (line === null) throw e;
      process.stderr.write(`${line}\n`);
      code = 2;
      continue;
    }
    const { json, decodings } = explainNames(file, model, pattern);
    if (asJson) process.stdout.write(`${JSON.stringify(json)}\n`);
    else {
      process.stdout.write(`${first ? '' : '\n'}${human(json, decodings, lang)}\n`);
      first = false;
    }
  }
  return code;
}
