/** Records of the projects database, small but with every kind of field the real ones have, for the storage tests. */
import { matrix } from '../../src/core/tensor';
import type { PixoodModel } from '../../src/core/model/pixoodModel';
import type { ImageRecord, ProjectRecord, ResultRecord } from '../../src/storage/projectRecords';

export function projectRecord(id: string, name = `Project ${id}`): ProjectRecord {
  return {
    id,
    name,
    backboneId: 'f'.repeat(64),
    backboneName: 'Built-in texture features (not DINOv2)',
    classes: [{ key: 'c1', name: 'fabric' }],
    maskClasses: [],
    settings: { longestSide: 224, upsample: 1, etalons: 32, condensationEpochs: 10, classifierEpochs: 5, seed: 1 },
    modelId: null,
    epsilon: 0.01,
    alpha: 0.01,
    minDefectArea: 0,
    createdAt: new Date(0).toISOString(),
  };
}

export const fakePng = (bytes: number) => new Blob([new Uint8Array(bytes).fill(7)], { type: 'image/png' });

export function imageRecord(id: string, projectId: string, extra: Partial<ImageRecord> = {}): ImageRecord {
  return { id, projectId, name: `${id}.png`, role: 'train', classKey: 'c1', blob: fakePng(300), thumbnail: fakePng(30), width: 20, height: 10, addedAt: new Date(0).toISOString(), ...extra };
}

/** A small model with every kind of field a real one has: nested objects and typed arrays. */
export function smallModel(createdAt = new Date(0).toISOString()): PixoodModel {
  return {
    schema: 2,
    backbone: { id: 'f'.repeat(64), name: 'built-in', sha256: 'f'.repeat(64), patchSize: 14, dim: 4 },
    settings: { longestSide: 224, upsample: 1, etalons: 2, condensationEpochs: 1, classifierEpochs: 1, seed: 1 },
    classes: ['fabric'],
    classifier: null,
    condensations: [
      {
        variant: 'condensation',
        etalons: matrix(2, 4, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8)),
        tau: Float32Array.of(0.5, 0.25),
        valid: Uint8Array.of(1, 0),
        support: Float32Array.of(3, 0),
        whitening: { median: new Float32Array(4), std: new Float32Array(4).fill(1) },
      },
    ],
    calibration: { spaceDims: 1, numClasses: 1, idMeans: Float64Array.of(0.5), idCovs: Float64Array.of(0.01), oodCov: Float64Array.of(1), tables: [{ logRatio: Float64Array.of(-1, 1), rate: Float64Array.of(0, 1) }] },
    imageCalibration: { severities: [2.5, 3], heldOut: [['good/a.png', 'good/b.png']] },
    summary: { patchesPerClass: [512], validEtalons: [1], seconds: { features: 1, classifier: 0, condensation: 2, calibration: 0.1 }, path: 'cpu', skipped: [{ name: 'broken.png', reason: 'damaged' }] },
    createdAt,
  };
}

export function resultRecord(id: string, projectId: string, modelId: string): ResultRecord {
  return {
    id,
    projectId,
    modelId,
    name: `${id}.png`,
    imageId: null,
    imageScore: 0.42,
    severity: 3.25,
    epsilon: 0.01,
    alpha: 0.01,
    threshold: 5,
    verdict: 'pass',
    reason: 'PASS: severity 3.25 < threshold 5.00 nats (α = 1%).',
    preview: fakePng(100),
    heatmap: fakePng(50),
    maps: { width: 2, height: 1, score: Float32Array.of(0.1, 0.42), predicted: Int32Array.of(0, 0), distance: Float32Array.of(1.5, 2.5) },
    imageWidth: 20,
    imageHeight: 10,
    seconds: 0.2,
    inspectedAt: new Date(0).toISOString(),
  };
}
