/**
 * The `.pixood` model bundle: a zip holding
 *
 *   manifest.json          what the model is (backbone, settings, classes, summary, scalars),
 *                          the list of its tensors with dtype and shape, and its evaluation
 *                          on test images (`metrics`, null or absent when it has none;
 *                          NaN is null)
 *   tensors.safetensors    every array of the model, so Python can load them directly
 *   backbone.onnx          optional, when `backboneIncluded` (absent: false): the backbone, for a
 *                          machine without it; its SHA-256 must be the manifest's
 *
 * The image calibration (held-out good images' severities) is the manifest's `imageCalibration`
 * ({ heldOut: names per class }) with the tensor `imageCalibration.severities` (F64, ascending);
 * a bundle written before it has neither and imports as a model that needs recalibration.
 * Each held-out image's cell severities are the tensors `imageCalibration.cells.<i>` (F32,
 * [height, width], in `heldOut`'s order) with the image and grid sizes in the manifest's
 * `imageCalibration.cellImages` ([{ imageWidth, imageHeight, width, height, pool? }]); absent in bundles from before
 * regions of interest. `pool` ({ sigma, offset, scale }) is how they pool into the image's severity
 * (core/calibration/pooledSeverity.ts); absent in bundles from before pooling, whose severities are
 * the worst cell's. `regions` (absent or null: the whole image) is the model's regions of
 * interest as core/roi/regionSpec.ts reads them.
 * The capability check (synthetic defects planted into the held-out images) is the manifest's
 * `capability`, numbers and all; absent or null where the model was not checked.
 * `operatingPoint` ({ alpha, byCatch }, absent or null in older bundles) is the image
 * false-reject rate the verdicts were given at, or the catch rate and threshold they were.
 * `project` (absent or null in older bundles) is the name of the project the model was trained
 * in, so an import can keep it.
 *
 * A bundle comes from outside the app (a download, a colleague), so `readBundle` trusts
 * nothing: it checks every field, shape and value before a model leaves it, and every failure
 * is a BundleError whose message says what is wrong.
 */
import { zipSync } from 'fflate';
import type { CapabilityCheck } from '../capability/capability';
import { PLANT_KINDS, type PlantKind } from '../capability/plants';
import type { Calibration } from '../calibration/calibrate';
import type { OperatingPoint } from '../calibration/operatingPoint';
import { MAX_AREA_PATCHES } from '../calibration/pooledSeverity';
import type { CellSeverities } from '../calibration/score';
import { parseRegionSpec, RegionSpecError, type RegionSpec } from '../roi/regionSpec';
import type { RateTable } from '../calibration/rateTable';
import type { Mlp } from '../classifier/mlp';
import type { CondensationVariant } from '../condensation/batch';
import type { CondensationModel } from '../condensation/model';
import { TRAINING_STAGES, type PixoodModel } from '../model/pixoodModel';
import type { CurvePoints, EvaluationFigures, EvaluationReport } from '../metrics/evaluationReport';
import type { ScoredTestImage } from '../metrics/qcCounts';
import { sha256Hex } from '../sha256';
import { array, field, FieldError, integer, object, string, type Json } from './jsonFields';
import { expectTensor, readSafetensors, SafetensorsError, writeSafetensors, type DType, type SafeTensor, type SafetensorsFile } from './safetensors';
import { readZip, ZipError } from './zipArchive';

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

export const BUNDLE_FORMAT = 'pixood-bundle';
export const BUNDLE_SCHEMA_VERSION = 1;
const MANIFEST = 'manifest.json';
const TENSORS = 'tensors.safetensors';
const BACKBONE = 'backbone.onnx';
const ENTRIES = [MANIFEST, TENSORS, BACKBONE];
const VARIANTS: readonly CondensationVariant[] = ['softKMeans', 'softKMedians', 'condensation'];

/** A model's evaluation on test images, and when it was made (ISO 8601). */
export interface BundleMetrics extends EvaluationReport {
  readonly evaluatedAt: string;
}

/** What a bundle may carry besides the model. */
export interface BundleExtras {
  readonly metrics?: BundleMetrics | null;
  /** The name of the project the model was trained in. */
  readonly projectName?: string | null;
  /** The backbone's ONNX file; its SHA-256 must be `model.backbone.sha256`. */
  readonly backboneOnnx?: Uint8Array | null;
  /** The operating point the verdicts were given at. */
  readonly operatingPoint?: OperatingPoint | null;
}

export interface BundleContents {
  readonly model: PixoodModel;
  readonly metrics: BundleMetrics | null;
  readonly projectName: string | null;
  /** The backbone's ONNX file, checked against the manifest's SHA-256; null when the bundle does not carry it. */
  readonly backboneOnnx: Uint8Array | null;
  /** The operating point it was exported with; null in bundles from before it. */
  readonly operatingPoint: OperatingPoint | null;
}

