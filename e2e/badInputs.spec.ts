/**
 * Bad files dropped among good ones, into a new project's class and its test set: the list of
 * skipped files names each bad one with its reason, the good ones are added, and a reload shows
 * exactly those. The project and the class carry markup and path characters in their names:
 * they are shown as text, and the files the project exports have safe names.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from '../src/core/formats/crc32';
import { watchConsole } from './helpers/page';
import { corruptPng, defectMask, texturePng } from './helpers/images';

test.use({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });

const PROJECT = '<img src=x onerror=window.__pwned=1> ../../evil"name';
/** The project name as part of a file name: markup and separators gone, the rest kept. */
const FILE_PREFIX = 'img src=x onerror=window.__pwned=1_ .._.._evil_name';
/** A folder name, which becomes the class name. */
const CATEGORY = '<img src=x onerror=window.__pwned=2>';

const text = (s: string) => Buffer.from(s, 'utf8');

function chunk(name: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(name, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A complete PNG file whose header claims 30000×30000 pixels. */
function hugePng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(30000, 0);
  header.writeUInt32BE(30000, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', Buffer.from([0x78, 0x9c, 3, 0, 0, 0, 0, 1])), chunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG's frame header and the start of its scan, the rest of the file missing. */
function cutJpeg(): Buffer {
  const sof = [0xff, 0xc0, 0, 17, 8, 0, 112, 0, 112, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const sos = [0xff, 0xda, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0];
  return Buffer.from([0xff, 0xd8, ...sof, ...sos, ...new Array(200).fill(0x5a)]);
}

/** Two 1×1 frames that loop forever. */
function animatedGif(): Buffer {
  const frame = [0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0];
  return Buffer.concat([text('GIF89a'), Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x21, 0xff, 0x0b]), text('NETSCAPE2.0'), Buffer.from([3, 1, 0, 0, 0, ...frame, ...frame, 0x3b])]);
}

/** Bad files, each with the words its reason must contain. */
const BAD_FILES: readonly { name: string; bytes: Uint8Array; reason: string }[] = [
  { name: 'hole_3.png', bytes: new Uint8Array(0), reason: 'The file is empty (0 bytes)' },
  { name: 'cut.png', bytes: corruptPng(910), reason: 'before the end of its PNG data: it is cut short' },
  { name: 'cut.jpg', bytes: cutJpeg(), reason: 'before the end of its JPEG data: it is cut short' },
  { name: 'notes.png', bytes: text('Line 3, shift B: these are the good ones.\n'), reason: 'This is not an image: it looks like a text file' },
  { name: 'huge.png', bytes: hugePng(), reason: 'The header says 30000×30000 pixels (900.0 megapixels); the limit is 67.1 megapixels' },
  { name: 'logo.svg', bytes: text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'), reason: 'SVG drawings are not accepted' },
  { name: 'spin.gif', bytes: animatedGif(), reason: 'This is an animated GIF. Animations are refused rather than cut to their first frame' },
];

function write(root: string, path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), bytes);
}

/** An MVTec-style folder: 3 good training images and 3 bad ones; a good and a defective test image kept, and 3 test images refused. */
function mvtecFolder(root: string): string {
  const at = (path: string) => `${CATEGORY}/${path}`;
  for (let i = 0; i < 3; i++) write(root, at(`train/good/good_${i}.png`), texturePng(600 + i));
  for (const bad of BAD_FILES.slice(0, 3)) write(root, at(`train/good/${bad.name}`), bad.bytes);
  write(root, at('test/good/000.png'), texturePng(700));
  write(root, at('test/hole/000.png'), texturePng(701));
  write(root, at('ground_truth/hole/000_mask.png'), defectMask(112, 12));
  write(root, at('test/hole/001.png'), texturePng(702));
  write(root, at('ground_truth/hole/001_mask.png'), defectMask(56, 6));
  write(root, at('test/hole/002.png'), texturePng(703));
  write(root, at('test/hole/003.png'), texturePng(704));
  write(root, at('ground_truth/hole/003_mask.png'), new Uint8Array(0));
  return join(root, CATEGORY);
}

async function expectNoMarkupRan(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned), 'window.__pwned').toBeUndefined();
  expect(await page.locator('img[src="x"], [onerror]').count(), 'elements made from a name').toBe(0);
}

