/** Text of the per-step breakdown table in both site languages; column heads stay as msprof writes them. */
import type { Lang } from '../../lib/exercises/schema.ts';

const en = {
  caption: 'Per-step breakdown (the columns of msprof’s step_trace_time, computed from this trace)',
  device: 'Device',
  step: 'Step',
  wholeTrace: 'whole trace',
  unit: 'All times in µs.',
  none: 'No computation or communication on a device in this trace, so there is no per-step breakdown.',
  loading: 'Waiting for the timeline’s trace…',
  definitions: 'What each column means (and where the definition comes from): Reference → Detectors and overlap analysis.',
};

type Strings = typeof en;

const zh: Strings = {
  caption: '逐 step 拆解（msprof 的 step_trace_time 各列，由这份 trace 计算）',
  device: '设备',
  step: 'Step',
  wholeTrace: '整份 trace',
  unit: '时间单位均为 µs。',
  none: '这份 trace 中没有设备上的计算或通信，因此没有逐 step 拆解。',
  loading: '正在等待时间线加载 trace…',
  definitions: '每一列的含义及定义出处：参考 → 检测器与重叠分析。',
};

export function stepStrings(lang: Lang): Strings {
  return lang === 'zh-CN' ? zh : en;
}
