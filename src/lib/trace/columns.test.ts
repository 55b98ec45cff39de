import { describe, expect, it } from 'vitest';
import { F64Column, I32Column, reserveColumns } from './columns.ts';

describe('growable columns', () => {
  it('keep every row through doubling and reserve; finish is a view when nearly full, else a right-sized copy', () => {
    const a = new I32Column(4);
    for (let i = 0; i < 10; i++) a.push(i * 3);
    a.reserve(100);
    expect(a.data.length).toBe(100);
    a.reserve(50); // never shrinks
    expect(a.data.length).toBe(100);
    for (let i = 10; i < 95; i++) a.push(i * 3);
    const full = a.finish();
    expect(Array.from(full)).toEqual(Array.from({ length: 95 }, (_, i) => i * 3));
    expect(full.buffer).toBe(a.data.buffer); // 95 of 100: a view

    const b = new F64Column(64);
    for (let i = 0; i < 10; i++) b.push(i + 0.5);
    const sparse = b.finish();
    expect(Array.from(sparse)).toEqual(Array.from({ length: 10 }, (_, i) => i + 0.5));
    expect(sparse.buffer).not.toBe(b.data.buffer); // 10 of 64: a copy
    expect(sparse.buffer.byteLength).toBe(80);
  });

  it('reserveColumns scales the columns that have rows, capped, and ignores anything else', () => {
    const used = new F64Column(8);
    for (let i = 0; i < 100; i++) used.push(i);
    const empty = new I32Column(8);
    const capped = new I32Column(8);
    for (let i = 0; i < 1000; i++) capped.push(i);
    reserveColumns([used, empty, capped, 'not a column', null], 10, 5000);
    expect(used.data.length).toBe(Math.ceil(100 * 10 * 1.05) + 256);
    expect(empty.data.length).toBe(8);
    expect(capped.data.length).toBe(5000);
    expect(Array.from(used.finish())).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // A factor of 1 or less (the whole input read, or a wrong size) changes nothing.
    reserveColumns([used], 1, 1e9);
    expect(used.data.length).toBe(Math.ceil(100 * 10 * 1.05) + 256);
  });
});
