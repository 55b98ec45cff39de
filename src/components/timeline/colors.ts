/**
 * Colours. Slices are coloured by what they are (a "colour key": operator,
 * Python frame, runtime API, kernel, collective, memory copy, wait, scope),
 * using the Okabe–Ito palette, which stays distinguishable under the common
 * colour-vision deficiencies; slices of the same key differ only in lightness
 * (by a hash of the name) so neighbouring kernels stay apart without new hues.
 * Chrome colours (background, text, grid) come from Starlight's CSS variables
 * so the widget follows the dark and light themes.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import type { SliceId } from './units.ts';

/** Okabe & Ito (2008), "Color Universal Design". */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  grey: '#999999',
} as const;

export const COLOR_KEYS = ['operator', 'python', 'runtime', 'kernel', 'communication', 'memory', 'wait', 'scope', 'other'] as const;
export type ColorKey = (typeof COLOR_KEYS)[number];

const KEY_BASE: Record<ColorKey, string> = {
  operator: OKABE_ITO.skyBlue,
  python: OKABE_ITO.bluishGreen,
  runtime: OKABE_ITO.orange,
  kernel: OKABE_ITO.blue,
  communication: OKABE_ITO.vermillion,
  memory: OKABE_ITO.yellow,
  wait: OKABE_ITO.grey,
  scope: OKABE_ITO.reddishPurple,
  other: '#B0B0B0',
};

/**
 * Detector families for "colour by detector": the 17 detectors of
 * lib/analysis/detectors fall into eight families, one Okabe–Ito hue each.
 */
export const DETECTOR_FAMILIES = ['collective', 'attention', 'matmul', 'norm', 'activation', 'position-kv', 'moe', 'wait'] as const;
export type DetectorFamily = (typeof DETECTOR_FAMILIES)[number];
const FAMILY_BASE: Record<DetectorFamily, string> = {
  collective: OKABE_ITO.vermillion,
  attention: OKABE_ITO.blue,
  matmul: OKABE_ITO.skyBlue,
  norm: OKABE_ITO.bluishGreen,
  activation: OKABE_ITO.yellow,
  'position-kv': OKABE_ITO.reddishPurple,
  moe: OKABE_ITO.orange,
  wait: OKABE_ITO.grey,
};

/**
 * Bands for "colour by blocks per SM" (the bands of lib/analysis/occupancy.ts,
 * reached through computed.ts): warm where a kernel leaves most SMs without a
 * block, green where every SM gets one (not the blue of kernels by category,
 * so a switch of mode is visible). Slices with no value are grey ('other').
 */
export const BLOCK_BANDS = ['sm-few', 'sm-quarter', 'sm-part', 'sm-all'] as const;
export type BlockBand = (typeof BLOCK_BANDS)[number];
const BAND_BASE: Record<BlockBand, string> = {
  'sm-few': OKABE_ITO.vermillion,
  'sm-quarter': OKABE_ITO.orange,
  'sm-part': OKABE_ITO.yellow,
  'sm-all': OKABE_ITO.bluishGreen,
};

export type ColorMode = 'category' | 'detector' | 'blocks';

/** Lightness steps per key: name hash picks one. */
export const SHADES = 4;

/** Palette for highlights and lanes: the eight Okabe–Ito colours, grey last. */
export const HIGHLIGHT_COLORS = [OKABE_ITO.vermillion, OKABE_ITO.blue, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.orange, OKABE_ITO.skyBlue, OKABE_ITO.yellow, OKABE_ITO.grey];

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(rgb: [number, number, number], toward: number, amount: number): [number, number, number] {
  return rgb.map((c) => Math.round(c + (toward - c) * amount)) as [number, number, number];
}

/** Relative luminance (WCAG), to pick black or white text on a fill. */
export function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export interface SlicePalette {
  /**
   * Fill per colour index `key * SHADES + shade`, keys being COLOR_KEYS, then
   * DETECTOR_FAMILIES, then BLOCK_BANDS; the second half are dimmed copies.
   */
  fill: string[];
  /** Text colour readable on each fill. */
  text: string[];
}

/**
 * `highContrast` (presenter mode, read off a projector): the base hues at
 * full strength, with only a small lightness step between neighbours, and
 * labels pushed to WCAG AAA (7:1) against their fill.
 */
