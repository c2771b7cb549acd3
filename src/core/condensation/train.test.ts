import { describe, expect, it } from 'vitest';
import { condensationBatch, type CondensationStep } from './batch';
import { validEtalonCount } from './model';
import { nearestValidDistance } from './nearest';
import { trainCondensation, type CondensationProgress } from './train';
import { blobs } from '../../../fixtures/blobs';

const options = { K: 12, epochs: 6, batchSize: 128, seed: 3 };

describe('trainCondensation', () => {
  it('repeats exactly for the same seed and differs for another', async () => {
    const points = blobs(1);
    const a = await trainCondensation(points, options);
    const b = await trainCondensation(points, options);
    const c = await trainCondensation(points, { ...options, seed: 4 });
    expect(Array.from(b.etalons.data), 'etalons, same seed').toEqual(Array.from(a.etalons.data));
    expect(Array.from(b.tau), 'τ, same seed').toEqual(Array.from(a.tau));
    expect(Array.from(b.valid), 'validity, same seed').toEqual(Array.from(a.valid));
    expect(Array.from(c.etalons.data), 'etalons, another seed').not.toEqual(Array.from(a.etalons.data));
  });

  it('returns etalons in original units that cover the data, and reports every epoch', async () => {
    const points = blobs(2);
    const progress: CondensationProgress[] = [];
    const model = await trainCondensation(points, options, { onEpoch: (p) => void progress.push(p) });
    expect(progress.map((p) => p.epoch), 'epochs reported').toEqual([1, 2, 3, 4, 5, 6]);
    for (const p of progress) {
      expect(Number.isFinite(p.loss), `epoch ${p.epoch} loss finite, got ${p.loss}`).toBe(true);
      expect(p.validEtalons, `epoch ${p.epoch} valid etalons`).toBeGreaterThan(0);
    }
    const valid = validEtalonCount(model);
    expect(valid, 'valid etalons').toBeGreaterThanOrEqual(3);
    expect(valid, 'valid etalons').toBeLessThanOrEqual(options.K);
    const distances = nearestValidDistance(model, points);
    const mean = distances.reduce((p, q) => p + q, 0) / distances.length;
    // Noise of std 0.5 in 4-D puts a point about 1 from its blob centre; an etalon per blob does better than 1.5.
    expect(mean, 'mean distance of training points to the nearest valid etalon').toBeLessThan(1.5);
  });

  it('runs every batch through the given step', async () => {
    let calls = 0;
    const step: CondensationStep = (input) => {
      calls += 1;
      return condensationBatch(input);
    };
    await trainCondensation(blobs(4), options, { step });
    // 600 points in batches of 128: 5 batches per epoch.
    expect(calls, 'step calls').toBe(options.epochs * 5);
  });

  it('checks validity with the given nearest search: an etalon stays valid only where it is some point’s nearest', async () => {
    const reference = await trainCondensation(blobs(4), options);
    const searched: number[] = [];
    // Every point's nearest is etalon 0 (allowed in this run, as the reference's model shows).
    const model = await trainCondensation(blobs(4), options, {
      nearest: (points, etalons, allowed) => {
        searched.push(points.dims[0], etalons.dims[0]);
        return { index: new Int32Array(points.dims[0]).fill(allowed[0] ? 0 : -1), distance: new Float32Array(points.dims[0]) };
      },
    });
    expect(searched, 'one search over every point and every etalon').toEqual([600, options.K]);
    expect(reference.valid[0], 'etalon 0 valid in the reference run').toBe(1);
    expect(Array.from(model.valid), 'valid etalons').toEqual(Array.from(reference.valid, (_, j) => (j === 0 ? 1 : 0)));
  });

  it('stops with the signal’s reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by test');
    const run = trainCondensation(blobs(3), options, {
      signal: controller.signal,
      onEpoch: (p) => {
        if (p.epoch === 2) controller.abort(reason);
      },
    });
    await expect(run, 'abort after epoch 2').rejects.toBe(reason);
  });
});
