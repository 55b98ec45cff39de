/**
 * The counter tables of an Ascend profiler db, as the counter tracks trace_view.json has: one entry per
 * table with its msprof layer (the process's sort index), process name, the SQL that reads it (times as
 * exact integer text, `ts`) and the samples of one row, named and keyed as trace_view.json names them.
 * Units follow trace_view.json: the db stores bytes and bytes/s, the JSON shows KB and MB/s.
 */
import type { SqlRow, SqlValue } from './ascend-db-schema.ts';

export interface CounterTable {
  table: string;
  layer: number;
  process: string;
  sql: string;
  samples(row: SqlRow, str: (id: SqlValue) => string): Array<[name: string, args: Record<string, number>]>;
}

const ts = (col: string) => `CAST(CAST(${col} AS INTEGER) AS TEXT) AS ts`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const MB = 1048576;

export const COUNTER_TABLES: readonly CounterTable[] = [
  {
    table: 'AICORE_FREQ',
    layer: 14,
    process: 'AI Core Freq',
    sql: `SELECT deviceId, ${ts('timestampNs')}, freq FROM AICORE_FREQ ORDER BY CAST(timestampNs AS INTEGER)`,
    samples: (r) => [['AI Core Freq', { MHz: Number(r.freq) }]],
  },
  {
    table: 'HBM',
    layer: 17,
    process: 'HBM',
    sql: `SELECT deviceId, ${ts('timestampNs')}, bandwidth, hbmId, type FROM HBM ORDER BY timestampNs`,
    samples: (r, str) => {
      const dir = cap(str(r.type));
      return [[`HBM ${Number(r.hbmId)}/${dir}`, { [`${dir}(MB/s)`]: Number(r.bandwidth) / MB }]];
    },
  },
  {
    table: 'LLC',
    layer: 18,
    process: 'LLC',
    sql: `SELECT deviceId, ${ts('timestampNs')}, llcId, hitRate, throughput, mode FROM LLC ORDER BY timestampNs`,
    samples: (r, str) => {
      const lane = `LLC ${Number(r.llcId)} ${cap(str(r.mode))}`;
      return [
        [`${lane}/Throughput`, { 'Throughput(MB/s)': Number(r.throughput) / MB }],
        [`${lane}/Hit Rate`, { 'Hit Rate(%)': Number(r.hitRate) }],
      ];
    },
  },
  {
    table: 'NPU_MEM',
    layer: 19,
    process: 'NPU MEM',
    sql: `SELECT deviceId, ${ts('timestampNs')}, type, ddr, hbm FROM NPU_MEM ORDER BY timestampNs`,
    samples: (r, str) => {
      const who = str(r.type) === 'app' ? 'APP' : cap(str(r.type));
      const ddr = Number(r.ddr) / 1024;
      const hbm = Number(r.hbm) / 1024;
      return [
        [`${who}/DDR`, { KB: ddr }],
        [`${who}/HBM`, { KB: hbm }],
        [`${who}/Memory`, { KB: ddr + hbm }],
      ];
    },
  },
  {
    table: 'SOC_BANDWIDTH_LEVEL',
    layer: 20,
    process: 'Stars Soc Info',
    sql: `SELECT deviceId, ${ts('timestampNs')}, l2BufferBwLevel, mataBwLevel FROM SOC_BANDWIDTH_LEVEL ORDER BY CAST(timestampNs AS INTEGER)`,
    samples: (r) => [
      ['L2 Buffer Bw Level', { 'L2 Buffer Bw Level': Number(r.l2BufferBwLevel) }],
      ['Mata Bw Level', { 'Mata Bw Level': Number(r.mataBwLevel) }],
    ],
  },
  {
    table: 'ACC_PMU',
    layer: 21,
    process: 'Acc PMU',
    sql: `SELECT deviceId, ${ts('timestampNs')}, accId, readBwLevel, writeBwLevel, readOstLevel, writeOstLevel FROM ACC_PMU ORDER BY CAST(timestampNs AS INTEGER)`,
    samples: (r) => {
      const acc = Number(r.accId);
      return [
        ['read_bandwidth', { value: Number(r.readBwLevel), acc_id: acc }],
        ['write_band_width', { value: Number(r.writeBwLevel), acc_id: acc }],
        ['read_ost', { value: Number(r.readOstLevel), acc_id: acc }],
        ['write_ost', { value: Number(r.writeOstLevel), acc_id: acc }],
      ];
    },
  },
];
