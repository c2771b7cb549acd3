/**
 * A deliberately weak model: four good images at the smallest input size, then a labelled test
 * set whose "defective" images are good textures with a mask drawn on them, so nothing can tell
 * them apart. The Train screen draws what the capability check found; the Inspect screen and
 * every pass it gives say the model is weak, and no pass is a confident green one.
 */
import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkScreen, watchConsole } from './helpers/page';
import { defectMask, texturePng } from './helpers/images';

test.use({ viewport: { width: 1366, height: 768 } });

const TIMEOUT = 240_000;

function write(root: string, path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), bytes);
}

test('a weak model shows its weak state on Inspect and in each of its passes', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watchConsole(page);
  const root = mkdtempSync(join(tmpdir(), 'pixood-weak-'));
  for (let i = 0; i < 4; i++) write(root, `cloth/${i}.png`, texturePng(700 + i));
  for (let i = 0; i < 4; i++) {
    write(root, `line/test/good/${i}.png`, texturePng(720 + i));
    write(root, `line/test/hole/${i}.png`, texturePng(740 + i));
    write(root, `line/ground_truth/hole/${i}_mask.png`, defectMask(112, 8 + 2 * i));
  }

  await page.goto('/');
  await page.getByRole('button', { name: 'New project' }).click();
  await page.getByLabel('Project name').fill('Weak on purpose');
  // No download in tests: the offline backbone.
  await page.getByRole('radio', { name: /Built-in texture features/ }).check();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Weak on purpose', { timeout: 60_000 });
  await page.getByRole('group', { name: 'Drop a folder of good images' }).locator('input[webkitdirectory]').setInputFiles(join(root, 'cloth'));
  await expect(page.getByRole('article', { name: 'Class cloth' })).toContainText('4 images', { timeout: 60_000 });

  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByLabel('Input size').selectOption('224');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: TIMEOUT });
  // Opening the backbone, with its first-use timing of the paths, is a stage of its own, not a wait in front of the others.
  await expect(page.getByRole('list', { name: 'Training stages' }).getByRole('listitem').first()).toContainText(/Backbone.*done in \d+ s/);
  // The check ran on the 2 held-out images and is drawn: one curve and one row per kind.
  const capability = page.getByTestId('capability');
  await expect(capability.locator('[data-figure="capability-line"]')).toContainText("(sizes at the model's 224-px input)");
  await expect(capability.locator('tbody tr')).toHaveCount(6);
  await expect(capability.getByRole('img', { name: /Share of synthetic defects caught against their size, 2 to 56 px/ })).toBeVisible();
  await checkScreen(page, 'train-capability');

  await page.getByRole('link', { name: 'Inspect', exact: true }).click();
  await page.getByRole('group', { name: 'Drop images to inspect' }).locator('input[webkitdirectory]').setInputFiles(join(root, 'line'));
  await expect(page.locator('[data-figure="image-auroc"]').first()).toBeVisible({ timeout: TIMEOUT });
  const standing = page.getByTestId('model-standing');
  await expect(standing).toHaveAttribute('data-weak', 'true');
  await expect(standing).toContainText('Weak model: a PASS here says little');
  await standing.getByText('Why, and what may help').click();
  await expect(standing).toContainText('a DINOv2 backbone');

  const badges = page.getByRole('region', { name: 'Inspected images' }).locator('.badge');
  await expect(badges).toHaveCount(8);
  const passes = await badges.filter({ hasText: /^pass/i }).count();
  expect(passes, 'a weak model passes some of these parts').toBeGreaterThan(0);
  await expect(badges.filter({ hasText: /^pass$/ }), 'no pass of a weak model reads as a plain pass').toHaveCount(0);
  await expect(badges.filter({ hasText: /^pass\?$/ })).toHaveCount(passes);
  const firstPass = page.getByRole('region', { name: 'Inspected images' }).locator('tbody tr').filter({ has: page.locator('.badge.unsure') }).first();
  await firstPass.locator('.row-select').click();
  const verdict = page.locator('.viewer-panel .verdict');
  await expect(verdict).toContainText('PASS, unsure:');
  await expect(verdict).toContainText('this model is weak');
  await expect(verdict).toHaveClass(/unsure/);
  await checkScreen(page, 'inspect-weak-model');
  expect(errors, 'console errors').toEqual([]);
});

test('Tune on the demo: candidates trained within the budget, the one letting the fewest synthetic defects pass kept with its settings', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images', { timeout: 120_000 });
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  const tune = page.getByTestId('tune');
  await tune.getByLabel('within').selectOption('2');
  await tune.getByRole('button', { name: 'Tune', exact: true }).click();
  await expect(tune.getByTestId('tune-message')).toContainText('Kept ', { timeout: TIMEOUT * 2 });
  const rows = tune.getByRole('table', { name: 'Tuning candidates' }).locator('tbody tr');
  const count = await rows.count();
  expect(count, 'candidates tried within 2 minutes').toBeGreaterThanOrEqual(2);
  const passed = (await rows.locator('td:nth-child(3)').allTextContents()).map((text) => Number(text.replace('%', '')));
  const kept = rows.filter({ has: page.locator('td') }).and(tune.locator('tr[aria-current="true"]'));
  await expect(kept).toHaveCount(1);
  const keptPassed = Number(((await kept.locator('td:nth-child(3)').textContent()) ?? '').replace('%', ''));
  expect(keptPassed, `the kept candidate among ${passed.join(', ')}`).toBe(Math.min(...passed));
  const keptK = (await kept.locator('td:nth-child(2)').textContent()) ?? '';
  await expect(page.getByLabel('Etalons per class (K)')).toHaveValue(keptK);
  await expect(page.locator('dl.summary')).toContainText(`of ${keptK} etalons valid`);
  await checkScreen(page, 'train-tuned');
  expect(errors, 'console errors').toEqual([]);
});
