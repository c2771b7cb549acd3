/**
 * The whole path a person takes with the demo: generate it, train (cancelling once on the way,
 * which must leave the project usable), inspect the test set, read the figures, export, and
 * find everything again after a reload and after the browser is closed and opened on the same
 * profile. Prints `demo: image_auroc=… pixel_auroc=… good_pass=…/… defect_fail=…/…`: at the
 * default α every good test image passes and every defective one fails. Then the Train screen
 * says what the model catches, and a threshold set to catch half the defects fails half of them.
 */
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle } from '../src/core/formats/bundle';
import config from '../playwright.config';
import { checkScreen, watchConsole } from './helpers/page';

test.use({ viewport: { width: 1366, height: 768 } });

const TRAINING_TIMEOUT = 240_000;

/** A browser on a profile folder that outlives it, as a person's browser does across restarts. */
function openBrowser(profile: string, baseURL: string): Promise<BrowserContext> {
  const launch = config.use?.launchOptions ?? {};
  return chromium.launchPersistentContext(profile, { ...launch, headless: true, baseURL, viewport: { width: 1366, height: 768 }, acceptDownloads: true });
}

async function figure(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`[data-figure="${name}"]`).first().textContent());
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: path ? readFileSync(path, 'latin1') : '' };
}

test('demo → train (cancel once, then again) → inspect the test set → reload and restart keep everything', async ({ baseURL }) => {
  test.setTimeout(900_000);
  const profile = mkdtempSync(join(tmpdir(), 'pixood-profile-'));
  let context = await openBrowser(profile, baseURL!);
  let page = context.pages()[0] ?? (await context.newPage());
  const errors = watchConsole(page);

  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 120_000 });
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images', { timeout: 120_000 });
  const projectUrl = page.url();

  // Train, and cancel once it is under way: the project must stay as it was, and train again.
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Features progress' })).toBeVisible();
  // 32 good images: 6 are held out for the image calibration, 26 train.
  await expect(page.getByText(/of 26 images/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await page.getByRole('button', { name: 'Cancel training' }).click();
  await expect(page.getByText('Training was cancelled')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Model' })).toHaveCount(0);

  const started = Date.now();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
  console.log(`demo: trained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await expect(page.getByRole('img', { name: /Density of normal pixels/ })).toBeVisible();
  await checkScreen(page, 'train-trained');

  // The model leaves as one .pixood file that the format's own reader accepts whole.
  const [bundleFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model (.pixood)' }).click()]);
  expect(bundleFile.suggestedFilename()).toMatch(/-model\.pixood$/);
  const bundle = readBundle(new Uint8Array(readFileSync((await bundleFile.path())!))).model;
  expect(bundle.classes).toEqual(['fabric']);
  expect(bundle.classifier, 'one class: no classifier').toBeNull();
  expect(bundle.condensations[0].etalons.dims[1]).toBe(bundle.backbone.dim);
  expect(bundle.calibration.spaceDims).toBe(1);
  expect(bundle.imageCalibration?.heldOut[0], 'a fifth of 32 held out').toHaveLength(6);

  // Inspect the test set: every defective image above every good one, pixel AUROC ≥ 0.9.
  await page.getByRole('button', { name: 'Inspect images' }).click();
  await page.getByRole('button', { name: 'Inspect the 18 test images' }).click();
  await expect(page.locator('[data-figure="pixel-auroc"]').first()).toBeVisible({ timeout: TRAINING_TIMEOUT });
  const imageAuroc = await figure(page, 'image-auroc');
  const pixelAuroc = await figure(page, 'pixel-auroc');

  const json = JSON.parse((await download(page, 'Export JSON')).text) as { results: { name: string; severity: number; verdict: string; defect_type: string }[] };
  expect(json.results).toHaveLength(18);
  const goodResults = json.results.filter((r) => r.defect_type === 'good');
  const defectResults = json.results.filter((r) => r.defect_type !== 'good');
  const goodPass = goodResults.filter((r) => r.verdict === 'pass').length;
  const defectFail = defectResults.filter((r) => r.verdict === 'fail').length;
  console.log(
    `demo: image_auroc=${imageAuroc.toFixed(4)} pixel_auroc=${pixelAuroc.toFixed(4)} good_pass=${goodPass}/${goodResults.length} defect_fail=${defectFail}/${defectResults.length}`,
  );
  expect(`good_pass=${goodPass}/${goodResults.length} defect_fail=${defectFail}/${defectResults.length}`, 'verdicts at the default α').toBe('good_pass=6/6 defect_fail=12/12');
  const good = goodResults.map((r) => r.severity);
  const defective = defectResults.map((r) => r.severity);
  expect(good).toHaveLength(6);
  expect(Math.min(...defective), 'every defective image is more severe than every good one').toBeGreaterThan(Math.max(...good));
  expect(imageAuroc).toBe(1);
  expect(pixelAuroc).toBeGreaterThanOrEqual(0.9);

  const csv = await download(page, 'Export CSV');
  expect(csv.name).toMatch(/\.csv$/);
  expect(csv.text.split('\r\n')[0]).toBe('name,image_score,severity,severity_vs_limit,epsilon,alpha,image_threshold,verdict,unsure,reason,verdict_details,flagged_share,region_count,largest_region_px,defect_type,backbone,model_trained_at,image_width,image_height,seconds,inspected_at');
  expect(csv.text.trim().split('\r\n')).toHaveLength(19);
  const zip = await download(page, 'Heatmaps (PNG, zip)');
  expect(zip.text.slice(0, 2)).toBe('PK');
  expect((zip.text.match(/\.heatmap\.png/g) ?? []).length).toBeGreaterThanOrEqual(18);

  // The worst image: regions outlined, the probe reads score, class and distance.
  await expect(page.getByRole('columnheader', { name: 'Severity' })).toHaveAttribute('aria-sort', 'descending');
  const rows = page.getByRole('region', { name: 'Inspected images' }).getByRole('row');
  await expect(rows).toHaveCount(19);
  await rows.nth(1).getByRole('button').click();
  await expect(page.locator('.verdict')).toContainText('FAIL');
  const stage = page.getByRole('group', { name: /Heatmap of/ });
  await stage.hover();
  await expect(page.locator('#probe-readout')).toContainText(/score [01]\.\d{6} · class fabric · distance to the nearest etalon \d/);
  await stage.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#probe-readout')).toContainText('score');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await checkScreen(page, 'inspect-results');
  await page.getByRole('button', { name: 'Fit' }).click();

  // Reload: project, model and results are where they were.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(19, { timeout: 60_000 });
  expect(await figure(page, 'image-auroc')).toBe(imageAuroc);
  expect(errors, 'console errors').toEqual([]);

  // Close the browser and open it again on the same profile.
  await context.close();
  context = await openBrowser(profile, baseURL!);
  page = context.pages()[0] ?? (await context.newPage());
  const errorsAfter = watchConsole(page);
  await page.goto(projectUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 60_000 });
  await expect(page.getByRole('article', { name: 'Class fabric' })).toContainText('32 images');
  await page.getByRole('link', { name: 'Inspect' }).click();
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(19, { timeout: 60_000 });
  expect(await figure(page, 'pixel-auroc')).toBe(pixelAuroc);
  // At the default α the demo's model is not weak: it says what it catches, and its passes are plain.
  await expect(page.getByTestId('model-standing')).toHaveAttribute('data-weak', 'false');
  await expect(page.getByTestId('model-standing')).toContainText(/^Catches /);
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByRole('img', { name: /Density of normal pixels/ })).toBeVisible();

  // What the model catches, from good images only, and the operating point chosen by catch rate:
  // half of the 12 defective test images, so 6 fail, and every verdict says how it was set.
  await expect(page.locator('[data-figure="capability-line"]')).toContainText(/^Catches /);
  const tradeOff = page.getByTestId('trade-off');
  await expect(tradeOff.locator('[data-figure="operating-point"]')).toContainText('catches 100% of the defective ones');
  await tradeOff.getByRole('spinbutton', { name: 'Catch' }).fill('50');
  await expect(tradeOff.locator('[data-figure="catch-preview"]')).toContainText('rejects 0% of the good test parts and catches 50% of the defective ones');
  await tradeOff.getByRole('button', { name: 'Use this threshold' }).click();
  await expect(tradeOff.locator('[data-figure="operating-point"]')).toContainText('set to catch 50%');
  await page.getByRole('link', { name: 'Inspect' }).click();
  const badges = page.getByRole('region', { name: 'Inspected images' }).locator('.badge');
  await expect(badges.filter({ hasText: /^fail$/ })).toHaveCount(6);
  // So lax a threshold lets most mid-size synthetic defects through: its passes are unsure.
  await expect(page.getByTestId('model-standing')).toHaveAttribute('data-weak', 'true');
  await expect(badges.filter({ hasText: /^pass\?$/ })).toHaveCount(12);
  await expect(page.locator('.viewer-panel .verdict')).toContainText('set to catch 50% of the labelled defects');
  expect(errorsAfter, 'console errors after the restart').toEqual([]);
  await context.close();
});
