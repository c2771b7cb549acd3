/** The demo from the start page to figures on the screen: generate it, train, inspect the test set. */
import { expect, type Page } from '@playwright/test';

const TRAINING_TIMEOUT = 300_000;

export interface DemoFigures {
  readonly imageAuroc: number;
  readonly pixelAuroc: number;
}

/** From the start page: the demo generated and its model trained, on the Train screen; `settle` changes the settings first. */
export async function trainDemo(page: Page, settle?: (page: Page) => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo: woven fabric', { timeout: 120_000 });
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images', { timeout: 120_000 });
  await page.getByRole('link', { name: 'Train' }).click();
  await settle?.(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
}

export async function runDemo(page: Page): Promise<DemoFigures> {
  await trainDemo(page);
  await expect(page.getByRole('img', { name: /Density of normal pixels/ })).toBeVisible();
  await page.getByRole('button', { name: 'Inspect images' }).click();
  await page.getByRole('button', { name: 'Inspect the 18 test images' }).click();
  await expect(page.locator('[data-figure="pixel-auroc"]').first()).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await expect(page.getByRole('region', { name: 'Inspected images' }).getByRole('row')).toHaveCount(19);
  const figure = async (name: string) => Number(await page.locator(`[data-figure="${name}"]`).first().textContent());
  return { imageAuroc: await figure('image-auroc'), pixelAuroc: await figure('pixel-auroc') };
}
