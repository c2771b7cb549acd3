/**
 * A backbone of DINOv2-small's real size (88 MB, ViT-S/14 with 4 registers, seeded random weights
 * made here) through the whole app, as a person with a local mirror of the hub would use it: the
 * preset's URL pointed at the mirror, the download with its progress, kept in the browser
 * (a reload, then the mirror gone and the browser offline), training, inspection, an export with
 * the backbone inside, and the import in a fresh profile scoring the same images the same.
 */
import { expect, test } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DINOV2_SMALL, randomDinov2 } from '../fixtures/randomDinov2';
import { exportWithBackbone, freshContext, importBundle, runOnCpu, shownScores, writeDemoImages } from './helpers/bundleFlow';
import { watchConsole } from './helpers/page';

const STEP_TIMEOUT = 600_000;
const INSPECTED = ['test_good_00.png', 'test_hole_00.png', 'test_spot_01.png'];

test('a DINOv2-small-sized preset from a local mirror: downloaded, kept offline, trained, inspected, exported with its backbone and re-imported with the same scores', async ({ browser, baseURL }) => {
  test.setTimeout(1_800_000);
  const dir = mkdtempSync(join(tmpdir(), 'pixood-real-size-'));
  const files = await writeDemoImages(dir, INSPECTED);
  const model = randomDinov2(DINOV2_SMALL);
  let served = 0;
  // A plain static server, as a mirror of the hub would be: CORS for the app's origin, and
  // cross-origin resource policy for its cross-origin isolation.
  const mirror = createServer((request, response) => {
    if (request.url !== '/dinov2-with-registers-small/model.onnx') {
      response.writeHead(404).end();
      return;
    }
    served++;
    response.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(model.length),
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    response.end(model);
  });
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/dinov2-with-registers-small/model.onnx`;

  const first = await freshContext(browser, baseURL!);
  let page = await first.newPage();
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 120_000 });

  await page.getByText('Add a backbone').click();
  await expect(page.getByLabel('DINOv2 model')).toHaveValue('dinov2-with-registers-small');
  await page.getByLabel('From').fill(url);
  await page.getByRole('button', { name: 'Download' }).click();
  const dinov2 = page.getByRole('radio', { name: /^DINOv2 ViT-S\/14 with registers/ });
  await expect(dinov2, 'the downloaded model becomes the project’s backbone').toBeChecked({ timeout: STEP_TIMEOUT });
  await expect(page.getByRole('group', { name: 'Models in this browser' })).toContainText('384 features per 14-px patch · 88');
  expect(served, 'one download').toBe(1);

  // Kept: the mirror gone, the page reloaded, then the browser offline for everything after.
  await new Promise<void>((resolve) => mirror.close(() => resolve()));
  await page.reload();
  await expect(dinov2).toBeChecked({ timeout: 120_000 });
  await first.setOffline(true);
  await runOnCpu(page);

  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: STEP_TIMEOUT });
  await page.getByRole('button', { name: 'Inspect images' }).click();
  await page.locator('.inspect-inputs input[type="file"]:not([webkitdirectory])').setInputFiles(files);
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(INSPECTED.length + 1, { timeout: STEP_TIMEOUT });
  const shownBefore = await shownScores(page, INSPECTED);
  console.log(`real-size backbone: scores ${JSON.stringify(shownBefore)}`);
  // The results table shows each image's severity as a multiple of the pass/fail limit.
  for (const shown of Object.values(shownBefore)) expect(shown, 'a severity as a multiple of the limit').toMatch(/^-?\d+\.\d\d×$/);
  expect(new Set(Object.values(shownBefore)).size, 'the images score apart').toBe(INSPECTED.length);

  const { path: bundlePath, bundle } = await exportWithBackbone(page, dir, STEP_TIMEOUT);
  expect(bundle.backboneOnnx?.length, 'the 88 MB backbone travels inside the bundle').toBe(model.length);
  expect(bundle.model.backbone.name).toMatch(/^DINOv2 ViT-S\/14 with registers/);
  expect(errors, 'console errors in the first browser').toEqual([]);
  await first.close();

  const second = await freshContext(browser, baseURL!);
  page = await second.newPage();
  const errorsAfter = watchConsole(page);
  await page.goto('/');
  await importBundle(page, bundlePath, 'Demo: woven fabric', STEP_TIMEOUT);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(`its backbone ${bundle.model.backbone.name}, now added to this browser`);
  await page.getByRole('link', { name: 'Project', exact: true }).click();
  await runOnCpu(page);
  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.locator('.inspect-inputs input[type="file"]:not([webkitdirectory])').setInputFiles(files);
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(INSPECTED.length + 1, { timeout: STEP_TIMEOUT });
  expect(await shownScores(page, INSPECTED), 'the same scores after the import').toEqual(shownBefore);
  expect(errorsAfter, 'console errors in the fresh browser').toEqual([]);
  await second.close();
});
