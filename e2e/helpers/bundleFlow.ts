/** Steps shared by the tests that move a model between browsers as a bundle. */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBundle, type BundleContents } from '../../src/core/formats/bundle';
import { buildDemoDataset } from '../../src/demo/demoDataset';

/** A new profile: nothing stored, downloads accepted. */
export function freshContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1366, height: 768 }, acceptDownloads: true });
}

/** The project screen's execution-path choice, forced to the CPU so both browsers score on the same path. */
export async function runOnCpu(page: Page): Promise<void> {
  const runsOn = page.getByLabel('Runs on');
  await expect(runsOn).toBeVisible({ timeout: 120_000 });
  await runsOn.selectOption('wasm');
  await expect(runsOn).toHaveValue('wasm', { timeout: 60_000 });
}

/** The image scores the results table shows for `names`. */
export async function shownScores(page: Page, names: readonly string[]): Promise<Record<string, string>> {
  const table = page.getByRole('region', { name: 'Inspected images' });
  const shown: Record<string, string> = {};
  for (const name of names) {
    const row = table.getByRole('row').filter({ has: page.getByRole('button', { name, exact: true }) });
    shown[name] = (await row.getByRole('cell').nth(1).textContent()) ?? '';
  }
  return shown;
}

/** The demo's images of these names, written into `dir`; their paths. */
export async function writeDemoImages(dir: string, names: readonly string[]): Promise<string[]> {
  const demo = await buildDemoDataset();
  return Promise.all(
    names.map(async (name) => {
      const image = demo.images.find((i) => i.name === name);
      if (!image) throw new Error(`the demo has no ${name}`);
      const path = join(dir, name);
      writeFileSync(path, new Uint8Array(await image.blob.arrayBuffer()));
      return path;
    }),
  );
}

/** On the Train screen: the model exported with its backbone, saved into `dir`; its path and contents. */
export async function exportWithBackbone(page: Page, dir: string, timeout: number): Promise<{ path: string; bundle: BundleContents }> {
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Include the backbone (for machines without it)').check();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), page.getByRole('button', { name: 'Export model (.pixood)' }).click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return { path, bundle: readBundle(new Uint8Array(readFileSync(path))) };
}

/** On the start screen of a fresh profile: `path` imported, and the project it opens named. */
export async function importBundle(page: Page, path: string, projectName: string, timeout: number): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import a model (.pixood)' }).click()]);
  await chooser.setFiles(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(projectName, { timeout });
}