export interface BundleLimits {
  /** Sum of the entries' compressed sizes, in bytes. */
  readonly maxCompressedBytes?: number;
  /** Sum of the entries' uncompressed sizes, in bytes. */
  readonly maxUncompressedBytes?: number;
}

const DEFAULT_LIMIT = 2 * 1024 ** 3;
/** Far above any real manifest (its curves are thinned for drawing), far below what JSON.parse should be handed. */
const MAX_MANIFEST_BYTES = 16 * 1024 ** 2;
const MAX_CURVE_POINTS = 100_000;
const MAX_DEFECT_TYPES = 1_000;
const MAX_NAME_LENGTH = 1_000;
/** Figures are sums of many floats: a true 1 may come out as 1 + a few ulps, which is not damage. */
const FRACTION_SLACK = 1e-9;
const isFraction = (v: unknown): v is number => typeof v === 'number' && v >= -FRACTION_SLACK && v <= 1 + FRACTION_SLACK;

function fail(message: string): never {
  throw new BundleError(`model bundle: ${message}.`);
}

/** A safetensors failure, restated without its own prefix and full stop so the message reads as one sentence. */
function failInTensors(e: SafetensorsError): never {
  return fail(`in ${TENSORS}, ${e.message.replace(/^safetensors: /, '').replace(/\.$/, '')}`);
}

/** The bundle's bytes: a manifest, a safetensors file and optionally the backbone, deflated in a zip. */
export function writeBundle(model: PixoodModel, extras: BundleExtras = {}): Uint8Array {
  const tensors = modelTensors(model);
  const backboneOnnx = extras.backboneOnnx ?? null;
  if (backboneOnnx && sha256Hex(backboneOnnx) !== model.backbone.sha256) {
    throw new BundleError(`model bundle: the backbone file given is not the model's backbone (its SHA-256 differs from ${model.backbone.sha256.slice(0, 12)}…).`);
  }
  const manifest = bundleManifest(model, tensors, extras, backboneOnnx !== null);
  return zipSync({
    [MANIFEST]: manifest,
    [TENSORS]: writeSafetensors(tensors),
    // An ONNX file is mostly float weights, which deflate hardly shrinks: store it as it is.
    ...(backboneOnnx && { [BACKBONE]: [backboneOnnx, { level: 0 }] as [Uint8Array, { level: 0 }] }),
  });
}

/**
 * The model's content as the bundle holds it, without the zip around it (whose timestamps change
 * every export) and without the extras: its manifest with no metrics, project or operating point,
 * then its tensors file. Its SHA-256 names a model the same on every machine that holds it.
 */
export function modelContent(model: PixoodModel): Uint8Array {
  const tensors = modelTensors(model);
  const manifest = bundleManifest(model, tensors, {}, false);
  const safetensors = writeSafetensors(tensors);
  const bytes = new Uint8Array(manifest.length + safetensors.length);
  bytes.set(manifest);
  bytes.set(safetensors, manifest.length);
  return bytes;
}

/** The SHA-256 of `modelContent`, hex: what the audit log names a deciding model by, and a publication names a version by. */
export function modelContentSha256(model: PixoodModel): string {
  return sha256Hex(modelContent(model));
}

function bundleManifest(model: PixoodModel, tensors: ReturnType<typeof modelTensors>, extras: BundleExtras, backboneIncluded: boolean): Uint8Array {
  const manifest = {
    format: BUNDLE_FORMAT,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    project: extras.projectName ?? null,
    operatingPoint: extras.operatingPoint ?? null,
    backbone: model.backbone,
    settings: model.settings,
    classes: model.classes,
    condensations: model.condensations.map((c) => ({ variant: c.variant })),
    calibration: { spaceDims: model.calibration.spaceDims, numClasses: model.calibration.numClasses },
    imageCalibration: model.imageCalibration && {
      heldOut: model.imageCalibration.heldOut,
      ...(model.imageCalibration.cells && { cellImages: model.imageCalibration.cells.map(({ imageWidth, imageHeight, width, height, pool }) => ({ imageWidth, imageHeight, width, height, ...(pool && { pool }) })) }),
    },
    regions: model.regions ?? null,
    capability: model.capability ?? null,
    summary: model.summary,
    createdAt: model.createdAt,
    tensors: [...tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape })),
    // JSON writes NaN (a figure undefined for the test set) as null; the reader turns it back.
    metrics: extras.metrics ?? null,
    backboneIncluded,
  };
  return new TextEncoder().encode(JSON.stringify(manifest, null, 2));
}

