/** Steps shared by the tests that move a model between browsers as a bundle. */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
