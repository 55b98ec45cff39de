/**
 * The widget's own UI text in both site languages. Lesson prose lives in MDX;
 * these are only the widget's buttons, headings and messages.
 */
import { reasonIn } from '../../lib/analysis/detectors/reason-text.ts';

export type Locale = 'en' | 'zh-CN';

const en = {
  timeline: 'Trace timeline',
  loading: 'Loading trace…',
  loadingEvents: (events: number) => `${events.toLocaleString('en-US')} events read`,
  cancel: 'Cancel',
  cancelled: 'Loading was cancelled.',
  retry: 'Load again',
  loadFailed: 'Could not open this trace:',
  openFile: 'Open a trace file…',
  openFileHint: 'Your file is read in this browser; it is never uploaded.',
  fit: 'Fit all',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  zoomToSelection: 'Zoom to selection',
  search: 'Search slices (text or /regex/)',
  searchPlaceholder: 'Search: text or /regex/',
  prevMatch: 'Previous match',
  nextMatch: 'Next match',
  matches: (i: number, n: number) => (n === 0 ? 'no matches' : i >= 0 ? `${i + 1} of ${n}` : `${n} matches`),
  /** The count beside the search: `i` of `n` in the scope, how many are in view, how many in all. */
  searchCount: (i: number, n: number, inView: number, total: number, scope: 'all' | 'view' | 'lane') =>
    total === 0
      ? 'no matches'
      : scope === 'all'
        ? `${i >= 0 ? `${i + 1} of ${n}` : `${n} matches`} · ${inView} in view`
        : `${i >= 0 ? `${i + 1} of ` : ''}${n} ${scope === 'view' ? 'in view' : 'on this lane'} · ${total} total`,
  searchScope: 'Search in',
  scopeAll: 'whole trace',
  scopeView: 'visible range',
  scopeLane: 'selected lane',
  dragMode: 'Mouse drag',
  modePan: 'Pan',
  modeArea: 'Select area',
  modeRuler: 'Measure',
  colorBy: 'Colour by',
  colorCategory: 'category',
  colorDetector: 'detector',
  overview: 'Overview of the whole trace; drag the window to move',
  collapse: (g: string) => `Collapse ${g}`,
  expand: (g: string) => `Expand ${g}`,
  pin: (r: string) => `Pin ${r} to the top`,
  unpin: (r: string) => `Unpin ${r}`,
  details: 'Details',
  noSelection: 'Click a slice to see its details; shift+drag to select an area.',
  name: 'Name',
  category: 'Category',
  track: 'Track',
  start: 'Start',
  duration: 'Duration',
  selfTime: 'Self time',
  depth: 'Depth',
  parents: 'Inside',
  args: 'Arguments',
  detectors: 'Detected as',
  linked: 'Linked by flows',
  flowOut: 'leads to',
  flowIn: 'comes from',
  jump: 'Go to',
  clear: 'Clear',
  area: 'Area selection',
  areaSummary: (slices: number, rows: number, dur: string) =>
    `${slices.toLocaleString('en-US')} ${slices === 1 ? 'slice' : 'slices'} on ${rows} ${rows === 1 ? 'track' : 'tracks'} in ${dur}`,
  count: 'Count',
  total: 'Total',
  average: 'Average',
  inRange: 'In range',
  overlap: 'Overlap in this range',
  computing: 'Computing',
  communication: 'Communication',
  notOverlapped: 'Comm. not overlapped',
  free: 'Free',
  overlapRatio: 'Overlap ratio',
  ruler: 'Measured span',
  computingTracks: 'Computing overlap tracks…',
  summary: (format: string, tracks: number, slices: number, dur: string, from: string, to: string) =>
    `${format} trace timeline: ${tracks} tracks, ${slices.toLocaleString('en-US')} slices over ${dur}. Showing ${from} to ${to}.`,
  keyboardHelp:
    'Keys: W/S zoom in/out, A/D pan, F zoom to selection, 0 fit all, / search, Escape clear. Mouse: drag to pan, ctrl+wheel zooms, shift+wheel pans, shift+drag selects an area, drag on the time axis measures.',
  moreRows: (n: number) => `and ${n} more`,
  instantEvent: 'Instant event',
  instantsRow: 'instants',
  instantsInMarker: (n: number) => `This marker stands for ${n.toLocaleString('en-US')} instants at this zoom; zoom in to tell them apart. Shown: the first.`,
  moreLevels: (n: number) => `+${n} levels`,
  fewerLevels: 'fewer levels',
  /** A detector's reason line (the detectors write English). */
  reason: (r: string) => r,
  factHidden: 'hidden while an exercise on this page asks for it',
  showFact: 'show',
};

export type Strings = typeof en;