function modelTensors(model: PixoodModel): Map<string, SafeTensor> {
  const out = new Map<string, SafeTensor>();
  const f32 = (name: string, shape: readonly number[], data: Float32Array) => out.set(name, { dtype: 'F32', shape, data });
  const f64 = (name: string, shape: readonly number[], data: Float64Array) => out.set(name, { dtype: 'F64', shape, data });
  const { classifier, calibration } = model;
  if (classifier) {
    f32('classifier.w1', classifier.w1.dims, classifier.w1.data);
    f32('classifier.b1', classifier.b1.dims, classifier.b1.data);
    f32('classifier.w2', classifier.w2.dims, classifier.w2.data);
    f32('classifier.b2', classifier.b2.dims, classifier.b2.data);
  }
  model.condensations.forEach((c, i) => {
    const k = c.tau.length;
    f32(`class.${i}.etalons`, c.etalons.dims, c.etalons.data);
    f32(`class.${i}.tau`, [k], c.tau);
    out.set(`class.${i}.valid`, { dtype: 'U8', shape: [k], data: c.valid });
    f32(`class.${i}.support`, [k], c.support);
    f32(`class.${i}.whitening.median`, [c.whitening.median.length], c.whitening.median);
    f32(`class.${i}.whitening.std`, [c.whitening.std.length], c.whitening.std);
  });
  const { numClasses: c, spaceDims: p } = calibration;
  f64('calibration.idMeans', [c, p], calibration.idMeans);
  f64('calibration.idCovs', [c, p, p], calibration.idCovs);
  f64('calibration.oodCov', [p, p], calibration.oodCov);
  calibration.tables.forEach((t, i) => {
    f64(`calibration.table.${i}.logRatio`, [t.logRatio.length], t.logRatio);
    f64(`calibration.table.${i}.rate`, [t.rate.length], t.rate);
  });
  if (model.imageCalibration) f64('imageCalibration.severities', [model.imageCalibration.severities.length], Float64Array.from(model.imageCalibration.severities));
  model.imageCalibration?.cells?.forEach((cells, i) => f32(`imageCalibration.cells.${i}`, [cells.height, cells.width], cells.data));
  return out;
}

/** Reads and fully validates a bundle; see the module comment. */
export function readBundle(bytes: Uint8Array, limits: BundleLimits = {}): BundleContents {
  try {
    return readContents(bytes, limits);
  } catch (e) {
    if (e instanceof ZipError || e instanceof FieldError) fail(e.message);
    throw e;
  }
}

function readContents(bytes: Uint8Array, limits: BundleLimits): BundleContents {
  const entries = readZip(bytes, {
    entries: ENTRIES,
    maxCompressedBytes: limits.maxCompressedBytes ?? DEFAULT_LIMIT,
    maxUncompressedBytes: limits.maxUncompressedBytes ?? DEFAULT_LIMIT,
    maxEntryBytes: { [MANIFEST]: MAX_MANIFEST_BYTES },
  });
  const manifestBytes = entries.get(MANIFEST);
  const tensorBytes = entries.get(TENSORS);
  if (!manifestBytes) fail(`the zip has no ${MANIFEST}`);
  if (!tensorBytes) fail(`the zip has no ${TENSORS}`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes);
  } catch {
    fail(`${MANIFEST} is not valid UTF-8`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    fail(`${MANIFEST} is not valid JSON (${(e as Error).message})`);
  }
  let file: SafetensorsFile;
  try {
    file = readSafetensors(tensorBytes);
  } catch (e) {
    if (e instanceof SafetensorsError) failInTensors(e);
    throw e;
  }
  const model = buildModel(manifest, file);
  const m = manifest as Json;
  // Both keys came after the format's first files: a manifest without them has neither.
  const metrics = Object.hasOwn(m, 'metrics') ? readMetrics(m.metrics) : null;
  return { model, metrics, projectName: readProjectName(m), backboneOnnx: readBackbone(m, entries.get(BACKBONE), model.backbone.sha256), operatingPoint: readOperatingPoint(m) };
}

/** The manifest's `project`: absent or null in bundles written before it. */
function readOperatingPoint(m: Json): OperatingPoint | null {
  const value = m.operatingPoint ?? null;
  if (value === null) return null;
  const o = object(value, 'operatingPoint');
  const alpha = field(o, 'alpha', 'operatingPoint');
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) fail(`operatingPoint.alpha is ${JSON.stringify(alpha)}, not a rate in (0, 1)`);
  const choice = field(o, 'byCatch', 'operatingPoint');
  if (choice === null) return { alpha, byCatch: null };
  const c = object(choice, 'operatingPoint.byCatch');
  const rate = field(c, 'rate', 'operatingPoint.byCatch');
  if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) fail(`operatingPoint.byCatch.rate is ${JSON.stringify(rate)}, not a rate in (0, 1]`);
  const threshold = field(c, 'threshold', 'operatingPoint.byCatch');
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) fail(`operatingPoint.byCatch.threshold is ${JSON.stringify(threshold)}, not a finite number of nats`);
  return { alpha, byCatch: { rate, threshold } };
}

