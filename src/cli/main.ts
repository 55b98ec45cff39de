/**
 * `tracewise <command>`: dispatches to src/cli/<command>.ts, each exporting
 * `run(argv): Promise<number>` (the exit code). Commands are imported on
 * demand so a missing one (written elsewhere, not in this build) is reported,
 * not a crash. Nothing here prints a stack trace unless TRACEWISE_DEBUG=1.
 */
import { existsSync, readFileSync } from 'node:fs';

interface CommandModule {
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, string> = {
  analyze: 'summarise trace files: format, events, tracks, span, warnings, device activity and findings',
  explain: 'what each kernel, task or call is: family, category and the fields decoded from its name',
  diff: 'compare two runs (before/after): steps, overlap, findings, kernel groups, host time',
  slim: 'write a smaller copy of a trace (a time window, fewer args) for lessons and bug reports',
  'simulate-npu': 'write the simulated Ascend NPU sample traces used by the lessons',
};

// A checkout runs these sources as .ts; the installed package runs them compiled to .js in build/cli/
// (tsconfig.cli.json), so a command module has whichever extension this one has.
const EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

function commandUrl(command: string): URL {
  return new URL(`./${command}${EXTENSION}`, import.meta.url);
}

function isAvailable(command: string): boolean {
  return existsSync(commandUrl(command));
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(
    ([c, what]) => `  ${c.padEnd(width)}  ${what}${isAvailable(c) ? '' : ' (not available in this build)'}`,
  );
  return [
    'usage: tracewise <command> [options]',
    '',
    'Read GPU (PyTorch/Kineto) and NPU (Ascend torch_npu) profiler traces.',
    '',
    'commands:',
    ...lines,
    '',
    'tracewise <command> --help   options of one command',
    'tracewise --version          the version',
  ].join('\n');
}

function version(): string {
  try {
    // build/cli/ mirrors src/cli/, so the package root is two levels up from either.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`tracewise ${version()}\n`);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    process.stderr.write(`tracewise: unknown command '${command}' (try tracewise --help)\n`);
    return 2;
  }
  if (!isAvailable(command)) {
    process.stderr.write(`tracewise: the '${command}' command is not available in this build\n`);
    return 2;
  }
  try {
    const mod = (await import(commandUrl(command).href)) as CommandModule;
    return await mod.run(rest);
  } catch (e) {
    if (process.env.TRACEWISE_DEBUG === '1') throw e;
    const message = (e as Error)?.message ?? String(e);
    process.stderr.write(`tracewise: ${command}: internal error: ${message.split('\n')[0]} (set TRACEWISE_DEBUG=1 for details)\n`);
    return 1;
  }
}
