/**
 * The bundled samples' provenance as the workshop islands get it: one entry per file of
 * public/traces/manifest.json, with the reader's text (title, hardware, notes) already in the page's
 * language, so the page carries one language of the manifest, not both. Made at build time by
 * Workshop.astro through the manifest's validator, as samples/Provenance.astro does on lesson pages:
 * an invalid manifest fails the build.
 */
import { validateManifest, type ManifestLang, type SampleKind } from '../../lib/trace/manifest.ts';

export interface SampleInfo {
  /** Site path the packs and timelines use: `/traces/<file>`. */
  path: string;
  file: string;
  kind: SampleKind;
  title: string;
  hardware: string;
  notes: string;
  command: string;
  sha256: string;
}

export function samplesFor(manifest: unknown, lang: ManifestLang): SampleInfo[] {
  const { entries, problems } = validateManifest(manifest);
  if (problems.length) throw new Error(`public/traces/manifest.json is invalid:\n  ${problems.join('\n  ')}`);
  return entries.map((e) => ({
    path: `/traces/${e.file}`,
    file: e.file,
    kind: e.kind,
    title: e.title[lang],
    hardware: e.hardware[lang],
    notes: e.notes[lang],
    command: e.command,
    sha256: e.sha256,
  }));
}