function readProjectName(m: Json): string | null {
  if (!Object.hasOwn(m, 'project') || m.project === null) return null;
  const name = string(m, 'project', 'the manifest');
  if (name.length > MAX_NAME_LENGTH) fail(`the manifest's project name is ${name.length} characters, over the limit of ${MAX_NAME_LENGTH}`);
  return name;
}

function readBackbone(m: Json, bytes: Uint8Array | undefined, sha256: string): Uint8Array | null {
  const included = Object.hasOwn(m, 'backboneIncluded') ? m.backboneIncluded : false;
  if (typeof included !== 'boolean') fail(`the manifest's backboneIncluded is ${JSON.stringify(included)}, not true or false`);
  if (!included) {
    if (bytes) fail(`the zip holds ${BACKBONE}, but the manifest says the backbone is not included`);
    return null;
  }
  if (!bytes) fail(`the manifest says the backbone is included, but the zip has no ${BACKBONE}`);
  const actual = sha256Hex(bytes);
  if (actual !== sha256) fail(`${BACKBONE} has SHA-256 ${actual.slice(0, 12)}…, but the model's backbone is ${sha256.slice(0, 12)}…: it is damaged or a different backbone`);
  return bytes;
}

function buildModel(value: unknown, file: SafetensorsFile): PixoodModel {
  const m = object(value, 'the manifest');
  const format = field(m, 'format', 'the manifest');
  if (format !== BUNDLE_FORMAT) fail(`the manifest's format is ${JSON.stringify(format)}, not "${BUNDLE_FORMAT}"`);
  const version = field(m, 'schemaVersion', 'the manifest');
  if (version !== BUNDLE_SCHEMA_VERSION) fail(`the manifest's schemaVersion is ${JSON.stringify(version)}; this app reads version ${BUNDLE_SCHEMA_VERSION}`);

  const b = object(field(m, 'backbone', 'the manifest'), 'backbone');
  const backbone = {
    id: string(b, 'id', 'backbone'),
    name: string(b, 'name', 'backbone'),
    sha256: string(b, 'sha256', 'backbone'),
    patchSize: integer(b, 'patchSize', 'backbone', 1),
    dim: integer(b, 'dim', 'backbone', 1),
  };
  if (!/^[0-9a-f]{64}$/.test(backbone.sha256)) fail(`backbone.sha256 "${backbone.sha256}" is not 64 lowercase hex digits`);

  const s = object(field(m, 'settings', 'the manifest'), 'settings');
  const settings = {
    longestSide: integer(s, 'longestSide', 'settings', 1),
    upsample: integer(s, 'upsample', 'settings', 1),
    etalons: integer(s, 'etalons', 'settings', 1),
    condensationEpochs: integer(s, 'condensationEpochs', 'settings', 0),
    classifierEpochs: integer(s, 'classifierEpochs', 'settings', 0),
    seed: integer(s, 'seed', 'settings', Number.MIN_SAFE_INTEGER),
    ...(Object.hasOwn(s, 'areaPatches') && { areaPatches: areaPatches(s) }),
  };

  const classList = array(m, 'classes', 'the manifest');
  if (classList.length === 0) fail('the manifest lists no classes');
  const classes = classList.map((c, i) => {
    if (typeof c !== 'string') fail(`classes[${i}] is ${JSON.stringify(c)}, not a string`);
    return c;
  });
  const numClasses = classes.length;
  const variants = array(m, 'condensations', 'the manifest', { count: numClasses, of: 'classes' }).map((c, i) => {
    const variant = field(object(c, `condensations[${i}]`), 'variant', `condensations[${i}]`);
    if (!VARIANTS.includes(variant as CondensationVariant)) fail(`condensations[${i}].variant is ${JSON.stringify(variant)}, not one of ${VARIANTS.join(', ')}`);
    return variant as CondensationVariant;
  });

  const cal = object(field(m, 'calibration', 'the manifest'), 'calibration');
  const spaceDims = integer(cal, 'spaceDims', 'calibration', 1);
  if (spaceDims !== 1 && spaceDims !== 2) fail(`calibration.spaceDims is ${spaceDims}, not 1 or 2`);
  const calClasses = integer(cal, 'numClasses', 'calibration', 1);
  if (calClasses !== numClasses) fail(`calibration.numClasses is ${calClasses}, but the bundle has ${numClasses} classes`);

  const summary = readSummary(object(field(m, 'summary', 'the manifest'), 'summary'), numClasses);
  const createdAt = string(m, 'createdAt', 'the manifest');
  if (Number.isNaN(Date.parse(createdAt))) fail(`createdAt "${createdAt}" is not an ISO 8601 date`);

  checkTensorList(array(m, 'tensors', 'the manifest'), file);
  const tensors = new TensorReader(file);
  const dim = backbone.dim;
  // The projection space has a logit axis exactly when there is a classifier.
  const hasClassifier = file.tensors.has('classifier.w1');
  if (hasClassifier !== (spaceDims === 2)) fail(`calibration.spaceDims is ${spaceDims}, but the bundle ${hasClassifier ? 'has' : 'has no'} classifier`);
  let classifier: Mlp | null = null;
  if (hasClassifier) {
    const w1 = tensors.f32('classifier.w1');
    const hidden = w1.shape[0];
    tensors.shape('classifier.w1', w1, [hidden, dim]);
    classifier = {
      w1: { dims: [hidden, dim], data: w1.data },
      b1: { dims: [hidden], data: tensors.f32('classifier.b1', [hidden]).data },
      w2: { dims: [numClasses, hidden], data: tensors.f32('classifier.w2', [numClasses, hidden]).data },
      b2: { dims: [numClasses], data: tensors.f32('classifier.b2', [numClasses]).data },
    };
  }
  const condensations = variants.map((variant, i): CondensationModel => {
    const etalons = tensors.f32(`class.${i}.etalons`);
    const k = etalons.shape[0];
    tensors.shape(`class.${i}.etalons`, etalons, [k, dim]);
    const valid = tensors.u8(`class.${i}.valid`, [k]).data;
    if (valid.some((v) => v > 1)) fail(`tensor "class.${i}.valid" holds a value other than 0 or 1`);
    return {
      variant,
      etalons: { dims: [k, dim], data: etalons.data },
      tau: tensors.f32(`class.${i}.tau`, [k]).data,
      valid,
      support: tensors.f32(`class.${i}.support`, [k]).data,
      whitening: { median: tensors.f32(`class.${i}.whitening.median`, [dim]).data, std: tensors.f32(`class.${i}.whitening.std`, [dim]).data },
    };
  });
  const p = spaceDims;
  const calibration: Calibration = {
    spaceDims,
    numClasses,
    idMeans: tensors.f64('calibration.idMeans', [numClasses, p]).data,
    idCovs: tensors.f64('calibration.idCovs', [numClasses, p, p]).data,
    oodCov: tensors.f64('calibration.oodCov', [p, p]).data,
    tables: classes.map((_, i) => readTable(tensors, i)),
  };
  const imageCalibration = readImageCalibration(m, tensors, numClasses);
  const capability = readCapability(m);
  const regions = readRegions(m);
  tensors.checkAllUsed();
  return { schema: 2, backbone, settings, classes, classifier, condensations, calibration, imageCalibration, ...(capability && { capability }), ...(regions && { regions }), summary, createdAt };
}

