/**
 * A crash of the engine worker, injected with debugCrash (an uncaught error inside the real
 * worker): the job in flight rejects with 'engine-crashed' saying what was lost, the page gets a
 * notice, and the app's services run the next call on a new worker.
 */
import { expect, test } from 'vitest';
import { buildDemoDataset } from '../src/demo/demoDataset';
import { EngineError } from '../src/engine/errors';
import { useEngineNotices } from '../src/state/engineNotices';
import { engineClient } from '../src/state/services';

const LOST_TRAINING = 'The engine stopped unexpectedly; it starts again with your next action. The training in progress was lost; your project and saved models are safe.';

test('a crash mid-training rejects the job with engine-crashed, and the next call runs on a new worker', async () => {
  const first = engineClient();
  const backbone = (await first.listModels()).find((m) => m.name === 'built-in') ?? (await first.addModelFromUrl('built-in', { kind: 'url', url: '/models/builtin-backbone.onnx' }).result);
  await first.setPathPreference(backbone.id, 'wasm');
  const images = (await buildDemoDataset()).images.filter((i) => i.role === 'train').slice(0, 3);
  const settings = { longestSide: 112, upsample: 1, etalons: 8, condensationEpochs: 2, classifierEpochs: 0, seed: 1 };
  let crashedAt: string | null = null;
  const job = first.train({ classes: ['fabric'], images: images.map((i) => ({ name: i.name, blob: i.blob, classId: 0 })), backboneId: backbone.id, settings }, (progress) => {
    if (crashedAt) return;
    crashedAt = `${progress.stage} ${progress.done}/${progress.total}`;
    void first.debugCrash();
  });

  const failure = await job.result.then(
    () => null,
    (error: unknown) => error,
  );
  expect(crashedAt, 'the crash came while the training ran').not.toBeNull();
  expect(failure).toBeInstanceOf(EngineError);
  expect(failure).toMatchObject({ code: 'engine-crashed', message: LOST_TRAINING });
  expect(useEngineNotices.getState().notices.map(({ kind, message }) => ({ kind, message }))).toEqual([{ kind: 'crashed', message: LOST_TRAINING }]);
  await expect(first.listModels(), 'the dead worker answers nothing more').rejects.toMatchObject({ code: 'engine-crashed' });

  const second = engineClient();
  expect(second, 'a new client, on a new worker').not.toBe(first);
  expect((await second.listModels()).map((m) => m.id), 'the stored backbone survived').toContain(backbone.id);
  const model = await second.train({ classes: ['fabric'], images: images.map((i) => ({ name: i.name, blob: i.blob, classId: 0 })), backboneId: backbone.id, settings }).result;
  expect(model.summary.validEtalons[0], 'the new worker trains').toBeGreaterThan(0);
  second.terminate();
});
