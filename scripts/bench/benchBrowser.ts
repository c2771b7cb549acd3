/**
 * The Node half shared by the browser benchmarks: the project served by Vite (its config sets
 * the COOP/COEP headers, so wasm gets threads), /usr/bin/chromium (CHROMIUM_PATH overrides)
 * with WebGPU enabled, and a page's report read from a global once the page sets it. The page's
 * console goes to stderr, as progress.
 */
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

/** The global a benchmark page sets to its report when it is done. */
export type BenchGlobal = 'kernelsBench' | 'backboneBench' | 'inspectionBench' | 'stationBench';

export interface BenchBrowser {
  /** Opens `path` (e.g. 'bench/kernels.html?quick=1') and waits, without a time limit, for `window[global]`. */
  report<T>(path: string, global: BenchGlobal): Promise<T>;
  close(): Promise<void>;
}

/** `readable`: folders outside the project the pages may read through Vite's /@fs/ (e.g. photographs). */
export async function openBenchBrowser(readable: readonly string[] = []): Promise<BenchBrowser> {
  const root = new URL('../..', import.meta.url).pathname;
  const server: ViteDevServer = await createServer({
    configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
    logLevel: 'warn',
    // No HMR and no file watching: in a checkout others are editing, a change would reload the
    // page and silently restart a benchmark that has run for minutes.
    server: { port: 0, open: false, hmr: false, watch: null, fs: { allow: [root, ...readable] } },
  });
  await server.listen();
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // The soak measures memory: eagerly, rather than at the next garbage collection, up to 20 s
      // later, and the page's live heap after a collection (memory.ts).
      args: ['--enable-unsafe-webgpu', '--enable-blink-features=ForceEagerMeasureMemory', '--js-flags=--expose-gc', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    async report<T>(path: string, global: BenchGlobal) {
      const page = await browser.newPage();
      try {
        page.on('console', (msg) => process.stderr.write(`[${global}] ${msg.text()}\n`));
        page.on('pageerror', (error) => process.stderr.write(`[${global} error] ${error.message}\n`));
        await page.goto(`${server.resolvedUrls!.local[0]}${path}`);
        const handle = await page.waitForFunction((name) => window[name as BenchGlobal], global, { timeout: 0, polling: 500 });
        const report = (await handle.jsonValue()) as T | { error: string };
        if (report && typeof report === 'object' && 'error' in report) throw new Error(`${path} failed: ${report.error}`);
        return report as T;
      } finally {
        await page.close();
      }
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
