/**
 * `npm run demo:write -- DIR`: the app's demo dataset (src/demo, the same generator and seeds
 * as "Try the demo") written to disk in the MVTec AD layout, so `npm run eval` can be checked
 * against the figures the app shows for it.
 */
import { dirname, join } from 'node:path';
import { buildDemoDataset } from '../../src/demo/demoDataset';
import { stem } from '../../src/state/intake/incoming';
import { DEMO_WRITE_USAGE, parseDemoWriteArgs } from './args';
import { runCommand } from './command';
import { makeOutputFolder, writeOutputFile } from './outputFiles';

await runCommand(DEMO_WRITE_USAGE, parseDemoWriteArgs, async ({ dir }) => {
  const demo = await buildDemoDataset();
  const root = join(dir, demo.className);
  const write = async (relative: string, blob: Blob) => {
    const path = join(root, relative);
    await makeOutputFolder(dirname(path));
    await writeOutputFile(path, new Uint8Array(await blob.arrayBuffer()));
  };
  for (const image of demo.images) {
    if (image.role === 'train') {
      await write(`train/good/${image.name}`, image.blob);
      continue;
    }
    const type = image.defect ?? 'good';
    await write(`test/${type}/${image.name}`, image.blob);
    // MVTec keeps no masks for good test images: the evaluation reads their absence as no defect.
    if (image.defect && image.mask) await write(`ground_truth/${type}/${stem(image.name)}_mask.png`, image.mask);
  }
  process.stderr.write(`Wrote ${demo.images.length} images of “${demo.projectName}” to ${root}\n`);
  return 0;
});
