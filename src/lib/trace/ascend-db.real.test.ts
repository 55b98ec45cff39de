/**
 * The Ascend profiler db importer on the real db samples (../shared/traces/ascend/db-2rank-level{0,2}):
 * every expected count is read from the db itself in the test, never copied in.
 */
import { describe, expect, it } from 'vitest';
import { loadTrace } from './load.ts';
import { absoluteUs } from './time.ts';
import { nsTextToUs } from './ascend-db.ts';
import type { TraceModel } from './model.ts';
import { sharedJsonBytes, sharedTracesPresent, warnIfAbsent } from './test-support/shared.ts';
import { DB_SAMPLES, loadDb, openSqlite } from './test-support/sqlite.ts';

warnIfAbsent();

const names = (m: TraceModel, ids: ArrayLike<number>) => Array.from(ids, (i) => m.strings[i]);
const processNames = (m: TraceModel) => new Set(names(m, m.processes.name));
const trackNamesOf = (m: TraceModel, proc: string) => {
  const out: string[] = [];
  for (let t = 0; t < m.tracks.length; t++) if (m.strings[m.processes.name[m.tracks.process[t]]] === proc) out.push(m.strings[m.tracks.name[t]]);
  return out;
};
const slicesOn = (m: TraceModel, pred: (track: string, proc: string) => boolean) => {
  let n = 0;
  for (let t = 0; t < m.tracks.length; t++) if (pred(m.strings[m.tracks.name[t]], m.strings[m.processes.name[m.tracks.process[t]]])) n += m.tracks.sliceEnd[t] - m.tracks.sliceStart[t];
  return n;
};

describe.skipIf(!sharedTracesPresent)('Ascend profiler db → TraceModel (real samples)', () => {
  for (const s of DB_SAMPLES) {
    describe(s.name, () => {
      const { query, close } = openSqlite(s.db);
      const count = (sql: string) => Number(query(sql)[0].n);
      const expected = {
        ops: count('SELECT count(*) AS n FROM COMMUNICATION_OP'),
        tasks: count('SELECT count(*) AS n FROM TASK'),
        envelopes: count('SELECT count(*) AS n FROM TASK t WHERE t.connectionId IN (SELECT connectionId FROM COMMUNICATION_OP) AND t.globalTaskId NOT IN (SELECT globalTaskId FROM COMPUTE_TASK_INFO) AND t.globalTaskId NOT IN (SELECT globalTaskId FROM COMMUNICATION_TASK_INFO)'),
        rank: Number(query('SELECT rankId FROM RANK_DEVICE_MAP')[0].rankId),
        firstOp: String(query('SELECT CAST(startNs AS TEXT) AS t FROM COMMUNICATION_OP ORDER BY startNs LIMIT 1')[0].t),
        hbm0Read: count("SELECT count(*) AS n FROM HBM h JOIN STRING_IDS s ON s.id = h.type WHERE h.hbmId = 0 AND s.value = 'read'"),
        planeTasks: count('SELECT count(*) AS n FROM COMMUNICATION_TASK_INFO WHERE planeId <> 4294967295'),
      };
      close();
      const model = loadDb(s.db);

      it('has the lanes of trace_view.json: Python, CANN, Ascend Hardware streams, HCCL groups, counters', async () => {
        const m = await model;
        expect(m.format).toBe('ascend');
        expect(m.stats.formatReason).toMatch(/Ascend profiler database/);
        for (const p of ['Python', 'CANN', 'Ascend Hardware', 'HCCL', 'HBM', 'LLC', 'NPU MEM', 'AI Core Freq']) expect(processNames(m)).toContain(p);
        expect(trackNamesOf(m, 'Ascend Hardware').every((n) => /^Stream \d+$/.test(n))).toBe(true);
        expect(trackNamesOf(m, 'HCCL')).toContain('Group 0 Communication');
        expect(trackNamesOf(m, 'Python').every((n) => /^Thread \d+$/.test(n))).toBe(true);
      });

      it('one HCCL group slice per COMMUNICATION_OP row, one hardware slice per TASK row (less collective envelopes)', async () => {
        const m = await model;
        expect(slicesOn(m, (t, p) => p === 'HCCL' && /^Group \d+ Communication$/.test(t))).toBe(expected.ops);
        expect(slicesOn(m, (_t, p) => p === 'Ascend Hardware')).toBe(expected.tasks - expected.envelopes);
        expect(slicesOn(m, (t, p) => p === 'HCCL' && /^Plane \d+$/.test(t))).toBe(expected.planeTasks);
      });

      it('keeps integer ns exact: the first collective starts at its db timestamp', async () => {
        const m = await model;
        let first = Infinity;
        for (let t = 0; t < m.tracks.length; t++) {
          if (!/^Group \d+ Communication$/.test(m.strings[m.tracks.name[t]])) continue;
          for (let i = m.tracks.sliceStart[t]; i < m.tracks.sliceEnd[t]; i++) first = Math.min(first, m.slices.startNs[i]);
        }
        expect(absoluteUs(m.originUs, first)).toBe(nsTextToUs(expected.firstOp));
      });

      it('binds flows host → CANN → device (HostToDevice, async_npu, async_task_queue), none left unbound', async () => {
        const m = await model;
        const cats = new Set(names(m, m.flows.cat));
        for (const c of ['HostToDevice', 'async_npu', 'async_task_queue']) expect(cats).toContain(c);
        for (let i = 0; i < m.flows.length; i++) {
          expect(m.flows.fromSlice[i]).toBeGreaterThanOrEqual(0);
          expect(m.flows.toSlice[i]).toBeGreaterThanOrEqual(0);
        }
        expect(m.stats.warnings.map((w) => w.code)).not.toContain('flow-unbound');
      });

      it('reads the rank (RANK_DEVICE_MAP) and the counters (HBM rows → samples)', async () => {
        const m = await model;
        expect((m.metadata.distributedInfo as { rank: number }).rank).toBe(expected.rank);
        const t = names(m, m.tracks.name).indexOf('HBM 0/Read');
        expect(t).toBeGreaterThanOrEqual(0);
        let n = 0;
        for (let i = 0; i < m.counters.length; i++) if (m.counters.track[i] === t) n++;
        expect(n).toBe(expected.hbm0Read);
      });
    });
  }

  it('gives the same process and lane kinds as the JSON form of a comparable run (train-2rank-level1)', async () => {
    const json = await loadTrace(sharedJsonBytes('ascend/train-2rank-level1/rank0/trace_view.json'));
    const db = await loadDb(DB_SAMPLES[2].db);
    const kinds = (m: TraceModel) => new Map(Array.from({ length: m.processes.length }, (_, p) => [m.strings[m.processes.name[p]], m.processes.kind[p]]));
    const jk = kinds(json);
    for (const [name, kind] of kinds(db)) if (jk.has(name)) expect([name, kind]).toEqual([name, jk.get(name)]);
    const trackKinds = (m: TraceModel) => new Set(m.tracks.kind);
    for (const k of trackKinds(db)) expect(trackKinds(json)).toContain(k);
  });
});
