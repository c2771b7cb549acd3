/**
 * Several stations, one model. Station A trains the demo's model and publishes it to a folder;
 * the folder's files go onto a plain static server started here. Station B, another browser,
 * imports that first version and follows the manifest's URL. A defective part fails at both;
 * at A it is found good after all and the new version is published; B switches to it at its next
 * look and decides the next part with it. Then what a server can do wrong: no manifest, a bundle
 * cut short, a damaged bundle whose checksums match (each naming a version B never ran): each is
 * one line on B's station and B keeps deciding with the version it runs; the damaged bundle is
 * not fetched again. Publishing the first
 * version again rolls B back to the copy it kept. B's CSV names the version of every decision.
 */
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DECISION_COLUMNS } from '../src/app/station/decisionsCsv';
import { PUBLICATION_BUNDLE, PUBLICATION_MANIFEST, readPublication, writePublication, type Publication } from '../src/core/formats/publication';
import { demoDefectTestImage, rgbPng } from '../src/demo/demoDataset';
import { freshContext, importBundle } from './helpers/bundleFlow';
import { csvCells } from './helpers/csv';
import { trainDemo } from './helpers/demoFlow';
import { pickFoldersFromOpfs, readOpfsFile, writeOpfsFile } from './helpers/opfs';
import { checkScreen, watchConsole } from './helpers/page';
import { serveFolder } from './helpers/staticServer';

const PART_TIMEOUT = 120_000;
/** B looks every 5 seconds; a look that fetches and checks a bundle takes a few more. */
const LOOK_TIMEOUT = 60_000;

const count = async (page: Page, key: string) => Number(await page.locator(`[data-count="${key}"]`).textContent());

/** The version the station shows it runs: the first 12 hex digits of the model's content SHA-256. */
async function runningVersion(page: Page): Promise<string> {
  const shown = (await page.getByText(/^Model [0-9a-f]{12}/).textContent()) ?? '';
  return shown.slice('Model '.length, 'Model '.length + 12);
}

/** Station A's model published to its publishing folder, and the two files copied to `served`; the manifest. */
async function publish(page: Page, served: string, version: string): Promise<Publication> {
  await page.getByRole('button', { name: 'Publish to a folder' }).click();
  await expect(page.getByTestId('publishing')).toContainText(`Published version ${version} with its backbone to publish-folder`, { timeout: 60_000 });
  const bundle = await readOpfsFile(page, 'publish-folder', PUBLICATION_BUNDLE);
  const manifest = new TextDecoder().decode(await readOpfsFile(page, 'publish-folder', PUBLICATION_MANIFEST));
  // The bundle first, as the app wrote them: a follower never finds a manifest before its bundle.
  writeFileSync(join(served, PUBLICATION_BUNDLE), bundle);
  writeFileSync(join(served, PUBLICATION_MANIFEST), manifest);
  const publication = readPublication(manifest);
  expect(publication.version.startsWith(version), 'the manifest names the version by its content SHA-256').toBe(true);
  expect(publication.size).toBe(bundle.length);
  expect(publication.sha256).toBe(createHash('sha256').update(bundle).digest('hex'));
  return publication;
}

/** A part written into the station's watched folder; it must be inspected once and shown as `verdict`. */
async function arrives(page: Page, name: string, bytes: Uint8Array, verdict: 'PASS' | 'FAIL' | 'NEEDS REVIEW'): Promise<void> {
  const before = await count(page, 'inspected');
  await writeOpfsFile(page, 'watched-folder', name, bytes);
  await expect.poll(() => count(page, 'inspected'), { timeout: PART_TIMEOUT }).toBe(before + 1);
  await expect(page.getByRole('region', { name: 'Verdict' }), name).toContainText(`${verdict}${name}: `);
}