/** The regions of interest; null when the bundle has none (the whole image, or written before regions). */
function readRegions(m: Json): RegionSpec | null {
  const value = m.regions ?? null;
  if (value === null) return null;
  try {
    return parseRegionSpec(value);
  } catch (error) {
    if (error instanceof RegionSpecError) fail(`the manifest's regions: ${error.message}`);
    throw error;
  }
}

/** The held-out severities, ascending and finite, one per held-out name; null when the bundle has none (written before them). */
function readImageCalibration(m: Json, tensors: TensorReader, numClasses: number): PixoodModel['imageCalibration'] {
  const value = Object.hasOwn(m, 'imageCalibration') ? m.imageCalibration : null;
  if (value === null) return null;
  const heldOut = array(object(value, 'imageCalibration'), 'heldOut', 'imageCalibration', { count: numClasses, of: 'classes' }).map((names, c) => {
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) fail(`imageCalibration.heldOut[${c}] is not a list of image names`);
    return names as string[];
  });
  const count = heldOut.reduce((n, names) => n + names.length, 0);
  if (count < 2) fail(`imageCalibration holds ${count} held-out images; a calibration needs at least 2`);
  const severities = Array.from(tensors.f64('imageCalibration.severities', [count]).data);
  severities.forEach((s, i) => {
    if (!Number.isFinite(s) || (i > 0 && s < severities[i - 1])) fail(`tensor "imageCalibration.severities" is not finite and ascending at ${i}`);
  });
  const c = object(value, 'imageCalibration');
  if (!Object.hasOwn(c, 'cellImages')) return { severities, heldOut };
  const cells = array(c, 'cellImages', 'imageCalibration', { count, of: 'held-out images' }).map((item, i): CellSeverities => {
    const where = `imageCalibration.cellImages[${i}]`;
    const size = object(item, where);
    const imageWidth = integer(size, 'imageWidth', where, 1);
    const imageHeight = integer(size, 'imageHeight', where, 1);
    const width = integer(size, 'width', where, 1);
    const height = integer(size, 'height', where, 1);
    const grid = { width, height, data: tensors.f32(`imageCalibration.cells.${i}`, [height, width]).data, imageWidth, imageHeight };
    if (!Object.hasOwn(size, 'pool')) return grid;
    const pool = object(field(size, 'pool', where), `${where}.pool`);
    const [sigma, offset, scale] = (['sigma', 'offset', 'scale'] as const).map((key) => field(pool, key, `${where}.pool`));
    if (typeof sigma !== 'number' || !(sigma > 0 && sigma < width + height)) fail(`${where}.pool.sigma is ${JSON.stringify(sigma)}, not a pooling width in cells`);
    if (typeof scale !== 'number' || !(scale > 0 && Number.isFinite(scale)) || typeof offset !== 'number' || !Number.isFinite(offset)) {
      fail(`${where}.pool maps the pooled severity by ${JSON.stringify(scale)} and ${JSON.stringify(offset)}, not a positive scale and a finite offset`);
    }
    return { ...grid, pool: { sigma, offset, scale } };
  });
  return { severities, heldOut, cells };
}

