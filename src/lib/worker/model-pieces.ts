/**
 * A model the page already holds, sent to the worker in pieces: structured
 * cloning a 5 M-slice model in one postMessage holds the page's main thread
 * for seconds (hundreds of MB of arrays and millions of strings). Here typed
 * arrays are copied CHUNK_ELEMENTS at a time and transferred, big string
 * arrays go in chunks of CHUNK_STRINGS, and the sender yields a macrotask
 * every few milliseconds, so no piece holds the main thread for long.
 */
import type { TraceModel } from '../trace/model.ts';

/** Big string arrays (the model's strings, track ids) are sent this many at a time; args bytes go as one piece per segment. */
export const CHUNK_STRINGS = 20_000;
/** Typed arrays are copied and sent this many elements at a time (2 MB of Float64). */
export const CHUNK_ELEMENTS = 1 << 18;

const TABLES = ['processes', 'tracks', 'slices', 'instants', 'counters', 'flows', 'args'] as const;
type TableName = (typeof TABLES)[number];
/** A field of a table, or a top-level array (`table` null: `strings`, `args`). */
interface FieldRef {
  table: TableName | null;
  field: string;
}

export type ModelPiece =
  /** The model with every typed array and big string array left out (filled by the pieces that follow). */
  | { kind: 'shape'; shape: TraceModel }
  /** Elements [from, from + value.length) of a typed array of `length` elements. */
  | (FieldRef & { kind: 'typed'; length: number; from: number; value: ArrayBufferView })
  | (FieldRef & { kind: 'strings'; length: number; from: number; values: unknown[] })
  /** Element `index` of an array of `length` byte arrays (the args segments), copied. */
  | (FieldRef & { kind: 'bytes'; length: number; index: number; value: Uint8Array });

type AnyRecord = Record<string, unknown>;

/** The pieces of `model`, in order; each typed array is a copy, safe to transfer. */
export function* modelPieces(model: TraceModel): Generator<{ piece: ModelPiece; transfer: ArrayBuffer[] }> {
  const shape: AnyRecord = { ...model };
  // What is sent after the shape: typed arrays, arrays of byte arrays (the args segments), big string arrays.
  const later: Array<FieldRef & { value: unknown; byteArrays: boolean }> = [];
  const strip = (obj: AnyRecord, table: TableName | null) => {
    for (const [field, value] of Object.entries(obj)) {
      if (table === null && TABLES.includes(field as TableName)) continue;
      const byteArrays = Array.isArray(value) && value.length > 0 && value.every((v) => ArrayBuffer.isView(v));
      if (ArrayBuffer.isView(value) || byteArrays || (Array.isArray(value) && value.length > CHUNK_STRINGS)) {
        later.push({ table, field, value, byteArrays });
        obj[field] = null;
      }
    }
  };
  strip(shape, null);
  for (const t of TABLES) {
    const copy: AnyRecord = { ...(model[t] as unknown as AnyRecord) };
    strip(copy, t);
    shape[t] = copy;
  }
  yield { piece: { kind: 'shape', shape: shape as unknown as TraceModel }, transfer: [] };
  for (const { table, field, value, byteArrays } of later) {
    if (byteArrays) {
      const arrays = value as Uint8Array[];
      for (let index = 0; index < arrays.length; index++) {
        const copy = arrays[index].slice();
        yield { piece: { kind: 'bytes', table, field, length: arrays.length, index, value: copy }, transfer: [copy.buffer as ArrayBuffer] };
      }
    } else if (ArrayBuffer.isView(value)) {
      const arr = value as unknown as Uint8Array;
      for (let from = 0; from === 0 || from < arr.length; from += CHUNK_ELEMENTS) {
        const copy = arr.slice(from, from + CHUNK_ELEMENTS);
        yield { piece: { kind: 'typed', table, field, length: arr.length, from, value: copy }, transfer: [copy.buffer as ArrayBuffer] };
      }
    } else {
      const arr = value as unknown[];
      for (let from = 0; from < arr.length; from += CHUNK_STRINGS) {
        yield { piece: { kind: 'strings', table, field, length: arr.length, from, values: arr.slice(from, from + CHUNK_STRINGS) }, transfer: [] };
      }
    }
  }
}

