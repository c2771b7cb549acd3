/**
 * The app keeps working without a network once it has been opened: the service worker serves
 * every file, the page stays cross-origin isolated (wasm threads), and the demo trains and
 * inspects end to end. Prints `offline: image_auroc=… pixel_auroc=…`. A new version never
 * takes over on its own: the person is told and chooses when.
 */
import { expect, test, type Page, type Response } from '@playwright/test';
import { createServer, type AddressInfo } from 'node:net';
import { build, preview, type Plugin, type PreviewServer } from 'vite';
import { runDemo } from './helpers/demoFlow';
import { checkScreen, watchConsole } from './helpers/page';

test.use({ viewport: { width: 1366, height: 768 } });

/** Waits until a service worker is active, then reloads until it controls the page. */
async function controlledByServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  expect(controlled, 'the page is controlled by the service worker after a reload').toBe(true);
}

test('opened once, the app reloads offline and runs the demo end to end', async ({ page, context, baseURL }) => {
  test.setTimeout(600_000);
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
  await controlledByServiceWorker(page);

  // From here on, every response to the app's own origin must come out of the service worker.
  const responses: Response[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(baseURL!)) responses.push(response);
  });
  await context.setOffline(true);
  await page.reload();
  expect(await page.evaluate(() => navigator.onLine), 'navigator.onLine after going offline').toBe(false);
  const badge = page.getByText('Offline — everything still works on this device');
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute('title', /only downloading a new backbone needs the network/);
  expect(await page.evaluate(() => crossOriginIsolated), 'the page served from the cache is cross-origin isolated').toBe(true);
  await checkScreen(page, 'start-offline');

  const figures = await runDemo(page);
  console.log(`offline: image_auroc=${figures.imageAuroc.toFixed(4)} pixel_auroc=${figures.pixelAuroc.toFixed(4)}`);
  expect(figures.imageAuroc).toBe(1);
  expect(figures.pixelAuroc).toBeGreaterThanOrEqual(0.9);

  const info = await page.evaluate(() => ({ isolated: crossOriginIsolated, online: navigator.onLine }));
  expect(info, 'still offline and isolated after the demo').toEqual({ isolated: true, online: false });
  const fromNetwork = responses.filter((response) => !response.fromServiceWorker()).map((response) => `${response.status()} ${response.url()}`);
  expect(responses.length, 'same-origin responses seen while offline').toBeGreaterThan(3);
  expect(fromNetwork, 'same-origin responses that did not come from the service worker while offline').toEqual([]);
  const served = responses.map((response) => new URL(response.url()).pathname);
  expect(served, 'the ONNX Runtime wasm came from the cache').toContainEqual(expect.stringMatching(/\/assets\/ort-wasm-.*\.wasm$/));
  expect(served, 'the built-in backbone came from the cache').toContain('/models/builtin-backbone.onnx');
  expect(errors, 'console errors').toEqual([]);
});

/** A port nobody listens on now, for a server this test starts, stops and starts again. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function serve(outDir: string, port: number): Promise<PreviewServer> {
  return preview({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true } });
}

test('a new version waits for the person: "Later" leaves the old one, "Reload" switches', async ({ browser }) => {
  test.setTimeout(300_000);
  // The next version is a real second build whose page differs by one tag, served from the same origin.
  const current = process.env.E2E_DIST ?? 'dist';
  // Under test-results/, which git and ESLint ignore.
  const next = `test-results/${current}-next-version`;
  const marker: Plugin = {
    name: 'e2e-next-version',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { name: 'pixood-e2e-version', content: 'next' }, injectTo: 'head' }],
  };
  await build({ configFile: 'vite.config.ts', logLevel: 'error', plugins: [marker], build: { outDir: next, emptyOutDir: true } });

  const port = await freePort();
  let server = await serve(current, port);
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  try {
    const page = await context.newPage();
    const errors = watchConsole(page);
    const prompt = page.getByRole('status').filter({ hasText: 'A new version is ready.' });
    const version = () => page.locator('meta[name="pixood-e2e-version"]');
    await page.goto('/');
    await controlledByServiceWorker(page);
    await expect(prompt).toHaveCount(0);

    await server.close();
    server = await serve(next, port);
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    await expect(prompt, 'the prompt once the new version is installed').toBeVisible({ timeout: 120_000 });
    await expect(prompt.getByRole('button', { name: 'Reload' })).toBeVisible();
    await expect(version(), 'the old version still runs while the new one waits').toHaveCount(0);

    await prompt.getByRole('button', { name: 'Later' }).click();
    await expect(prompt).toHaveCount(0);
    await page.reload();
    await expect(version(), 'after "Later" and a reload the old version still runs').toHaveCount(0);
    await expect(prompt, 'the waiting version is offered again on the next visit').toBeVisible({ timeout: 60_000 });

    await checkScreen(page, 'update-prompt');
    await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
    await expect(version(), 'after "Reload" the new version runs').toHaveCount(1);
    await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
    await expect(prompt).toHaveCount(0);
    expect(errors, 'console errors').toEqual([]);
  } finally {
    await context.close();
    await server.close();
  }
});