/** The capability check, every number checked; null when the bundle has none (written before it, or not checked). */
function readCapability(m: Json): CapabilityCheck | null {
  const value = m.capability ?? null;
  if (value === null) return null;
  const c = object(value, 'capability');
  const kinds = array(c, 'kinds', 'capability').map((k, i) => {
    if (!PLANT_KINDS.includes(k as PlantKind)) fail(`capability.kinds[${i}] is ${JSON.stringify(k)}, not one of ${PLANT_KINDS.join(', ')}`);
    return k as PlantKind;
  });
  const sizes = array(c, 'sizes', 'capability').map((v, i) => {
    if (!Number.isSafeInteger(v) || (v as number) < 1) fail(`capability.sizes[${i}] is ${JSON.stringify(v)}, not a whole number of pixels ≥ 1`);
    return v as number;
  });
  const trials = integer(c, 'trials', 'capability', 1);
  const count = kinds.length * sizes.length * trials;
  const numbers = (key: string, min: number, max: number) =>
    array(c, key, 'capability', { count, of: 'plants' }).map((v, i) => {
      if (typeof v !== 'number' || !(v >= min && v <= max)) fail(`capability.${key}[${i}] is ${JSON.stringify(v)}, not a number in [${min}, ${max}]`);
      return v;
    });
  const seconds = field(c, 'seconds', 'capability');
  if (typeof seconds !== 'number' || !(seconds >= 0)) fail(`capability.seconds is ${JSON.stringify(seconds)}, not a number ≥ 0`);
  return {
    kinds,
    sizes,
    trials,
    severities: numbers('severities', -Number.MAX_VALUE, Number.MAX_VALUE),
    plantScores: numbers('plantScores', 0, 1),
    longestSide: integer(c, 'longestSide', 'capability', 1),
    images: integer(c, 'images', 'capability', 1),
    seed: integer(c, 'seed', 'capability', Number.MIN_SAFE_INTEGER),
    seconds,
  };
}

function readSummary(s: Json, numClasses: number): PixoodModel['summary'] {
  const counts = (key: string) =>
    array(s, key, 'summary', { count: numClasses, of: 'classes' }).map((v, i) => {
      if (!Number.isSafeInteger(v) || (v as number) < 0) fail(`summary.${key}[${i}] is ${JSON.stringify(v)}, not an integer ≥ 0`);
      return v as number;
    });
  const patchesPerClass = counts('patchesPerClass');
  const validEtalons = counts('validEtalons');
  const sec = object(field(s, 'seconds', 'summary'), 'summary.seconds');
  const seconds = Object.fromEntries(
    TRAINING_STAGES.map((stage) => {
      const v = field(sec, stage, 'summary.seconds');
      if (typeof v !== 'number' || !(v >= 0)) fail(`summary.seconds.${stage} is ${JSON.stringify(v)}, not a number ≥ 0`);
      return [stage, v];
    }),
  ) as Record<(typeof TRAINING_STAGES)[number], number>;
  const path = field(s, 'path', 'summary');
  if (path !== 'gpu' && path !== 'cpu') fail(`summary.path is ${JSON.stringify(path)}, not "gpu" or "cpu"`);
  const skipped = array(s, 'skipped', 'summary').map((v, i) => {
    const o = object(v, `summary.skipped[${i}]`);
    return { name: string(o, 'name', `summary.skipped[${i}]`), reason: string(o, 'reason', `summary.skipped[${i}]`) };
  });
  // Only a model trained over the memory bound has it (PatchCollector): the patches it was given.
  const seen = s.patchesSeenPerClass === undefined ? undefined : counts('patchesSeenPerClass');
  seen?.forEach((n, c) => {
    if (n < patchesPerClass[c]) fail(`summary.patchesSeenPerClass[${c}] is ${n}, fewer than the ${patchesPerClass[c]} patches used`);
  });
  return { patchesPerClass, ...(seen && { patchesSeenPerClass: seen }), validEtalons, seconds, path, skipped };
}

