/**
 * Backbone latency per image at 224 and 448 px, for the built-in backbone and the test ViTs, on
 * each execution path (WebGPU, wasm), in headless Chromium; prints the report as JSON, then a
 * table. Never part of `npm test`.
 *
 *   npx tsx scripts/bench/backbone.ts [--runs=3]
 *
 * It serves the project with Vite (COOP/COEP headers, so wasm gets threads), opens
 * bench/backbone.html in /usr/bin/chromium (CHROMIUM_PATH overrides) with WebGPU enabled, and
 * waits for the page's report. On a machine without a GPU, WebGPU is SwiftShader: its times
 * say nothing about a real GPU.
 */
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import type { BackboneBenchReport } from './backboneResult';

const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 3);

const server = await createServer({ configFile: new URL('../../vite.config.ts', import.meta.url).pathname, logLevel: 'warn', server: { port: 0, open: false } });
await server.listen();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.on('console', (msg) => process.stderr.write(`[page] ${msg.text()}\n`));
  page.on('pageerror', (error) => process.stderr.write(`[page error] ${error.message}\n`));
  await page.goto(`${server.resolvedUrls!.local[0]}bench/backbone.html?runs=${runs}`);
  const handle = await page.waitForFunction(() => window.backboneBench, undefined, { timeout: 0, polling: 500 });
  const report = (await handle.jsonValue()) as BackboneBenchReport | { error: string };
  if ('error' in report) throw new Error(`the benchmark page failed: ${report.error}`);
  console.log(JSON.stringify({ benchmark: 'backbone', ...report }, null, 2));
  printTable(report);
} finally {
  await browser.close();
  await server.close();
}

function printTable(report: BackboneBenchReport): void {
  const adapter = report.adapter ? `${report.adapter.vendor} ${report.adapter.architecture} ${report.adapter.description}`.trim() + (report.adapter.isFallbackAdapter ? ' (software fallback)' : '') : 'none';
  console.log(`\nadapter: ${adapter}; wasm threads: ${report.wasmThreads}; cross-origin isolated: ${report.crossOriginIsolated}`);
  console.log('| model | path | size | median ms/image | min ms | runs |');
  console.log('|---|---|---|---|---|---|');
  for (const t of report.timings) {
    console.log(t.error ? `| ${t.model} | ${t.path} | ${t.size} | failed: ${t.error} | | |` : `| ${t.model} | ${t.path} | ${t.size} | ${t.medianMs.toFixed(1)} | ${t.minMs.toFixed(1)} | ${t.runs} |`);
  }
  for (const s of report.gpuSpeedup) console.log(`gpu speed-up (wasm / webgpu): ${s.model} ${s.size}px ×${s.ratio.toFixed(2)}`);
}
