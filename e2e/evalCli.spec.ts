/**
 * The headless commands against the app: the demo trained and evaluated in the app, then the
 * same dataset written to disk by `npm run demo:write` and evaluated by `npm run eval`, which
 * must print the figures the app shows. Then `npm run inspect` scores the test images with the
 * model `npm run eval` exported. Prints the eval JSON to the test log.
 */
import { expect, test, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DINOV2_SMALL, randomDinov2 } from '../fixtures/randomDinov2';
import { npm } from './helpers/npmRun';

const TRAINING_TIMEOUT = 240_000;

async function shownFigure(page: Page, name: string): Promise<string> {
  return (await page.locator(`[data-figure="${name}"]`).first().textContent()) ?? '';
}

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(12, 16).toString('latin1'), `${path} starts with an IHDR chunk`).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('npm run eval prints the app’s figures for the demo; npm run inspect scores with its exported model', async ({ page }) => {
  test.setTimeout(1_500_000);

  await page.goto('/');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page.getByRole('region', { name: 'Test images' })).toContainText('18 images', { timeout: 120_000 });
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByText(/^Trained in/)).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await page.getByRole('button', { name: 'Inspect images' }).click();
  await page.getByRole('button', { name: 'Inspect the 18 test images' }).click();
  await expect(page.locator('[data-figure="pixel-auroc"]').first()).toBeVisible({ timeout: TRAINING_TIMEOUT });
  const app = {
    image_auroc: await shownFigure(page, 'image-auroc'),
    pixel_auroc: await shownFigure(page, 'pixel-auroc'),
    aupro_0_3: await shownFigure(page, 'aupro'),
    pixel_ap: await shownFigure(page, 'pixel-ap'),
  };
  console.log(`app: ${JSON.stringify(app)}`);

  const dir = mkdtempSync(join(tmpdir(), 'pixood-eval-cli-'));
  const written = await npm('demo:write', [dir]);
  expect(written.code, written.stderr).toBe(0);

  const bundle = join(dir, 'model.pixood');
  const evaluated = await npm('eval', ['--data', join(dir, 'fabric'), '--size', '224', '--bundle-out', bundle]);
  expect(evaluated.code, `npm run eval failed:\n${evaluated.stderr.slice(-4000)}`).toBe(0);
  console.log(`npm run eval:\n${evaluated.stdout}`);
  // What the model catches, from its held-out good images: one line per kind of synthetic defect.
  const capabilityLines = evaluated.stderr.split('\n').filter((line) => line.startsWith('capability: '));
  console.log(capabilityLines.join('\n'));
  expect(capabilityLines.map((line) => /kind=([\w-]+)/.exec(line)?.[1])).toEqual(['dark-spot', 'bright-spot', 'scratch', 'crack', 'stain', 'texture-loss']);
  for (const line of capabilityLines) expect(line).toMatch(/^capability: name=fabric kind=[\w-]+ a90_px=(\d+|none) mid_escape=[01]\.\d{3} escape_all=[01]\.\d{3}$/);
  const cli = JSON.parse(evaluated.stdout) as Record<keyof typeof app, number> & { images: number; defect_images: number; per_defect: Record<string, unknown>; path: { kernels: string } };
  expect(cli.images).toBe(18);
  expect(cli.defect_images).toBe(12);
  expect(Object.keys(cli.per_defect).sort()).toEqual(['hole', 'spot', 'stain']);
  for (const key of Object.keys(app) as (keyof typeof app)[]) {
    expect(cli[key].toFixed(4), `${key}: the CLI's ${cli[key]} against the app's ${app[key]}`).toBe(app[key]);
  }

  const out = join(dir, 'inspected');
  const inspected = await npm('inspect', ['--bundle', bundle, '--images', join(dir, 'fabric', 'test'), '--out', out]);
  expect(inspected.code, `npm run inspect failed:\n${inspected.stderr.slice(-4000)}`).toBe(0);
  const [header, ...rows] = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\r\n');
  expect(header).toBe('name,image_score,severity,severity_vs_limit,epsilon,alpha,catch_rate,image_threshold,verdict,width,height,seconds,heatmap,error');
  expect(rows).toHaveLength(18);
  for (const row of rows) {
    const [name, score, severity, multiple, epsilon, alpha, catchRate, threshold, verdict, width, height, , heatmap, error] = row.split(',');
    expect(name, row).toMatch(/^(good|hole|spot|stain)\/test_\w+_\d\d\.png$/);
    expect(Number(score), row).toBeGreaterThanOrEqual(0);
    expect(Number(score), row).toBeLessThanOrEqual(1);
    // A bundle exported by eval has no operating point: the default α.
    expect([epsilon, alpha, catchRate], row).toEqual(['0.01', '0.01', '']);
    expect(verdict, row).toBe(Number(severity) >= Number(threshold) ? 'fail' : 'pass');
    expect(Number(multiple) >= 1, `${row}: the multiple of the limit agrees with the verdict`).toBe(verdict === 'fail');
    expect([width, height, error], row).toEqual(['224', '224', '']);
    expect(heatmap, row).toBe(name.replace(/\.png$/, '.heatmap.png'));
    expect(existsSync(join(out, heatmap)), `${heatmap} written`).toBe(true);
    expect(pngSize(join(out, heatmap)), heatmap).toEqual({ width: 224, height: 224 });
  }
  const severities = (prefix: string) => rows.filter((r) => r.startsWith(prefix)).map((r) => Number(r.split(',')[2]));
  expect(Math.min(...severities('spot/'), ...severities('hole/'), ...severities('stain/')), 'every defective image more severe than every good one, as in the app').toBeGreaterThan(Math.max(...severities('good/')));
});