export function slicePalette(dark: boolean, highContrast = false): SlicePalette {
  const fill: string[] = [];
  const text: string[] = [];
  const bases = [...COLOR_KEYS.map((k) => KEY_BASE[k]), ...DETECTOR_FAMILIES.map((f) => FAMILY_BASE[f]), ...BLOCK_BANDS.map((b) => BAND_BASE[b])];
  const minContrast = highContrast ? 7 : 4.5;
  for (const hex of bases) {
    const base = hexToRgb(hex);
    for (let s = 0; s < SHADES; s++) {
      // Shades spread from slightly darker to lighter than the base; in the
      // dark theme everything is pulled a little toward the background.
      const t = (s - 1) / (SHADES - 1);
      let rgb = highContrast ? mix(base, t < 0 ? 0 : 255, Math.abs(t) * 0.12) : t < 0 ? mix(base, 0, -t * 0.25) : mix(base, 255, t * 0.35);
      if (dark && !highContrast) rgb = mix(rgb, 24, 0.12);
      // Labels in black or white, whichever contrasts more; a mid-tone fill
      // where neither reaches the target (4.5:1, or 7:1) is nudged lighter or darker until one does.
      const onBlack = (c: [number, number, number]) => (luminance(c) + 0.05) / 0.05;
      const onWhite = (c: [number, number, number]) => 1.05 / (luminance(c) + 0.05);
      const useBlack = onBlack(rgb) >= onWhite(rgb);
      for (let k = 0; k < 40 && (useBlack ? onBlack(rgb) : onWhite(rgb)) < minContrast; k++) rgb = mix(rgb, useBlack ? 255 : 0, 0.06);
      fill.push(`rgb(${rgb[0]},${rgb[1]},${rgb[2]})`);
      text.push(useBlack ? '#000' : '#fff');
    }
  }
  // Dimmed copies (second half) for slices that do not match an active search.
  const n = fill.length;
  for (let i = 0; i < n; i++) {
    fill.push(fill[i].replace('rgb(', 'rgba(').replace(')', ',0.22)'));
    text.push(dark ? 'rgba(255,255,255,0.45)' : 'rgba(0,0,0,0.45)');
  }
  return { fill, text };
}

/** Chrome colours read from Starlight's theme variables (with fallbacks). */
export interface ChromeColors {
  dark: boolean;
  background: string;
  headerBackground: string;
  text: string;
  textMuted: string;
  grid: string;
  accent: string;
  selection: string;
}

export function chromeColors(el: Element): ChromeColors {
  const dark = (el.ownerDocument?.documentElement.dataset.theme ?? 'dark') !== 'light';
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    dark,
    background: v('--sl-color-bg', dark ? '#17181c' : '#ffffff'),
    headerBackground: v('--sl-color-bg-nav', dark ? '#23262f' : '#f6f6f6'),
    text: v('--sl-color-white', dark ? '#ffffff' : '#17181c'),
    textMuted: v('--sl-color-gray-3', dark ? '#8b93a7' : '#545861'),
    grid: dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.08)',
    accent: v('--sl-color-accent-high', dark ? '#b3c7ff' : '#152e77'),
    selection: dark ? '#ffffff' : '#000000',
  };
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Colour key from a category string (Kineto, Ascend, chrome-json). */
export function keyOfCategory(cat: string): ColorKey | null {
  const c = cat.toLowerCase();
  if (c === 'cpu_op' || c === 'operator') return 'operator';
  if (c === 'python_function' || c === 'python') return 'python';
  if (c.includes('runtime') || c.includes('driver') || c === 'enqueue' || c === 'dequeue') return 'runtime';
  if (c.includes('user_annotation') || c === 'trace') return 'scope';
  if (c.includes('memcpy') || c.includes('memset') || c === 'memory') return 'memory';
  if (c === 'kernel') return 'kernel';
  return null;
}

/** Colour key of an overlap lane by its name (Ascend's written lanes and the computed ones). */
export function laneKey(laneName: string): ColorKey {
  const n = laneName.toLowerCase();
  if (n.startsWith('computing')) return 'kernel';
  if (n.startsWith('communication')) return 'communication';
  if (n.startsWith('free') || n.includes('idle')) return 'wait';
  if (n.includes('busy')) return 'kernel';
  return 'other';
}

/** Colour key from a device work kind (lib/analysis/activity.ts). */
export function keyOfWorkKind(kind: string | null): ColorKey | null {
  switch (kind) {
    case 'computation':
      return 'kernel';
    case 'communication':
    case 'comm-task':
      return 'communication';
    case 'memory':
      return 'memory';
    case 'wait':
      return 'wait';
    case 'annotation':
      return 'scope';
    case 'other':
      return 'other';
    default:
      return null;
  }
}

/**
 * Per-model colour lookup: `indexOf(id)` is a palette index. Categories and
 * names are classified once per interned string; device slices use the
 * analysis' work kinds once `setWorkKinds` has them.
 */
/** Not computed yet (catKey, shade). */
const UNSET = -2;

export class SliceColors {
  private readonly model: TraceModel;
  /** Per string: the colour key of a category (-1: none), UNSET until asked. */
  private readonly catKey: Int8Array;
  /** Per string: the shade of a name, UNSET until asked. */
  private readonly shade: Int8Array;
  private readonly trackKey: Int8Array;
  /** Per slice a code, mapped through the small table beside it (so the worker's array is used as is). */
  private workKey: Int8Array | null = null;
  private workLut: Int8Array | null = null;
  private family: Int8Array | null = null;
  private familyLut: Int8Array | null = null;
  /** Band index per slice (BLOCK_BANDS, -1: no value), looked up as slices are drawn. */
  private bandOf: ((id: SliceId) => number) | null = null;
  /**
   * 'detector': slices matched by a detector take their family's colour, the rest grey.
   * 'blocks': kernels take their blocks-per-SM band's colour, the rest (no grid, or no SM count) grey.
   */
  mode: ColorMode = 'category';

