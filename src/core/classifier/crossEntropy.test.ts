import { describe, expect, it } from 'vitest';
import { IGNORE_LABEL } from '../labels';
import { matrix } from '../tensor';
import { softmaxCrossEntropy } from './crossEntropy';

describe('softmaxCrossEntropy', () => {
  it('gives −log softmax[label] averaged over the samples, with the softmax − one-hot gradient', () => {
    const logits = matrix(2, 3, Float32Array.from([0, 0, 0, 1, 2, 3]));
    const { loss, count, dLogits } = softmaxCrossEntropy(logits, Int32Array.from([0, 2]));
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    const expected = (Math.log(3) + (Math.log(z) - 3)) / 2;
    expect(count).toBe(2);
    expect(loss, 'mean CE').toBeCloseTo(expected, 12);
    const expectedGrad = [1 / 3 - 1, 1 / 3, 1 / 3, Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z - 1].map((g) => g / 2);
    expectedGrad.forEach((g, i) => expect(dLogits.data[i], `dLogits[${i}]`).toBeCloseTo(g, 7));
  });

  it('ignored samples contribute nothing: same loss, zero gradient rows, mean over the rest', () => {
    const kept = softmaxCrossEntropy(matrix(2, 3, Float32Array.from([0.5, -1, 2, 3, 0, -2])), Int32Array.from([2, 1]));
    const mixed = softmaxCrossEntropy(
      matrix(4, 3, Float32Array.from([50, -80, 7, 0.5, -1, 2, 3, 0, -2, -300, 1, 900])),
      Int32Array.from([IGNORE_LABEL, 2, 1, IGNORE_LABEL]),
    );
    expect(mixed.count, 'non-ignored count').toBe(2);
    expect(mixed.loss, 'loss with ignored rows added').toBeCloseTo(kept.loss, 12);
    expect(Array.from(mixed.dLogits.data.subarray(0, 3)), 'gradient of ignored row 0').toEqual([0, 0, 0]);
    expect(Array.from(mixed.dLogits.data.subarray(9, 12)), 'gradient of ignored row 3').toEqual([0, 0, 0]);
    expect(Array.from(mixed.dLogits.data.subarray(3, 9)), 'gradient of the kept rows').toEqual(Array.from(kept.dLogits.data));
  });

  it('is NaN with a zero gradient when every sample is ignored (torch gives NaN too)', () => {
    const { loss, count, dLogits } = softmaxCrossEntropy(matrix(2, 2, Float32Array.from([1, 2, 3, 4])), Int32Array.from([IGNORE_LABEL, IGNORE_LABEL]));
    expect(count).toBe(0);
    expect(loss).toBeNaN();
    expect(Array.from(dLogits.data)).toEqual([0, 0, 0, 0]);
  });

  it('stays finite for huge logits', () => {
    const { loss } = softmaxCrossEntropy(matrix(1, 2, Float32Array.from([1000, -1000])), Int32Array.from([1]));
    expect(loss, 'CE of a 2000-nat margin').toBeCloseTo(2000, 6);
  });

  it('rejects labels outside the classes and mismatched lengths', () => {
    const logits = matrix(1, 2, Float32Array.from([0, 0]));
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([2]))).toThrow(/label 2 at row 0/);
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([-2]))).toThrow(/label -2/);
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([0, 1]))).toThrow(/1 rows of logits but 2 labels/);
  });
});
