/**
 * The JSON document `npm run eval` prints: the figures with the names MVTec AD papers use
 * (fractions in [0, 1]; null where undefined, e.g. an image AUROC without good images), per
 * defect type, per category with their mean on top when there are several, the time of each
 * stage, the execution path, the backbone, the settings and the browser. Beside the AUROCs, the
 * QC counts at the image threshold for α (the default DEFAULT_ALPHA, or --alpha) or for a catch
 * rate on the labelled defects (--catch, with the α nearest it): `alpha`, `catch_rate`,
 * `image_threshold`, `good_reject_rate`, `defect_escape_rate` (per defect type under `per_defect`);
 * and the capability check at that α (`capability`). Where the good test images' worst spots
 * lie: `good_worst_on_border`, the share whose worst spot is on the grid's outer ring of patches,
 * beside `border_share`, the ring's share of the grid (what the first would be if borders were no
 * more suspect than the rest of the image).
 * With regions of interest (--roi), every figure and QC count is within them, and
 * `without_regions` gives the figures and QC counts of the same run over the whole image beside
 * them (null without regions); `regions` echoes the spec.
 */
import { capabilityAt, type CapabilityCheck } from '../../src/core/capability/capability';
import { DEFAULT_ALPHA } from '../../src/core/calibration/imageThreshold';
import { alphaForThreshold, operatingThreshold, thresholdToCatch, type OperatingPoint } from '../../src/core/calibration/operatingPoint';
import { GOOD_TYPE } from '../../src/core/metrics/evaluation';
import { DEFAULT_EPSILON } from '../../src/state/settings';
import type { EngineInfo, Resolution } from '../../src/engine/api';
import { TRAINING_STAGES, type ImageCalibration, type TrainingSettings, type TrainingStage } from '../../src/core/model/pixoodModel';
import { figureRow, qcRow, type FigureRow } from '../../src/state/export/evaluationExport';
import type { RegionSpec } from '../../src/core/roi/regionSpec';
import type { ThresholdChoice } from './args';
import type { BackboneUsed, BorderCount, CategoryRun, EvalResult, GroupRun } from './protocol';

/** The QC counts of a set of images at the image threshold; null where they cannot be given. */
export interface QcJson {
  /** The image false-reject rate α the threshold is (for a catch rate, the α whose threshold it is; null without a calibration). */
  readonly alpha: number | null;
  /** The share of the labelled defective images the threshold was set to fail; null: set by α. */
  readonly catch_rate: number | null;
  readonly image_threshold: number | null;
  readonly good_reject_rate: number | null;
  readonly defect_escape_rate: number | null;
}

/** Where the good test images' worst cells lie; null without good test images. */
export interface BorderJson {
  readonly good_worst_on_border: number | null;
  readonly border_share: number | null;
}

function borderJson({ images, onBorder, expected }: BorderCount): BorderJson {
  return images === 0 ? { good_worst_on_border: null, border_share: null } : { good_worst_on_border: onBorder / images, border_share: expected / images };
}

/** The mean of per-category values; null when one is null: a mean over some would mislead. */
function meanOrNull(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
}

/** The mean of each border share over categories. */
function meanBorder(all: readonly BorderJson[]): BorderJson {
  const mean = (key: keyof BorderJson) => meanOrNull(all.map((b) => b[key]));
  return { good_worst_on_border: mean('good_worst_on_border'), border_share: mean('border_share') };
}

export interface CategoryJson extends FigureRow, QcJson, BorderJson {
  readonly per_defect: Readonly<Record<string, FigureRow & { readonly defect_escape_rate: number | null }>>;
  /** The model's capability check at the default α and ε (over the whole image, where its plants were scored); null where the model has none. */
  readonly capability: CapabilityJson | null;
  /** With regions of interest: the same run's figures and QC counts over the whole image; null without regions. */
  readonly without_regions: (FigureRow & Pick<QcJson, 'good_reject_rate' | 'defect_escape_rate'> & BorderJson) | null;
}

