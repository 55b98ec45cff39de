/**
 * Small parsers for demangled C++ kernel names as CUPTI reports them:
 * `void vllm::rms_norm_kernel<c10::BFloat16, 8>(c10::BFloat16*, …)`.
 * Names may be cut short (Kineto keeps the whole string, other tools do not),
 * so every parser accepts an unclosed bracket.
 */

/** The qualified function name: `vllm::rms_norm_kernel` (no `void `, template or parameters). */
export function functionName(name: string): string {
  // A return type other than void (`std::enable_if<…>::type fn<…>(…)`, cuBLAS's gemv) is dropped too.
  let s = name.trim().replace(/^void\s+/, '').replace(/^std::enable_if<.*?>::type\s+/, '');
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<') {
      // `(anonymous namespace)` contains parentheses but no template: only stop at `<` or `(` at depth 0.
      if (depth === 0) return s.slice(0, i);
      depth++;
    } else if (c === '>') depth--;
    else if (c === '(' && depth === 0) {
      if (s.startsWith('(anonymous namespace)', i)) {
        i += '(anonymous namespace)'.length - 1;
        continue;
      }
      return s.slice(0, i);
    }
  }
  s = s.trim();
  return s;
}

/** The last component of a qualified name: `rms_norm_kernel`. */
export function baseName(qualified: string): string {
  const parts = qualified.split('::');
  return parts[parts.length - 1].trim();
}

/** The top-level template arguments of the kernel (empty when none). */
export function templateArgs(name: string): string[] {
  const s = name.trim().replace(/^void\s+/, '').replace(/^std::enable_if<.*?>::type\s+/, '');
  const fn = functionName(name);
  const at = s.indexOf(fn) + fn.length;
  if (s[at] !== '<') return [];
  const out: string[] = [];
  let depth = 0;
  let start = at + 1;
  for (let i = at; i < s.length; i++) {
    const c = s[i];
    if (c === '<' || c === '(' || c === '[') depth++;
    else if (c === '>' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) {
        out.push(s.slice(start, i).trim());
        return out.filter((a) => a.length);
      }
    } else if (c === ',' && depth === 1) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim()); // cut short: keep what there is
  return out.filter((a) => a.length);
}

/** C++ type spellings → short dtype names (as NCCL and this project write them). */
const DTYPES: Array<[RegExp, string]> = [
  [/^(c10::|at::)?Half$|^__half2?$|^half2?$/, 'f16'],
  [/^(c10::|at::)?BFloat16$|^__nv_bfloat162?$|^nv_bfloat162?$|^__bf16$|^bfloat16$/, 'bf16'],
  [/^float$/, 'f32'],
  [/^double$/, 'f64'],
  [/^(c10::)?Float8_e4m3fn(uz)?$|^__nv_fp8_e4m3$/, 'f8e4m3'],
  [/^(c10::)?Float8_e5m2(fnuz)?$|^__nv_fp8_e5m2$/, 'f8e5m2'],
  [/^(signed char|int8_t|char)$/, 'i8'],
  [/^(unsigned char|uint8_t)$/, 'u8'],
  [/^(int|int32_t)$/, 'i32'],
  [/^(long|long long|int64_t)$/, 'i64'],
];

/** The dtype a C++ type names, or null. */
export function dtypeOfCxxType(type: string): string | null {
  const s = type.trim().replace(/\s*const$/, '').replace(/^const\s+/, '');
  for (const [re, d] of DTYPES) if (re.test(s)) return d;
  return null;
}

/** The first template argument that is a floating-point element type (f16, bf16, f32, f64, f8…), or null. */
export function firstFloatDtype(args: readonly string[]): string | null {
  for (const a of args) {
    const d = dtypeOfCxxType(a);
    if (d && /^(f|bf)/.test(d)) return d;
  }
  return null;
}
