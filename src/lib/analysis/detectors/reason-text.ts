/**
 * The detectors' per-match reasons in the site's languages. Detectors write one English line per match
 * (the CLI and its JSON print it as is); the widget shows it in the page's language through
 * `reasonIn(reason, lang)`, which recognises each English form the detectors write and fills in its
 * Chinese one. Names from the trace (between backticks) and numbers are kept verbatim. A line no rule
 * recognises is returned unchanged (never dropped); `reason-text.test.ts` runs every detector on every
 * bundled sample and fails if a reason falls through, so a new English form needs its rule here.
 */
export type ReasonLang = 'en' | 'zh-CN';

type Rule = [RegExp, (m: RegExpExecArray, t: (s: string) => string) => string];

/** `x` to pageable host memory | `x` (the "what" of the sync detector's lines). */
const what = (s: string): string => {
  const m = /^`(.*)` to pageable host memory$/.exec(s);
  return m ? `\`${m[1]}\`（拷往可分页 host 内存）` : s;
};

const WHERE_ZH: Record<string, string> = { 'GPU annotation': ' GPU 标注', annotation: '标注', scope: '作用域' };

// Order matters: the longer, more specific forms come first.
const ZH_RULES: Rule[] = [
  [/^host only \(no device work in trace\): (.*)$/s, (m, t) => `仅在 host 上（trace 中没有设备端工作）：${t(m[1])}`],
  [/^kernel name matches (\w+): `(.*)`$/s, (m) => `kernel 名称符合 ${m[1]}：\`${m[2]}\``],
  [/^kernel name suggests (\w+): `(.*)`$/s, (m) => `kernel 名称像是 ${m[1]}：\`${m[2]}\``],
  [/^kernel name matches (\w+)$/, (m) => `kernel 名称符合 ${m[1]}`],
  [/^kernel name suggests (\w+)$/, (m) => `kernel 名称像是 ${m[1]}`],
  [/^launched under op `(.*)`$/s, (m) => `由算子 \`${m[1]}\` 启动`],
  [/^under (GPU annotation|annotation|scope) `(.*)`$/s, (m) => `位于${WHERE_ZH[m[1]]} \`${m[2]}\` 之内`],
  [/^(\w+) kernel launched under `(.*)`$/s, (m) => `在 \`${m[2]}\` 之内启动的 ${m[1]} kernel`],
  [/^launched under `(.*)`$/s, (m) => `在 \`${m[1]}\` 之内启动`],
  [/^launched by `(.*)`, started ([\d.]+) µs later$/s, (m) => `由 \`${m[1]}\` 启动，${m[2]} µs 后开始执行`],
  [/^HCCL op `(.*)` on (.*)$/s, (m) => `${m[2]} 上的 HCCL 算子 \`${m[1]}\``],
  [/^kernel arg Collective name = (.*)$/s, (m) => `kernel 参数 Collective name = ${m[1]}`],
  [/^kernel name `(.*)`$/s, (m) => `kernel 名称 \`${m[1]}\``],
  [/^device wait `(.*)` \((.*)\)$/s, (m) => `设备端等待 \`${m[1]}\`（${m[2]}）`],
  [/^device wait `(.*)`$/s, (m) => `设备端等待 \`${m[1]}\``],
  [/^host call `(.*)` \(its device-side wait is not in the trace\)$/s, (m) => `host 调用 \`${m[1]}\`（trace 中没有它在设备端的等待）`],
  [/^`(.*)` waits for the device \((.*) inside\)$/s, (m) => `\`${m[1]}\` 在等待设备（其中有 ${what(m[2])}）`],
  [/^blocking copy (.*)$/s, (m) => `阻塞的拷贝 ${what(m[1])}`],
  [/^host sync call (.*)$/s, (m) => `host 同步调用 ${what(m[1])}`],
  [/^device-side `(.*)` with no host sync call linked$/s, (m) => `设备端的 \`${m[1]}\`，没有关联的 host 同步调用`],
  [/^`(.*)` reads a device value on the host \(no runtime calls recorded\)$/s, (m) => `\`${m[1]}\` 在 host 上读取设备端的值（trace 未记录 runtime 调用）`],
];

/** The rule that reads `reason`, or null (tests use it to find reasons with no translation). */
export function reasonRule(reason: string): number | null {
  const i = ZH_RULES.findIndex(([re]) => re.test(reason));
  return i < 0 ? null : i;
}

/** A detector's reason line in `lang` (English lines are the detectors' own). */
export function reasonIn(reason: string, lang: ReasonLang): string {
  if (lang === 'en') return reason;
  const t = (s: string): string => {
    for (const [re, zh] of ZH_RULES) {
      const m = re.exec(s);
      if (m) return zh(m, t);
    }
    return s;
  };
  return t(reason);
}
