/**
 * The Node half of a headless command: the project served by Vite (its config sets COOP/COEP,
 * so wasm gets threads), /usr/bin/chromium (CHROMIUM_PATH overrides) with WebGPU, and one
 * harness page that runs the app's engine. Data files are streamed to the page from disk over
 * HTTP by the server (any size: a DevTools message tops out near 100 MiB), output files it posts
 * are streamed under an output folder, its console and progress go to stderr; a page or browser
 * that goes away fails the run with exit code 4 at once. The pattern is scripts/bench/benchBrowser.ts's, with a job and files.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
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

/** What the current run's page may read and write. */
interface Served {
  readonly files: ReadonlyMap<string, string>;
  readonly outDir: string | null;
}

/** The key in a data or output URL, after the middleware's prefix ('/key?…'). */
function keyOf(request: IncomingMessage): string {
  return decodeURIComponent((request.url ?? '/').replace(/^\//, '').replace(/\?.*$/, ''));
}

/** A data file streamed from disk: any size (a DevTools message, route.fulfill's way, is cut off near 100 MiB). */
async function serveData(request: IncomingMessage, response: ServerResponse, { files }: Served): Promise<void> {
  const key = keyOf(request);
  const file = files.get(key);
  if (!file) {
    response.writeHead(404).end(`No data file ${key}`);
    return;
  }
  try {
    const { size } = await stat(file);
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size, 'Cross-Origin-Resource-Policy': 'same-origin' });
    await pipeline(createReadStream(file), response);
  } catch (error) {
    if (!response.headersSent) response.writeHead(500).end(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    else response.destroy();
  }
}

/** An output file the page posts, streamed to disk, only inside the run's output folder (a key is a relative path the page built from a file name). */
async function receiveOutput(request: IncomingMessage, response: ServerResponse, { outDir }: Served): Promise<void> {
  const key = keyOf(request);
  const target = outDir ? resolve(outDir, key) : null;
  if (request.method !== 'POST' || !outDir || !target || relative(outDir, target).startsWith('..')) {
    response.writeHead(400).end(`Refused output ${key}`);
    return;
  }
  try {
    await mkdir(dirname(target), { recursive: true });
    await pipeline(request, createWriteStream(target));
    response.writeHead(204).end();
  } catch (error) {
    response.writeHead(500).end(`${target}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function openHarness(): Promise<Harness> {
  let served: Served = { files: new Map(), outDir: null };
  const files: Plugin = {
    name: 'pixood-cli-files',
    configureServer(dev) {
      dev.middlewares.use(DATA_URL, (request, response) => void serveData(request, response, served));
      dev.middlewares.use(OUT_URL, (request, response) => void receiveOutput(request, response, served));
    },
  };
  const server: ViteDevServer = await createServer({
    configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
    plugins: [files],
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
      served = { files, outDir };
      // A fresh context per run: its own IndexedDB, so the engine's library and path choices start empty.
      const context = await browser.newContext();
      const page = await context.newPage();
      let done!: (result: T) => void;
      let failed!: (error: CliError) => void;
      const outcome = new Promise<T>((resolveRun, rejectRun) => {
        done = resolveRun;
        failed = rejectRun;
      });
      // A page error or crash can come while goto is still loading, before the await below:
      // handled from the start, so it is not an unhandled rejection, and the await still sees it.
      outcome.catch(() => {});
      const browserGone = () => failed(new CliError(EXIT.engine, 'The browser went away before the job finished.'));
      try {
        await page.exposeFunction('cliJob', () => job);
        await page.exposeFunction('cliProgress', (line: string) => void process.stderr.write(`${line}\n`));
        await page.exposeFunction('cliDone', (result: T) => done(result));
        await page.exposeFunction('cliFail', ({ code, message }: CliFailure) => failed(new CliError(code, message)));
        page.on('pageerror', (error) => failed(new CliError(EXIT.engine, `The page failed: ${error.message}`)));
        page.on('crash', () => failed(new CliError(EXIT.engine, 'The browser page crashed (out of memory?).')));
        // A page or browser that goes away (a closed DevTools pipe, a killed renderer) ends the run at once instead of leaving it waiting.
        page.on('close', () => failed(new CliError(EXIT.engine, 'The browser page closed before the job finished.')));
        browser.once('disconnected', browserGone);
        page.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') process.stderr.write(`[browser ${message.type()}] ${message.text()}\n`);
        });
        await page.goto(`${origin}/${path}`);
        return await outcome;
      } finally {
        browser.off('disconnected', browserGone);
        await context.close();
      }
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

