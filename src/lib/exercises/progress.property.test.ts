/**
 * Properties of the progress store over arbitrary stored text:
 * - nothing in storage makes it throw (reading, then writing);
 * - every valid record that was stored is still there after the next write;
 * - the original text is never lost: either it is still under the main key
 *   (unchanged or rewritten with the same records) or a backup key holds it.
 * Valid records are valid by construction (the generator below), not by the
 * validator under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStorage, ProgressStore, readDoc, type ExerciseRecord } from './progress.ts';

const KEY = 'tracewise.progress';
const iso = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k) && !/[\u0000-\u001f]/.test(k));

const record: fc.Arbitrary<ExerciseRecord> = fc.record({
  attempts: fc.nat({ max: 10_000 }),
  solvedAt: fc.option(iso, { nil: null }),
  firstAttemptAt: fc.option(iso, { nil: null }),
  lastAttemptAt: fc.option(iso, { nil: null }),
  hintsShown: fc.nat({ max: 20 }),
  shownMe: fc.boolean(),
  wrong: fc.array(fc.record({ at: iso, answer: fc.string({ maxLength: 40 }), nearMiss: key }, { requiredKeys: ['at', 'answer'] }), { maxLength: 20 }),
});

/** Junk that is never a valid record: any JSON value but an object with a numeric `attempts`... or one with a bad field. */
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('attempts' in v)),
  record.map((r) => ({ ...r, attempts: -1 - r.attempts })),
  record.map((r) => ({ ...r, solvedAt: 'yesterday' })),
);

type Cell = { valid: true; r: ExerciseRecord } | { valid: false; v: unknown };
const cell: fc.Arbitrary<Cell> = fc.oneof(
  record.map((r) => ({ valid: true as const, r })),
  junk.map((v) => ({ valid: false as const, v })),
);

interface StoredDoc {
  lessons: Record<string, { recs: Record<string, Cell> } | { junk: unknown }>;
  extra?: unknown;
}
const storedDoc: fc.Arbitrary<StoredDoc> = fc.record({
  lessons: fc.dictionary(key, fc.oneof(fc.dictionary(key, cell, { maxKeys: 4 }).map((recs) => ({ recs })), junk.map((v) => ({ junk: v }))), { maxKeys: 4 }),
  extra: fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
});

function storedText(d: StoredDoc): { text: string; valid: Array<[string, string, ExerciseRecord]> } {
  const lessons: Record<string, unknown> = {};
  const valid: Array<[string, string, ExerciseRecord]> = [];
  for (const [l, v] of Object.entries(d.lessons)) {
    if ('junk' in v) {
      lessons[l] = v.junk;
      continue;
    }
    const recs: Record<string, unknown> = {};
    for (const [id, c] of Object.entries(v.recs)) {
      recs[id] = c.valid ? c.r : c.v;
      if (c.valid) valid.push([l, id, c.r]);
    }
    lessons[l] = recs;
  }
  const doc: Record<string, unknown> = { version: 1, lessons };
  if (d.extra !== undefined) doc.extra = d.extra;
  return { text: JSON.stringify(doc), valid };
}

/** The stored text, kept somewhere: under the main key or a backup key. */
function kept(s: MemoryStorage, text: string): boolean {
  return [...s.data.values()].includes(text);
}

describe('progress store on arbitrary storage', () => {
  it('never throws, and never loses the original text unless it is rewritten losslessly', () => {
    const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ version: 1, lessons: v })));
    fc.assert(
      fc.property(anyText, (text) => {
        const s = new MemoryStorage();
        s.setItem(KEY, text);
        const p = new ProgressStore(s);
        p.takeNotices();
        p.recordAttempt('lesson', 'ex', { correct: false, answer: 'a' });
        const status = readDoc(text).status;
        if (status !== 'ok' && status !== 'empty') expect(kept(s, text)).toBe(true);
        expect(readDoc(s.getItem(KEY)).status).toBe('ok');
      }),
      { numRuns: 400 },
    );
  });

  it('every valid stored record survives the next write, whatever junk surrounds it', () => {
    fc.assert(
      fc.property(storedDoc, key, key, fc.boolean(), (d, lesson, id, correct) => {
        const { text, valid } = storedText(d);
        const s = new MemoryStorage();
        s.setItem(KEY, text);
        const p = new ProgressStore(s);
        p.recordAttempt(lesson, id, { correct, answer: 'x' });
        const after = readDoc(s.getItem(KEY));
        expect(after.status).toBe('ok');
        for (const [l, e, r] of valid) {
          if (l === lesson && e === id) continue; // the record just written to
          expect(after.doc.lessons[l]?.[e]).toEqual(JSON.parse(JSON.stringify(r)));
        }
        // Nothing was dropped without the original being kept.
        if (readDoc(text).status === 'partial') expect(kept(s, text)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