/** A fraction in [0, 1], or null for NaN (a figure the test set cannot define). */
function fraction(parent: Json, key: string, where: string): number {
  const value = field(parent, key, where);
  if (value === null) return NaN;
  if (!isFraction(value)) fail(`${where}.${key} is ${JSON.stringify(value)}, not a fraction in [0, 1] or null`);
  return value;
}

function readFigures(value: unknown, where: string): EvaluationFigures {
  const o = object(value, where);
  const images = integer(o, 'images', where, 0);
  const defectImages = integer(o, 'defectImages', where, 0);
  if (defectImages > images) fail(`${where}.defectImages is ${defectImages}, more than its ${images} images`);
  return {
    images,
    defectImages,
    imageAuroc: fraction(o, 'imageAuroc', where),
    pixelAuroc: fraction(o, 'pixelAuroc', where),
    aupro: fraction(o, 'aupro', where),
    ap: fraction(o, 'ap', where),
    f1Max: fraction(o, 'f1Max', where),
    fprAt95Tpr: fraction(o, 'fprAt95Tpr', where),
  };
}

function readCurve(value: unknown, where: string): CurvePoints {
  const o = object(value, where);
  const points = (key: string) => {
    const list = array(o, key, where);
    if (list.length > MAX_CURVE_POINTS) fail(`${where}.${key} has ${list.length} points, over the limit of ${MAX_CURVE_POINTS}`);
    return list.map((v, i) => {
      if (!isFraction(v)) fail(`${where}.${key}[${i}] is ${JSON.stringify(v)}, not a fraction in [0, 1]`);
      return v;
    });
  };
  const fpr = points('fpr');
  const y = points('y');
  if (fpr.length !== y.length) fail(`${where} has ${fpr.length} fpr values but ${y.length} y values`);
  return { fpr, y };
}

/** The evaluation in the manifest, field by field; null when the bundle has none. */
function readMetrics(value: unknown): BundleMetrics | null {
  if (value === null) return null;
  const m = object(value, 'metrics');
  const evaluatedAt = string(m, 'evaluatedAt', 'metrics');
  if (Number.isNaN(Date.parse(evaluatedAt))) fail(`metrics.evaluatedAt "${evaluatedAt.slice(0, 40)}" is not an ISO 8601 date`);
  const defects = object(field(m, 'perDefect', 'metrics'), 'metrics.perDefect');
  const types = Object.keys(defects);
  if (types.length > MAX_DEFECT_TYPES) fail(`metrics.perDefect has ${types.length} defect types, over the limit of ${MAX_DEFECT_TYPES}`);
  // fromEntries defines own properties, so a type named "__proto__" stays a name.
  const perDefect = Object.fromEntries(
    types.map((type) => {
      if (type.length > MAX_NAME_LENGTH) fail(`metrics.perDefect has a defect type name of ${type.length} characters, over the limit of ${MAX_NAME_LENGTH}`);
      return [type, readFigures(defects[type], `metrics.perDefect[${JSON.stringify(type)}]`)];
    }),
  );
  return {
    overall: readFigures(field(m, 'overall', 'metrics'), 'metrics.overall'),
    perDefect,
    roc: readCurve(field(m, 'roc', 'metrics'), 'metrics.roc'),
    pro: readCurve(field(m, 'pro', 'metrics'), 'metrics.pro'),
    ...(Object.hasOwn(m, 'testImages') && { testImages: readTestImages(m.testImages) }),
    evaluatedAt,
  };
}

/** Each test image's defect type and finite severity (evaluations from before severities have none). */
function readTestImages(value: unknown): ScoredTestImage[] {
  if (!Array.isArray(value)) fail('metrics.testImages is not a JSON array');
  if (value.length > MAX_CURVE_POINTS) fail(`metrics.testImages has ${value.length} images, over the limit of ${MAX_CURVE_POINTS}`);
  return value.map((v, i) => {
    const o = object(v, `metrics.testImages[${i}]`);
    const defectType = string(o, 'defectType', `metrics.testImages[${i}]`);
    const severity = field(o, 'severity', `metrics.testImages[${i}]`);
    if (defectType.length > MAX_NAME_LENGTH) fail(`metrics.testImages[${i}].defectType is over ${MAX_NAME_LENGTH} characters`);
    if (typeof severity !== 'number' || !Number.isFinite(severity)) fail(`metrics.testImages[${i}].severity is ${JSON.stringify(severity)}, not a finite number`);
    return { defectType, severity };
  });
}

