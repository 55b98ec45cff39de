/**
 * Growable typed-array columns for the loader's hot path: one push is a bounds
 * check and a store, and capacity doubles, so building N rows costs O(N) with
 * no per-row objects (Firefox Profiler's table builders, with typed arrays).
 */

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
    const next = new Float64Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  /** A right-sized copy (the builder's buffers are dropped after finishing). */
  finish(): Float64Array {
    return this.data.slice(0, this.length);
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
    const next = new Int32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  finish(): Int32Array {
    return this.data.slice(0, this.length);
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
