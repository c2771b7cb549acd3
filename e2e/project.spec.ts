/**
 * The screens before training: a new project, a folder with bad files in it (each reported
 * with its reason, the good images kept), the demo project, and the train and inspect screens
 * of an untrained project. Every screen in both themes, scanned by axe, at a laptop's size.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkScreen, watchConsole } from './helpers/page';
import { folderWithBadFiles } from './helpers/images';

test.use({ viewport: { width: 1366, height: 768 } });

async function newProject(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'New project' }).click();
  await page.getByLabel('Project name').fill(name);
  // No download in tests: the offline backbone.
  await page.getByRole('radio', { name: /Built-in texture features/ }).check();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name, { timeout: 60_000 });
}

test('a folder with a corrupt image and a text file: both reported with a reason, the good images kept and trained on', async ({ page }) => {
  test.setTimeout(420_000);
  const errors = watchConsole(page);
  const name = 'Bottle caps <script>alert(1)</script>';
  await newProject(page, name);
  // Rendered as text: the heading holds the name's characters, and no script element came of it.
  expect(await page.locator('h1 script').count()).toBe(0);

  const folder = folderWithBadFiles(mkdtempSync(join(tmpdir(), 'pixood-e2e-')), 'caps', 4);
  await page.getByRole('group', { name: 'Drop a folder of good images' }).locator('input[webkitdirectory]').setInputFiles(folder);
  const skipped = page.getByRole('status').filter({ hasText: 'skipped' });
  await expect(skipped).toContainText('2 files were skipped');
  await expect(skipped).toContainText('caps/broken.png');
  await expect(skipped).toContainText(/could not decode|damaged|cut short/);
  await expect(skipped).toContainText('caps/notes.txt');
  await expect(skipped).toContainText('This is not an image');
  const card = page.getByRole('article', { name: 'Class caps' });
  await expect(card).toContainText('4 images');
  await expect(card.getByRole('list', { name: 'Images of caps' }).getByRole('listitem')).toHaveCount(4);
  await checkScreen(page, 'project-rejections');

  // One image removed from the class by keyboard.
  await card.getByRole('button', { name: 'Remove caps/good_0.png' }).focus();
  await page.keyboard.press('Enter');
  await expect(card).toContainText('3 images');

  await page.getByRole('link', { name: 'Inspect' }).click();
  await expect(page.getByText('Train a model')).toBeVisible();
  await checkScreen(page, 'inspect-untrained');

  // Training goes on with the images that were kept.
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await checkScreen(page, 'train-untrained');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: 240_000 });
  await expect(page.getByText(/caps: \d+ patches/)).toBeVisible();
  expect(errors, 'console errors').toEqual([]);
});

test('the demo project: generated fabric images, a class of good ones and a test set with masks', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 60_000 });
  await expect(page.getByRole('article', { name: 'Class fabric' })).toContainText('32 images', { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images: 6 good');
  await checkScreen(page, 'project-demo');
  expect(errors, 'console errors').toEqual([]);
});

test('the execution path is shown and can be forced; the choice survives a reload', async ({ page }) => {
  const errors = watchConsole(page);
  await newProject(page, 'Path choice');
  const runsOn = page.getByLabel('Runs on');
  await expect(runsOn).toHaveValue('auto', { timeout: 60_000 });
  await runsOn.selectOption('wasm');
  await expect(runsOn).toHaveValue('wasm');
  await page.reload();
  await expect(page.getByLabel('Runs on')).toHaveValue('wasm', { timeout: 60_000 });
  expect(errors, 'console errors').toEqual([]);
});
