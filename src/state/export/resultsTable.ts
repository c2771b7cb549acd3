/**
 * Inspection results as files a person takes elsewhere: a CSV for a spreadsheet, a JSON with
 * everything (settings, figures), and the heatmaps as PNGs in one zip.
 */
import { zipSync } from 'fflate';
import { qcRow } from './evaluationExport';
import { relativeSeverity } from '../../core/results/imageVerdict';
import { imagePixelsPerMapPixel, regionsAt, rejectedShare } from '../../core/results/regions';
import { mapsWithin } from '../../core/roi/judgeWithin';
import { WHOLE_IMAGE, type RegionSpec } from '../../core/roi/regionSpec';
import { modelStanding } from '../modelHealth';
import type { EvaluationRecord, ImageRecord, ModelRecord, ProjectRecord, ResultRecord } from '../../storage/projectRecords';

export interface ExportContext {
  readonly project: ProjectRecord;
  readonly model: ModelRecord | undefined;
  readonly images: readonly ImageRecord[];
  readonly results: readonly ResultRecord[];
}

interface Row {
  readonly name: string;
  /** 1 − s_in of the worst cell: the pixel scale's peak. */
  readonly image_score: number;
  /** Nats, null for results from before image severities: what the verdict compares. */
  readonly severity: number | null;
  /** The severity on the good parts' scale: 0 at the held-out images' median, 1 at the threshold (relativeSeverity). */
  readonly severity_vs_limit: number | null;
  readonly epsilon: number;
  readonly alpha: number;
  readonly image_threshold: number | null;
  readonly verdict: string;
  /** A pass from a weak model, to be looked at. */
  readonly unsure: boolean;
  readonly reason: string;
  /** The verdict's comparison in nats. */
  readonly verdict_details: string;
  /** Share of the image's pixels flagged at ε, 0–1 (from the kept map, whose pixels are block maxima). */
  readonly flagged_share: number;
  /** Connected regions flagged at ε. */
  readonly region_count: number;
  /** The largest region's size in image pixels; 0 with none. */
  readonly largest_region_px: number;
  /** The truth: the test image's defect type ('good' for good ones); '' when not known (not a project test image). */
  readonly defect_type: string;
  /** The model that decided: its backbone and when it was trained (ISO 8601). */
  readonly backbone: string;
  readonly model_trained_at: string;
  readonly image_width: number;
  readonly image_height: number;
  readonly seconds: number;
  readonly inspected_at: string;
}

function rows({ images, results, model }: ExportContext): Row[] {
  const byId = new Map(images.map((i) => [i.id, i]));
  const calibration = model?.model.imageCalibration ?? null;
  return results.map((r) => ({
    ...regionColumns(r, model?.model.regions ?? WHOLE_IMAGE),
    name: r.name,
    image_score: r.imageScore,
    severity: finite(r.severity),
    severity_vs_limit: calibration && r.threshold !== null && Number.isFinite(r.severity) ? relativeSeverity(r.severity, calibration, r.threshold) : null,
    epsilon: r.epsilon,
    alpha: r.alpha,
    image_threshold: r.threshold,
    verdict: r.verdict,
    unsure: r.unsure ?? false,
    reason: r.reason,
    verdict_details: r.details ?? '',
    defect_type: (r.imageId && byId.get(r.imageId)?.defectType) || '',
    backbone: model?.model.backbone.name ?? '',
    model_trained_at: model?.model.createdAt ?? '',
    image_width: r.imageWidth,
    image_height: r.imageHeight,
    seconds: r.seconds,
    inspected_at: r.inspectedAt,
  }));
}

/** What the pixel rate ε flags in a result, in the image's pixels (each kept map pixel is a block of them). */
function regionColumns(result: ResultRecord, regions: RegionSpec): Pick<Row, 'flagged_share' | 'region_count' | 'largest_region_px'> {
  const { epsilon } = result;
  // Within the model's regions of interest: nothing outside them is flagged.
  const maps = mapsWithin(regions, result.maps, result);
  const { count, largest } = regionsAt(maps.score, maps.width, maps.height, epsilon);
  const block = imagePixelsPerMapPixel(maps, result);
  return { flagged_share: rejectedShare(maps.score, epsilon), region_count: count, largest_region_px: largest ? Math.round(largest.pixels * block) : 0 };
}

