// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import svelte from '@astrojs/svelte';
import mdx from '@astrojs/mdx';
import csp from './src/integrations/csp.ts';
import { satteri } from '@astrojs/markdown-satteri';
import { cjkLineBreaks } from './src/integrations/cjk-line-breaks.ts';

// Tracewise: a Starlight docs frame (sidebar, Pagefind search, themes, i18n)
// with Svelte 5 islands for the timeline widgets and exercises.
export default defineConfig({
  site: 'https://tracewise.example',
  // The site has no root-locale pages: / sends readers to the English home page.
  redirects: { '/': '/en/' },
  // Module workers (they are created with { type: 'module' }) may split code: the trace worker imports
  // SQLite (sql.js) and the Ascend db importer only when a .db is opened, so lessons never download them.
  vite: { worker: { format: 'es' } },
  // zh-cn prose is hard-wrapped: join its lines without the stray spaces a line break would render.
  markdown: { processor: satteri({ mdastPlugins: [cjkLineBreaks] }) },
  integrations: [
    starlight({
      title: { en: 'Tracewise', 'zh-CN': 'Tracewise 读懂性能时间线' },
      description: 'Learn to read GPU and NPU profiling timelines, hands-on.',
      defaultLocale: 'en',
      locales: {
        en: { label: 'English', lang: 'en' },
        'zh-cn': { label: '简体中文', lang: 'zh-CN' },
      },
      customCss: ['./src/styles/tracewise.css'],
      sidebar: [
        {
          label: 'Start here',
          translations: { 'zh-CN': '从这里开始' },
          items: [
            { slug: 'getting-started', label: 'Getting started', translations: { 'zh-CN': '快速开始' } },
            { slug: 'upload', label: 'Your own trace', translations: { 'zh-CN': '用你自己的 trace 练习' } },
          ],
        },
        {
          label: 'Lessons',
          translations: { 'zh-CN': '课程' },
          // In teaching order from each page's `sidebar.order` (1 reading a timeline, 2 GPU Qwen TP,
          // 3 NPU DeepSeek, 4 GPU overlap, 5 record your own); labels are the pages' titles in each language.
          items: [{ autogenerate: { directory: 'lessons' } }],
        },
        {
          label: 'Workshops',
          translations: { 'zh-CN': '工作坊' },
          items: [
            { slug: 'workshop', label: 'Workshop', translations: { 'zh-CN': '工作坊' } },
            { slug: 'workshop/instructor', label: 'Instructor view', translations: { 'zh-CN': '讲师视图' } },
          ],
        },
        {
          label: 'Reference',
          translations: { 'zh-CN': '参考' },
          items: [{ autogenerate: { directory: 'reference' } }],
        },
      ],
    }),
    mdx(),
    svelte(),
    // Last: hashes the inline scripts of the finished pages (see src/integrations/csp-html.ts).
    csp(),
  ],
});
