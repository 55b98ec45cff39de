import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MIN_SPAN_NS,
  clampWindow,
  nsPerPx,
  panBy,
  padRange,
  pxToTime,
  timeTicks,
  timeToPx,
  traceBounds,
  wheelZoomFactor,
  zoomAround,
} from './viewport.ts';

const bounds = { startNs: 0, endNs: 1_000_000 };

describe('time ↔ px', () => {
  it('maps the window onto [0, width] linearly', () => {
    const v = { startNs: 1000, endNs: 3000, widthPx: 400 };
    expect(timeToPx(v, 1000)).toBe(0);
    expect(timeToPx(v, 3000)).toBe(400);
    expect(timeToPx(v, 2000)).toBe(200);
    expect(pxToTime(v, 100)).toBe(1500);
    expect(nsPerPx(v)).toBe(5);
  });
  it('round-trips any time', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 1, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 4000 }), fc.double({ min: -1e9, max: 2e9, noNaN: true }), (s, span, w, t) => {
        const v = { startNs: s, endNs: s + span, widthPx: w };
        expect(pxToTime(v, timeToPx(v, t))).toBeCloseTo(t, -Math.log10(span) + 6);
      }),
    );
  });
});

describe('zoomAround', () => {
  it('keeps the anchor at the same pixel fraction', () => {
    const r = { startNs: 100_000, endNs: 300_000 };
    const z = zoomAround(r, 150_000, 0.5, bounds); // anchor at 25 %
    expect(z).toEqual({ startNs: 125_000, endNs: 225_000 });
  });
  it('keeps the anchor fixed for any factor unless clamped', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.double({ min: 0.2, max: 1, noNaN: true }), (frac, factor) => {
        const r = { startNs: 400_000, endNs: 500_000 };
        const anchor = r.startNs + frac * 100_000;
        const z = zoomAround(r, anchor, factor, bounds);
        expect((anchor - z.startNs) / (z.endNs - z.startNs)).toBeCloseTo(frac, 9);
      }),
    );
  });
  it('never zooms below MIN_SPAN_NS nor beyond the bounds', () => {
    const z = zoomAround({ startNs: 500, endNs: 600 }, 550, 1e-6, bounds);
    expect(z.endNs - z.startNs).toBe(MIN_SPAN_NS);
    expect(zoomAround({ startNs: 0, endNs: 900_000 }, 10, 50, bounds)).toEqual(bounds);
  });
});

describe('clampWindow and panBy', () => {
  it('shifts a window that leaves the bounds instead of shrinking it', () => {
    expect(panBy({ startNs: 900_000, endNs: 950_000 }, 100_000, bounds)).toEqual({ startNs: 950_000, endNs: 1_000_000 });
    expect(panBy({ startNs: 10_000, endNs: 20_000 }, -50_000, bounds)).toEqual({ startNs: 0, endNs: 10_000 });
  });
  it('widens a too-narrow window around its centre', () => {
    expect(clampWindow({ startNs: 1000, endNs: 1000 }, bounds)).toEqual({ startNs: 1000 - MIN_SPAN_NS / 2, endNs: 1000 + MIN_SPAN_NS / 2 });
  });
  it('always returns a window inside the bounds', () => {
    fc.assert(
      fc.property(fc.double({ min: -2e6, max: 2e6, noNaN: true }), fc.double({ min: 0, max: 3e6, noNaN: true }), (s, span) => {
        const c = clampWindow({ startNs: s, endNs: s + span }, bounds);
        expect(c.startNs).toBeGreaterThanOrEqual(bounds.startNs);
        expect(c.endNs).toBeLessThanOrEqual(bounds.endNs + 1e-6);
        expect(c.endNs - c.startNs).toBeGreaterThanOrEqual(MIN_SPAN_NS - 1e-6);
      }),
    );
  });
});

describe('helpers', () => {
  it('pads a range by a fraction of its span each side', () => {
    expect(padRange({ startNs: 1000, endNs: 2000 }, 0.1, bounds)).toEqual({ startNs: 900, endNs: 2100 });
  });
  it('gives a trace 2 % of air each side', () => {
    expect(traceBounds(1000)).toEqual({ startNs: -20, endNs: 1020 });
  });
  it('zooms in for negative wheel deltas and out for positive, symmetrically', () => {
    expect(wheelZoomFactor(-100)).toBeLessThan(1);
    expect(wheelZoomFactor(100) * wheelZoomFactor(-100)).toBeCloseTo(1, 12);
    expect(wheelZoomFactor(10_000)).toBe(wheelZoomFactor(300));
  });
  it('puts ticks inside the window at a constant step', () => {
    const v = { startNs: 1234, endNs: 98_765, widthPx: 800 };
    const { ticks, stepNs } = timeTicks(v, 8);
    expect(ticks.length).toBeGreaterThan(3);
    for (const t of ticks) {
      expect(t.tNs).toBeGreaterThanOrEqual(v.startNs);
      expect(t.tNs).toBeLessThanOrEqual(v.endNs);
      expect(t.x).toBeCloseTo(timeToPx(v, t.tNs), 9);
    }
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].tNs - ticks[i - 1].tNs).toBeCloseTo(stepNs, 6);
  });

  it('ticks from an origin: nice times since the anchor, the same grid for two windows of equal shared time', () => {
    // Two runs anchored at 1 234 567 ns and 50 ns, each showing 1 ms before to 4 ms after its anchor.
    const a = timeTicks({ startNs: 1_234_567 - 1e6, endNs: 1_234_567 + 4e6, widthPx: 500 }, 5, 1_234_567);
    const b = timeTicks({ startNs: 50 - 1e6, endNs: 50 + 4e6, widthPx: 500 }, 5, 50);
    expect(a.ticks.map((t) => t.tNs - 1_234_567)).toEqual([-1e6, 0, 1e6, 2e6, 3e6, 4e6]);
    expect(b.ticks.map((t) => t.x)).toEqual(a.ticks.map((t) => t.x));
    expect(a.ticks[1].x).toBeCloseTo(100, 9); // the anchor, a fifth of the way in
  });
});
