/**
 * Counter samples the simulated profiler writes: "AI Core Freq" (MHz, sampled
 * at start and end like the real sample) and "HBM" read/write bandwidth per
 * HBM stack, computed from the kernels' modelled HBM traffic: each window's
 * bytes are the kernels' bytes pro-rated by their overlap with the window.
 * Reads/writes split 3:1 and the traffic is spread evenly over the 4 stacks
 * the real trace shows (HBM 0–3).
 */

import type { HardwareModel, Ns } from './npu-model.ts';
import type { Rng } from './prng.ts';
import type { CounterSample, SimRecords } from './records.ts';

const HBM_STACKS = 4;
const READ_SHARE = 0.75;

export function counterSamples(rec: SimRecords, fromNs: Ns, toNs: Ns, periodNs: Ns, hw: HardwareModel, rng: Rng): CounterSample[] {
  const out: CounterSample[] = [
    { proc: 'freq', name: 'AI Core Freq', tsNs: fromNs, key: 'MHz', value: hw.aiCoreMHz },
  ];
  const windows = Math.max(1, Math.ceil((toNs - fromNs) / periodNs));
  const bytes = new Float64Array(windows);
  for (const t of rec.traffic) {
    const end = t.startNs + t.durNs;
    const rate = t.durNs > 0 ? t.bytes / t.durNs : 0;
    for (let w = Math.max(0, Math.floor((t.startNs - fromNs) / periodNs)); w < windows; w++) {
      const ws = fromNs + w * periodNs;
      const we = ws + periodNs;
      if (ws >= end) break;
      const ov = Math.min(end, we) - Math.max(t.startNs, ws);
      if (ov > 0) bytes[w] += rate * ov;
    }
  }
  for (let w = 0; w < windows; w++) {
    const ts = fromNs + w * periodNs;
    // B per ns = GB/s; the counter unit is MB/s
    const mbps = (bytes[w] / periodNs) * 1000;
    for (let s = 0; s < HBM_STACKS; s++) {
      const share = mbps / HBM_STACKS;
      out.push({ proc: 'hbm', name: `HBM ${s}/Read`, tsNs: ts, key: 'Read(MB/s)', value: round2(rng.jitter(share * READ_SHARE, 0.03)) });
      out.push({ proc: 'hbm', name: `HBM ${s}/Write`, tsNs: ts, key: 'Write(MB/s)', value: round2(rng.jitter(share * (1 - READ_SHARE), 0.03)) });
    }
  }
  out.push({ proc: 'freq', name: 'AI Core Freq', tsNs: toNs, key: 'MHz', value: hw.aiCoreMHz });
  return out;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
