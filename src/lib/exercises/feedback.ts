/**
 * The checkers' own feedback, in both languages. Exercise-specific feedback
 * (near misses, option explanations) comes from the exercise data; these are
 * the generic lines around it. Plain text only: the UI renders them as text.
 */
import type { L10n } from './schema.ts';

const t = (en: string, zh: string): L10n => ({ en, 'zh-CN': zh });

/** Slice names can be very long templated kernel names; keep feedback readable. */
export function shortName(name: string): string {
  return name.length > 70 ? `${name.slice(0, 67)}…` : name;
}

export const msg = {
  notLoaded: t('The trace for this exercise is not loaded yet.', '本练习所用的 trace 尚未加载完成。'),
  unavailable: (why: string) =>
    t(`This exercise does not fit the loaded trace (${why}).`, `本练习与当前加载的 trace 不匹配（${why}）。`),
  selectSlice: t(
    'Click one slice on the timeline to answer (a selected range is not a slice).',
    '请在时间线上点选一个 slice 作答（框选的时间范围不算一个 slice）。',
  ),
  noSuchSlice: t('That selection is not part of this trace.', '所选内容不在这条 trace 中。'),
  correctSlice: (name: string) => t(`Correct: ${shortName(name)}.`, `正确：${shortName(name)}。`),
  correctHostForm: (answer: string, kernels: number, first: string, lane: string) =>
    kernels === 1
      ? t(
          `Correct: ${shortName(answer)} is this operation as the host (or a scope) sees it. Its device part is ${shortName(first)} on ${lane}.`,
          `正确：${shortName(answer)} 是 host（或作用域）视角下的这个操作。它在设备上的部分是 ${lane} 上的 ${shortName(first)}。`,
        )
      : t(
          `Correct: ${shortName(answer)} is one application of this operation as the host (or a scope) sees it. Its device part is ${kernels} kernels on ${lane}, the first ${shortName(first)}.`,
          `正确：${shortName(answer)} 是 host（或作用域）视角下这个操作的一次应用。它在设备上的部分是 ${lane} 上的 ${kernels} 个 kernel，第一个是 ${shortName(first)}。`,
        ),
  correctSetup: (answer: string, kernels: number, first: string, lane: string) =>
    t(
      `Correct, with a caveat: ${shortName(answer)} prepares this operation rather than applying it (it builds the table the operation reads, e.g. RoPE's cos/sin). Its ${kernels} kernels on ${lane}, the first ${shortName(first)}, count in the operation's time, not as an application.`,
      `算对，但要注意：${shortName(answer)} 是在为这个操作做准备，而不是应用它（它构建操作要读取的表，例如 RoPE 的 cos/sin 表）。它在 ${lane} 上的 ${kernels} 个 kernel（第一个是 ${shortName(first)}）计入这个操作的时间，但不算一次应用。`,
    ),
  correctLinked: (answer: string, target: string) =>
    t(
      `Correct: you picked ${shortName(answer)}, which stands for ${shortName(target)} on another lane.`,
      `正确：你选的 ${shortName(answer)} 在另一条泳道上对应的正是 ${shortName(target)}。`,
    ),
  rightKindWrongPlace: (name: string) =>
    t(
      `That is the right kind of slice (${shortName(name)}), but not the one asked for. Check where it is: which step, layer, and what comes before it.`,
      `类型对了（${shortName(name)}），但不是题目要的那一个。再看看它的位置：在哪个 step、哪一层、前面是什么。`,
    ),
  wrongSlice: (name: string) =>
    t(`Not this one: you picked ${shortName(name)}.`, `不是这个：你选的是 ${shortName(name)}。`),
  answerWithValue: t('Type a number to answer this one.', '这道题请输入一个数值作答。'),
  answerWithRange: t(
    'Answer by selecting the range on the timeline (shift+drag), not by typing a number.',
    '请在时间线上框选时间范围（shift+拖动）作答，而不是输入数值。',
  ),
  answerWithChoice: t('Pick one of the options.', '请从选项中选择。'),
  wrongUnit: (unit: string) =>
    t(`The unit "${unit}" does not fit this question.`, `单位“${unit}”不适用于这道题。`),
  misaligned: t(
    'Your selection does not line up with what was asked: select from where it starts to where it ends.',
    '你框选的范围与题目所指的对象对不上：请从它开始的地方选到结束的地方。',
  ),
  measuredSlice: (name: string, at: string, dur: string) =>
    t(`You measured ${shortName(name)} (at ${at}, ${dur} long).`, `你量的是 ${shortName(name)}（开始于 ${at}，时长 ${dur}）。`),
  notThatOne: t(
    'That is not the one the question asks about: check where it is (which step, which layer, what comes before it).',
    '但题目问的不是它：看看它的位置（哪个 step、哪一层、前面是什么）。',
  ),
  correctValue: (given: string, ref: string) =>
    t(`Correct: you gave ${given}; the trace says ${ref}.`, `正确：你的答案是 ${given}，trace 中的值是 ${ref}。`),
  tooHigh: (given: string) =>
    t(`${given} is too high.`, `${given} 偏大了。`),
  tooLow: (given: string) => t(`${given} is too low.`, `${given} 偏小了。`),
  rangeTooLong: (given: string) =>
    t(`Your selection lasts ${given}: that is too long. Snap its edges to the slices.`, `你框选的范围是 ${given}，太长了。请让边缘对齐 slice。`),
  rangeTooShort: (given: string) =>
    t(`Your selection lasts ${given}: that is too short. Snap its edges to the slices.`, `你框选的范围是 ${given}，太短了。请让边缘对齐 slice。`),
  /** The two traces' values; `labels` names them where they are not a before/after pair (rank 0, rank 1). */
  compareValues: (before: string, after: string, labels?: { before: L10n; after: L10n }) =>
    labels
      ? t(`${labels.before.en}: ${before}; ${labels.after.en}: ${after}.`, `${labels.before['zh-CN']}：${before}；${labels.after['zh-CN']}：${after}。`)
      : t(`Before: ${before}; after: ${after}.`, `优化前：${before}；优化后：${after}。`),
  missedSome: (n: number) =>
    t(`Not quite: ${n} correct option${n === 1 ? ' is' : 's are'} still unchecked.`, `还差一点：还有 ${n} 个正确选项没有选。`),
  correct: t('Correct.', '正确。'),
  notQuite: t('Not quite.', '不太对。'),
};

/** Two bilingual texts as one, separated by a space. */
export function joinL10n(...parts: L10n[]): L10n {
  return {
    en: parts.map((p) => p.en).join(' '),
    'zh-CN': parts.map((p) => p['zh-CN']).join(''),
  };
}