/** The capability check in the eval JSON: sizes in pixels of the model's input. */
export interface CapabilityJson {
  readonly alpha: number;
  readonly epsilon: number;
  readonly longest_side_px: number;
  readonly held_out_images: number;
  readonly plants: number;
  readonly seconds: number;
  /** Share of all plants missed: the check's prediction of the defect escape rate. */
  readonly escape_rate: number;
  readonly mid_sizes_px: readonly number[];
  readonly mid_escape_rate: number;
  readonly weak: boolean;
  readonly kinds: readonly {
    readonly kind: string;
    readonly a90_px: number | null;
    readonly mid_escape_rate: number;
    /** The POD curve: per plant size, the share detected. */
    readonly pod: readonly { readonly size_px: number; readonly detected: number }[];
  }[];
}

export function capabilityJson(check: CapabilityCheck, calibration: ImageCalibration, point: OperatingPoint, epsilon: number): CapabilityJson {
  const summary = capabilityAt(check, operatingThreshold(calibration.severities, point), epsilon);
  return {
    alpha: point.alpha,
    epsilon,
    longest_side_px: check.longestSide,
    held_out_images: check.images,
    plants: check.severities.length,
    seconds: check.seconds,
    escape_rate: summary.escape,
    mid_sizes_px: summary.midSizes,
    mid_escape_rate: summary.midEscape,
    weak: summary.weak,
    kinds: summary.kinds.map((k) => ({ kind: k.kind, a90_px: k.a90, mid_escape_rate: k.midEscape, pod: check.sizes.map((size, i) => ({ size_px: size, detected: k.detected[i] })) })),
  };
}

/** The capability lines of every model of an eval: one model's, or each category's where each trained its own. */
export function evalCapabilityLines(name: string, json: EvalJson): string[] {
  if (json.categories && !json.joint) return Object.entries(json.categories).flatMap(([category, c]) => capabilityLines(`${name}/${category}`, c.capability));
  return capabilityLines(name, json.capability);
}

/** `capability: name=… kind=… a90_px=… mid_escape=…`, one per kind, for logs to grep (a90_px=none: not reached). */
export function capabilityLines(name: string, capability: CapabilityJson | null): string[] {
  if (!capability) return [`capability: name=${name.replace(/\s+/g, '_')} none (no held-out good images to plant into)`];
  return capability.kinds.map(
    (k) => `capability: name=${name.replace(/\s+/g, '_')} kind=${k.kind} a90_px=${k.a90_px ?? 'none'} mid_escape=${k.mid_escape_rate.toFixed(3)} escape_all=${capability.escape_rate.toFixed(3)}`,
  );
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
  /** With --tune: every candidate tried, the one kept (by its capability check) and the best on the real defects. */
  readonly tuning?: TuningJson;
  /** The regions of interest the figures are within; null: the whole image. */
  readonly regions: RegionSpec | null;
  readonly browser: { readonly chromium: string } & EngineInfo;
}

/**
 * The operating point of a threshold choice for one category's model and test images (a catch
 * rate's threshold, with the α nearest it); null where a catch rate has no defective image or
 * calibration to go by.
 */
function pointOf(choice: ThresholdChoice, { report, imageCalibration }: CategoryRun): OperatingPoint | null {
  if ('alpha' in choice) return { alpha: choice.alpha, byCatch: null };
  const defects = (report.testImages ?? []).filter((image) => image.defectType !== GOOD_TYPE).map((image) => image.severity);
  if (!imageCalibration || defects.length === 0) return null;
  const threshold = thresholdToCatch(defects, choice.catchRate);
  return { alpha: alphaForThreshold(imageCalibration.severities, threshold), byCatch: { rate: choice.catchRate, threshold } };
}

