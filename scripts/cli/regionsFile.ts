/** `--roi FILE.json`: regions of interest from a file, checked before the browser starts. */
import { readFile } from 'node:fs/promises';
import { parseRegionSpec, RegionSpecError, type RegionSpec } from '../../src/core/roi/regionSpec';
import { CliError, EXIT } from './args';
import { requireFile } from './dataset';

export async function readRegionsFile(path: string): Promise<RegionSpec> {
  const text = await readFile(await requireFile(path), 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(EXIT.data, `${path}: not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  try {
    return parseRegionSpec(value);
  } catch (error) {
    if (error instanceof RegionSpecError) throw new CliError(EXIT.data, `${path}: ${error.message}`);
    throw error;
  }
}
