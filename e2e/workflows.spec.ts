/**
 * The workflows a quality engineer walks, on one trained demo: the README's demo steps as
 * written there; a labelled test set (MVTec layout) dropped on Inspect, twice; a mixed batch of
 * bad files on Inspect and on Project; one training time; the results export; and the layout
 * at 1366×768 and at 390×844, with screenshots and axe in both themes.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { csvCells } from './helpers/csv';
import { checkScreen, horizontalOverflow, SCREENS_DIR, watchConsole } from './helpers/page';
import { corruptPng, defectMask, texturePng } from './helpers/images';

test.use({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });

const TIMEOUT = 240_000;

/** The bold names in the README's "Try the demo" item, in order: what a person clicks. */
function readmeDemoSteps(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const item = /^1\. \*\*Try the demo\.\*\*[\s\S]*?(?=^2\. )/m.exec(readme)?.[0] ?? '';
  return [...item.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1].replace(/\.$/, ''));
}

/** A button of that name where there is one, else the link (the Train tab, then the Train button). */
async function clickStep(page: Page, name: string): Promise<void> {
  const button = page.getByRole('button', { name, exact: true });
  const link = page.getByRole('link', { name, exact: true });
  await expect(button.or(link).first()).toBeVisible({ timeout: TIMEOUT });
  await expect(button.or(link).first()).toBeEnabled({ timeout: TIMEOUT });
  await ((await button.count()) > 0 ? button : link).click();
}

function write(root: string, path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), bytes);
}

/** weave/: 2 training images, 2 good test images and 2 "hole" ones with their masks. */
function mvtecFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'pixood-flows-'));
  for (let i = 0; i < 2; i++) write(root, `weave/train/good/00${i}.png`, texturePng(800 + i));
  for (let i = 0; i < 2; i++) write(root, `weave/test/good/00${i}.png`, texturePng(810 + i));
  for (let i = 0; i < 2; i++) {
    write(root, `weave/test/hole/00${i}.png`, texturePng(820 + i));
    write(root, `weave/ground_truth/hole/00${i}_mask.png`, defectMask(112, 10 + i));
  }
  return join(root, 'weave');
}

const BAD_BATCH = [
  { name: 'empty.png', bytes: new Uint8Array(0), reason: 'The file is empty (0 bytes)' },
  { name: 'notes.png', bytes: new TextEncoder().encode('Line 3, shift B.\n'), reason: 'it looks like a text file' },
  { name: 'cut.png', bytes: corruptPng(930), reason: 'it is cut short' },
];
const badFiles = () => BAD_BATCH.map((bad) => ({ name: bad.name, mimeType: 'image/png', buffer: Buffer.from(bad.bytes) }));

async function expectEveryBadFileListed(page: Page): Promise<void> {
  const skipped = page.getByRole('status').filter({ hasText: 'skipped' });
  await expect(skipped).toContainText(`${BAD_BATCH.length} files were skipped`, { timeout: 60_000 });
  for (const bad of BAD_BATCH) await expect(skipped.getByRole('listitem').filter({ hasText: `${bad.name}:` })).toContainText(bad.reason);
  await skipped.getByRole('button', { name: 'Dismiss' }).click();
}

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return readFileSync((await file.path())!, 'utf8');
}

/** Result rows (the header row left out) and their image names. */
const resultRows = (page: Page) => page.getByRole('region', { name: 'Inspected images' }).locator('tbody tr');
const resultNames = (page: Page) => resultRows(page).locator('.row-select').allTextContents();

