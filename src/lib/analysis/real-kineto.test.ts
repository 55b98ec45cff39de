/**
 * The analysis on every real Kineto trace in ../shared/traces, each expected
 * value computed here from a plain JSON.parse of the file (not from the model).
 */
import { describe, expect, it } from 'vitest';
import {
  KINETO_TRACES,
  loadShared,
  names,
  nearestRank,
  nsOf,
  rawEvents,
  skipReason,
  tracesPresent,
  unionTotal,
  type RawEvent,
} from './testing-real.ts';
import { listDevices } from './devices.ts';
import { overlapForDevice } from './overlap.ts';
import { gpuBusy } from './gpu-busy.ts';
import { runDetectors, DETECTOR_NAMES } from './detectors/index.ts';
import { pageableCopyCalls } from './detectors/sync.ts';
import { analysisReport, formatReport } from './report.ts';
import { findSteps } from './structure.ts';

if (!tracesPresent) console.warn(skipReason());

const isKernel = (e: RawEvent) => e.ph === 'X' && /^kernel$/i.test(String(e.cat));
const isMemory = (e: RawEvent) => e.ph === 'X' && /^(gpu_memcpy|gpu_memset|memcpy|memset)$/i.test(String(e.cat));
const isComm = (e: RawEvent) => /nccl(Dev)?Kernel/.test(String(e.name));
const span = (e: RawEvent): [bigint, bigint] => {
  const s = nsOf(e.ts);
  return [s, s + nsOf(e.dur)];
};
const corr = (e: RawEvent) => (e.args?.correlation === undefined ? undefined : String(e.args.correlation));

/** Which collective each NCCL kernel ran, the way the HTA docs describe reading a trace by hand. */
function referenceCollectives(ev: RawEvent[]): Record<string, number> {
  const type = (raw: string): string | null => {
    const s = raw.toLowerCase().replace(/[^a-z]/g, '');
    if (s.includes('reducescatter')) return 'reduce_scatter';
    if (s.includes('allreduce')) return 'all_reduce';
    if (s.includes('allgather')) return 'all_gather';
    if (s.includes('alltoall')) return 'all_to_all';
    if (s.includes('broadcast')) return 'broadcast';
    if (s.startsWith('sendrecv') || s.startsWith('send') || s.startsWith('recv')) return 'send_recv';
    return null;
  };
  const runtime = new Map<string, RawEvent>();
  for (const e of ev) if (e.ph === 'X' && e.cat === 'cuda_runtime' && corr(e) !== undefined) runtime.set(corr(e)!, e);
  const annotations = ev.filter((e) => e.ph === 'X' && e.cat === 'user_annotation' && /^nccl:/.test(String(e.name)));
  const counts: Record<string, number> = {};
  for (const k of ev.filter((e) => isKernel(e) && isComm(e))) {
    let t: string | null = null;
    if (typeof k.args?.['Collective name'] === 'string') t = type(k.args['Collective name'] as string);
    const r = corr(k) !== undefined ? runtime.get(corr(k)!) : undefined;
    if (!t && r) {
      const [rs, re] = span(r);
      const enc = annotations.filter((a) => a.pid === r.pid && a.tid === r.tid && span(a)[0] <= rs && span(a)[1] >= re);
      // innermost = shortest enclosing annotation
      enc.sort((a, b) => Number(nsOf(a.dur) - nsOf(b.dur)));
      if (enc.length) t = type(String(enc[0].name).slice(5));
    }
    if (!t) t = type(/nccl(?:Dev)?Kernel_([A-Za-z]+)/.exec(String(k.name))?.[1] ?? '');
    if (t) counts[t] = (counts[t] ?? 0) + 1;
  }
  return counts;
}

