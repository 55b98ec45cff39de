/**
 * Row orders for the finished tables. Rows arrive per track in nearly sorted
 * order, so a counting sort by track (O(n)) followed by a sortedness check per
 * track, sorting only the tracks that need it, beats one comparator sort of
 * everything by a wide margin.
 */

export interface TrackRuns {
  /** Row indexes grouped by track, in file order within a track. */
  order: Int32Array;
  /** `order[start[t], end[t])` are track t's rows. */
  start: Int32Array;
  end: Int32Array;
}

export function groupByTrack(trackOfRow: Int32Array, n: number, trackCount: number): TrackRuns {
  const start = new Int32Array(trackCount);
  const end = new Int32Array(trackCount);
  for (let i = 0; i < n; i++) end[trackOfRow[i]]++;
  let acc = 0;
  for (let t = 0; t < trackCount; t++) {
    start[t] = acc;
    acc += end[t];
    end[t] = start[t];
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[end[trackOfRow[i]]++] = i;
  return { order, start, end };
}

/** Sorts each track's run with `before` (a total order), skipping runs already in order. */
export function sortRuns(runs: TrackRuns, before: (a: number, b: number) => number): void {
  const { order, start, end } = runs;
  for (let t = 0; t < start.length; t++) {
    const s = start[t];
    const e = end[t];
    let k = s + 1;
    while (k < e && before(order[k - 1], order[k]) <= 0) k++;
    if (k >= e) continue;
    if (e - s <= 8) {
      // Insertion sort: flow groups and short tracks.
      for (let i = s + 1; i < e; i++) {
        const x = order[i];
        let j = i - 1;
        while (j >= s && before(order[j], x) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = x;
      }
    } else order.set(Array.from(order.subarray(s, e)).sort(before), s);
  }
}

/** Rows ordered by (track, time, file order); `trackOfRow` holds final track ids. */
export function orderByTrackAndTime(trackOfRow: Int32Array, time: Float64Array, n: number, trackCount: number): Int32Array {
  const runs = groupByTrack(trackOfRow, n, trackCount);
  sortRuns(runs, (a, b) => time[a] - time[b] || a - b);
  return runs.order;
}
