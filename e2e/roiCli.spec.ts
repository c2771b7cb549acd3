/**
 * Regions of interest in the headless commands: `eval --roi` on the demo with an ignore
 * rectangle over one defect gives its figures within the regions and, beside them, over the whole
 * image, and exports the regions with the model; `inspect` judges within the bundle's regions
 * (the ignored defect passes, one outside still fails), and `--roi` replaces them. A malformed
 * regions file is refused before the browser starts, naming the bad field.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle } from '../src/core/formats/bundle';
import { buildDemoDataset } from '../src/demo/demoDataset';
import { defectBox, defectClearOf, paddedPercent } from './helpers/demoDefects';
import { npm } from './helpers/npmRun';

/** results.csv as verdict and severity by image name. */
function verdicts(out: string): Record<string, { verdict: string; severity: number }> {
  const [, ...rows] = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\r\n');
  return Object.fromEntries(rows.map((row) => row.split(',')).map((f) => [f[0], { verdict: f[8], severity: Number(f[2]) }]));
}

test('eval --roi gives figures within the regions beside the whole image’s; inspect judges within the bundle’s regions or --roi’s', async () => {
  test.setTimeout(900_000);
  const dir = mkdtempSync(join(tmpdir(), 'pixood-roi-cli-'));
  const written = await npm('demo:write', [dir]);
  expect(written.code, written.stderr).toBe(0);
  const demo = await buildDemoDataset();
  const defective = demo.images.filter((i) => i.role === 'test' && i.defect !== null);
  const ignored = defective.find((i) => i.name === 'test_hole_00.png')!;
  const box = paddedPercent(await defectBox(ignored));
  const rect = { x0: box.x0 / 100, y0: box.y0 / 100, x1: box.x1 / 100, y1: box.y1 / 100 };
  const outside = await defectClearOf(defective.filter((i) => i !== ignored), rect);
  const regionsFile = join(dir, 'regions.json');
  writeFileSync(regionsFile, JSON.stringify({ marginPx: 4, regions: [{ kind: 'rect', mode: 'ignore', x: rect.x0, y: rect.y0, width: rect.x1 - rect.x0, height: rect.y1 - rect.y0 }] }));

  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ regions: [{ kind: 'rect', mode: 'ignore', x: 12, y: 0, width: 0.1, height: 0.1 }] }));
  const refused = await npm('eval', ['--data', join(dir, 'fabric'), '--roi', bad]);
  expect(refused.code, 'a malformed regions file is bad data').toBe(3);
  expect(refused.stderr).toContain('regions[0].x is 12, not a share of the image from 0 to 1');

  const bundle = join(dir, 'model.pixood');
  const evaluated = await npm('eval', ['--data', join(dir, 'fabric'), '--size', '224', '--roi', regionsFile, '--bundle-out', bundle]);
  expect(evaluated.code, `npm run eval --roi failed:\n${evaluated.stderr.slice(-4000)}`).toBe(0);
  const json = JSON.parse(evaluated.stdout) as Record<string, number> & { regions: unknown; without_regions: Record<string, number> };
  console.log(`roi cli: within ${JSON.stringify({ image_auroc: json.image_auroc, pixel_auroc: json.pixel_auroc, aupro_0_3: json.aupro_0_3 })}, whole image ${JSON.stringify(json.without_regions)}`);
  expect(json.regions).toEqual(JSON.parse(readFileSync(regionsFile, 'utf8')));
  for (const key of ['image_auroc', 'pixel_auroc', 'aupro_0_3'] as const) {
    expect(json[key], `${key} within the regions`).toBeGreaterThan(0.5);
    expect(json.without_regions[key], `${key} over the whole image`).toBeGreaterThan(0.5);
  }
  expect(json.without_regions.images).toBe(18);
  // The ignored rectangle held defect pixels: counting only the included pixels changes the pixel figures.
  expect(json.pixel_auroc).not.toBe(json.without_regions.pixel_auroc);
  expect(readBundle(new Uint8Array(readFileSync(bundle))).model.regions, 'the model exported keeps the regions').toEqual(JSON.parse(readFileSync(regionsFile, 'utf8')));

  const testFolder = join(dir, 'fabric', 'test');
  const hole = `hole/${ignored.name}`;
  const clear = `${outside.defect}/${outside.name}`;
  const within = join(dir, 'within');
  const inspected = await npm('inspect', ['--bundle', bundle, '--images', testFolder, '--out', within]);
  expect(inspected.code, `npm run inspect failed:\n${inspected.stderr.slice(-4000)}`).toBe(0);
  const judged = verdicts(within);
  console.log(`roi cli: within the bundle's regions ${JSON.stringify({ [hole]: judged[hole], [clear]: judged[clear] })}`);
  expect(judged[hole].verdict, `${hole}: its defect is ignored`).toBe('pass');
  expect(judged[clear].verdict, `${clear}: its defect lies outside the ignore region`).toBe('fail');

  const wholeFile = join(dir, 'whole.json');
  writeFileSync(wholeFile, '{}');
  const whole = join(dir, 'whole');
  const overridden = await npm('inspect', ['--bundle', bundle, '--images', testFolder, '--out', whole, '--roi', wholeFile]);
  expect(overridden.code, `npm run inspect --roi failed:\n${overridden.stderr.slice(-4000)}`).toBe(0);
  const plain = verdicts(whole);
  expect(plain[hole].verdict, `${hole}: --roi with no regions judges the whole image`).toBe('fail');
  expect(plain[hole].severity, 'the whole image is at least as severe as part of it').toBeGreaterThan(judged[hole].severity);
});