/** Rebuilds the model from its pieces, in the order `modelPieces` made them. */
export class ModelAssembler {
  private model: TraceModel | null = null;

  add(piece: ModelPiece): void {
    if (piece.kind === 'shape') {
      this.model = piece.shape;
      return;
    }
    if (!this.model) throw new Error('model piece before its shape');
    const holder = (piece.table === null ? this.model : this.model[piece.table]) as unknown as AnyRecord;
    if (piece.kind === 'typed') {
      const part = piece.value as unknown as Uint8Array;
      if (piece.from === 0 && part.length === piece.length) holder[piece.field] = part;
      else {
        let arr = holder[piece.field] as Uint8Array | null;
        if (!arr) holder[piece.field] = arr = new (part.constructor as Uint8ArrayConstructor)(piece.length);
        arr.set(part, piece.from);
      }
    } else if (piece.kind === 'bytes') {
      let arr = holder[piece.field] as Uint8Array[] | null;
      if (!arr) holder[piece.field] = arr = new Array<Uint8Array>(piece.length);
      arr[piece.index] = piece.value;
    } else {
      let arr = holder[piece.field] as unknown[] | null;
      if (!arr) holder[piece.field] = arr = new Array(piece.length);
      for (let i = 0; i < piece.values.length; i++) arr[piece.from + i] = piece.values[i];
    }
  }

  finish(): TraceModel {
    if (!this.model) throw new Error('no model was sent');
    return this.model;
  }
}

/**
 * The other direction, the worker's model to the page: its typed arrays are
 * transferred with `done`, but its big string arrays (flow ids: 640 k at 1 GB;
 * names) would still be deserialized in that one message, holding the page's
 * main thread (0.1–0.35 s at 1 GB). So they go ahead in chunks of
 * CHUNK_STRINGS, one message each, and `done` carries the model with them
 * emptied (`shell`). `StringColumns` puts them back on the page.
 */
export function stringChunks(model: TraceModel): { chunks: Array<{ table: TableName | null; field: string; length: number; from: number; values: string[] }>; shell: TraceModel } {
  const chunks: Array<{ table: TableName | null; field: string; length: number; from: number; values: string[] }> = [];
  const shell: AnyRecord = { ...model };
  const take = (owner: AnyRecord, table: TableName | null, field: string, value: unknown): boolean => {
    if (!Array.isArray(value) || value.length <= CHUNK_STRINGS || !value.every((v) => typeof v === 'string')) return false;
    for (let from = 0; from < value.length; from += CHUNK_STRINGS) chunks.push({ table, field, length: value.length, from, values: value.slice(from, from + CHUNK_STRINGS) });
    owner[field] = [];
    return true;
  };
  take(shell, null, 'strings', model.strings);
  for (const table of TABLES) {
    const copy: AnyRecord = { ...(model[table] as unknown as AnyRecord) };
    let changed = false;
    for (const [field, value] of Object.entries(copy)) if (take(copy, table, field, value)) changed = true;
    if (changed) shell[table] = copy;
  }
  return { chunks, shell: shell as unknown as TraceModel };
}

/** The page side of `stringChunks`: collects the chunks, then fills the model's emptied arrays. */
export class StringColumns {
  private readonly columns = new Map<string, { table: string | null; field: string; values: string[] }>();

  add(c: { table: string | null; field: string; length: number; from: number; values: string[] }): void {
    const key = `${c.table}.${c.field}`;
    let col = this.columns.get(key);
    if (!col) this.columns.set(key, (col = { table: c.table, field: c.field, values: new Array<string>(c.length) }));
    for (let i = 0; i < c.values.length; i++) col.values[c.from + i] = c.values[i];
  }

  /** Puts every collected array back into `model` (in place) and returns it. */
  fill(model: TraceModel): TraceModel {
    for (const { table, field, values } of this.columns.values()) {
      const owner = (table === null ? model : (model as unknown as AnyRecord)[table]) as AnyRecord;
      owner[field] = values;
    }
    this.columns.clear();
    return model;
  }
}
