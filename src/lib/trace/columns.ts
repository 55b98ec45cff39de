/**
 * Growable typed-array columns for the loader's hot path: one push is a bounds
 * check and a store, and capacity doubles, so building N rows costs O(N) with
 * no per-row objects (Firefox Profiler's table builders, with typed arrays).
 *
 * `reserve` sets the capacity once the final length can be estimated (the
 * loader does, from the share of the file read: `TraceBuilder.reserveFor`).
 * Each doubling writes a new array (a copy, then pushes), so a column built by
 * doubling alone touches about twice its final capacity of fresh memory,
 * which costs page faults (~3 ms per MiB on a 2-vCPU VM, README.md in
 * src/lib/worker, "Args in the input's memory"); reserved, it touches what it
 * holds.
 */

/**
 * Reserves, in each column of `columns` that has rows, room for its rows times `factor` (how much more
 * input is expected than was read) and a little more; `maxRows` caps it. Used by the loader's builders.
 */
export function reserveColumns(columns: Iterable<unknown>, factor: number, maxRows: number): void {
  if (!(factor > 1)) return;
  for (const c of columns) {
    if (!(c instanceof F64Column || c instanceof I32Column) || c.length === 0) continue;
    c.reserve(Math.min(maxRows, Math.ceil(c.length * factor * 1.05) + 256));
  }
}

/** A finished column this full is handed out as a view, not copied (its unused tail was never written). */
const FULL_ENOUGH = 7 / 8;

export class F64Column {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  private grow(): void {
    this.reserve(this.data.length * 2);
  }
  /** Capacity for at least `capacity` rows (never less than it has). */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** The rows: a view when the column is nearly full, else a right-sized copy (the builder's buffers are dropped after finishing). */
  finish(): Float64Array {
    return this.length >= this.data.length * FULL_ENOUGH ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

export class I32Column {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  private grow(): void {
    this.reserve(this.data.length * 2);
  }
  /** Capacity for at least `capacity` rows (never less than it has). */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  finish(): Int32Array {
    return this.length >= this.data.length * FULL_ENOUGH ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

export class U8Column {
  data: Uint8Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  /** Appends bytes `src[start, end)`. */
  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < this.length + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(src.subarray(start, end), this.length);
    this.length += n;
  }
  private grow(): void {
    const next = new Uint8Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  clear(): void {
    this.length = 0;
  }
}

/** `getOrInsert` as in speedscope's utils: the value for `key`, created once. */
export function getOrInsert<K, V>(map: Map<K, V>, key: K, make: (key: K) => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make(key);
    map.set(key, v);
  }
  return v;
}
