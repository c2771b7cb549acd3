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

test('a new project offers DINOv2 first; when its download fails, the project goes on with the built-in backbone and says what that costs; offline, the built-in one is chosen', async ({ page, context }) => {
  test.setTimeout(180_000);
  // No network in tests: the hub refuses as a machine without a connection would.
  await page.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  await page.getByRole('button', { name: 'New project' }).click();
  const choices = page.getByRole('group', { name: 'Backbone' }).getByRole('radio');
  await expect(choices.first()).toHaveAccessibleName(/^DINOv2 ViT-S\/14 with registers/);
  await expect(choices.first()).toBeChecked();
  // This machine's GPU is a software one: the CPU path's weights, int8.
  await expect(page.getByRole('group', { name: 'Backbone' })).toContainText('a one-time download of about 24 MB (int8)');
  await checkScreen(page, 'new-project');
  await page.getByLabel('Project name').fill('Caps, DINOv2 wanted');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Caps, DINOv2 wanted', { timeout: 60_000 });
  const note = page.getByTestId('backbone-note');
  await expect(note).toContainText('DINOv2 could not be downloaded', { timeout: 60_000 });
  await expect(note).toContainText('It uses the built-in backbone for now');
  await expect(note).toContainText('choose DINOv2 under Backbone on this screen and train again');
  await expect(page.getByRole('radio', { name: /Built-in texture features/ })).toBeChecked();

  // Offline (the page stays, as an installed app would): the form now chooses the built-in backbone.
  await context.setOffline(true);
  await page.evaluate(() => (location.hash = '#/'));
  await page.getByRole('button', { name: 'New project' }).click();
  await expect(page.getByRole('radio', { name: /Built-in texture features/ })).toBeChecked();
  await expect(page.getByRole('group', { name: 'Backbone' })).toContainText('needs a connection: you are offline');
  await context.setOffline(false);
});
