/**
 * The one place that decides which importer reads a trace, and says why
 * (speedscope's import/index.ts idea). Order matters: torch_npu traces also
 * carry Kineto-like categories (cpu_op, python_function), so Ascend is tried
 * first; anything else the tokenizer accepted is plain Chrome JSON.
 */
import { ascendImporter, isAscendTrace } from './ascend.ts';
import { chromeJsonImporter } from './chrome-json.ts';
import type { FormatEvidence, TraceImporter } from './importer.ts';
import { isKinetoTrace, kinetoImporter } from './kineto.ts';

export interface FormatChoice {
  importer: TraceImporter;
  /** Why, in English, e.g. "torch_npu process names 'Ascend Hardware', 'CANN'". */
  reason: string;
}

export function detectFormat(e: FormatEvidence): FormatChoice {
  const ascend = isAscendTrace(e);
  if (ascend) return { importer: ascendImporter, reason: ascend };
  const kineto = isKinetoTrace(e);
  if (kineto) return { importer: kinetoImporter, reason: kineto };
  return { importer: chromeJsonImporter, reason: 'no Kineto or torch_npu markers; read as plain Chrome Trace Event JSON' };
}