async function setNumber(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

async function downloadName(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return file.suggestedFilename();
}

test('bad files among good ones: each skipped by name with its reason, the good ones kept across a reload; names stay text and leave safe file names', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watchConsole(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'New project' }).click();
  await page.getByLabel('Project name').fill(PROJECT);
  // No download in tests: the offline backbone.
  await page.getByRole('radio', { name: /Built-in texture features/ }).check();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(PROJECT, { timeout: 60_000 });

  // A dataset folder: the class and the test set at once.
  const folder = mvtecFolder(mkdtempSync(join(tmpdir(), 'pixood-bad-')));
  await page.getByRole('group', { name: 'Drop a folder of good images' }).locator('input[webkitdirectory]').setInputFiles(folder);
  const skipped = page.getByRole('status').filter({ hasText: 'skipped' });
  await expect(skipped).toContainText('6 files were skipped', { timeout: 60_000 });
  const items = skipped.getByRole('listitem');
  const reasonOf = (path: string) => items.filter({ hasText: `${CATEGORY}/${path}:` });
  for (const bad of BAD_FILES.slice(0, 3)) await expect(reasonOf(`train/good/${bad.name}`)).toContainText(bad.reason);
  await expect(reasonOf('test/hole/001.png')).toContainText(`Its mask ${CATEGORY}/ground_truth/hole/001_mask.png is 56×56 pixels, the image 112×112: they must be the same size.`);
  await expect(reasonOf('test/hole/002.png')).toContainText('A hole test image without its mask in ground_truth/hole/');
  await expect(reasonOf('test/hole/003.png')).toContainText(`Its mask ${CATEGORY}/ground_truth/hole/003_mask.png: The file is empty (0 bytes)`);

  const card = page.getByRole('article', { name: `Class ${CATEGORY}` });
  await expect(card).toContainText('3 images');
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('2 images: 1 good, 1 hole');

  // More files onto the class itself: two good ones, the other bad kinds.
  await skipped.getByRole('button', { name: 'Dismiss' }).click();
  const more = [
    { name: 'extra_0.png', mimeType: 'image/png', buffer: Buffer.from(texturePng(610)) },
    { name: 'extra_1.png', mimeType: 'image/png', buffer: Buffer.from(texturePng(611)) },
    ...BAD_FILES.slice(3).map((bad) => ({ name: bad.name, mimeType: 'application/octet-stream', buffer: Buffer.from(bad.bytes) })),
  ];
  await card.getByRole('group', { name: `Good images of ${CATEGORY}` }).locator('input[type=file]:not([webkitdirectory])').setInputFiles(more);
  await expect(skipped).toContainText('4 files were skipped', { timeout: 60_000 });
  for (const bad of BAD_FILES.slice(3)) await expect(items.filter({ hasText: `${bad.name}:` })).toContainText(bad.reason);
  await expect(card).toContainText('5 images');
  await expectNoMarkupRan(page);

  // A reload shows exactly the good images.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(PROJECT, { timeout: 60_000 });
  const names = await card.getByRole('list', { name: `Images of ${CATEGORY}` }).getByRole('listitem').getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
  expect(names.sort()).toEqual(['extra_0.png', 'extra_1.png', ...[0, 1, 2].map((i) => `${CATEGORY}/train/good/good_${i}.png`)].map((n) => `Remove ${n}`).sort());
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('2 images: 1 good, 1 hole');
  await expect(page.getByRole('status').filter({ hasText: 'skipped' })).toHaveCount(0);
  await expectNoMarkupRan(page);

  // Train small, export the model and the results: the file names are safe.
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByLabel('Input size').selectOption('224');
  await page.getByLabel('Feature up-sampling').selectOption('1');
  await setNumber(page, 'Etalons per class (K)', '4');
  await setNumber(page, 'Condensation epochs', '2');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: 300_000 });
  const modelFile = await downloadName(page, 'Export model (.pixood)');
  expect(modelFile).toBe(`${FILE_PREFIX}-model.pixood`);

  await page.getByRole('button', { name: 'Inspect images' }).click();
  await page.getByRole('button', { name: 'Inspect the 2 test images' }).click();
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(3, { timeout: 120_000 });
  const csvFile = await downloadName(page, 'Export CSV');
  expect(csvFile).toBe(`${FILE_PREFIX}-results.csv`);
  for (const name of [modelFile, csvFile]) expect(name, name).not.toMatch(/[/\\"<>:|?*\p{Cc}]/u);
  await expectNoMarkupRan(page);
  expect(errors, 'console errors').toEqual([]);
});