test('the README’s demo, a labelled test set dropped on Inspect twice, bad batches, one training time, exports, layout at 1366×768 and 390×844', async ({ page }) => {
  test.setTimeout(900_000);
  const errors = watchConsole(page);
  await page.goto('/');

  // The README's demo, step by step as it is written there.
  const steps = readmeDemoSteps();
  expect(steps, 'the README’s demo steps').toEqual(['Try the demo', 'Train and inspect']);
  for (const step of steps) await clickStep(page, step);
  const figures = page.getByRole('group', { name: 'Test set figures' });
  await expect(figures.locator('[data-figure="pixel-auroc"]')).toBeVisible({ timeout: TIMEOUT });
  await expect(resultRows(page)).toHaveCount(18);

  // One training time: the Train panel and the model card say the same.
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  const panelTime = /Trained in (.+)\./.exec((await page.getByText(/^Trained in/).textContent()) ?? '')?.[1];
  const cardTime = / in ([^,]+)$/.exec((await page.locator('dl.summary dd').first().textContent()) ?? '')?.[1];
  expect(panelTime, 'a training time on the Train panel').toBeTruthy();
  expect(cardTime, 'the model card’s training time').toBe(panelTime);
  await page.getByRole('link', { name: 'Inspect', exact: true }).click();

  // An MVTec folder dropped on Inspect: its test images join the test set and are scored with
  // their truth; no mask and no training image is inspected. A second drop adds no row.
  const folder = mvtecFolder();
  const folderInput = page.getByRole('group', { name: 'Drop images to inspect' }).locator('input[webkitdirectory]');
  for (const round of [1, 2]) {
    await folderInput.setInputFiles(folder);
    const note = page.getByRole('status').filter({ hasText: 'skipped' });
    // The note comes when the inspection of the test set starts; the rows are counted once it has ended.
    await expect(note.getByRole('listitem')).toHaveText(['weave/train/good/: 2 good images for training: not inspected. To train on them, drop the folder on the Project screen.'], { timeout: 60_000 });
    await expect(page.locator('.inspect-progress')).toHaveCount(0, { timeout: TIMEOUT });
    await expect(figures.locator('tr.overall td').first(), `round ${round}: the figures cover the 18 demo and 4 dropped test images`).toHaveText('22');
    await expect(resultRows(page), `round ${round}: one row per test image`).toHaveCount(22);
    const names = await resultNames(page);
    expect(names.filter((n) => n.includes('ground_truth') || n.includes('/train/')), `round ${round}: masks or training images inspected`).toEqual([]);
    expect(new Set(names).size, `round ${round}: duplicate rows in ${names.join(', ')}`).toBe(names.length);
    await note.getByRole('button', { name: 'Dismiss' }).click();
  }
  const holeRow = resultRows(page).filter({ has: page.getByRole('button', { name: 'weave/test/hole/001.png', exact: true }) });
  await expect(holeRow.getByRole('cell').last(), 'the truth column').toHaveText('hole');
  await expect(figures.locator('tr[data-defect="hole"] td').first(), 'hole: the demo’s 4 holes and 6 good images, and the 2 and 2 dropped').toHaveText('14');

  // A mixed batch of bad files: every one listed with its reason, nothing inspected.
  await page.getByRole('group', { name: 'Drop images to inspect' }).locator('input[type=file]:not([webkitdirectory])').setInputFiles(badFiles());
  await expectEveryBadFileListed(page);
  await expect(resultRows(page)).toHaveCount(22);

  // The exports a QC engineer reads: what ε flags, the truth, the model and thresholds.
  const csv = (await download(page, 'Export CSV')).trim().split('\r\n');
  const header = csvCells(csv[0]);
  for (const column of ['flagged_share', 'region_count', 'largest_region_px', 'defect_type', 'backbone', 'model_trained_at', 'epsilon', 'alpha', 'image_threshold']) expect(header, 'CSV columns').toContain(column);
  const hole = csvCells(csv.find((line) => line.startsWith('weave/test/hole/001.png,')) ?? '');
  expect(hole[header.indexOf('defect_type')]).toBe('hole');
  expect(Number(hole[header.indexOf('region_count')]), 'regions of a result').toBeGreaterThanOrEqual(0);
  const share = Number(hole[header.indexOf('flagged_share')]);
  expect(share >= 0 && share <= 1, `flagged share ${share}`).toBe(true);

  // 1366×768: the verdict and the viewer fit the height; a result row brings its image into view; the figures fit their width.
  await resultRows(page).last().locator('.row-select').click();
  const lastName = (await resultRows(page).last().locator('.row-select').textContent()) ?? '';
  await expect(page.locator('#viewer-heading')).toHaveText(lastName);
  const viewerPanel = page.locator('.viewer-panel');
  await expect(viewerPanel).toBeInViewport();
  const verdictBox = (await page.locator('.viewer-panel .verdict').boundingBox())!;
  const viewerBox = (await page.locator('.viewer-panel .viewer').boundingBox())!;
  const readoutBox = (await page.locator('#probe-readout').boundingBox())!;
  expect(Math.max(verdictBox.y + verdictBox.height, viewerBox.y + viewerBox.height, readoutBox.y + readoutBox.height) - Math.min(verdictBox.y, viewerBox.y), 'verdict, viewer and read-out together, px').toBeLessThanOrEqual(768);
  for (const box of [verdictBox, viewerBox, readoutBox]) expect(box.y + box.height, 'bottom edge within the window').toBeLessThanOrEqual(768);
  const figuresScroll = page.getByRole('region', { name: 'Figures per defect type' });
  expect(await figuresScroll.evaluate((e) => e.scrollWidth - e.clientWidth), 'figures table: width hidden sideways, px').toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SCREENS_DIR}/inspect-1366x768.png` });
  await checkScreen(page, 'inspect-testset');

  // A mixed batch on the Project screen, onto the class.
  await page.getByRole('link', { name: 'Project', exact: true }).click();
  await page.getByRole('group', { name: 'Good images of fabric' }).locator('input[type=file]:not([webkitdirectory])').setInputFiles(badFiles());
  await expectEveryBadFileListed(page);
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('22 images');

  // A folder named "good" makes a class named after the product (here the project), not "good"; the person renames it.
  const goodRoot = mkdtempSync(join(tmpdir(), 'pixood-good-'));
  for (let i = 0; i < 2; i++) write(goodRoot, `good/00${i}.png`, texturePng(840 + i));
  await page.getByRole('group', { name: 'Drop another folder for a new class' }).locator('input[webkitdirectory]').setInputFiles(join(goodRoot, 'good'));
  const named = page.getByRole('article', { name: 'Class Demo: woven fabric' });
  await expect(named).toContainText('2 images', { timeout: 60_000 });
  await named.getByLabel('Class name').fill('weave');
  await named.getByLabel('Class name').press('Enter');
  await expect(page.getByRole('article', { name: 'Class weave' })).toContainText('2 images');

  // 390×844: no screen is wider than the window; result names do not wrap letter by letter.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const screen of ['Project', 'Train', 'Inspect']) {
    await page.getByRole('link', { name: screen, exact: true }).click();
    await expect(page.getByRole('link', { name: screen, exact: true })).toHaveAttribute('aria-current', 'page');
    const overflow = await horizontalOverflow(page);
    expect(overflow.px, `${screen} at 390 px: px beyond the window (${overflow.widest.join('; ')})`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENS_DIR}/${screen.toLowerCase()}-390x844.png`, fullPage: true });
  }
  const nameWidths = await resultRows(page).locator('.row-select').evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().width));
  expect(Math.min(...nameWidths), 'narrowest result name, px').toBeGreaterThanOrEqual(80);
  await checkScreen(page, 'inspect-390x844');
  await page.goto('/');
  const overflow = await horizontalOverflow(page);
  expect(overflow.px, `start screen at 390 px (${overflow.widest.join('; ')})`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SCREENS_DIR}/start-390x844.png`, fullPage: true });
  expect(errors, 'console errors').toEqual([]);
});
