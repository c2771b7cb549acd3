/**
 * The test-set evaluation as a person reads it after the demo: figures over all images and per
 * defect type, the ROC and PRO curves, and the figures exported as JSON and CSV, agreeing with
 * what the page shows. Prints `evaluation: <type> image_auroc=… pixel_auroc=… aupro=…`.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { checkScreen, watchConsole } from './helpers/page';

test.use({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });

const TRAINING_TIMEOUT = 240_000;
const DEFECT_TYPES = ['hole', 'spot', 'stain'];

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

interface ExportedFigures {
  readonly images: number;
  readonly defect_images: number;
  readonly image_auroc: number | null;
  readonly pixel_auroc: number | null;
  readonly aupro_0_3: number | null;
  readonly pixel_ap: number | null;
  readonly f1_max: number | null;
  readonly fpr_at_95_tpr: number | null;
}

test('the demo’s evaluation: per-defect figures, ROC and PRO curves, exports that match the page', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 120_000 });
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images', { timeout: 120_000 });

  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await page.getByRole('button', { name: 'Inspect images' }).click();
  await page.getByRole('button', { name: 'Inspect the 18 test images' }).click();
  const figures = page.getByRole('group', { name: 'Test set figures' });
  await expect(figures.locator('[data-figure="pixel-auroc"]')).toBeVisible({ timeout: TRAINING_TIMEOUT });

  // One row per defect type, each figure a number in [0, 1].
  const overallRow = figures.locator('tr.overall');
  await expect(overallRow.locator('td').first()).toHaveText('18');
  for (const type of DEFECT_TYPES) {
    const cells = await figures.locator(`tr[data-defect="${type}"] td`).allTextContents();
    expect(cells, `the ${type} row: count, defective and six figures`).toHaveLength(8);
    const [images, defective, ...values] = cells.map(Number);
    expect(images, `${type}: its images and the 6 good ones`).toBeGreaterThan(6);
    expect(defective, `${type}: its images are the defective ones`).toBe(images - 6);
    for (const value of values) expect(value, `${type}: ${cells.join(' | ')}`).toBeGreaterThanOrEqual(0);
    for (const value of values) expect(value, `${type}: ${cells.join(' | ')}`).toBeLessThanOrEqual(1);
    console.log(`evaluation: ${type} image_auroc=${values[0]} pixel_auroc=${values[1]} aupro=${values[2]}`);
  }
  expect(await figures.locator('tr[data-defect]').count(), 'no row besides the three defect types').toBe(DEFECT_TYPES.length);

  // Both curves drawn, each a path through many points.
  for (const name of [/Pixel ROC curve/, /Per-region overlap/]) {
    const chart = figures.getByRole('img', { name });
    await expect(chart).toBeVisible();
    const d = (await chart.locator('path').getAttribute('d')) ?? '';
    expect(d.split('L').length, `points of the ${String(name)} chart`).toBeGreaterThan(10);
  }
  await expect(figures.getByRole('img', { name: /Per-region overlap/ }).locator('line.fpr-limit')).toHaveCount(1);

  // The exports carry the figures the page shows.
  const shownImageAuroc = (await figures.locator('[data-figure="image-auroc"]').textContent()) ?? '';
  const shownAupro = (await figures.locator('[data-figure="aupro"]').textContent()) ?? '';
  const json = await download(page, 'Export figures (JSON)');
  expect(json.name).toBe('Demo_ woven fabric-evaluation.json');
  const document = JSON.parse(json.text) as ExportedFigures & { project: string; per_defect: Record<string, ExportedFigures>; roc: { fpr: number[]; tpr: number[] }; pro: { fpr: number[] } };
  expect(document.project).toBe('Demo: woven fabric');
  expect(document.image_auroc?.toFixed(4), 'exported image AUROC against the one shown').toBe(shownImageAuroc);
  expect(document.aupro_0_3?.toFixed(4), 'exported AUPRO against the one shown').toBe(shownAupro);
  expect(Object.keys(document.per_defect).sort()).toEqual(DEFECT_TYPES);
  expect(document.roc.fpr.length).toBe(document.roc.tpr.length);
  expect(document.roc.fpr.length).toBeGreaterThan(10);
  const csv = await download(page, 'Export figures (CSV)');
  const lines = csv.text.trim().split('\r\n');
  expect(lines[0]).toBe('scope,defect_type,images,defect_images,image_auroc,pixel_auroc,aupro_0_3,pixel_ap,f1_max,fpr_at_95_tpr,alpha,image_threshold,good_reject_rate,defect_escape_rate');
  const qc = document as unknown as Record<'alpha' | 'image_threshold' | 'good_reject_rate' | 'defect_escape_rate', number>;
  expect(qc.alpha, 'the QC counts are at the project’s α').toBe(0.01);
  for (const key of ['image_threshold', 'good_reject_rate', 'defect_escape_rate'] as const) expect(Number.isFinite(qc[key]), `${key} is ${qc[key]}`).toBe(true);
  expect(lines.map((line) => line.split(',')[1])).toEqual(['defect_type', '', ...DEFECT_TYPES]);

  await checkScreen(page, 'evaluation-inspect');
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByRole('group', { name: 'Test set figures' }).locator('tr[data-defect]')).toHaveCount(DEFECT_TYPES.length);
  await checkScreen(page, 'evaluation-train');
  expect(errors, 'console errors').toEqual([]);
});
