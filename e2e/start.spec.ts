import { expect, test } from '@playwright/test';

test('the start page says what the app does and what this build can do', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('pixood-web');
  await expect(page.getByText('pixel by pixel')).toBeVisible();
  await expect(page.getByText(/WebGPU in this browser/)).toBeVisible();
  const isolated = await page.evaluate(() => crossOriginIsolated);
  expect(isolated, 'page is cross-origin isolated (wasm threads need it)').toBe(true);
  await page.screenshot({ path: 'test-results/screens/start.png', fullPage: true });
  expect(errors, 'console errors').toEqual([]);
});
