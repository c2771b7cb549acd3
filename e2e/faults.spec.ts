/**
 * Faults a person can run into, through the built app with the demo project: the page is
 * reloaded in the middle of a training, the browser's storage is full when the model is saved,
 * and the engine worker crashes during an inspection. Each time the project stays as it was
 * and the next try works.
 *
 * The full disk is injected in the page: an init script makes the next put into the projects
 * database's 'models' store throw a QuotaExceededError once `window.__pixoodFailModelPut` is set.
 * The crash is an uncaught error thrown inside the real engine worker.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkScreen, watchConsole } from './helpers/page';

test.use({ viewport: { width: 1366, height: 768 } });

const TRAINING_TIMEOUT = 240_000;
const FULL = "Training failed: This browser's storage is full: free disk space, or delete old projects or results, and try again; nothing was saved.";
const LOST_INSPECTION = 'The engine stopped unexpectedly; it starts again with your next action. The inspection in progress was lost; your project and saved models are safe.';
const CRASH = 'e2e: the engine worker crashes';

declare global {
  interface Window {
    __pixoodFailModelPut?: boolean;
  }
}

/** The project's model pointer and the ids of its stored models, read from IndexedDB itself. */
function storedModels(page: Page): Promise<{ modelId: string | null; models: string[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('pixood-projects');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['projects', 'models']);
          const projects = tx.objectStore('projects').getAll();
          const models = tx.objectStore('models').getAllKeys();
          tx.oncomplete = () => {
            open.result.close();
            const [project] = projects.result as { modelId: string | null }[];
            resolve({ modelId: project.modelId, models: (models.result as string[]).sort() });
          };
        };
      }),
  );
}

async function setNumber(page: Page, label: string, value: number): Promise<void> {
  const field = page.getByLabel(label);
  await field.fill(String(value));
  await field.press('Enter');
}

test('reload mid-training, a full disk on save, and an engine crash mid-inspection each leave the project intact', async ({ page }) => {
  test.setTimeout(900_000);
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (window.__pixoodFailModelPut && this.name === 'models') {
        window.__pixoodFailModelPut = false;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
  const errors = watchConsole(page);

  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 120_000 });
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images', { timeout: 120_000 });
  await page.getByRole('link', { name: 'Train' }).click();
  // Small settings: SwiftShader and a shared machine are slow.
  await setNumber(page, 'Etalons per class (K)', 16);
  await setNumber(page, 'Condensation epochs', 3);
  await page.getByLabel('Feature up-sampling').selectOption('1');

  await test.step('reload in the middle of a training', async () => {
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    // The features stage reads the 26 of 32 good images that are not held out for the image calibration.
    await expect(page.getByText(/of 26 images/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 60_000 });
    await expect(page.getByRole('heading', { name: 'Model' }), 'no half model').toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Train', exact: true }), 'no stuck training').toBeEnabled();
    await expect(page.getByRole('progressbar', { name: 'Features progress' })).toHaveCount(0);
    expect(await storedModels(page)).toEqual({ modelId: null, models: [] });
    await page.getByRole('link', { name: 'Project' }).click();
    await expect(page.getByRole('article', { name: 'Class fabric' })).toContainText('32 images');
    await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images');
    await page.getByRole('link', { name: 'Train' }).click();
    await expect(page.getByLabel('Etalons per class (K)'), 'the settings were kept').toHaveValue('16');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
  });

  const first = await storedModels(page);
  expect(first.models).toHaveLength(1);
  expect(first.modelId).toBe(first.models[0]);

  await test.step('a full disk when the next model is saved', async () => {
    await page.evaluate(() => (window.__pixoodFailModelPut = true));
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByText(FULL)).toBeVisible({ timeout: TRAINING_TIMEOUT });
    await checkScreen(page, 'train-storage-full');
    expect(await storedModels(page), 'the previous model is current, and no new one is stored').toEqual(first);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Model' })).toBeVisible({ timeout: 60_000 });
    expect(await storedModels(page), 'after a reload too').toEqual(first);
  });

  await test.step('the engine crashes during an inspection', async () => {
    await page.getByRole('link', { name: 'Inspect' }).click();
    await page.getByRole('button', { name: 'Inspect the 18 test images' }).click();
    await expect(page.getByText(/Inspecting the test images: \d+ of 18/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
    // The worker started after the reload may not be listed yet. The engine is the first one listed: ONNX Runtime's threads start from it.
    await expect.poll(() => page.workers().map((w) => w.url()), { message: 'the engine worker is listed', timeout: 60_000 }).toContainEqual(expect.stringContaining('engine.worker'));
    const engine = page.workers().find((w) => w.url().includes('engine.worker'))!;
    await engine.evaluate((message) => {
      setTimeout(() => {
        throw new Error(message);
      }, 0);
    }, CRASH);
    await expect(page.locator('.engine-notice')).toHaveText(`${LOST_INSPECTION}Dismiss`, { timeout: 60_000 });
    await expect(page.getByText(/Inspecting the test images/), 'the inspection has ended').toHaveCount(0);
    await expect(page.getByText('Inspection failed'), 'the crash is told once, by the notice').toHaveCount(0);
    await checkScreen(page, 'inspect-engine-crashed');
    await page.getByRole('button', { name: 'Inspect the 18 test images' }).click();
    await expect(page.locator('[data-figure="pixel-auroc"]').first()).toBeVisible({ timeout: TRAINING_TIMEOUT });
    await page.locator('.engine-notice').getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.locator('.engine-notice')).toHaveCount(0);
  });

  expect(
    errors.filter((e) => !e.includes(CRASH)),
    'console errors other than the injected crash',
  ).toEqual([]);
});
