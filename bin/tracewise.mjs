#!/usr/bin/env node
// The `tracewise` command. It runs one of two copies of the same CLI:
//   - in a checkout of the repository: the TypeScript sources in src/cli, run directly by Node's type
//     stripping (on by default since Node 22.18 / 23.6). They win over build/ whenever they are here, so an
//     edit is never shadowed by a stale compiled copy (npm's `prepare` rebuilds build/ on every `npm ci`).
//   - installed (npm install, npx, a packed tarball): the package ships no sources, only build/, the CLI
//     compiled to plain JavaScript by `npm run build:cli` (tsconfig.cli.json). Node refuses to strip types
//     under node_modules/, so an installed copy cannot run the .ts files even where they exist.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../build/cli/main.js', import.meta.url);
const installed = fileURLToPath(import.meta.url).split(sep).includes('node_modules');

const [major, minor] = process.versions.node.split('.').map(Number);
const atLeast = (m, n) => major > m || (major === m && minor >= n);

function fail(lines) {
  process.stderr.write(lines.map((l) => `tracewise: ${l}\n`).join(''));
  process.exit(1);
}

let entry;
if (!installed && existsSync(sources)) {
  if (!(atLeast(23, 6) || (major === 22 && minor >= 18))) {
    fail([
      `needs Node.js 22.18 or newer to run its TypeScript sources (this is Node ${process.versions.node}).`,
      'in this repository, run it with the Node that npm installed: PATH=node_modules/.bin:$PATH tracewise ...',
    ]);
  }
  entry = sources;
} else if (existsSync(compiled)) {
  // The compiled copy needs no type stripping, only what package.json's `engines` promises.
  if (!atLeast(22, 12)) fail([`needs Node.js 22.12 or newer (this is Node ${process.versions.node}).`]);
  entry = compiled;
} else {
  fail([
    'this copy of tracewise has no compiled CLI (build/cli/main.js) and Node cannot run its TypeScript sources here.',
    'it was packed without its `prepare` step; in the package folder run: npm run build:cli',
  ]);
}

// Node's on-disk compile cache (in the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off) keeps the
// compiled code of the CLI's modules, and in a checkout the result of stripping their types, between runs:
// importing the sources drops from ~350 ms to ~50 ms once cached. Node < 22.1 has no such cache.
module.enableCompileCache?.();
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
