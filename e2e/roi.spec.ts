/**
 * Regions of interest in the app: the demo trained and its test set inspected, then an ignore
 * rectangle drawn with the keyboard alone over one defect (the demo's defects are at known places:
 * their masks). Applied without retraining, that image passes while a defect outside the region
 * still fails. The regions travel in the exported bundle: imported into a fresh profile, the same
 * images get the same severities and verdicts on the same execution path.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle } from '../src/core/formats/bundle';
import { buildDemoDataset } from '../src/demo/demoDataset';
import { defectBox, defectClearOf, paddedPercent, type Box } from './helpers/demoDefects';
import { checkScreen, watchConsole } from './helpers/page';

const TRAINING_TIMEOUT = 240_000;

function freshContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1366, height: 768 }, acceptDownloads: true });
}

async function runOnCpu(page: Page): Promise<void> {
  const runsOn = page.getByLabel('Runs on');
  await expect(runsOn).toBeVisible({ timeout: 120_000 });
  await runsOn.selectOption('wasm');
  await expect(runsOn).toHaveValue('wasm', { timeout: 60_000 });
}

/** The severity (× limit) and verdict the results table shows for each image. */
async function shown(page: Page, names: readonly string[]): Promise<Record<string, { severity: string; verdict: string }>> {
  const table = page.getByRole('region', { name: 'Inspected images' });
  const out: Record<string, { severity: string; verdict: string }> = {};
  for (const name of names) {
    const row = table.getByRole('row').filter({ has: page.getByRole('button', { name, exact: true }) });
    out[name] = { severity: (await row.getByRole('cell').nth(1).textContent()) ?? '', verdict: (await row.getByRole('cell').nth(2).textContent()) ?? '' };
  }
  return out;
}

/** Presses `key` n times on the focused element. */
async function press(page: Page, key: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await page.keyboard.press(key);
}

