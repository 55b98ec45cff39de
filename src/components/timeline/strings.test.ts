import { describe, expect, it } from 'vitest';
import { stringsFor } from './strings.ts';

describe('widget strings', () => {
  it('the area summary agrees in number ("8 slices on 1 track", not "1 tracks")', () => {
    const en = stringsFor('en');
    expect(en.areaSummary(8, 1, '2 ms')).toBe('8 slices on 1 track in 2 ms');
    expect(en.areaSummary(1, 2, '2 ms')).toBe('1 slice on 2 tracks in 2 ms');
    expect(stringsFor('zh-CN').areaSummary(8, 1, '2 ms')).toBe('1 条轨道上 2 ms 内共 8 个切片');
  });
});
