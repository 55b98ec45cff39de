/**
 * Geometry of the tensor-parallel figure (TpSplit.svelte), as plain boxes so
 * it can be tested. y = x·W with W stored [in, out]:
 *
 * - column-parallel (qkv_proj, gate_up_proj): W is cut into vertical bands,
 *   one per GPU (its output columns); each GPU computes its own slice of the
 *   output, drawn as that segment of the output bar. No communication.
 * - row-parallel (o_proj, down_proj): W is cut into horizontal bands (its
 *   input rows, matching the slices the column-parallel layer produced); each
 *   GPU's product is a full-width partial sum, and an all-reduce adds them.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  gpu: number;
}

export interface TpLayout {
  /** Per GPU: its band of the column-parallel weight (side by side). */
  colWeight: Box[];
  /** Per GPU: the slice of the output it computes (segments of one bar). */
  colOut: Box[];
  /** Per GPU: its band of the row-parallel weight (stacked). */
  rowWeight: Box[];
  /** Per GPU: its full-width partial sum. */
  rowOut: Box[];
  /** The summed output after the all-reduce (null with one GPU: nothing to add). */
  sum: Box | null;
}

export const MATRIX = 130;
export const COL_X = 10;
export const COL_OUT_X = 160;
export const ROW_X = 290;
export const ROW_OUT_X = 440;
/** Width of one whole output (hidden-sized) bar. */
export const OUT_W = 80;
const BAR_H = 18;

export function tpLayout(tp: number): TpLayout {
  const band = MATRIX / tp;
  const gpus = Array.from({ length: tp }, (_, g) => g);
  return {
    colWeight: gpus.map((g) => ({ x: COL_X + g * band, y: 20, width: band, height: MATRIX, gpu: g })),
    colOut: gpus.map((g) => ({ x: COL_OUT_X + (g * OUT_W) / tp, y: 20 + MATRIX / 2 - BAR_H / 2, width: OUT_W / tp, height: BAR_H, gpu: g })),
    rowWeight: gpus.map((g) => ({ x: ROW_X, y: 20 + g * band, width: MATRIX, height: band, gpu: g })),
    rowOut: gpus.map((g) => ({ x: ROW_OUT_X, y: 20 + g * band + band / 2 - Math.min(BAR_H, band - 4) / 2, width: OUT_W, height: Math.min(BAR_H, band - 4), gpu: g })),
    sum: tp > 1 ? { x: ROW_OUT_X + OUT_W + 34, y: 20 + MATRIX / 2 - BAR_H / 2, width: OUT_W, height: BAR_H, gpu: -1 } : null,
  };
}
