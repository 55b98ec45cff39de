/**
 * The options every command that reads traces shares (`--json`, `--max-inflated-mib N`, `-h`), parsed once
 * for analyze, diff and explain. A command's own options go through `own`: it is given the option and a
 * reader for its value, and answers true (taken), false (not its option) or an exit code (a bad value,
 * already reported on stderr).
 */
import type { LoadOptions } from '../lib/trace/load.ts';

export interface TraceArgs {
  asJson: boolean;
  files: string[];
  opts: LoadOptions;
}

export type OwnOption = (option: string, value: () => string | undefined) => boolean | number;

/** The parsed arguments, or the exit code to return (usage printed as needed). `-` is a file when `stdin`. */
export function parseTraceArgs(command: string, argv: string[], usage: string, own?: OwnOption, stdin = false): TraceArgs | number {
  const out: TraceArgs = { asJson: false, files: [], opts: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const taken = own?.(a, () => argv[++i]);
    if (typeof taken === 'number') return taken;
    if (taken) continue;
    if (a === '--json') out.asJson = true;
    else if (a === '--max-inflated-mib') {
      // The gzip bomb guard (default 4 GiB inflated), e.g. for a smaller machine.
      const mib = Number(argv[++i]);
      if (!(mib > 0)) {
        process.stderr.write(`tracewise: ${command}: --max-inflated-mib needs a positive number of MiB\n${usage}\n`);
        return 2;
      }
      out.opts.maxDecompressedBytes = Math.round(mib * 2 ** 20);
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(`${usage}\n`);
      return 0;
    } else if (a.startsWith('-') && !(stdin && a === '-')) {
      process.stderr.write(`tracewise: ${command}: unknown option ${a}\n${usage}\n`);
      return 2;
    } else out.files.push(a);
  }
  return out;
}