const zh: Strings = {
  timeline: 'Trace 时间线',
  loading: '正在加载 trace…',
  loadingEvents: (events: number) => `已读取 ${events.toLocaleString('zh-CN')} 个事件`,
  cancel: '取消',
  cancelled: '已取消加载。',
  retry: '重新加载',
  loadFailed: '无法打开这个 trace：',
  openFile: '打开 trace 文件…',
  openFileHint: '文件只在本浏览器中读取，不会上传。',
  fit: '显示全部',
  zoomIn: '放大',
  zoomOut: '缩小',
  zoomToSelection: '缩放到选中部分',
  search: '搜索切片（文本或 /正则/）',
  searchPlaceholder: '搜索：文本或 /正则/',
  prevMatch: '上一个匹配',
  nextMatch: '下一个匹配',
  matches: (i: number, n: number) => (n === 0 ? '无匹配' : i >= 0 ? `第 ${i + 1} / ${n} 个` : `${n} 个匹配`),
  searchCount: (i: number, n: number, inView: number, total: number, scope: 'all' | 'view' | 'lane') =>
    total === 0
      ? '无匹配'
      : scope === 'all'
        ? `${i >= 0 ? `第 ${i + 1} / ${n} 个` : `${n} 个匹配`}，视图内 ${inView} 个`
        : `${scope === 'view' ? '视图内' : '本泳道'}${i >= 0 ? `第 ${i + 1} / ${n} 个` : ` ${n} 个`}，共 ${total} 个`,
  searchScope: '搜索范围',
  scopeAll: '整条 trace',
  scopeView: '可见范围',
  scopeLane: '选中的泳道',
  dragMode: '鼠标拖动',
  modePan: '平移',
  modeArea: '框选区域',
  modeRuler: '测量',
  colorBy: '着色依据',
  colorCategory: '类别',
  colorDetector: '识别结果',
  overview: '整条 trace 的概览；拖动窗口可移动视图',
  collapse: (g: string) => `折叠 ${g}`,
  expand: (g: string) => `展开 ${g}`,
  pin: (r: string) => `将 ${r} 固定在顶部`,
  unpin: (r: string) => `取消固定 ${r}`,
  details: '详情',
  noSelection: '点击一个切片查看详情；按住 Shift 拖动可框选区域。',
  name: '名称',
  category: '类别',
  track: '轨道',
  start: '开始',
  duration: '时长',
  selfTime: '自身耗时',
  depth: '层级',
  parents: '所在调用',
  args: '参数',
  detectors: '识别为',
  linked: '通过 flow 关联',
  flowOut: '指向',
  flowIn: '来自',
  jump: '跳转到',
  clear: '清除',
  area: '区域选择',
  areaSummary: (slices: number, rows: number, dur: string) => `${rows} 条轨道上 ${dur} 内共 ${slices.toLocaleString('zh-CN')} 个切片`,
  count: '次数',
  total: '总时长',
  average: '平均',
  inRange: '区间内',
  overlap: '该区间的计算/通信重叠',
  computing: '计算',
  communication: '通信',
  notOverlapped: '未被掩盖的通信',
  free: '空闲',
  overlapRatio: '重叠率',
  ruler: '测量区间',
  computingTracks: '正在计算重叠分析轨道…',
  summary: (format: string, tracks: number, slices: number, dur: string, from: string, to: string) =>
    `${format} trace 的时间线：${tracks} 条轨道，${slices.toLocaleString('zh-CN')} 个切片，总长 ${dur}。当前显示 ${from} 到 ${to}。`,
  keyboardHelp:
    '键盘：W/S 放大/缩小，A/D 左右平移，F 缩放到选中部分，0 显示全部，/ 搜索，Esc 清除。鼠标：拖动平移，Ctrl+滚轮缩放，Shift+滚轮平移，Shift+拖动框选区域，在时间轴上拖动可测量。',
  moreRows: (n: number) => `另有 ${n} 行`,
  instantEvent: '瞬时事件',
  instantsRow: '瞬时事件',
  instantsInMarker: (n: number) => `在当前缩放级别下，这个标记代表 ${n.toLocaleString('zh-CN')} 个瞬时事件；放大后可逐个区分。此处显示的是其中第一个。`,
  moreLevels: (n: number) => `展开其余 ${n} 层`,
  fewerLevels: '收起',
  reason: (r: string) => reasonIn(r, 'zh-CN'),
  factHidden: '本页有练习正在问这个值，先隐藏',
  showFact: '显示',
};

/** How a trace format is named to readers (same in both languages). */
export function formatLabel(format: string): string {
  return format === 'kineto' ? 'PyTorch (Kineto)' : format === 'ascend' ? 'Ascend (torch_npu)' : 'Chrome JSON';
}

export function stringsFor(locale: string | undefined): Strings {
  return locale && locale.toLowerCase().startsWith('zh') ? zh : en;
}
