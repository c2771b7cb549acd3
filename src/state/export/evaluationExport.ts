/**
 * A model's test-set figures as files to take elsewhere: a JSON document with everything
 * (figures overall and per defect type, the drawn ROC and PRO curves) for scripts, and a CSV
 * with one row per set of images for a spreadsheet. Keys are snake_case, as in the results
 * export; NaN (a figure that does not exist) is null in JSON and an empty field in CSV.
 */
import { operatingThreshold, type CatchChoice } from '../../core/calibration/operatingPoint';
import type { EvaluationFigures, EvaluationReport } from '../../core/metrics/evaluationReport';
import { qcCounts } from '../../core/metrics/qcCounts';
import type { ImageCalibration } from '../../engine/api';
import type { EvaluationRecord, ModelRecord, ProjectRecord } from '../../storage/projectRecords';
import { csvField, exportName } from './resultsTable';

export interface EvaluationExport {
  readonly project: ProjectRecord;
  readonly model: ModelRecord;
  readonly evaluation: EvaluationRecord;
}

/** The figures of one set of images under their exported names (the ones MVTec AD papers use), in column order. */
export interface FigureRow {
  readonly images: number;
  readonly defect_images: number;
  readonly image_auroc: number | null;
  readonly pixel_auroc: number | null;
  readonly aupro_0_3: number | null;
  readonly pixel_ap: number | null;
  readonly f1_max: number | null;
  readonly fpr_at_95_tpr: number | null;
}

/**
 * The QC counts at the operating point's image threshold (α's, or a catch choice's): the share
 * of good test images failed and of defective ones passed, overall and per defect type. All null
 * when the model has no image calibration or the evaluation no severities (both from before
 * image verdicts).
 */
export interface QcRow {
  readonly alpha: number;
  readonly image_threshold: number | null;
  readonly good_reject_rate: number | null;
  readonly defect_escape_rate: number | null;
  readonly per_defect_escape_rate: Readonly<Record<string, number | null>>;
}

export function qcRow(report: EvaluationReport, calibration: ImageCalibration | null, point: { readonly alpha: number; readonly byCatch?: CatchChoice | null }): QcRow {
  const { alpha } = point;
  if (!calibration || !report.testImages) return { alpha, image_threshold: null, good_reject_rate: null, defect_escape_rate: null, per_defect_escape_rate: {} };
  const threshold = operatingThreshold(calibration.severities, point);
  const counts = qcCounts(report.testImages, threshold);
  return {
    alpha,
    image_threshold: threshold,
    good_reject_rate: finite(counts.goodRejectRate),
    defect_escape_rate: finite(counts.defects.escapeRate),
    per_defect_escape_rate: Object.fromEntries(Object.entries(counts.perDefect).map(([type, c]) => [type, finite(c.escapeRate)])),
  };
}

const COLUMNS: readonly (keyof FigureRow)[] = ['images', 'defect_images', 'image_auroc', 'pixel_auroc', 'aupro_0_3', 'pixel_ap', 'f1_max', 'fpr_at_95_tpr'];

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function figureRow(figures: EvaluationFigures): FigureRow {
  return {
    images: figures.images,
    defect_images: figures.defectImages,
    image_auroc: finite(figures.imageAuroc),
    pixel_auroc: finite(figures.pixelAuroc),
    aupro_0_3: finite(figures.aupro),
    pixel_ap: finite(figures.ap),
    f1_max: finite(figures.f1Max),
    fpr_at_95_tpr: finite(figures.fprAt95Tpr),
  };
}

/** A model has no name of its own: it is known by its backbone, its etalons per class and when it was trained. */
export function modelName(model: ModelRecord): string {
  return `${model.model.backbone.name}, K = ${model.model.settings.etalons}, trained ${model.model.createdAt}`;
}

export function evaluationJson({ project, model, evaluation }: EvaluationExport): string {
  const { per_defect_escape_rate: perDefectEscape, ...qc } = qcRow(evaluation, model.model.imageCalibration, project);
  const document = {
    project: project.name,
    model: modelName(model),
    model_created_at: model.model.createdAt,
    evaluated_at: evaluation.evaluatedAt,
    ...figureRow(evaluation.overall),
    ...qc,
    per_defect: Object.fromEntries(
      Object.entries(evaluation.perDefect).map(([type, figures]) => [type, { ...figureRow(figures), defect_escape_rate: perDefectEscape[type] ?? null }]),
    ),
    roc: { fpr: evaluation.roc.fpr, tpr: evaluation.roc.y },
    pro: { fpr: evaluation.pro.fpr, pro: evaluation.pro.y },
  };
  return JSON.stringify(document, null, 2);
}

/** A row over all images, then one per defect type (over that type's images and the good ones); scope says which. */
/** The QC columns: α and the threshold on every row, the good-reject rate overall, each type's escape rate on its row. */
export function evaluationCsv({ project, model, evaluation }: EvaluationExport): string {
  const qc = qcRow(evaluation, model.model.imageCalibration, project);
  const perDefect = Object.entries(evaluation.perDefect).map(([type, figures]) => ['defect_type', type, figures] as const);
  const sets = [['overall', '', evaluation.overall] as const, ...perDefect];
  const lines = [
    ['scope', 'defect_type', ...COLUMNS, 'alpha', 'image_threshold', 'good_reject_rate', 'defect_escape_rate'].join(','),
    ...sets.map(([scope, type, figures]) => {
      const row = figureRow(figures);
      const qcFields = [qc.alpha, qc.image_threshold, scope === 'overall' ? qc.good_reject_rate : null, scope === 'overall' ? qc.defect_escape_rate : (qc.per_defect_escape_rate[type] ?? null)];
      return [scope, csvField(type), ...COLUMNS.map((column) => csvField(row[column])), ...qcFields.map(csvField)].join(',');
    }),
  ];
  return lines.join('\r\n') + '\r\n';
}

export function evaluationFileName(project: ProjectRecord, extension: 'json' | 'csv'): string {
  return exportName(project, 'evaluation', extension);
}
