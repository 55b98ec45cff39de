import { describe, expect, it } from 'vitest';
import { markdownToHtml } from 'satteri';
import { cjkLineBreaks, joinCjkBreaks } from './cjk-line-breaks.ts';

describe('joinCjkBreaks', () => {
  it('drops the break after full-width punctuation and between Han characters', () => {
    expect(joinCjkBreaks('两个进程），\nNCCL 通过')).toBe('两个进程），NCCL 通过');
    expect(joinCjkBreaks('做同样的事：\n4 条序列')).toBe('做同样的事：4 条序列');
    expect(joinCjkBreaks('视图显示\n线程')).toBe('视图显示线程');
  });
  it('keeps one space between a Han character and a Latin word', () => {
    expect(joinCjkBreaks('stream 上\nNCCL')).toBe('stream 上 NCCL');
    expect(joinCjkBreaks('the\nkernel')).toBe('the\nkernel');
  });
  it('looks at the neighbouring inline nodes at its edges', () => {
    expect(joinCjkBreaks('\n之后', '`x`')).toBe(' 之后');
    expect(joinCjkBreaks('里面：\n', '', 'code')).toBe('里面：');
  });
});

describe('cjkLineBreaks (Sätteri plugin)', () => {
  const md = '进程），\n`NCCL`\n通过 **粗体**\n中文，\nthe end';
  it('joins the lines of zh-cn pages', async () => {
    const { html } = await markdownToHtml(md, { mdastPlugins: [cjkLineBreaks], fileURL: new URL('file:///x/src/content/docs/zh-cn/a.mdx') });
    expect(html.trim()).toBe('<p>进程），<code>NCCL</code> 通过 <strong>粗体</strong>中文，the end</p>');
  });
  it('leaves other pages alone', async () => {
    const { html } = await markdownToHtml(md, { mdastPlugins: [cjkLineBreaks], fileURL: new URL('file:///x/src/content/docs/en/a.mdx') });
    expect(html.trim()).toBe(markdownToHtml(md).html.trim());
  });
});
