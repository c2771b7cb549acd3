/**
 * The Node half of a headless command: the project served by Vite (its config sets COOP/COEP,
 * so wasm gets threads), /usr/bin/chromium (CHROMIUM_PATH overrides) with WebGPU, and one
 * harness page that runs the app's engine. Data files are served to the page from disk on a
 * virtual URL, output files it posts are written under an output folder, its console and
 * progress go to stderr. The pattern is scripts/bench/benchBrowser.ts's, with a job and files.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { CliError, EXIT } from './args';
import { DATA_URL, OUT_URL, type CliFailure } from './protocol';

export interface HarnessRun {
  /** The harness page, e.g. 'cli/eval.html'. */
  readonly page: string;
  readonly job: unknown;
  /** Data key → file on disk. */
  readonly files: ReadonlyMap<string, string>;
  /** Where posted output files go; null when the page writes none. */
  readonly outDir: string | null;
}

export interface Harness {
  /** Chromium's version, e.g. '156.0.7000.0'. */
  readonly browserVersion: string;
  /** Runs the page on the job; its result, or a CliError with the page's code. */
  run<T>(run: HarnessRun): Promise<T>;
  close(): Promise<void>;
}

const BROWSER_ARGS = ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function openHarness(): Promise<Harness> {
  const server: ViteDevServer = await createServer({
    configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
    logLevel: 'warn',
    // No HMR and no watching: an edit elsewhere in the checkout must not reload a running job.
    server: { port: 0, host: '127.0.0.1', open: false, hmr: false, watch: null },
  });
  let browser: Browser;
  try {
    await server.listen();
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: BROWSER_ARGS });
  } catch (error) {
    await server.close();
    throw new CliError(EXIT.engine, `The browser could not be started: ${error instanceof Error ? error.message : String(error)}`);
  }
  const origin = server.resolvedUrls!.local[0].replace(/\/$/, '');
  return {
    browserVersion: browser.version(),
    async run<T>({ page: path, job, files, outDir }: HarnessRun): Promise<T> {
      // A fresh context per run: its own IndexedDB, so the engine's library and path choices start empty.
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        let done!: (result: T) => void;
        let failed!: (error: CliError) => void;
        const outcome = new Promise<T>((resolveRun, rejectRun) => {
          done = resolveRun;
          failed = rejectRun;
        });
        // A page error or crash can come while goto is still loading, before the await below:
        // handled from the start, so it is not an unhandled rejection, and the await still sees it.
        outcome.catch(() => {});
        await page.exposeFunction('cliJob', () => job);
        await page.exposeFunction('cliProgress', (line: string) => void process.stderr.write(`${line}\n`));
        await page.exposeFunction('cliDone', (result: T) => done(result));
        await page.exposeFunction('cliFail', ({ code, message }: CliFailure) => failed(new CliError(code, message)));
        page.on('pageerror', (error) => failed(new CliError(EXIT.engine, `The page failed: ${error.message}`)));
        page.on('crash', () => failed(new CliError(EXIT.engine, 'The browser page crashed (out of memory?).')));
        page.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') process.stderr.write(`[browser ${message.type()}] ${message.text()}\n`);
        });
        await page.route(`${origin}${DATA_URL}*`, async (route) => {
          const key = decodeURIComponent(new URL(route.request().url()).pathname.slice(DATA_URL.length));
          const file = files.get(key);
          if (!file) return route.fulfill({ status: 404, body: `No data file ${key}` });
          try {
            await route.fulfill({ status: 200, body: await readFile(file), headers: { 'Content-Type': 'application/octet-stream', 'Cross-Origin-Resource-Policy': 'same-origin' } });
          } catch (error) {
            await route.fulfill({ status: 500, body: `${file}: ${error instanceof Error ? error.message : String(error)}` });
          }
        });
        await page.route(`${origin}${OUT_URL}*`, async (route) => {
          const key = decodeURIComponent(new URL(route.request().url()).pathname.slice(OUT_URL.length));
          const target = outDir ? resolve(outDir, key) : null;
          const body = route.request().postDataBuffer();
          // Only inside the output folder: a key is a relative path the page built from a file name.
          if (!outDir || !target || relative(outDir, target).startsWith('..') || !body) return route.fulfill({ status: 400, body: `Refused output ${key}` });
          try {
            await mkdir(dirname(target), { recursive: true });
            await writeFile(target, body);
            await route.fulfill({ status: 204 });
          } catch (error) {
            await route.fulfill({ status: 500, body: `${target}: ${error instanceof Error ? error.message : String(error)}` });
          }
        });
        await page.goto(`${origin}/${path}`);
        return await outcome;
      } finally {
        await context.close();
      }
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

