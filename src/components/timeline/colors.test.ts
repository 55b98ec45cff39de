import { describe, expect, it } from 'vitest';
import { BLOCK_BANDS, COLOR_KEYS, DETECTOR_FAMILIES, SHADES, SliceColors, keyOfCategory, luminance, slicePalette } from './colors.ts';
import { buildModel } from './dev/model-builder.ts';

function rgbOf(css: string): [number, number, number] {
  if (css.startsWith('#')) {
    const hex = css.length === 4 ? css.slice(1).split('').map((c) => c + c).join('') : css.slice(1);
    const n = parseInt(hex, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /rgba?\((\d+),(\d+),(\d+)/.exec(css)!;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
/** WCAG contrast ratio. */
function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(rgbOf(a)), luminance(rgbOf(b))].sort((x, y) => y - x);
  return (la + 0.05) / (lb + 0.05);
}

describe('slicePalette', () => {
  for (const dark of [false, true]) {
    it(`gives every fill a readable label colour (${dark ? 'dark' : 'light'} theme)`, () => {
      const p = slicePalette(dark);
      const solid = (COLOR_KEYS.length + DETECTOR_FAMILIES.length + BLOCK_BANDS.length) * SHADES;
      expect(p.fill.length).toBe(2 * solid);
      for (let i = 0; i < solid; i++) expect(contrast(p.fill[i], p.text[i]), `${p.fill[i]} / ${p.text[i]}`).toBeGreaterThanOrEqual(4.5);
    });
    it(`presenter mode's high-contrast palette reaches 7:1 for every label (${dark ? 'dark' : 'light'} theme)`, () => {
      const p = slicePalette(dark, true);
      const solid = (COLOR_KEYS.length + DETECTOR_FAMILIES.length + BLOCK_BANDS.length) * SHADES;
      expect(p.fill.length).toBe(2 * solid);
      for (let i = 0; i < solid; i++) expect(contrast(p.fill[i], p.text[i]), `${p.fill[i]} / ${p.text[i]}`).toBeGreaterThanOrEqual(7);
      // Not the normal palette with a new name.
      expect(p.fill.slice(0, solid)).not.toEqual(slicePalette(dark).fill.slice(0, solid));
    });
  }
});

describe('keyOfCategory', () => {
  it('knows Kineto, old Kineto and Ascend categories', () => {
    expect(keyOfCategory('cpu_op')).toBe('operator');
    expect(keyOfCategory('Operator')).toBe('operator');
    expect(keyOfCategory('python_function')).toBe('python');
    expect(keyOfCategory('cuda_runtime')).toBe('runtime');
    expect(keyOfCategory('Runtime')).toBe('runtime');
    expect(keyOfCategory('gpu_memcpy')).toBe('memory');
    expect(keyOfCategory('Kernel')).toBe('kernel');
    expect(keyOfCategory('gpu_user_annotation')).toBe('scope');
    expect(keyOfCategory('ac2g')).toBeNull();
  });
});

describe('SliceColors', () => {
  const model = buildModel({
    format: 'ascend',
    processes: [
      { name: 'CANN', kind: 'host', tracks: [{ name: 'Thread 1', kind: 'thread', slices: [{ name: 'AscendCL@aclrtMemcpyAsync', startNs: 0, durNs: 5 }] }] },
      { name: 'HCCL', kind: 'comm', tracks: [{ name: 'Group 0 Communication', kind: 'comm', slices: [{ name: 'hcom_allReduce_', startNs: 0, durNs: 5 }] }] },
      { name: 'Python', kind: 'host', tracks: [{ name: 'Thread 1', kind: 'thread', slices: [{ name: 'aten::mm', startNs: 0, durNs: 5, cat: 'cpu_op' }] }] },
    ],
  });
  const key = (c: SliceColors, id: number) => COLOR_KEYS[c.keyIndexOf(id)] ?? `family ${DETECTOR_FAMILIES[c.keyIndexOf(id) - COLOR_KEYS.length]}`;
  it('falls back to where a slice lives when it has no category', () => {
    const c = new SliceColors(model);
    expect([0, 1, 2].map((id) => key(c, id))).toEqual(['runtime', 'communication', 'operator']);
  });
  it('prefers the analysis work kind, and detector families in detector mode', () => {
    const c = new SliceColors(model);
    c.setWorkKinds([null, 'communication', null]);
    c.setDetectorFamilies(Int8Array.from([-1, DETECTOR_FAMILIES.indexOf('collective'), DETECTOR_FAMILIES.indexOf('matmul')]));
    expect(key(c, 1)).toBe('communication');
    c.mode = 'detector';
    expect([0, 1, 2].map((id) => key(c, id))).toEqual(['other', 'family collective', 'family matmul']);
  });
  it('in blocks mode colours by the blocks-per-SM band, grey where there is none', () => {
    const c = new SliceColors(model);
    c.setBlockBands((id) => [0, -1, 3][id]);
    // The band colours are not used in the other modes.
    expect([0, 1, 2].map((id) => key(c, id))).toEqual(['runtime', 'communication', 'operator']);
    c.mode = 'blocks';
    const first = COLOR_KEYS.length + DETECTOR_FAMILIES.length;
    expect([0, 1, 2].map((id) => c.keyIndexOf(id))).toEqual([first + 0, COLOR_KEYS.indexOf('other'), first + 3]);
    // Before the bands are set, everything is grey.
    const bare = new SliceColors(model);
    bare.mode = 'blocks';
    expect([0, 1, 2].map((id) => key(bare, id))).toEqual(['other', 'other', 'other']);
  });
  it('gives the four bands four different hues', () => {
    const p = slicePalette(false);
    const first = COLOR_KEYS.length + DETECTOR_FAMILIES.length;
    const fills = BLOCK_BANDS.map((_, i) => p.fill[(first + i) * SHADES + 1]);
    expect(new Set(fills).size).toBe(BLOCK_BANDS.length);
  });
});