describe.skipIf(!tracesPresent)('real Kineto traces', () => {
  for (const file of KINETO_TRACES) {
    describe(file, () => {
      it('finds the GPUs that have device work', async () => {
        const ev = rawEvents(file);
        const { label } = names(ev);
        const pids = new Set(ev.filter((e) => isKernel(e) || isMemory(e)).map((e) => String(e.pid)));
        const expected = [...pids].map((p) => `gpu:${/GPU (\d+)/.exec(label.get(p) ?? '')![1]}`).sort();
        expect(listDevices(await loadShared(file)).map((d) => d.key).sort()).toEqual(expected);
      });

      it('overlap categories equal the union arithmetic on the raw kernels', async () => {
        const ev = rawEvents(file);
        const model = await loadShared(file);
        for (const d of listDevices(model)) {
          const pid = ev.find((e) => (isKernel(e) || isMemory(e)) && `gpu:${names(ev).label.get(String(e.pid))?.slice(4)}` === d.key)!.pid;
          const kernels = ev.filter((e) => isKernel(e) && e.pid === pid);
          const comp = kernels.filter((e) => !isComm(e)).map(span);
          const comm = kernels.filter(isComm).map(span);
          const o = overlapForDevice(model, d.key);
          expect(o.computingNs).toBe(Number(unionTotal(comp)));
          expect(o.communicationNs).toBe(Number(unionTotal(comm)));
          const both = unionTotal([...comp, ...comm]);
          expect(o.communicationNotOverlappedNs).toBe(Number(both - unionTotal(comp)));
          const all = [...comp, ...comm];
          const first = all.reduce((m, x) => (x[0] < m ? x[0] : m), all[0]?.[0] ?? 0n);
          const last = all.reduce((m, x) => (x[1] > m ? x[1] : m), all[0]?.[1] ?? 0n);
          expect(o.spanNs).toBe(Number(last - first));
          expect(o.freeNs).toBe(Number(last - first - both));
          // busy = kernels ∪ memcpy/memset; busy + idle tile the busy span; causes tile idle
          const b = gpuBusy(model, d.key);
          const busyPairs = [...all, ...ev.filter((e) => isMemory(e) && e.pid === pid).map(span)];
          expect(b.busyNs).toBe(Number(unionTotal(busyPairs)));
          expect(b.busyNs + b.idleNs).toBe(b.spanEndNs - b.spanStartNs);
          expect(b.hostBoundNs + b.syncNs + b.queuedNs + b.unknownNs).toBe(b.idleNs);
        }
      });

      it('collectives: one per NCCL kernel, typed by arg, enclosing nccl:* annotation, or kernel name', async () => {
        const ev = rawEvents(file);
        const ref = referenceCollectives(ev);
        const r = runDetectors(await loadShared(file));
        for (const n of ['all_reduce', 'reduce_scatter', 'all_gather', 'all_to_all', 'broadcast', 'send_recv'] as const) {
          expect([n, r[n].count]).toEqual([n, ref[n] ?? 0]);
        }
      });

      it('launch latency: kernel start − runtime call start over correlated pairs', async () => {
        const ev = rawEvents(file);
        const runtime = new Map<string, RawEvent>();
        for (const e of ev) if (e.ph === 'X' && /^(cuda_runtime|cuda_driver|runtime)$/i.test(String(e.cat)) && corr(e)) runtime.set(corr(e)!, e);
        const lat: number[] = [];
        for (const k of ev) {
          if (!(isKernel(k) || isMemory(k)) || !corr(k)) continue;
          const r = runtime.get(corr(k)!);
          if (!r) continue;
          const d = Number(nsOf(k.ts) - nsOf(r.ts));
          if (d >= 0) lat.push(d);
        }
        lat.sort((a, b) => a - b);
        const L = runDetectors(await loadShared(file)).launch_latency;
        expect(L.count).toBe(lat.length);
        expect(L.latency!.p50Ns).toBe(nearestRank(lat, 0.5));
        expect(L.latency!.p90Ns).toBe(nearestRank(lat, 0.9));
        expect(L.latency!.maxNs).toBe(lat.length ? lat[lat.length - 1] : 0);
      });

      it('event waits: device "Stream Wait Event" plus host cudaStreamWaitEvent calls without one', async () => {
        const ev = rawEvents(file);
        const device = ev.filter((e) => e.ph === 'X' && e.cat === 'cuda_sync' && e.name === 'Stream Wait Event');
        const ids = new Set(device.map(corr));
        const host = ev.filter((e) => e.ph === 'X' && /^(cuda|hip)StreamWaitEvent$/.test(String(e.name)) && !ids.has(corr(e)));
        expect(runDetectors(await loadShared(file)).event_wait.count).toBe(device.length + host.length);
      });

      it('sync: every runtime sync call and every async copy to pageable memory lies inside exactly one sync match on its thread', async () => {
        const model = await loadShared(file);
        const r = runDetectors(model).sync;
        const ev = rawEvents(file);
        const SYNC = /^(cuda|hip)(Stream|Device|Event)Synchronize$/;
        // cudaMemcpyAsync to pageable host memory returns only after the copy: found here by the
        // correlation id its device-side `Memcpy DtoH (Device -> Pageable)` shares with it.
        const toPageable = new Set(ev.filter((e) => e.ph === 'X' && /DtoH.*Pageable/.test(String(e.name))).map(corr));
        const isPageableCopy = (e: RawEvent) => /^(cuda|hip)MemcpyAsync$/.test(String(e.name)) && toPageable.has(corr(e));
        const calls = ev.filter((e) => e.ph === 'X' && (SYNC.test(String(e.name)) || isPageableCopy(e)));
        const matchesOnHost = r.slices.filter((s) => model.strings[model.slices.cat[s]] !== 'cuda_sync');
        // Each call is covered once: matches do not nest, and every call has one.
        const start = model.slices.startNs;
        const end = (s: number) => start[s] + model.slices.durNs[s];
        const pageableIds = new Set(pageableCopyCalls(model));
        const callIds = [...Array(model.slices.length).keys()].filter((s) => SYNC.test(model.strings[model.slices.name[s]]) || pageableIds.has(s));
        expect(callIds.length).toBe(calls.length);
        for (const c of callIds) {
          const cover = matchesOnHost.filter((m) => model.slices.track[m] === model.slices.track[c] && start[m] <= start[c] && end(m) >= end(c));
          expect(cover.length).toBe(1);
        }
        expect(matchesOnHost.length).toBeLessThanOrEqual(calls.length);
      });

      it('steps are the host ProfilerStep ranges', async () => {
        const ev = rawEvents(file);
        const { label } = names(ev);
        const host = ev.filter((e) => e.ph === 'X' && /^ProfilerStep#\d+$/.test(String(e.name)) && !/^GPU/.test(label.get(String(e.pid)) ?? ''));
        host.sort((a, b) => (nsOf(a.ts) < nsOf(b.ts) ? -1 : 1));
        expect(findSteps(await loadShared(file)).map((s) => s.name)).toEqual(host.map((e) => e.name));
      });

      it('the report is plain JSON with every detector, and formats', async () => {
        const model = await loadShared(file);
        const report = analysisReport(model);
        expect(Object.keys(report.findings)).toEqual([...DETECTOR_NAMES]);
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
        for (const d of report.devices) {
          for (const v of Object.values(d.overlap)) if (v !== null) expect(Number.isFinite(v)).toBe(true);
        }
        expect(formatReport(report)).toContain('Findings');
      });
    });
  }
});
