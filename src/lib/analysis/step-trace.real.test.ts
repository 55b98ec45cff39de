/**
 * The per-step breakdown against the vendor's own numbers, read in the test from the files the
 * profiler wrote beside each trace: analysis.db StepTraceTime for the db samples, step_trace_time.csv
 * for the JSON sample. Every column within 0.1% (the vendor's are µs floats; ours are exact ns).
 */
import { describe, expect, it } from 'vitest';
import { STEP_TRACE_COLUMNS, stepTraceTime, type StepTraceRow } from './step-trace.ts';
import { DB_SAMPLES, loadDb, openSqlite } from '../trace/test-support/sqlite.ts';
import { loadShared, readSharedText, skipReason, tracesPresent } from './testing-real.ts';
import { analysisReport } from './report.ts';

if (!tracesPresent) console.warn(skipReason());

/** analysis.db column of each step_trace_time.csv title. */
const DB_COLUMN: Record<string, string> = {
  Computing: 'computing',
  'Communication(Not Overlapped)': 'communication_not_overlapped',
  Overlapped: 'overlapped',
  Communication: 'communication',
  Free: 'free',
  Stage: 'stage',
  Bubble: 'bubble',
  'Communication(Not Overlapped and Exclude Receive)': 'communication_not_overlapped_and_exclude_receive',
  Preparing: 'preparing',
};

function expectClose(ours: StepTraceRow, vendor: Record<string, number>, label: string): void {
  for (const [title, field] of STEP_TRACE_COLUMNS) {
    const got = ours[field] as number / 1000;
    const want = vendor[title];
    expect(Number.isFinite(want), `${label} ${title} read from the vendor file`).toBe(true);
    const err = want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
    expect(err, `${label} ${title}: ours ${got} µs, vendor ${want} µs`).toBeLessThanOrEqual(0.001);
  }
}

describe.skipIf(!tracesPresent)('step_trace_time: the db samples against analysis.db StepTraceTime', () => {
  for (const s of DB_SAMPLES) {
    it(`${s.name}: every column of every step, and the collective count`, async () => {
      const { query, close } = openSqlite(s.analysisDb);
      const vendor = query('SELECT * FROM StepTraceTime');
      close();
      const db = openSqlite(s.db);
      const ops = Number(db.query('SELECT count(*) AS n FROM COMMUNICATION_OP')[0].n);
      db.close();
      const model = await loadDb(s.db);
      const rows = stepTraceTime(model);
      expect(rows.length).toBe(vendor.length);
      for (const v of vendor) {
        const ours = rows.find((r) => r.step === String(v.step));
        expect(ours, `step ${String(v.step)}`).toBeDefined();
        const byTitle = Object.fromEntries(Object.entries(DB_COLUMN).map(([title, col]) => [title, Number(v[col])]));
        expectClose(ours!, byTitle, `${s.name} step ${String(v.step)}`);
      }
      const report = analysisReport(model);
      expect(report.findings.all_reduce.count + report.findings.reduce_scatter.count + report.findings.all_gather.count + report.findings.all_to_all.count + report.findings.broadcast.count + report.findings.send_recv.count).toBe(ops);
    });
  }
});

describe.skipIf(!tracesPresent)('step_trace_time: the JSON sample against step_trace_time.csv', () => {
  for (const rank of [0, 1]) {
    it(`train-2rank-level1 rank ${rank}: every column of every step`, async () => {
      const dir = `ascend/train-2rank-level1/rank${rank}`;
      const [head, ...lines] = readSharedText(`${dir}/step_trace_time.csv`).trim().split(/\r?\n/);
      const titles = head.split(',');
      const model = await loadShared(`${dir}/${rank === 0 ? 'trace_view.json' : 'trace_view.json.gz'}`);
      const rows = stepTraceTime(model);
      expect(rows.length).toBe(lines.length);
      for (const line of lines) {
        const cells = line.split(',');
        const vendor = Object.fromEntries(titles.map((t, i) => [t, Number(cells[i])]));
        const ours = rows.find((r) => r.step === String(vendor.Step));
        expect(ours, `step ${vendor.Step}`).toBeDefined();
        expectClose(ours!, vendor, `rank ${rank} step ${vendor.Step}`);
      }
    });
  }
});
