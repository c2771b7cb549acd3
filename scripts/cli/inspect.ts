/**
 * `npm run inspect`: scores every image under a folder with an exported model (.pixood) in the
 * app's own engine in headless Chromium (cli/inspect.html), writing a heatmap PNG per image and
 * results.csv. See INSPECT_USAGE for the options and exit codes.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { checkImageFile } from '../../src/core/formats/imageHeader';
import { CliError, EXIT, INSPECT_USAGE, parseInspectArgs, type InspectOptions } from './args';
import { runCommand } from './command';
import { listFiles, requireFile } from './dataset';
import { makeOutputFolder, writeOutputFile } from './outputFiles';
import type { BackboneChoice, InspectedImage, InspectJob, InspectResult } from './protocol';
import { readRegionsFile } from './regionsFile';
import { resultsCsv, type CsvRow } from './resultsCsv';
import { DEFAULT_ALPHA } from '../../src/core/calibration/imageThreshold';
import type { OperatingPoint } from '../../src/core/calibration/operatingPoint';

const IMAGE_EXTENSIONS = /\.(png|jpe?g|bmp|webp|gif|tiff?)$/i;

/** OUT/<path without extension>.heatmap.png; the extension stays where two images would share a name. */
function heatmapKeys(keys: readonly string[]): Map<string, string> {
  const stemmed = (key: string) => key.replace(/\.[^./]*$/, '');
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(stemmed(key), (counts.get(stemmed(key)) ?? 0) + 1);
  return new Map(keys.map((key) => [key, `${counts.get(stemmed(key))! > 1 ? key : stemmed(key)}.heatmap.png`]));
}

async function inspect(options: InspectOptions): Promise<number> {
  const bundlePath = await requireFile(options.bundle);
  const regions = options.roi ? await readRegionsFile(options.roi) : null;
  if (!(await stat(options.images).catch(() => null))?.isDirectory()) throw new CliError(EXIT.data, `${options.images}: no such folder.`);
  const outDir = resolve(options.out);
  const inside = relative(resolve(options.images), outDir);
  // Heatmaps an earlier run wrote into the images folder (OUT inside it, or OUT itself) must not
  // be taken for images; any other image there is the person's and is inspected.
  const ourHeatmap = (key: string) => key.endsWith('.heatmap.png') && !inside.startsWith('..') && (inside === '' || key.startsWith(`${inside}/`));
  const keys = (await listFiles(options.images)).filter((key) => IMAGE_EXTENSIONS.test(key) && !ourHeatmap(key));
  if (keys.length === 0) throw new CliError(EXIT.data, `${options.images}: no images in it (PNG, JPEG, BMP, WebP, GIF).`);

  const files = new Map<string, string>();
  const refused: InspectedImage[] = [];
  for (const key of keys) {
    const path = join(options.images, key);
    const verdict = checkImageFile(await readFile(path));
    if (verdict.ok) files.set(key, path);
    else refused.push({ key, imageScore: null, severity: null, width: null, height: null, seconds: null, error: verdict.message });
  }
  const heatmaps = heatmapKeys(keys);
  const bundleKey = `bundle/${basename(options.bundle)}`;
  files.set(bundleKey, bundlePath);
  let backbone: BackboneChoice | null = options.backbone === 'builtin' ? 'builtin' : null;
  if (options.backbone && options.backbone !== 'builtin') {
    const key = `backbone/${basename(options.backbone.file)}`;
    files.set(key, await requireFile(options.backbone.file));
    backbone = { key, fileName: basename(options.backbone.file) };
  }
  const job: InspectJob = { bundle: bundleKey, bundleName: options.bundle, images: keys.filter((k) => files.has(k)).map((key) => ({ key, heatmap: heatmaps.get(key)! })), backbone, resolution: options.resolution, path: options.path, regions };
  process.stderr.write(`${keys.length} images under ${options.images}${refused.length ? `, ${refused.length} unreadable` : ''}\n`);

  await makeOutputFolder(options.out);
  let result: InspectResult | null = null;
  if (job.images.length > 0) {
    // Loaded here: Vite and Playwright take seconds to import, and usage or data errors should answer at once.
    const { openHarness } = await import('./harness');
    const harness = await openHarness();
    try {
      result = await harness.run<InspectResult>({ page: 'cli/inspect.html', job, files, outDir });
    } finally {
      await harness.close();
    }
    process.stderr.write(`Backbone ${result.backbone.name} on ${result.backbone.path}\n`);
  }
  const rows: CsvRow[] = [...(result?.images ?? []), ...refused]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((image) => ({ image, heatmap: image.error === null ? heatmaps.get(image.key)! : null }));
  // --alpha given: that α; else the operating point the app exported the bundle with.
  const point: OperatingPoint = options.alpha !== null ? { alpha: options.alpha, byCatch: null } : (result?.operatingPoint ?? { alpha: DEFAULT_ALPHA, byCatch: null });
  await writeOutputFile(join(options.out, 'results.csv'), resultsCsv(rows, options.epsilon, point, result?.imageCalibration ?? null));
  const failed = rows.filter((r) => r.image.error !== null);
  for (const { image } of failed) process.stderr.write(`${join(options.images, image.key)}: ${image.error}\n`);
  process.stderr.write(`Wrote ${rows.length - failed.length} heatmaps and results.csv to ${options.out}${failed.length ? `; ${failed.length} could not be inspected` : ''}\n`);
  return failed.length > 0 ? EXIT.data : EXIT.ok;
}

await runCommand(INSPECT_USAGE, parseInspectArgs, inspect);