  constructor(model: TraceModel) {
    this.model = model;
    // Per string, filled in as slices are drawn: a big trace has hundreds of thousands of strings, and
    // classifying and hashing them all up front held up its first frame.
    const n = model.strings.length;
    this.catKey = new Int8Array(n).fill(UNSET);
    this.shade = new Int8Array(n).fill(UNSET);
    // Fallback by where the slice lives, for traces without categories (Ascend CANN, hardware).
    this.trackKey = new Int8Array(model.tracks.length);
    for (let t = 0; t < model.tracks.length; t++) {
      const p = model.tracks.process[t];
      const pname = (model.strings[model.processes.name[p]] ?? '').toLowerCase();
      const kind = model.processes.kind[p];
      const tname = (model.strings[model.tracks.name[t]] ?? '').toLowerCase();
      const key: ColorKey =
        kind === 'gpu' || kind === 'npu'
          ? 'kernel'
          : kind === 'comm'
            ? 'communication'
            : kind === 'overlap'
              ? laneKey(tname)
              : pname === 'cann'
                ? 'runtime'
                : kind === 'host'
                  ? 'operator'
                  : 'other';
      this.trackKey[t] = COLOR_KEYS.indexOf(key);
    }
  }

  /** Work kinds per slice from the analysis (null entries keep the category colour). */
  setWorkKinds(kinds: ArrayLike<string | null>): void {
    const out = new Int8Array(this.model.slices.length).fill(-1);
    for (let i = 0; i < out.length; i++) {
      const k = keyOfWorkKind(kinds[i]);
      if (k) out[i] = COLOR_KEYS.indexOf(k);
    }
    this.workKey = out;
    this.workLut = null;
  }

  /** Work kinds as codes per slice (-1: none) and the COLOR_KEYS index of each code: no pass over the slices. */
  setWorkKindCodes(codes: Int8Array, colorKeyOfCode: Int8Array): void {
    this.workKey = codes;
    this.workLut = colorKeyOfCode;
  }

  /** Detector family index per slice (-1: none), from the analysis. */
  setDetectorFamilies(family: Int8Array): void {
    this.family = family;
    this.familyLut = null;
  }

  /** First-detector codes per slice (-1: none) and the DETECTOR_FAMILIES index of each code. */
  setDetectorCodes(codes: Int8Array, familyOfCode: Int8Array): void {
    this.family = codes;
    this.familyLut = familyOfCode;
  }

  /** The blocks-per-SM band of a slice (computed.ts' `blocksPerSmBands`). */
  setBlockBands(bandOf: (id: SliceId) => number): void {
    this.bandOf = bandOf;
  }

  get hasDetectors(): boolean {
    return this.family !== null;
  }

  keyIndexOf(id: SliceId): number {
    if (this.mode === 'blocks') {
      const b = this.bandOf ? this.bandOf(id) : -1;
      return b >= 0 ? COLOR_KEYS.length + DETECTOR_FAMILIES.length + b : COLOR_KEYS.indexOf('other');
    }
    if (this.mode === 'detector' && this.family) {
      const code = this.family[id];
      const f = code >= 0 && this.familyLut ? this.familyLut[code] : code;
      return f >= 0 ? COLOR_KEYS.length + f : COLOR_KEYS.indexOf('other');
    }
    const code = this.workKey ? this.workKey[id] : -1;
    const w = code >= 0 && this.workLut ? this.workLut[code] : code;
    if (w >= 0) return w;
    const c = this.model.slices.cat[id];
    let k = c >= 0 ? this.catKey[c] : -1;
    if (k === UNSET) {
      const key = keyOfCategory(this.model.strings[c] ?? '');
      k = this.catKey[c] = key ? COLOR_KEYS.indexOf(key) : -1;
    }
    return k >= 0 ? k : this.trackKey[this.model.slices.track[id]];
  }

  indexOf(id: SliceId): number {
    const name = this.model.slices.name[id];
    let shade = this.shade[name];
    if (shade === UNSET) shade = this.shade[name] = hashString(this.model.strings[name] ?? '') % SHADES;
    return this.keyIndexOf(id) * SHADES + shade;
  }

  /** CSS colour of a slice at its base shade (for swatches in tables). */
  swatchOf(id: SliceId, palette: SlicePalette): string {
    return palette.fill[this.keyIndexOf(id) * SHADES + 1];
  }
}

/** Colour of a highlight by label, stable across widgets. */
export function highlightColor(label: string, index?: number): string {
  const i = index ?? hashString(label);
  return HIGHLIGHT_COLORS[((i % HIGHLIGHT_COLORS.length) + HIGHLIGHT_COLORS.length) % HIGHLIGHT_COLORS.length];
}