/** The whole image's figures and QC counts beside those within the regions. */
function withoutRegions(run: CategoryRun, choice: ThresholdChoice): CategoryJson['without_regions'] {
  if (!run.wholeImage) return null;
  const whole: CategoryRun = { ...run, ...run.wholeImage, wholeImage: null };
  const point = pointOf(choice, whole);
  const qc = point ? qcRow(whole.report, whole.imageCalibration, point) : null;
  return { ...figureRow(whole.report.overall), good_reject_rate: qc?.good_reject_rate ?? null, defect_escape_rate: qc?.defect_escape_rate ?? null, ...borderJson(run.wholeImage.goodWorstCells) };
}

function categoryJson(run: CategoryRun, choice: ThresholdChoice): CategoryJson {
  const { report, imageCalibration, capability, goodWorstCells } = run;
  const point = pointOf(choice, run);
  const without_regions = withoutRegions(run, choice);
  // The check's plants were scored over the whole image: read at the whole image's threshold.
  const checkCalibration = run.wholeImage ? run.wholeImage.imageCalibration : imageCalibration;
  const checkPoint = run.wholeImage ? pointOf(choice, { ...run, ...run.wholeImage }) : point;
  const catchRate = 'catchRate' in choice ? choice.catchRate : null;
  if (point === null) {
    const perDefect = Object.fromEntries(Object.entries(report.perDefect).map(([type, f]) => [type, { ...figureRow(f), defect_escape_rate: null }]));
    return {
      ...figureRow(report.overall),
      alpha: null,
      catch_rate: catchRate,
      image_threshold: null,
      good_reject_rate: null,
      defect_escape_rate: null,
      ...borderJson(goodWorstCells),
      per_defect: perDefect,
      capability: null,
      without_regions,
    };
  }
  const { per_defect_escape_rate: escapes, ...qc } = qcRow(report, imageCalibration, point);
  const perDefect = Object.fromEntries(Object.entries(report.perDefect).map(([type, f]) => [type, { ...figureRow(f), defect_escape_rate: escapes[type] ?? null }]));
  return {
    ...figureRow(report.overall),
    ...qc,
    catch_rate: catchRate,
    ...borderJson(goodWorstCells),
    per_defect: perDefect,
    capability: capability && checkCalibration && checkPoint ? capabilityJson(capability, checkCalibration, checkPoint, DEFAULT_EPSILON) : null,
    without_regions,
  };
}

