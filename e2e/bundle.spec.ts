/**
 * A model moves between browsers as one `.pixood` file: train the demo, inspect its test set
 * (which gives the model its evaluation), export the model with its backbone, import the file in
 * a fresh browser profile (nothing stored there, not even the built-in backbone), inspect a few
 * of the same images on the same execution path, and get the same scores: the numbers shown and
 * the stored score maps, exactly. The evaluation travels in the bundle.
 * A damaged file is refused on the start screen with a message, and nothing is stored.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportWithBackbone, freshContext, importBundle, runOnCpu, shownScores, writeDemoImages } from './helpers/bundleFlow';
import { checkScreen, watchConsole } from './helpers/page';

const TRAINING_TIMEOUT = 240_000;
const INSPECTED = ['test_good_00.png', 'test_hole_00.png', 'test_spot_01.png', 'test_stain_02.png'];

interface StoredResult {
  readonly imageScore: number;
  readonly score: number[];
}

/** Every thing this origin keeps in its projects database, counted per store. */
async function storedCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('pixood-projects');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const names = [...db.objectStoreNames];
    const counts = await Promise.all(
      names.map(
        (name) =>
          new Promise<number>((resolve, reject) => {
            const request = db.transaction(name).objectStore(name).count();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          }),
      ),
    );
    db.close();
    return Object.fromEntries(names.map((name, i) => [name, counts[i]]));
  });
}

/** The inspection results as stored: image score and the whole score map, by image name. */
async function storedResults(page: Page): Promise<Record<string, StoredResult>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('pixood-projects');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = await new Promise<{ name: string; imageScore: number; maps: { score: Float32Array } }[]>((resolve, reject) => {
      const request = db.transaction('results').objectStore('results').getAll();
      request.onsuccess = () => resolve(request.result as never);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return Object.fromEntries(all.map((r) => [r.name, { imageScore: r.imageScore, score: Array.from(r.maps.score) }]));
  });
}

test('export with the backbone → import in a fresh profile → identical scores on the same images and path', async ({ browser, baseURL }) => {
  test.setTimeout(900_000);
  const dir = mkdtempSync(join(tmpdir(), 'pixood-bundle-'));
  const files = await writeDemoImages(dir, INSPECTED);

  // The first browser: the demo, trained, its model exported with the backbone, then inspection.
  const first = await freshContext(browser, baseURL!);
  let page = await first.newPage();
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 120_000 });
  await runOnCpu(page);
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: TRAINING_TIMEOUT });

  await page.getByRole('button', { name: 'Inspect images' }).click();
  await page.getByRole('button', { name: 'Inspect the 18 test images' }).click();
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(19, { timeout: TRAINING_TIMEOUT });
  await expect(page.locator('[data-figure="pixel-auroc"]').first()).toBeVisible({ timeout: TRAINING_TIMEOUT });
  const shownBefore = await shownScores(page, INSPECTED);
  const storedBefore = await storedResults(page);
  console.log(`bundle: scores before export ${JSON.stringify(shownBefore)}`);

  const { path: bundlePath, bundle } = await exportWithBackbone(page, dir, TRAINING_TIMEOUT);
  expect(bundle.backboneOnnx, 'the backbone travels inside the bundle').not.toBeNull();
  expect(bundle.model.classes).toEqual(['fabric']);
  expect(bundle.projectName, 'the bundle keeps the project’s name').toBe('Demo: woven fabric');
  expect(bundle.metrics?.overall.images, 'the evaluation on the 18 test images travels in the manifest').toBe(18);
  expect(errors, 'console errors in the first browser').toEqual([]);
  await first.close();

  // A fresh profile: a damaged file first, refused with a message and nothing stored.
  const second = await freshContext(browser, baseURL!);
  page = await second.newPage();
  const errorsAfter = watchConsole(page);
  await page.goto('/');
  const damagedPath = join(dir, 'damaged.pixood');
  const bytes = readFileSync(bundlePath);
  writeFileSync(damagedPath, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const [damagedChooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import a model (.pixood)' }).click()]);
  await damagedChooser.setFiles(damagedPath);
  await expect(page.getByRole('alert')).toContainText('“damaged.pixood” was not imported: the zip is truncated');
  await expect(page.getByText('None yet.')).toBeVisible();
  expect(Object.values(await storedCounts(page)).every((n) => n === 0), 'nothing stored after a refused import').toBe(true);
  await checkScreen(page, 'start-import-refused');

  // The import keeps the project's name, says what arrived, and opens the Inspect screen.
  await importBundle(page, bundlePath, 'Demo: woven fabric', 120_000);
  await expect(page).toHaveURL(/\/inspect$/);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toHaveText(
    `Imported “Demo: woven fabric”: the model (1 class: fabric); its pass/fail calibration; its capability check; its evaluation on 18 test images; its backbone ${bundle.model.backbone.name}, now added to this browser.Dismiss`,
  );
  await expect(page.getByRole('group', { name: 'Drop images to inspect' })).toBeVisible();
  await checkScreen(page, 'inspect-imported');
  await page.getByRole('link', { name: 'Project', exact: true }).click();
  await runOnCpu(page);
  await checkScreen(page, 'project-imported');

  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.locator('.inspect-inputs input[type="file"]:not([webkitdirectory])').setInputFiles(files);
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(INSPECTED.length + 1, { timeout: TRAINING_TIMEOUT });
  const shownAfter = await shownScores(page, INSPECTED);
  const storedAfter = await storedResults(page);
  console.log(`bundle: scores after import ${JSON.stringify(shownAfter)}`);
  expect(shownAfter, 'the scores shown are the same').toEqual(shownBefore);
  for (const name of INSPECTED) {
    expect(storedAfter[name].imageScore, `${name}: image score`).toBe(storedBefore[name].imageScore);
    expect(storedAfter[name].score.length, `${name}: map size`).toBe(storedBefore[name].score.length);
    const differing = storedAfter[name].score.findIndex((v, i) => v !== storedBefore[name].score[i]);
    expect(differing, `${name}: first pixel whose stored score differs`).toBe(-1);
  }
  expect(errorsAfter, 'console errors in the fresh browser').toEqual([]);
  await second.close();
});
