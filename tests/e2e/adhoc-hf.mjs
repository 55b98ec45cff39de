import { startServer } from './server.mjs';
import { launchBrowser } from './harness.mjs';
import { readFileSync } from 'node:fs';
const { server, url } = await (async () => { const s = startServer({ distDir: 'dist' }); return s.then ? await s : s; })();