/**
 * One CSV field (RFC 4180); null is an empty field. A text starting with =, +, − or @ would run
 * as a formula in a spreadsheet; a leading apostrophe keeps it text (OWASP's advice for CSV
 * injection). Names here are ones a person chose: files, folders, defect types.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function resultsCsv(context: ExportContext): Blob {
  const table = rows(context);
  const header: (keyof Row)[] = [
    'name',
    'image_score',
    'severity',
    'severity_vs_limit',
    'epsilon',
    'alpha',
    'image_threshold',
    'verdict',
    'unsure',
    'reason',
    'verdict_details',
    'flagged_share',
    'region_count',
    'largest_region_px',
    'defect_type',
    'backbone',
    'model_trained_at',
    'image_width',
    'image_height',
    'seconds',
    'inspected_at',
  ];
  const lines = [header.join(','), ...table.map((row) => header.map((key) => csvField(row[key])).join(','))];
  return new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv' });
}

/** What the capability check says at the project's α and ε; null for a model without one. */
function capabilityExport(record: ModelRecord, project: ProjectRecord) {
  const standing = modelStanding(record.model, record.evaluation, project);
  const check = record.model.capability;
  if (!check || !standing.capability) return null;
  const { kinds, midSizes, midEscape, escape, weak } = standing.capability;
  return { summary: standing.capabilityLine, weak, midSizes, midEscape, escape, sizes: check.sizes, kinds, heldOutImages: check.images, longestSide: check.longestSide };
}

/** NaN is not JSON: figures that do not exist (one kind of image only) become null. */
const finite = (value: number) => (Number.isFinite(value) ? value : null);

/** The held-out good images behind the verdicts; null when the model has none (it needs recalibration). */
function heldOutSummary({ model }: ModelRecord) {
  const calibration = model.imageCalibration;
  return calibration && { heldOutImages: calibration.heldOut.map((names) => names.length), severities: calibration.severities };
}

function figures(evaluation: EvaluationRecord | undefined) {
  if (!evaluation) return null;
  const { overall } = evaluation;
  return {
    images: overall.images,
    defectImages: overall.defectImages,
    imageAuroc: finite(overall.imageAuroc),
    pixelAuroc: finite(overall.pixelAuroc),
    aupro: finite(overall.aupro),
    ap: finite(overall.ap),
    f1Max: finite(overall.f1Max),
    fprAt95Tpr: finite(overall.fprAt95Tpr),
    evaluatedAt: evaluation.evaluatedAt,
  };
}

export function resultsJson(context: ExportContext): Blob {
  const { project, model } = context;
  const document = {
    project: project.name,
    exportedAt: new Date().toISOString(),
    model: model && {
      createdAt: model.model.createdAt,
      backbone: model.model.backbone.name,
      backboneSha256: model.model.backbone.sha256,
      classes: model.model.classes,
      settings: model.model.settings,
      validEtalons: model.model.summary.validEtalons,
      evaluation: figures(model.evaluation),
      capability: capabilityExport(model, project),
    },
    epsilon: project.epsilon,
    alpha: project.alpha,
    minDefectArea: project.minDefectArea,
    imageCalibration: model && heldOutSummary(model),
    qc: model?.evaluation ? qcRow(model.evaluation, model.model.imageCalibration, project) : null,
    results: rows(context),
  };
  return new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
}

/** A file name from an image's path, without its extension: folders joined with '_', then cleaned as a typed name is (fileNamePart). */
export function safeFileName(path: string): string {
  const parts = path.replace(/\.[^./\\]*$/, '').split(/[/\\]+/).filter((part) => part !== '');
  return fileNamePart(parts.join('_'), 'image');
}

/** Every result's heatmap as <image>.heatmap.png (numbered when names repeat), stored uncompressed: PNGs are compressed already. */
export async function heatmapsZip(results: readonly ResultRecord[]): Promise<Blob> {
  const files: Record<string, Uint8Array> = {};
  for (const result of results) {
    const base = safeFileName(result.name);
    let name = `${base}.heatmap.png`;
    for (let n = 2; name in files; n++) name = `${base} (${n}).heatmap.png`;
    files[name] = new Uint8Array(await result.heatmap.arrayBuffer());
  }
  return new Blob([zipSync(files, { level: 0 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}

/** Names Windows keeps for devices, with or without an extension ("CON", "com1.txt"). */
const RESERVED_ON_WINDOWS = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/** The most UTF-8 bytes of a person's name kept in a file name: room for the rest within the 255 that file systems allow. */
const NAME_BYTES = 120;

/**
 * A name a person typed, as part of a file name on any system: no folder separators, control
 * or invisible formatting characters (a right-to-left override can disguise an extension),
 * quotes or characters Windows refuses; no leading dot (a hidden file), no trailing dot or
 * space, no device name, and at most NAME_BYTES bytes. Letters of every script are kept.
 */
function fileNamePart(name: string, fallback: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/\p{C}+/gu, ' ')
    .replace(/[<>:"'`/\\|?*]+/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s._]+|[\s.]+$/g, '');
  const encoder = new TextEncoder();
  let kept = '';
  for (const character of cleaned) {
    if (encoder.encode(kept + character).length > NAME_BYTES) break;
    kept += character;
  }
  kept = kept.replace(/[\s.]+$/, '');
  if (!kept) return fallback;
  return RESERVED_ON_WINDOWS.test(kept) ? `_${kept}` : kept;
}

/** A project's export file: its name, what it holds, the extension ("Bottles-results.csv"). */
export function exportName(project: ProjectRecord, what: string, extension: string): string {
  return `${fileNamePart(project.name, 'project')}-${what}.${extension}`;
}
