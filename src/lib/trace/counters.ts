/**
 * Counter ('C') events → samples on one track per (process, counter, series).
 * `{"name": "HBM 0/Read", "args": {"Read(MB/s)": 12.5}}` is one sample of the
 * series "Read(MB/s)". The flat `{"series": number, ...}` shape every producer
 * writes is read straight from the bytes (series names interned without
 * decoding); anything else goes through JSON.parse.
 */
import { F64Column, I32Column } from './columns.ts';
import { hashBytes } from './intern.ts';
import { COLON, COMMA, IN_STRING, QUOTE, TOKEN, skipWs } from './json-bytes.ts';
import type { RawTrack } from './builder.ts';
import type { RawEvent, TraceTokenizer } from './tokenizer.ts';

export class CounterRows {
  readonly track = new I32Column(64);
  readonly ts = new F64Column(64);
  readonly value = new F64Column(64);
  private readonly tok: TraceTokenizer;
  private readonly tracks: RawTrack[];
  /** (pid, counter name) → series index → raw track. */
  private readonly bySeries = new Map<number, Map<number, number>>();
  // One event's parsed values, kept until the whole object has been read.
  private seriesOf: number[] = [];
  private valueOf: number[] = [];

  constructor(tok: TraceTokenizer, tracks: RawTrack[]) {
    this.tok = tok;
    this.tracks = tracks;
  }

  /** Adds the event's samples; false when its args hold no object. */
  add(ev: RawEvent, ts: number, pid: number, name: number): boolean {
    if (ev.argsStart < 0) return false;
    this.seriesOf.length = 0;
    this.valueOf.length = 0;
    if (!this.readFlat(ev)) {
      this.seriesOf.length = 0;
      this.valueOf.length = 0;
      if (!this.readParsed(ev)) return false;
    }
    const key = pid * 67108864 + name;
    let series = this.bySeries.get(key);
    if (!series) this.bySeries.set(key, (series = new Map()));
    for (let k = 0; k < this.seriesOf.length; k++) {
      const v = this.valueOf[k];
      if (!Number.isFinite(v)) continue;
      const s = this.seriesOf[k];
      let t = series.get(s);
      if (t === undefined) {
        t = this.tracks.length;
        this.tracks.push({ pid, tid: -1, counterName: name, series: this.tok.names.strings[s] });
        series.set(s, t);
      }
      this.track.push(t);
      this.ts.push(ts);
      this.value.push(v);
    }
    return true;
  }

  /** `{"key": number, ...}` without escapes; false to fall back to JSON.parse. */
  private readFlat(ev: RawEvent): boolean {
    const buf = ev.buf;
    const end = ev.argsEnd - 1; // the closing brace
    let p = skipWs(buf, ev.argsStart + 1, end);
    while (p < end) {
      if (buf[p] !== QUOTE) return false;
      const ks = p + 1;
      let ke = ks;
      while (ke < end && IN_STRING[buf[ke]] === 0) ke++;
      if (ke >= end || buf[ke] !== QUOTE) return false; // escapes or non-ASCII: slow path
      p = skipWs(buf, ke + 1, end);
      if (buf[p] !== COLON) return false;
      p = skipWs(buf, p + 1, end);
      const vs = p;
      while (p < end && TOKEN[buf[p]] === 1) p++;
      if (p === vs) return false; // a string or object value
      let text = '';
      for (let i = vs; i < p; i++) text += String.fromCharCode(buf[i]);
      this.seriesOf.push(this.tok.names.internBytes(buf, ks, ke, hashBytes(buf, ks, ke), false, false));
      this.valueOf.push(Number(text));
      p = skipWs(buf, p, end);
      if (p < end) {
        if (buf[p] !== COMMA) return false;
        p = skipWs(buf, p + 1, end);
      }
    }
    return true;
  }

  private readParsed(ev: RawEvent): boolean {
    let values: unknown;
    try {
      values = JSON.parse(this.tok.text.decode(ev.buf, ev.argsStart, ev.argsEnd, ev.argsNonAscii));
    } catch {
      return false;
    }
    if (!values || typeof values !== 'object' || Array.isArray(values)) return false;
    for (const [series, raw] of Object.entries(values as Record<string, unknown>)) {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      this.seriesOf.push(this.tok.names.internString(series));
      this.valueOf.push(value);
    }
    return true;
  }
}