/** The manifest's tensor list must describe the safetensors file exactly: no more, no fewer, same dtypes and shapes. */
function checkTensorList(list: unknown[], file: SafetensorsFile): void {
  const listed = new Set<string>();
  list.forEach((v, i) => {
    const o = object(v, `tensors[${i}]`);
    const name = string(o, 'name', `tensors[${i}]`);
    const dtype = string(o, 'dtype', `tensors[${i}]`);
    const shape = field(o, 'shape', `tensors[${i}]`);
    const t = file.tensors.get(name);
    if (!t) return fail(`the manifest lists tensor "${name}", which ${TENSORS} does not hold`);
    if (listed.has(name)) fail(`the manifest lists tensor "${name}" more than once`);
    listed.add(name);
    if (dtype !== t.dtype) fail(`the manifest says tensor "${name}" is ${dtype}, but it is ${t.dtype}`);
    if (!Array.isArray(shape) || shape.length !== t.shape.length || shape.some((d, j) => d !== t.shape[j])) {
      fail(`the manifest gives tensor "${name}" shape ${JSON.stringify(shape)}, but it has [${t.shape.join(', ')}]`);
    }
  });
  for (const name of file.tensors.keys()) if (!listed.has(name)) fail(`${TENSORS} holds tensor "${name}", which the manifest does not list`);
}

/** Typed, shape-checked, finite tensors; remembers which were used so none is left unexplained. */
class TensorReader {
  private readonly used = new Set<string>();

  constructor(private readonly file: SafetensorsFile) {}

  /** A tensor the model has no place for is a sign of a different or damaged writer. */
  checkAllUsed(): void {
    for (const name of this.file.tensors.keys()) if (!this.used.has(name)) fail(`tensor "${name}" has no place in the model`);
  }

  private get<D extends DType>(name: string, dtype: D, shape?: readonly number[]): SafeTensor<D> {
    this.used.add(name);
    try {
      return expectTensor(this.file, name, dtype, shape);
    } catch (e) {
      if (e instanceof SafetensorsError) failInTensors(e);
      throw e;
    }
  }

  shape(name: string, t: SafeTensor, shape: readonly number[]): void {
    if (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i])) {
      fail(`tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
  }

  f32(name: string, shape?: readonly number[]): SafeTensor<'F32'> {
    return finite(name, this.get(name, 'F32', shape));
  }

  f64(name: string, shape?: readonly number[]): SafeTensor<'F64'> {
    return finite(name, this.get(name, 'F64', shape));
  }

  u8(name: string, shape?: readonly number[]): SafeTensor<'U8'> {
    return this.get(name, 'U8', shape);
  }
}

function finite<T extends SafeTensor<'F32' | 'F64'>>(name: string, t: T): T {
  const at = t.data.findIndex((v) => !Number.isFinite(v));
  if (at >= 0) fail(`tensor "${name}" holds ${t.data[at]} at element ${at}; every value must be finite`);
  return t;
}

function readTable(tensors: TensorReader, i: number): RateTable {
  const logRatioTensor = tensors.f64(`calibration.table.${i}.logRatio`);
  tensors.shape(`calibration.table.${i}.logRatio`, logRatioTensor, [logRatioTensor.data.length]);
  const logRatio = logRatioTensor.data;
  if (logRatio.length === 0) fail(`tensor "calibration.table.${i}.logRatio" is empty`);
  const rate = tensors.f64(`calibration.table.${i}.rate`, [logRatio.length]).data;
  for (let k = 0; k < logRatio.length; k++) {
    if (k > 0 && !(logRatio[k] > logRatio[k - 1])) fail(`calibration table ${i}: logRatio is not strictly increasing at knot ${k}`);
    if (k > 0 && !(rate[k] >= rate[k - 1])) fail(`calibration table ${i}: rate decreases at knot ${k}`);
    if (!(rate[k] >= 0 && rate[k] <= 1)) fail(`calibration table ${i}: rate ${rate[k]} at knot ${k} is outside [0, 1]`);
  }
  return { logRatio, rate };
}

function areaPatches(settings: Json): number {
  const value = field(settings, 'areaPatches', 'settings');
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_AREA_PATCHES)) fail(`settings.areaPatches is ${JSON.stringify(value)}, not 0 to ${MAX_AREA_PATCHES} patches`);
  return value;
}
