/**
 * The JSON document `npm run eval` prints: the figures with the names MVTec AD papers use
 * (fractions in [0, 1]; null where undefined, e.g. an image AUROC without good images), per
 * defect type, per category with their mean on top when there are several, the time of each
 * stage, the execution path, the backbone, the settings and the browser. Beside the AUROCs, the
 * QC counts at the image threshold for the default α (DEFAULT_ALPHA): `image_threshold`,
 * `good_reject_rate`, `defect_escape_rate` (per defect type under `per_defect`). Where the good
 * test images' worst cells lie: `good_worst_on_border`, the share whose worst cell is on the
 * grid's outer ring of patches, beside `border_share`, the ring's share of the grid (what the
 * first would be if borders were no more suspect than the rest of the image).
 */
import { DEFAULT_ALPHA } from '../../src/core/calibration/imageThreshold';
import type { EngineInfo, Resolution } from '../../src/engine/api';
import type { TrainingSettings, TrainingStage } from '../../src/core/model/pixoodModel';
import { figureRow, qcRow, type FigureRow } from '../../src/state/export/evaluationExport';
import type { BackboneUsed, BorderCount, CategoryRun, EvalResult } from './protocol';

/** The QC counts of a set of images at the image threshold; null where they cannot be given. */
export interface QcJson {
  readonly alpha: number;
  readonly image_threshold: number | null;
  readonly good_reject_rate: number | null;
  readonly defect_escape_rate: number | null;
}

/** Where the good test images' worst cells lie; null without good test images. */
export interface BorderJson {
  readonly good_worst_on_border: number | null;
  readonly border_share: number | null;
}

export interface CategoryJson extends FigureRow, QcJson, BorderJson {
  readonly per_defect: Readonly<Record<string, FigureRow & { readonly defect_escape_rate: number | null }>>;
}

export type Timings = Record<'setup' | 'backbone' | TrainingStage | 'inspect' | 'evaluate' | 'total', number>;

export interface EvalJson extends CategoryJson {
  readonly categories?: Readonly<Record<string, CategoryJson>>;
  readonly timings_s: Timings;
  /** Where the training and scoring kernels ran, and where the backbone did. */
  readonly path: { readonly kernels: 'gpu' | 'cpu'; readonly backbone: BackboneUsed['path'] };
  readonly backbone: { readonly name: string; readonly sha256: string; readonly dim: number; readonly measured: BackboneUsed['timings'] };
  readonly settings: TrainingSettings;
  /** The size the test images were inspected at: the model's input size, or their own. */
  readonly resolution: Resolution;
  /** One multi-class model over all categories (true), or one model each. */
  readonly joint: boolean;
  readonly valid_etalons: Readonly<Record<string, number>>;
  readonly browser: { readonly chromium: string } & EngineInfo;
}

function borderJson({ images, onBorder, expected }: BorderCount): BorderJson {
  return images === 0 ? { good_worst_on_border: null, border_share: null } : { good_worst_on_border: onBorder / images, border_share: expected / images };
}

function categoryJson({ report, imageCalibration, goodWorstCells }: CategoryRun): CategoryJson {
  const { per_defect_escape_rate: escapes, ...qc } = qcRow(report, imageCalibration, DEFAULT_ALPHA);
  const perDefect = Object.fromEntries(Object.entries(report.perDefect).map(([type, f]) => [type, { ...figureRow(f), defect_escape_rate: escapes[type] ?? null }]));
  return { ...figureRow(report.overall), ...qc, ...borderJson(goodWorstCells), per_defect: perDefect };
}

/** The mean of per-category values; null when one is null: a mean over some would mislead. */
function meanOrNull(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
}

/** The mean of each QC rate over categories, and their thresholds only when there is one. */
function meanQc(all: readonly QcJson[]): QcJson {
  const mean = (key: 'good_reject_rate' | 'defect_escape_rate') => meanOrNull(all.map((q) => q[key]));
  return { alpha: DEFAULT_ALPHA, image_threshold: all.length === 1 ? all[0].image_threshold : null, good_reject_rate: mean('good_reject_rate'), defect_escape_rate: mean('defect_escape_rate') };
}

/** The mean of each border share over categories. */
function meanBorder(all: readonly BorderJson[]): BorderJson {
  const mean = (key: keyof BorderJson) => meanOrNull(all.map((b) => b[key]));
  return { good_worst_on_border: mean('good_worst_on_border'), border_share: mean('border_share') };
}

const FRACTIONS = ['image_auroc', 'pixel_auroc', 'aupro_0_3', 'pixel_ap', 'f1_max', 'fpr_at_95_tpr'] as const;

/** The mean of each figure over categories (null when one of them is null: a mean over some would mislead); counts summed. */
export function meanFigures(all: readonly FigureRow[]): FigureRow {
  const mean = (key: (typeof FRACTIONS)[number]) => meanOrNull(all.map((f) => f[key]));
  return {
    images: all.reduce((n, f) => n + f.images, 0),
    defect_images: all.reduce((n, f) => n + f.defect_images, 0),
    ...(Object.fromEntries(FRACTIONS.map((key) => [key, mean(key)])) as Pick<FigureRow, (typeof FRACTIONS)[number]>),
  };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** `setupSeconds`: starting the dev server and the browser, before the page's own setup. */
export function evalJson(result: EvalResult, settings: TrainingSettings, resolution: Resolution, joint: boolean, chromium: string, seconds: { setup: number; total: number }): EvalJson {
  const runs = result.groups.flatMap((g) => g.categories);
  const categories = Object.fromEntries(runs.map((run) => [run.name, categoryJson(run)]));
  // Several categories: the mean on top, and every category's defect types as '<category>/<type>'.
  const allDefects = Object.entries(categories).flatMap(([name, c]) => Object.entries(c.per_defect).map(([type, f]) => [`${name}/${type}`, f] as const));
  const top: CategoryJson =
    runs.length === 1 ? categories[runs[0].name] : { ...meanFigures(Object.values(categories)), ...meanQc(Object.values(categories)), ...meanBorder(Object.values(categories)), per_defect: Object.fromEntries(allDefects) };
  const stage = (name: TrainingStage) => sum(result.groups.map((g) => g.training[name]));
  const kernels = result.groups.every((g) => g.kernels === 'gpu') ? 'gpu' : 'cpu';
  return {
    ...top,
    ...(runs.length > 1 && { categories }),
    timings_s: {
      setup: seconds.setup + result.setupSeconds,
      backbone: result.backboneSeconds,
      features: stage('features'),
      classifier: stage('classifier'),
      condensation: stage('condensation'),
      calibration: stage('calibration'),
      inspect: sum(runs.map((r) => r.inspectSeconds)),
      evaluate: sum(runs.map((r) => r.evaluateSeconds)),
      total: seconds.total,
    },
    path: { kernels, backbone: result.backbone.path },
    backbone: { name: result.backbone.name, sha256: result.backbone.sha256, dim: result.backbone.dim, measured: result.backbone.timings },
    settings,
    resolution,
    joint,
    valid_etalons: Object.fromEntries(result.groups.flatMap((g) => g.classes.map((c, i) => [c, g.validEtalons[i]]))),
    browser: { chromium, ...result.engine },
  };
}
