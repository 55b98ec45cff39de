/**
 * Web Worker entry: everything happens in host.ts; this file only binds it to
 * the worker's global scope. Bundled by Vite from
 * `new Worker(new URL('./trace.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { serveTraceRequests } from './host.ts';
import type { MessageEndpoint } from './protocol.ts';

serveTraceRequests(globalThis as unknown as MessageEndpoint);