test('a 110 MB data file reaches the page whole (served over HTTP, not as one DevTools message): a garbage backbone is refused, never a hang', async () => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'pixood-eval-big-'));
  const written = await npm('demo:write', [dir]);
  expect(written.code, written.stderr).toBe(0);
  const big = join(dir, 'big.onnx');
  // Seeded bytes, 110 MB: over the ~100 MiB a single DevTools message may carry.
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  writeFileSync(big, Buffer.concat(Array.from({ length: 105 }, () => block)));
  const started = Date.now();
  const evaluated = await npm('eval', ['--data', join(dir, 'fabric'), '--size', '224', '--backbone', big]);
  console.log(`eval with a 110 MB non-ONNX backbone: exit ${evaluated.code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(evaluated.code, evaluated.stderr.slice(-2000)).toBe(3);
  expect(evaluated.stderr).toContain('This file is not an ONNX model');
});

test('eval and inspect with a DINOv2-small-sized backbone (88 MB, seeded random weights made here): figures printed, the bundle carries the backbone and scores again', async () => {
  test.setTimeout(900_000);
  const dir = mkdtempSync(join(tmpdir(), 'pixood-eval-vits-'));
  const written = await npm('demo:write', [dir]);
  expect(written.code, written.stderr).toBe(0);
  const vit = join(dir, 'dinov2-small-random.onnx');
  writeFileSync(vit, randomDinov2(DINOV2_SMALL));
  expect(statSync(vit).size, 'a real DINOv2-small file is 88.5 MB').toBeGreaterThan(86e6);

  const bundle = join(dir, 'vits.pixood');
  const started = Date.now();
  // On the CPU path: measuring a software GPU's speed would only add minutes to CI. At 112 px
  // (8 × 8 patches): what this test is about is the 88 MB file through every step, not the ViT's
  // speed (npm run bench measures that), and a quarter of 224 px's tokens saves CI minutes.
  const evaluated = await npm('eval', ['--data', join(dir, 'fabric'), '--size', '112', '--backbone', vit, '--bundle-out', bundle, '--path', 'wasm']);
  console.log(`eval with the 88 MB ViT: exit ${evaluated.code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(evaluated.code, `npm run eval failed:\n${evaluated.stderr.slice(-4000)}`).toBe(0);
  const report = JSON.parse(evaluated.stdout) as { images: number; image_auroc: number; pixel_auroc: number; backbone: { dim: number; name: string } };
  console.log(`eval with the 88 MB ViT: ${JSON.stringify({ image_auroc: report.image_auroc, pixel_auroc: report.pixel_auroc, backbone: report.backbone })}`);
  expect(report.images).toBe(18);
  expect(report.backbone.dim, 'the ViT-S/14 token width').toBe(384);
  for (const figure of [report.image_auroc, report.pixel_auroc]) expect(figure).toBeGreaterThanOrEqual(0);
  expect(statSync(bundle).size, 'the bundle carries the 88 MB backbone').toBeGreaterThan(80e6);

  const out = join(dir, 'inspected');
  const inspected = await npm('inspect', ['--bundle', bundle, '--images', join(dir, 'fabric', 'test'), '--out', out, '--path', 'wasm']);
  expect(inspected.code, `npm run inspect failed:\n${inspected.stderr.slice(-4000)}`).toBe(0);
  expect(inspected.stderr, 'inspect used the backbone inside the bundle').toContain('Adding the backbone carried in the bundle');
  const rows = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\r\n').slice(1);
  expect(rows).toHaveLength(18);
  for (const row of rows) expect(row.split(',').at(-1), `${row}: no error`).toBe('');
});
