/**
 * Device kernels grouped by a normalised name, so that the same kernel matches
 * across two runs (and across launches of one run) although its full name
 * carries launch-specific details.
 *
 * Folding rules, in order (general, not tied to any library):
 * - a leading `void ` (the return type a demangled CUDA name starts with);
 * - template arguments: the contents of every balanced `<...>` become `<…>`
 *   (tile sizes, dtypes, functors: `vectorized_elementwise_kernel<4, Add>` and
 *   `<4, Mul>` become one group, as HTA's kernel-name shortening does);
 * - the parameter list: a trailing balanced `(...)` is dropped;
 * - hex literals (`0x7f3a…`) become `0x…`;
 * - trailing instance numbers and grid sizes: separators followed by numbers
 *   or `NxM[xK]` at the end (`hcom_allReduce__423_0_1`, `triton_poi_fused_add_0`,
 *   `trans_TransData_7`, `_128x1x1`) are dropped.
 *
 * A device kernel is a device slice classified as computation or
 * communication (`activity.ts`): memcpy/memset, waits and annotations are not
 * kernels. Every kernel falls in exactly one group, so the groups' times add
 * up to the run's total kernel time.
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { memoize, nameOf } from './access.ts';
import { sliceKinds } from './activity.ts';

/** Replaces the contents of every top-level balanced open…close pair with `…` (unbalanced tails are kept). */
function foldBalanced(s: string, open: string, close: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c !== open) {
      out += c;
      i++;
      continue;
    }
    let depth = 0;
    let j = i;
    for (; j < s.length; j++) {
      if (s[j] === open) depth++;
      else if (s[j] === close && --depth === 0) break;
    }
    if (j >= s.length) {
      out += s.slice(i);
      break;
    }
    out += j === i + 1 ? `${open}${close}` : `${open}…${close}`;
    i = j + 1;
  }
  return out;
}

/** `f<…>(int, g(h)) const` → `f<…>`: the balanced parameter list at the end, however deeply nested. */
function dropTrailingParameters(s: string): string {
  const t = s.replace(/\s*const\s*$/, '');
  if (!t.endsWith(')')) return s;
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    if (t[i] === ')') depth++;
    else if (t[i] === '(' && --depth === 0) return i > 0 ? t.slice(0, i) : s;
  }
  return s;
}

const TRAILING_NUMBERS = /(?:[_#.\-]+\d+(?:x\d+)*)+$/;

/** The group a kernel name belongs to (see the header for the rules). */
export function kernelGroupName(raw: string): string {
  let s = raw.trim().replace(/^void\s+/, '');
  s = foldBalanced(s, '<', '>');
  s = dropTrailingParameters(s);
  s = s.replace(/0x[0-9a-f]+/gi, '0x…');
  const stripped = s.replace(TRAILING_NUMBERS, '');
  s = stripped.length > 0 ? stripped : s;
  return s.trim() || raw;
}

export interface KernelGroup {
  name: string;
  count: number;
  totalNs: Ns;
  /** The group's kernels, in slice-id order. */
  slices: SliceId[];
}

export interface KernelGroups {
  groups: Map<string, KernelGroup>;
  /** All device kernels. */
  count: number;
  totalNs: Ns;
}

/** Every device kernel of the model in its group; memoised per model. */
export function kernelGroups(model: TraceModel): KernelGroups {
  return memoize(model, 'kernelGroups', () => {
    const kinds = sliceKinds(model);
    const byRaw = new Map<number, string>(); // interned name id → group name
    const groups = new Map<string, KernelGroup>();
    let count = 0;
    let totalNs = 0;
    for (let s = 0; s < model.slices.length; s++) {
      const k = kinds[s];
      if (k !== 'computation' && k !== 'communication') continue;
      const nameId = model.slices.name[s];
      let g = byRaw.get(nameId);
      if (g === undefined) byRaw.set(nameId, (g = kernelGroupName(nameOf(model, s))));
      let group = groups.get(g);
      if (!group) groups.set(g, (group = { name: g, count: 0, totalNs: 0, slices: [] }));
      const d = model.slices.durNs[s];
      group.count++;
      group.totalNs += d;
      group.slices.push(s);
      count++;
      totalNs += d;
    }
    return { groups, count, totalNs };
  });
}
