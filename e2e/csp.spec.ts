/**
 * The Content Security Policy is in the built page and on every response of the preview server,
 * the demo runs under it without a single violation, and nothing is requested from anywhere but
 * the app's own origin (no telemetry, no fonts, no CDNs).
 */
import { expect, test, type ConsoleMessage, type Response } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo } from './helpers/demoFlow';
import { watchConsole } from './helpers/page';

test.use({ viewport: { width: 1366, height: 768 } });

/** The policy the app must carry, directive by directive (frame-ancestors only works as a header). */
const EXPECTED: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*'],
  'img-src': ["'self'", 'blob:', 'data:'],
  'style-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
};
const HEADER_ONLY: Record<string, string[]> = { 'frame-ancestors': ["'none'"] };

function parsePolicy(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

function decodeEntities(text: string): string {
  return text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

test('the built index.html carries the policy as its first <meta>, before any script', () => {
  const html = readFileSync(join(process.env.E2E_DIST ?? 'dist', 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
  expect(meta, 'a Content-Security-Policy <meta> in the built index.html').not.toBeNull();
  expect(parsePolicy(decodeEntities(meta![1]))).toEqual(EXPECTED);
  expect(meta!.index, 'the policy comes before the first <script>').toBeLessThan(html.indexOf('<script'));
  expect(html, 'no inline script').not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html, 'no <style> element').not.toContain('<style');
});

test('the demo runs under the policy with no violation, and nothing leaves the app origin', async ({ page, context, baseURL }) => {
  test.setTimeout(600_000);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`));
  });
  const errors = watchConsole(page);
  const policyMessages: string[] = [];
  const noteCsp = (message: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) policyMessages.push(`${message.type()}: ${message.text()}`);
  };
  page.on('console', noteCsp);
  page.on('worker', (worker) => worker.on('console', noteCsp));
  const origin = new URL(baseURL!).origin;
  const elsewhere: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'blob:' && url.protocol !== 'data:' && url.origin !== origin) elsewhere.push(request.url());
  });

  // A worker's policy is its own script's header, so the engine worker's responses are kept to check.
  const workerScripts: Response[] = [];
  page.on('response', (r) => {
    if (/\/assets\/engine\.worker-[^/]*\.js$/.test(r.url())) workerScripts.push(r);
  });

  const response = await page.goto('/');
  const headerPolicy = response!.headers()['content-security-policy'];
  expect(headerPolicy, 'the preview server sends a Content-Security-Policy header').toBeTruthy();
  expect(parsePolicy(headerPolicy)).toEqual({ ...EXPECTED, ...HEADER_ONLY });

  const figures = await runDemo(page);
  // ONNX Runtime starts its wasm threads from the same script, so it may be fetched more than once.
  expect(workerScripts.length, 'engine worker scripts loaded').toBeGreaterThan(0);
  for (const script of workerScripts) {
    expect(parsePolicy(script.headers()['content-security-policy'] ?? ''), `the policy on ${script.url()}`).toEqual({ ...EXPECTED, ...HEADER_ONLY });
  }
  console.log(`csp: image_auroc=${figures.imageAuroc.toFixed(4)} pixel_auroc=${figures.pixelAuroc.toFixed(4)}`);

  const violations = await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations);
  expect(violations, 'securitypolicyviolation events during the demo').toEqual([]);
  expect(policyMessages, 'console messages about the Content Security Policy').toEqual([]);
  expect(errors, 'console errors').toEqual([]);
  expect(elsewhere, 'requests to anywhere but the app itself').toEqual([]);
});