test('an ignore rectangle drawn with the keyboard passes the defect inside it, not one outside, and survives export and import', async ({ browser, baseURL }) => {
  test.setTimeout(1_200_000);
  const dir = mkdtempSync(join(tmpdir(), 'pixood-roi-'));
  const demo = await buildDemoDataset();
  const defective = demo.images.filter((i) => i.role === 'test' && i.defect !== null);
  const ignored = defective.find((i) => i.name === 'test_hole_00.png')!;
  const target = paddedPercent(await defectBox(ignored));
  const rect: Box = { x0: target.x0 / 100, y0: target.y0 / 100, x1: target.x1 / 100, y1: target.y1 / 100 };
  const outside = await defectClearOf(defective.filter((i) => i !== ignored), rect);
  const names = [ignored.name, outside.name];
  console.log(`roi: ignoring x ${target.x0}–${target.x1}%, y ${target.y0}–${target.y1}% around ${ignored.name}; ${outside.name} lies outside`);

  const first = await freshContext(browser, baseURL!);
  let page = await first.newPage();
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 120_000 });
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images', { timeout: 120_000 });
  await runOnCpu(page);
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await page.getByRole('button', { name: 'Inspect images' }).click();
  await page.getByRole('button', { name: 'Inspect the 18 test images' }).click();
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(19, { timeout: TRAINING_TIMEOUT });
  const before = await shown(page, names);
  console.log(`roi: before ${JSON.stringify(before)}`);
  expect(before[ignored.name].verdict, `${ignored.name} fails without regions`).toBe('fail');
  expect(before[outside.name].verdict, `${outside.name} fails without regions`).toBe('fail');

  // The editor, by keyboard alone: Add rectangle (ignore is the default mode) selects a new 20% square at 40%, 40%.
  await page.getByRole('link', { name: 'Train' }).click();
  const regions = page.getByRole('region', { name: 'Regions of interest' });
  await expect(regions.getByRole('radio', { name: 'Ignore' })).toBeChecked();
  await regions.getByRole('button', { name: 'Add rectangle' }).focus();
  await page.keyboard.press('Enter');
  const area = regions.getByRole('application');
  await expect(area).toBeFocused();
  await expect(regions.getByRole('list', { name: 'Regions' })).toContainText('Rectangle 1, ignore: x 40%–60%, y 40%–60%');
  // Shrunk to one step, moved to the target's corner, grown to its size.
  await press(page, 'Alt+ArrowLeft', 19);
  await press(page, 'Alt+ArrowUp', 19);
  await press(page, target.x0 < 40 ? 'ArrowLeft' : 'ArrowRight', Math.abs(target.x0 - 40));
  await press(page, target.y0 < 40 ? 'ArrowUp' : 'ArrowDown', Math.abs(target.y0 - 40));
  await press(page, 'Alt+ArrowRight', target.x1 - target.x0 - 1);
  await press(page, 'Alt+ArrowDown', target.y1 - target.y0 - 1);
  await expect(regions.getByRole('list', { name: 'Regions' })).toContainText(`Rectangle 1, ignore: x ${target.x0}%–${target.x1}%, y ${target.y0}%–${target.y1}%`);
  // A polygon by keyboard: three points placed with Enter, closed with Ctrl+Enter, then removed with Delete.
  await regions.getByRole('button', { name: 'Draw polygon' }).focus();
  await page.keyboard.press('Enter');
  await expect(area).toBeFocused();
  await page.keyboard.press('Enter');
  await press(page, 'Shift+ArrowRight', 4);
  await page.keyboard.press('Enter');
  await press(page, 'Shift+ArrowDown', 4);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Enter');
  await expect(regions.getByRole('list', { name: 'Regions' })).toContainText('Polygon 2, ignore: 3 points');
  await page.keyboard.press('Delete');
  await expect(regions.getByRole('list', { name: 'Regions' }).getByRole('listitem')).toHaveCount(1);
  await regions.getByRole('button', { name: 'Apply regions' }).focus();
  await page.keyboard.press('Enter');
  await expect(regions.getByRole('status')).toHaveText('Regions applied: every kept result was judged again within them.');
  await checkScreen(page, 'train-regions');

  await page.getByRole('link', { name: 'Inspect' }).click();
  const within = await shown(page, names);
  console.log(`roi: within the regions ${JSON.stringify(within)}`);
  expect(within[ignored.name].verdict, `${ignored.name}: its defect is ignored`).toBe('pass');
  expect(within[outside.name].verdict, `${outside.name}: its defect lies outside the ignore region`).toBe('fail');

  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Include the backbone (for machines without it)').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export model (.pixood)' }).click()]);
  const bundlePath = join(dir, download.suggestedFilename());
  await download.saveAs(bundlePath);
  const bundle = readBundle(new Uint8Array(readFileSync(bundlePath)));
  const [carried] = bundle.model.regions?.regions ?? [];
  expect(bundle.model.regions?.regions, 'the regions travel in the bundle').toHaveLength(1);
  expect(carried).toMatchObject({ kind: 'rect', mode: 'ignore' });
  if (carried?.kind === 'rect') for (const [got, want] of [[carried.x, rect.x0], [carried.y, rect.y0], [carried.x + carried.width, rect.x1], [carried.y + carried.height, rect.y1]]) expect(got).toBeCloseTo(want, 6);
  expect(bundle.model.imageCalibration?.cells?.length, 'with the held-out images’ cell severities').toBe(bundle.model.imageCalibration?.severities.length);
  expect(errors, 'console errors in the first browser').toEqual([]);
  await first.close();

  const files = names.map((name) => join(dir, name));
  for (const [i, name] of names.entries()) writeFileSync(files[i], new Uint8Array(await demo.images.find((image) => image.name === name)!.blob.arrayBuffer()));
  const second = await freshContext(browser, baseURL!);
  page = await second.newPage();
  const errorsAfter = watchConsole(page);
  await page.goto('/');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import a model (.pixood)' }).click()]);
  await chooser.setFiles(bundlePath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 120_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText('its regions of interest (1 region, a 0 px margin)');
  await page.getByRole('link', { name: 'Project', exact: true }).click();
  await runOnCpu(page);
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByRole('region', { name: 'Regions of interest' }).getByRole('list', { name: 'Regions' })).toContainText(`Rectangle 1, ignore: x ${target.x0}%–${target.x1}%, y ${target.y0}%–${target.y1}%`);
  await page.getByRole('link', { name: 'Inspect' }).click();
  await page.locator('.inspect-inputs input[type="file"]:not([webkitdirectory])').setInputFiles(files);
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(names.length + 1, { timeout: TRAINING_TIMEOUT });
  const imported = await shown(page, names);
  console.log(`roi: after import ${JSON.stringify(imported)}`);
  expect(imported, 'the same severities and verdicts within the same regions').toEqual(within);
  expect(errorsAfter, 'console errors in the fresh browser').toEqual([]);
  await second.close();
});
