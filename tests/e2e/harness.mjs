// Shared helpers for the end-to-end tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), and the base URL of the
// server started by tests/e2e/run.mjs.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export function baseUrl() {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run the e2e tests through `npm run test:e2e`.');
  return url;
}

/** True when the third-party traces are served under /__shared/traces/. */
export function sharedTracesAvailable() {
  return process.env.E2E_SHARED === '1';
}

export async function launchBrowser() {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}. Install it with: apt-get install chromium (or set CHROMIUM_PATH).`);
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
  // Every context (browser.newPage makes one too) waits up to NAVIGATION_TIMEOUT_MS for a navigation.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    return context;
  };
  return browser;
}

/**
 * A lesson page is network-idle about 1 s after navigation on a quiet machine (bench/first-draw.mjs); in the
 * full suite on this shared 2-core machine a goto/reload of one once took over Playwright's default 30 s
 * (two of several hundred page loads). A slow machine is not a failure; a page that never settles still is.
 */
export const NAVIGATION_TIMEOUT_MS = 60_000;

/** Collects console errors and uncaught page errors; read `.errors` at the end of a test. */
export function collectConsoleErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()} ${msg.location()?.url ?? ''}`.trim());
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`http ${res.status()}: ${res.url()}`);
  });
  return { errors };
}
