import { describe, expect, it } from 'vitest';
import type { EvaluationFigures } from '../../core/metrics/evaluationReport';
import type { PixoodModel } from '../../engine/api';
import type { EvaluationRecord, ModelRecord, ProjectRecord } from '../../storage/projectRecords';
import { evaluationCsv, evaluationFileName, evaluationJson, modelName } from './evaluationExport';

const project = { id: 'p1', name: 'Demo: woven fabric', alpha: 0.1 } as ProjectRecord;

function figures(imageAuroc: number, images: number, defectImages: number): EvaluationFigures {
  return { images, defectImages, imageAuroc, pixelAuroc: 0.95, aupro: 0.875, ap: 0.5, f1Max: 0.625, fprAt95Tpr: NaN };
}

const evaluation: EvaluationRecord = {
  overall: figures(0.9375, 18, 12),
  perDefect: { hole: figures(1, 10, 4), '=cmd': figures(NaN, 4, 4) },
  roc: { fpr: [0, 0.25, 1], y: [0, 0.75, 1] },
  pro: { fpr: [0, 0.5, 1], y: [0, 0.5, 1] },
  // At α = 10% the threshold is 9.1: one good image of 4 fails, one 'hole' of 2 passes.
  testImages: [
    { defectType: 'good', severity: 2 },
    { defectType: 'good', severity: 3 },
    { defectType: 'good', severity: 5 },
    { defectType: 'good', severity: 9.5 },
    { defectType: 'hole', severity: 8 },
    { defectType: 'hole', severity: 12 },
    { defectType: '=cmd', severity: 20 },
  ],
  evaluatedAt: '2026-01-02T04:00:00.000Z',
};

const model = {
  id: 'm1',
  projectId: 'p1',
  model: {
    backbone: { name: 'built-in' },
    settings: { etalons: 64 },
    imageCalibration: { severities: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], heldOut: [[]] },
    createdAt: '2026-01-02T03:04:05.000Z',
  } as unknown as PixoodModel,
  evaluation,
} as ModelRecord;

describe('evaluation export', () => {
  it('writes the JSON with snake_case figures overall and per defect type, NaN as null, the curves and the names', () => {
    const json = JSON.parse(evaluationJson({ project, model, evaluation })) as Record<string, unknown>;
    expect(json).toMatchObject({
      project: 'Demo: woven fabric',
      model: 'built-in, K = 64, trained 2026-01-02T03:04:05.000Z',
      evaluated_at: '2026-01-02T04:00:00.000Z',
      image_auroc: 0.9375,
      pixel_auroc: 0.95,
      aupro_0_3: 0.875,
      pixel_ap: 0.5,
      f1_max: 0.625,
      fpr_at_95_tpr: null,
      images: 18,
      defect_images: 12,
      alpha: 0.1,
      image_threshold: 9.1,
      good_reject_rate: 0.25,
      defect_escape_rate: 1 / 3,
      roc: { fpr: [0, 0.25, 1], tpr: [0, 0.75, 1] },
      pro: { fpr: [0, 0.5, 1], pro: [0, 0.5, 1] },
    });
    expect(json.per_defect).toEqual({
      hole: { images: 10, defect_images: 4, image_auroc: 1, pixel_auroc: 0.95, aupro_0_3: 0.875, pixel_ap: 0.5, f1_max: 0.625, fpr_at_95_tpr: null, defect_escape_rate: 0.5 },
      '=cmd': { images: 4, defect_images: 4, image_auroc: null, pixel_auroc: 0.95, aupro_0_3: 0.875, pixel_ap: 0.5, f1_max: 0.625, fpr_at_95_tpr: null, defect_escape_rate: 0 },
    });
  });

  it('writes the CSV with a row over all images and one per defect type, formulas kept as text', () => {
    const lines = evaluationCsv({ project, model, evaluation }).split('\r\n');
    expect(lines).toEqual([
      'scope,defect_type,images,defect_images,image_auroc,pixel_auroc,aupro_0_3,pixel_ap,f1_max,fpr_at_95_tpr,alpha,image_threshold,good_reject_rate,defect_escape_rate',
      `overall,,18,12,0.9375,0.95,0.875,0.5,0.625,,0.1,9.1,0.25,${1 / 3}`,
      'defect_type,hole,10,4,1,0.95,0.875,0.5,0.625,,0.1,9.1,,0.5',
      "defect_type,'=cmd,4,4,,0.95,0.875,0.5,0.625,,0.1,9.1,,0",
      '',
    ]);
  });

  it('names the files after the project', () => {
    expect(evaluationFileName(project, 'json')).toBe('Demo_ woven fabric-evaluation.json');
    expect(evaluationFileName(project, 'csv')).toBe('Demo_ woven fabric-evaluation.csv');
    expect(modelName(model)).toContain('K = 64');
  });
});
