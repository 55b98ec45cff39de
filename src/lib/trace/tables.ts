/**
 * Processes and tracks: which exist, what they are (the importer decides),
 * what they are called and in which order they are shown.
 *
 * Only processes that own at least one track appear: Kineto writes metadata
 * for 8 or 16 "GPU N" pids of which one or two have events, and empty lanes
 * teach nothing. Order follows the trace's own sort indexes, then the numeric
 * pid/tid, then first appearance; `sortIndex` holds that effective key.
 */
import type { ProcessKind, ProcessTable, TrackKind, TrackTable } from './model.ts';
import type { TraceBuilder } from './builder.ts';
import type { ProcessClass, ProcessFacts, TraceImporter } from './importer.ts';

export interface TrackLayout {
  processes: ProcessTable;
  /** Slice ranges and maxDepth are filled in by nesting.ts. */
  tracks: TrackTable;
  /** Raw track index → TrackId. */
  trackOfRaw: Int32Array;
}

const LAST = Number.MAX_SAFE_INTEGER;

function numericOr(text: string, fallback: number): number {
  if (text === '' || !/^-?\d+(\.\d+)?$/.test(text)) return fallback;
  return Number(text);
}

/**
 * Distinct categories per raw track (slices and instants). A track's events
 * mostly repeat a few categories, so a "same as last" check skips most Set work.
 */
export function categoriesByTrack(b: TraceBuilder): Set<number>[] {
  const sets: Set<number>[] = b.tracks.map(() => new Set<number>());
  const collect = (track: Int32Array, cat: Int32Array, n: number): void => {
    let lastTrack = -1;
    let lastCat = -2;
    for (let i = 0; i < n; i++) {
      const t = track[i];
      const c = cat[i];
      if (t === lastTrack && c === lastCat) continue;
      if (c >= 0) sets[t].add(c);
      lastTrack = t;
      lastCat = c;
    }
  };
  collect(b.xTrack.data, b.xCat.data, b.xTrack.length);
  collect(b.beTrack.data, b.beCat.data, b.beTrack.length);
  collect(b.iTrack.data, b.iCat.data, b.iTrack.length);
  return sets;
}

export function layoutTracks(b: TraceBuilder, importer: TraceImporter, catsByTrack: Set<number>[]): TrackLayout {
  const names = b.tok.names;
  const keys = b.tok.keys.strings;
  // Group raw tracks by pid, in order of first appearance.
  const rawByPid = new Map<number, number[]>();
  b.tracks.forEach((t, i) => {
    let list = rawByPid.get(t.pid);
    if (!list) rawByPid.set(t.pid, (list = []));
    list.push(i);
  });

  interface Proc {
    pid: number;
    firstSeen: number;
    sortKey: number;
    cls: ProcessClass;
    name: string;
    label: string | null;
    raw: number[];
  }
  const procs: Proc[] = [];
  for (const [pid, raw] of rawByPid) {
    const meta = b.processMeta.get(pid);
    const pidText = keys[pid];
    const cats = new Set<string>();
    let sliceTracks = 0;
    let counterTracks = 0;
    const threadNames: string[] = [];
    for (const r of raw) {
      const t = b.tracks[r];
      if (t.counterName >= 0) counterTracks++;
      else {
        sliceTracks++;
        const tn = b.threadMetaOf(t.pid, t.tid)?.name;
        if (tn !== undefined) threadNames.push(tn);
      }
      for (const c of catsByTrack[r]) cats.add(names.strings[c]);
    }
    const facts: ProcessFacts = {
      pid: pidText,
      name: meta?.name ?? null,
      label: meta?.label ?? null,
      cats,
      sliceTracks,
      counterTracks,
      threadNames,
    };
    const cls = importer.classifyProcess(facts);
    const numeric = /^-?\d+$/.test(pidText);
    const name = meta?.name ?? (numeric ? `Process ${pidText}` : pidText || 'Process');
    procs.push({
      pid,
      firstSeen: raw[0],
      sortKey: meta?.sortIndex ?? numericOr(pidText, LAST),
      cls,
      name,
      label: meta?.label ?? null,
      raw,
    });
  }
  procs.sort((a, c) => a.sortKey - c.sortKey || a.firstSeen - c.firstSeen);

  const processes: ProcessTable = {
    length: procs.length,
    pid: [],
    name: [],
    label: [],
    sortIndex: new Float64Array(procs.length),
    kind: [],
    device: new Int32Array(procs.length),
  };
  const trackOfRaw = new Int32Array(b.tracks.length).fill(-1);
  const tProcess: number[] = [];
  const tTid: string[] = [];
  const tName: number[] = [];
  const tSort: number[] = [];
  const tKind: TrackKind[] = [];

  procs.forEach((p, pi) => {
    processes.pid.push(keys[p.pid]);
    processes.name.push(names.internString(p.name));
    processes.label.push(p.label === null ? -1 : names.internString(p.label));
    processes.sortIndex[pi] = p.sortKey;
    processes.kind.push(p.cls.kind);
    processes.device[pi] = p.cls.device;

    // Series per counter name, to name single-series counters by their name alone.
    const seriesPerCounter = new Map<number, number>();
    for (const r of p.raw) {
      const t = b.tracks[r];
      if (t.counterName >= 0) seriesPerCounter.set(t.counterName, (seriesPerCounter.get(t.counterName) ?? 0) + 1);
    }
    const ordered = p.raw
      .map((r) => {
        const t = b.tracks[r];
        const isCounter = t.counterName >= 0;
        const meta = isCounter ? undefined : b.threadMetaOf(t.pid, t.tid);
        const tid = isCounter ? t.series : keys[t.tid];
        const sortKey = isCounter ? LAST : meta?.sortIndex ?? numericOr(tid, LAST);
        return { r, t, isCounter, meta, tid, sortKey };
      })
      .sort((a, c) => Number(a.isCounter) - Number(c.isCounter) || a.sortKey - c.sortKey || a.r - c.r);
    for (const o of ordered) {
      const kind = importer.trackKind(p.cls, { tid: o.tid, name: o.meta?.name ?? null, isCounter: o.isCounter });
      let name: string;
      if (o.isCounter) {
        const counter = names.strings[o.t.counterName];
        name = (seriesPerCounter.get(o.t.counterName) ?? 0) > 1 ? `${counter} ${o.t.series}` : counter;
      } else {
        name = o.meta?.name ?? defaultTrackName(p.cls.kind, o.tid);
      }
      trackOfRaw[o.r] = tProcess.length;
      tProcess.push(pi);
      tTid.push(o.tid);
      tName.push(names.internString(name));
      tSort.push(o.sortKey);
      tKind.push(kind);
    }
  });

  const n = tProcess.length;
  const tracks: TrackTable = {
    length: n,
    process: Int32Array.from(tProcess),
    tid: tTid,
    name: tName,
    sortIndex: Float64Array.from(tSort),
    kind: tKind,
    sliceStart: new Int32Array(n),
    sliceEnd: new Int32Array(n),
    maxDepth: new Int32Array(n),
  };
  return { processes, tracks, trackOfRaw };
}

function defaultTrackName(kind: ProcessKind, tid: string): string {
  if (kind === 'gpu' || kind === 'npu') return /^\d+$/.test(tid) ? `stream ${tid}` : tid;
  return /^-?\d+$/.test(tid) ? `Thread ${tid}` : tid || 'Thread';
}