async function watchFolder(page: Page): Promise<void> {
  await page.getByLabel('Parts from').selectOption('folder');
  await page.getByRole('button', { name: 'Choose the folder to watch' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Watching watched-folder' })).toBeVisible();
}

test('a station follows a model published by another: it switches at the next part, refuses a broken publication without stopping, and its log names each version', async ({ browser, baseURL }) => {
  test.setTimeout(900_000);
  const served = mkdtempSync(join(tmpdir(), 'pixood-published-'));
  const server = await serveFolder(served);
  const manifestUrl = `${server.url}/${PUBLICATION_MANIFEST}`;
  const spot = new Uint8Array(await rgbPng(demoDefectTestImage(1)).arrayBuffer());

  // Station A: the model trained, its first version published.
  const contextA = await freshContext(browser, baseURL!);
  await pickFoldersFromOpfs(contextA);
  const a = await contextA.newPage();
  const errorsA = watchConsole(a);
  await a.goto('/');
  await trainDemo(a);
  await a.getByRole('link', { name: 'Station' }).click();
  await expect(a.getByText(/^Model [0-9a-f]{12}/)).toBeVisible();
  const v1 = await runningVersion(a);
  await a.getByText('Publish and follow the model').click();
  const first = await publish(a, served, v1);
  expect(first.parent, 'a trained model has no parent').toBeNull();
  const firstBundle = readFileSync(join(served, PUBLICATION_BUNDLE));

  // Station B: another browser, the first version imported, following A's publication by URL.
  const contextB = await freshContext(browser, baseURL!);
  await pickFoldersFromOpfs(contextB);
  const b = await contextB.newPage();
  const errorsB = watchConsole(b);
  await b.goto('/');
  await importBundle(b, join(served, PUBLICATION_BUNDLE), 'Demo: woven fabric', 120_000);
  await b.getByRole('link', { name: 'Station' }).click();
  await expect(b.getByText(/^Model [0-9a-f]{12}/)).toBeVisible();
  expect(await runningVersion(b), 'the same model has the same version on both machines').toBe(v1);
  await b.getByText('Publish and follow the model').click();
  await b.getByLabel('Look at most every').selectOption('5');
  await b.getByLabel('Manifest URL').fill(manifestUrl);
  await b.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(b.getByTestId('following')).toContainText(new RegExp(`^Following ${manifestUrl.replace(/[.]/g, '\\.')}, running version ${v1}, last checked \\d`), { timeout: LOOK_TIMEOUT });
  await expect(b.getByTestId('following-status')).toHaveText(`Up to date: version ${v1} is the one published.`);
  await checkScreen(b, 'station-following');
  await watchFolder(b);
  await arrives(b, 'b-1.png', spot, 'FAIL');

  // A: the same spotted part found good after all makes version 2, published.
  await watchFolder(a);
  await arrives(a, 'part-spot.png', spot, 'FAIL');
  await a.getByRole('button', { name: 'Good after all: part-spot.png' }).click();
  await expect(a.getByTestId('model-version')).toContainText(/^Version 2, .*: Good after all: part-spot\.png/);
  const v2 = await runningVersion(a);
  expect(v2).not.toBe(v1);
  const second = await publish(a, served, v2);
  expect(second.parent?.startsWith(v1), 'version 2 names version 1 its parent').toBe(true);
  expect(errorsA, 'console errors at station A').toEqual([]);

  // B switches at its next look; the next part is decided by version 2.
  await expect(b.getByTestId('following-status')).toContainText(`Switched to version ${v2} (`, { timeout: LOOK_TIMEOUT });
  await expect(b.getByText(/^Model [0-9a-f]{12}/)).toContainText(`Model ${v2}`);
  await expect(b.getByTestId('model-version')).toContainText(/^Version 2, .*: Good after all: part-spot\.png/);
  await arrives(b, 'b-2.png', spot, 'PASS');

  // What a server can do wrong changes nothing at B: each is one line, and version 2 runs on.
  // The broken publications name a version B has never run, so only fetching its bundle could bring it.
  const unseen: Publication = { ...first, version: createHash('sha256').update('a version station B never ran').digest('hex') };
  const still = `Still running version ${v2}.`;
  rmSync(join(served, PUBLICATION_MANIFEST));
  await expect(b.getByTestId('following-status')).toHaveText(`The manifest could not be fetched: the server answered HTTP 404 Not Found. ${still}`, { timeout: LOOK_TIMEOUT });
  writeFileSync(join(served, PUBLICATION_BUNDLE), firstBundle.subarray(0, firstBundle.length >> 1));
  writeFileSync(join(served, PUBLICATION_MANIFEST), writePublication(unseen));
  await expect(b.getByTestId('following-status')).toContainText(/^The bundle is [\d,]+ bytes, but its manifest says [\d,]+: it is cut short/, { timeout: LOOK_TIMEOUT });
  await expect(b.getByTestId('following-status')).toContainText(still);
  const damaged = Uint8Array.from(firstBundle);
  for (let i = damaged.length >> 2; i < damaged.length >> 1; i += 97) damaged[i] ^= 0xff;
  writeFileSync(join(served, PUBLICATION_BUNDLE), damaged);
  writeFileSync(join(served, PUBLICATION_MANIFEST), writePublication({ ...unseen, sha256: createHash('sha256').update(damaged).digest('hex') }));
  await expect(b.getByTestId('following-status')).toContainText(new RegExp(`^Version ${unseen.version.slice(0, 12)} was refused: “${PUBLICATION_BUNDLE.replace('.', '\\.')}” was not imported: `), { timeout: LOOK_TIMEOUT });
  await expect(b.getByTestId('following-status')).toContainText(still);
  const fetched = server.requests.filter((path) => path.endsWith(PUBLICATION_BUNDLE)).length;
  const looks = server.requests.length;
  await expect.poll(() => server.requests.length, { timeout: LOOK_TIMEOUT }).toBeGreaterThanOrEqual(looks + 2);
  expect(server.requests.filter((path) => path.endsWith(PUBLICATION_BUNDLE)).length, 'a refused bundle is not fetched again').toBe(fetched);
  await arrives(b, 'b-3.png', spot, 'PASS');
  expect(await runningVersion(b)).toBe(v2);

  // The first version published again: B goes back to the copy it kept, and decides with it.
  writeFileSync(join(served, PUBLICATION_BUNDLE), firstBundle);
  writeFileSync(join(served, PUBLICATION_MANIFEST), writePublication(first));
  await expect(b.getByTestId('following-status')).toContainText(`Back to version ${v1}, kept here from before`, { timeout: LOOK_TIMEOUT });
  await arrives(b, 'b-4.png', spot, 'FAIL');

  // B's log names the version that decided each part, in order.
  await b.getByText('Audit log').click();
  const [file] = await Promise.all([b.waitForEvent('download'), b.getByRole('button', { name: 'Export the shift as CSV' }).click()]);
  const [header, ...rows] = readFileSync((await file.path())!, 'utf8').trim().split('\r\n').map(csvCells);
  expect(header).toEqual([...DECISION_COLUMNS]);
  const column = (name: (typeof DECISION_COLUMNS)[number]) => DECISION_COLUMNS.indexOf(name);
  expect(rows.map((r) => [r[column('file')], r[column('verdict')], r[column('model_sha256')]])).toEqual([
    ['b-1.png', 'fail', first.version],
    ['b-2.png', 'pass', second.version],
    ['b-3.png', 'pass', second.version],
    ['b-4.png', 'fail', first.version],
  ]);
  expect(new Set(rows.map((r) => r[column('model_id')])).size, 'two stored versions decided').toBe(2);

  // Only the failures this test caused: the fetch of a missing manifest.
  expect(errorsB.filter((e) => !/status of 404/.test(e)), 'console errors at station B').toEqual([]);
  await contextA.close();
  await contextB.close();
  await server.close();
});