/** The mean of each QC rate over categories (null when one is null), and their thresholds only when there is one. */
function meanQc(all: readonly QcJson[], choice: ThresholdChoice): QcJson {
  const mean = (key: 'good_reject_rate' | 'defect_escape_rate') => meanOrNull(all.map((q) => q[key]));
  // A catch rate gives each category its own α: the mean has none.
  return {
    alpha: 'alpha' in choice ? choice.alpha : null,
    catch_rate: 'catchRate' in choice ? choice.catchRate : null,
    image_threshold: all.length === 1 ? all[0].image_threshold : null,
    good_reject_rate: mean('good_reject_rate'),
    defect_escape_rate: mean('defect_escape_rate'),
  };
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

/** The mean of the whole image's figures over categories; null without regions. */
function meanWithoutRegions(all: readonly CategoryJson[]): CategoryJson['without_regions'] {
  const rows = all.map((c) => c.without_regions);
  if (rows.some((r) => r === null)) return null;
  const present = rows as NonNullable<CategoryJson['without_regions']>[];
  const mean = (key: 'good_reject_rate' | 'defect_escape_rate') => meanOrNull(present.map((r) => r[key]));
  return { ...meanFigures(present), good_reject_rate: mean('good_reject_rate'), defect_escape_rate: mean('defect_escape_rate'), ...meanBorder(present) };
}

export interface TuningJson {
  readonly candidates: readonly {
    readonly longest_side: number;
    readonly etalons: number;
    /** The capability check at the QC's α: share of all synthetic defects passed, and of the mid sizes. */
    readonly check_escape_rate: number | null;
    readonly check_mid_escape_rate: number | null;
    readonly image_auroc: number | null;
    readonly pixel_auroc: number | null;
    readonly aupro_0_3: number | null;
    readonly defect_escape_rate: number | null;
    readonly good_reject_rate: number | null;
    readonly training_s: number;
  }[];
  /** Index of the candidate kept. */
  readonly chosen: number;
  /** Index of the candidate that lets the fewest real defects pass at α (then the highest image AUROC). */
  readonly best_on_real: number;
  /** Whether the check's choice lets as few real defects pass as the best candidate does. */
  readonly chose_best_on_real: boolean;
}

/** The tuning table: each candidate's check and real figures, the one kept and the best on the real defects. */
function tuningJson(chosen: GroupRun, choice: ThresholdChoice): TuningJson | undefined {
  if (!chosen.candidates) return undefined;
  const rows = chosen.candidates.map((candidate) => {
    const category = categoryJson(candidate.categories[0], choice);
    return {
      longest_side: candidate.settings.longestSide,
      etalons: candidate.settings.etalons,
      check_escape_rate: category.capability?.escape_rate ?? null,
      check_mid_escape_rate: category.capability?.mid_escape_rate ?? null,
      image_auroc: category.image_auroc,
      pixel_auroc: category.pixel_auroc,
      aupro_0_3: category.aupro_0_3,
      defect_escape_rate: category.defect_escape_rate,
      good_reject_rate: category.good_reject_rate,
      training_s: TRAINING_STAGES.reduce((sum, stage) => sum + candidate.training[stage], 0),
    };
  });
  const escape = (i: number) => rows[i].defect_escape_rate ?? Infinity;
  let best = 0;
  rows.forEach((row, i) => {
    if (escape(i) < escape(best) || (escape(i) === escape(best) && (row.image_auroc ?? -1) > (rows[best].image_auroc ?? -1))) best = i;
  });
  const index = chosen.candidates.findIndex((c) => c.settings.longestSide === chosen.settings.longestSide && c.settings.etalons === chosen.settings.etalons);
  return { candidates: rows, chosen: index, best_on_real: best, chose_best_on_real: escape(index) === escape(best) };
}

/** `setupSeconds`: starting the dev server and the browser, before the page's own setup. */
export function evalJson(
  result: EvalResult,
  settings: TrainingSettings,
  resolution: Resolution,
  joint: boolean,
  chromium: string,
  seconds: { setup: number; total: number },
  choice: ThresholdChoice = { alpha: DEFAULT_ALPHA },
  regions: RegionSpec | null = null,
): EvalJson {
  const runs = result.groups.flatMap((g) => g.categories);
  const categories = Object.fromEntries(runs.map((run) => [run.name, categoryJson(run, choice)]));
  // Several categories: the mean on top, and every category's defect types as '<category>/<type>'.
  const allDefects = Object.entries(categories).flatMap(([name, c]) => Object.entries(c.per_defect).map(([type, f]) => [`${name}/${type}`, f] as const));
  // One model over several categories (joint) has one check; separate models have one each, under `categories`.
  const oneModel = result.groups.length === 1 ? categories[runs[0].name].capability : null;
  const top: CategoryJson =
    runs.length === 1
      ? categories[runs[0].name]
      : {
          ...meanFigures(Object.values(categories)),
          ...meanQc(Object.values(categories), choice),
          ...meanBorder(Object.values(categories)),
          per_defect: Object.fromEntries(allDefects),
          capability: oneModel,
          without_regions: meanWithoutRegions(Object.values(categories)),
        };
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
    // A tuned model reports the settings it was kept with.
    settings: result.groups.length === 1 ? result.groups[0].settings : settings,
    resolution,
    joint,
    valid_etalons: Object.fromEntries(result.groups.flatMap((g) => g.classes.map((c, i) => [c, g.validEtalons[i]]))),
    ...(result.groups.length === 1 && result.groups[0].candidates && { tuning: tuningJson(result.groups[0], choice) }),
    regions,
    browser: { chromium, ...result.engine },
  };
}
