import { expect, test } from '@playwright/test';
import { checkScreen, watchConsole } from './helpers/page';

test('the start page says what the app does and offers the demo and a new project', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('pixood-web');
  await expect(page.getByText('pixel by pixel')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New project' })).toBeVisible();
  await expect(page.getByText(/WebGPU in this browser/)).toBeVisible();
  const isolated = await page.evaluate(() => crossOriginIsolated);
  expect(isolated, 'page is cross-origin isolated (wasm threads need it)').toBe(true);
  await checkScreen(page, 'start');
  expect(errors, 'console errors').toEqual([]);
});
