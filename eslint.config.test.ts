import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: import.meta.dirname });

/** The layer errors ESLint gives `code` as if it were the file at `filePath`, by the module named. */
async function layerErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.message.split(' ')[0]);
}

describe('layer rules', () => {
  it.each([
    ['src/state/someStore.ts', "import type { Inspection } from '../pipeline/inspect';"],
    ['src/state/maps/someMap.ts', "import { decideImage } from '../../gpu/device';"],
    ['src/ui/inspect/SomeView.tsx', "import type { StoredModel } from '../../backbone/library';"],
    ['src/ui/SomeView.tsx', "import type { PixoodModel } from '../core/model/pixoodModel';"],
    ['src/app/station/someFlow.ts', "import { scoreMaps } from '../../pipeline/scoreMaps';"],
  ])('%s may not take the worker side: %s', async (filePath, code) => {
    expect(await layerErrors(code, filePath)).toEqual([`'${code.split("'")[1]}'`]);
  });

  it.each([
    ['src/state/someStore.ts', "import type { Inspection } from '../engine/api';"],
    ['src/state/someStore.ts', "import { storedFromPreset } from './backbonesStore';"],
    ['src/state/someStore.ts', "import { newId, projects } from './services';"],
    ['src/ui/SomeView.tsx', "import { crc32 } from '../core/formats/crc32';"],
    ['src/ui/station/SomeView.tsx', "import { offerPart } from '../../app/station/stationWorkflow';"],
    ['src/app/station/someFlow.ts', "import { useStation } from '../../state/stationStore';"],
    ['src/app/station/someFlow.ts', "import type { Inspection } from '../../engine/api';"],
  ])('%s may take %s', async (filePath, code) => {
    expect(await layerErrors(code, filePath)).toEqual([]);
  });

  it.each([
    ['src/state/someStore.ts', "import { offerPart } from '../app/station/stationWorkflow';"],
    ['src/app/station/someFlow.ts', "import { StationScreen } from '../../ui/station/StationScreen';"],
  ])('imports point down: %s may not take %s', async (filePath, code) => {
    expect(await layerErrors(code, filePath)).toEqual([`'${code.split("'")[1]}'`]);
  });

   it.each([
    ['src/state/someStore.ts', "import { engineClient } from './services';", 'engineClient'],
    ['src/state/export/someExport.ts', "import { engineClient, newId } from '../services';", 'engineClient'],
    ['src/ui/train/SomeView.tsx', "import { projects } from '../../state/services';", '../../state/services'],
  ])('only workflows call the engine: %s may not take %s', async (filePath, code, refused) => {
    expect(await layerErrors(code, filePath)).toEqual([`'${refused}'`]);
  });

  it('src/core imports nothing of the layers above it', async () => {
    expect(await layerErrors("import type { Job } from '../engine/client';", 'src/core/metrics/someFigure.ts')).toEqual(["'../engine/client'"]);
  });
});
