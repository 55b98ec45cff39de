import { describe, expect, it } from 'vitest';
import { displayText } from './display-text.ts';

describe('displayText', () => {
  it('shows bidi controls as visible escapes, so "gpj.exe" cannot read as "exe.jpg"', () => {
    expect(displayText('photo\u202Egpj.exe')).toBe('photo⟨U+202E⟩gpj.exe');
    expect(displayText('\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u200E\u200F\u061C')).toBe(
      '⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩',
    );
  });

  it('shows zero-width and other invisible characters, tags and controls', () => {
    expect(displayText('a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u00ADg')).toBe('a⟨U+200B⟩b⟨U+200C⟩c⟨U+200D⟩d⟨U+2060⟩e⟨U+FEFF⟩f⟨U+00AD⟩g');
    expect(displayText('x\u{E0041}y')).toBe('x⟨U+E0041⟩y');
    expect(displayText('a\u0000b\u001Bc\u0085d\u2028e')).toBe('a⟨U+0000⟩b⟨U+001B⟩c⟨U+0085⟩d⟨U+2028⟩e');
  });

  it('leaves ordinary text alone, Chinese, Arabic letters, tabs and newlines included', () => {
    for (const s of ['aten::mm', 'void at::native::elementwise_kernel<128, 4>', '注意力 计算', 'مرحبا', 'a\tb\nc\r', '', '⟨U+202E⟩']) {
      expect(displayText(s)).toBe(s);
    }
  });
});
