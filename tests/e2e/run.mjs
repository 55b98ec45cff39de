// `npm run test:e2e`: build the site, serve dist/ on localhost, run every
// tests/e2e/*.e2e.mjs with Node's test runner against it in Debian's Chromium.
// Fails loudly when Chromium is missing: e2e never passes silently.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { chromiumPath } from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const chrome = chromiumPath();
if (!existsSync(chrome)) {
  console.error(`e2e: Chromium not found at ${chrome}.\n  Install Debian's Chromium: sudo apt-get update && sudo apt-get install -y chromium\n  or point CHROMIUM_PATH at a Chromium binary.`);
  process.exit(1);
}

if (process.env.E2E_SKIP_BUILD !== '1') {
  const build = spawnSync('astro', ['build'], { cwd: root, stdio: 'inherit', shell: false });
  if (build.status !== 0) {
    console.error('e2e: the site build failed');
    process.exit(build.status ?? 1);
  }
}

const sharedDir = resolve(root, '../shared/traces');
const hasShared = existsSync(sharedDir);
if (!hasShared) console.warn(`e2e: ${sharedDir} is absent; tests that need third-party traces will skip.`);
const server = await startServer({ distDir: join(root, 'dist'), sharedDir });
mkdirSync(join(root, 'test-results'), { recursive: true });

const only = process.argv.slice(2);
const files = (only.length ? only : readdirSync(join(root, 'tests/e2e')).filter((f) => f.endsWith('.e2e.mjs')).sort().map((f) => join('tests/e2e', f)));
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, E2E_BASE_URL: server.url, E2E_SHARED: hasShared ? '1' : '0' },
});
const code = await new Promise((done) => child.on('exit', (c) => done(c ?? 1)));
await server.close();
process.exit(code);
