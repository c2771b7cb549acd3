/**
 * The headless commands' arguments: strict parsing (an unknown flag, a missing or malformed
 * value is a usage error, never a guess), the usage texts, and the exit codes they document.
 */
import { MAX_AREA_PATCHES } from '../../src/core/calibration/pooledSeverity';
import { NATIVE_MAX_SIDE, type Resolution } from '../../src/core/model/requests';
import { DEFAULT_ALPHA, DEFAULT_EPSILON, DEFAULT_SETTINGS, MAX_EPOCHS, MAX_ETALONS, MIN_ETALONS } from '../../src/state/settings';

export const EXIT = {
  ok: 0,
  /** Bad arguments: the usage was printed. */
  usage: 2,
  /** Bad data: a missing folder, no images, an unreadable file (the message names the path). */
  data: 3,
  /** The engine or the browser failed. */
  engine: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure that ends the command with `code`; the message is for a person. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

export type PathOption = 'auto' | 'webgpu' | 'wasm';

/** 'builtin' or the path of an .onnx file. */
export type BackboneOption = 'builtin' | { readonly file: string };

/**
 * How the image threshold is chosen: an α (the share of good parts to reject, from the held-out
 * good images), or a catch rate on the labelled defective images (reported with its α).
 */
export type ThresholdChoice = { readonly alpha: number } | { readonly catchRate: number };

export interface EvalOptions {
  readonly data: string;
  readonly backbone: BackboneOption;
  readonly size: number;
  readonly etalons: number;
  readonly epochs: number;
  readonly upsample: number;
  readonly seed: number;
  /** σ, in patches, of the neighbourhoods an image's severity also reads; 0: the worst cell only. */
  readonly areas: number;
  /** The size the test images are inspected at: the model's (--size), or their own (--native). */
  readonly resolution: Resolution;
  readonly joint: boolean;
  readonly path: PathOption;
  readonly out: string | null;
  readonly bundleOut: string | null;
  readonly threshold: ThresholdChoice;
  /** Tune the settings from the good images within a time budget; null: train the settings given. */
  readonly tune: { readonly budgetSeconds: number } | null;
  /** A regions-of-interest file (core/roi/regionSpec.ts); null: the whole image. */
  readonly roi: string | null;
}

/** `eval:suite`: every dataset under one folder, with each backbone, under the same settings. */
export interface SuiteOptions extends Pick<EvalOptions, 'size' | 'etalons' | 'epochs' | 'upsample' | 'seed' | 'areas' | 'resolution' | 'path' | 'out'> {
  readonly suite: string;
  readonly backbones: readonly BackboneOption[];
}

export interface InspectOptions {
  readonly bundle: string;
  readonly images: string;
  readonly out: string;
  readonly epsilon: number;
  /** The image false-reject rate α of the verdicts; null: the bundle's operating point, or DEFAULT_ALPHA without one. */
  readonly alpha: number | null;
  /** null: the bundle's own backbone, or the built-in one when the bundle was trained on it. */
  readonly backbone: BackboneOption | null;
  readonly resolution: Resolution;
  readonly path: PathOption;
  /** A regions-of-interest file that replaces the bundle's regions; null: the bundle's own. */
  readonly roi: string | null;
}

export interface DemoWriteOptions {
  readonly dir: string;
}

/** What a command line asks for: its options, or the usage text alone (--help). */
export type Parsed<T> = { readonly help: true } | { readonly help: false; readonly options: T };

const EXIT_TEXT = `Exit codes: 0 done; 2 bad arguments (this text is printed); 3 bad data (a missing folder,
no images, an unreadable file: the message names it); 4 the engine or the browser failed.`;

const ROI_TEXT = `  --roi FILE.json          regions of interest: {"marginPx": N, "regions": [{"kind": "rect",
                           "mode": "include"|"ignore", "x", "y", "width", "height"} or
                           {"kind": "polygon", "mode": …, "points": [{"x", "y"}, …]}]},
                           coordinates as shares (0–1) of the image, the margin in pixels;
                           no include region: the whole image; ignore wins over include;`;

const PATH_TEXT = `  --path auto|webgpu|wasm  where the backbone runs: measured (the app's default), or forced`;

/** Seconds a tuning may take by default: a few candidates at 448 px on a 2-core CPU. */
export const DEFAULT_TUNE_BUDGET = 600;

export const EVAL_USAGE = `Usage: npm run eval -- --data DIR [options]

Trains on DIR/train/good (the MVTec AD layout), inspects DIR/test/<type>/* and scores the
maps against DIR/ground_truth/<type>/<name>_mask.png, in the app's own engine in headless
Chromium. Prints one JSON document on stdout (npm adds its own header there: use
npm run --silent eval, or --out); progress goes to stderr.
When DIR has no train/good but subfolders that do, each subfolder is a category: one model
per category (or one multi-class model over all with --joint), the figures of each under
"categories" and their mean at the top level.

Options:
  --data DIR               the dataset (required)
  --backbone builtin|FILE.onnx   the backbone (default builtin)
  --size N                 longer image side in pixels, whole 14-px patches (default ${DEFAULT_SETTINGS.longestSide})
  --k K                    etalons per class, ${MIN_ETALONS}–${MAX_ETALONS} (default ${DEFAULT_SETTINGS.etalons})
  --epochs E               condensation epochs, 1–${MAX_EPOCHS} (default ${DEFAULT_SETTINGS.condensationEpochs})
  --upsample F             feature up-sampling factor, 1–7 (default ${DEFAULT_SETTINGS.upsample})
  --seed S                 training seed, a whole number (default ${DEFAULT_SETTINGS.seed})
  --areas P                judge each image by its worst cell or its worst neighbourhood of σ = P
                           patches, 0–${MAX_AREA_PATCHES}; 0: the worst cell only (default ${DEFAULT_SETTINGS.areaPatches})
  --native                 inspect the test images at their own size (whole patches; over
                           ${NATIVE_MAX_SIDE} px a side, or too many cells for --upsample,
                           scaled down) instead of --size; the model still trains at --size
  --joint                  several categories: one multi-class model instead of one each
${PATH_TEXT}
  --out FILE.json          also write the JSON document to FILE.json
  --bundle-out FILE.pixood also export the trained model (one category, or --joint), with
                           the --backbone file inside it when there is one
  --alpha A                the QC counts and the capability check at the image false-reject
                           rate α, 0 < A < 1 (default ${DEFAULT_ALPHA})
  --catch R                instead, at the threshold that fails a share R (0 < R ≤ 1) of the
                           labelled defective test images, reported with the α nearest it
  --tune                   train candidate settings (K 100, 300, 1000 at --size, then at 1.5×
                           --size), cheapest first, keep the one whose capability check lets
                           the fewest synthetic defects pass at α (good images only), and
                           report every candidate with its real figures under "tuning"
  --tune-budget S          seconds the tuning may take; no candidate starts that the last one's
                           time would carry past it (default ${DEFAULT_TUNE_BUDGET})
${ROI_TEXT} the figures, the QC counts
                           and the threshold are given within them (pixels outside not counted,
                           severities over included cells), and under "without_regions" over the
                           whole image; --bundle-out carries them
  --help                   this text

${EXIT_TEXT}
`;

export const SUITE_USAGE = `Usage: npm run eval:suite -- --suite DIR [options]

Runs \`eval\` on every dataset under DIR (each subfolder in the MVTec AD layout: train/good,
test/<type>, ground_truth/<type>), one model per dataset and backbone, all in one headless
Chromium. Prints a Markdown table (dataset, backbone, settings, image AUROC, pixel AUROC,
AUPRO, pixel AP, training and inspection seconds) and one line per run:
realdata: name=… backbone=… image_auroc=… pixel_auroc=… aupro_0_3=…
Progress goes to stderr.

Options:
  --suite DIR              the folder of datasets (required)
  --backbone LIST          comma-separated: builtin and/or FILE.onnx (default builtin)
  --size N, --k K, --epochs E, --upsample F, --seed S, --areas P, --native, --path P   as for eval
  --out FILE.json          also write every run's eval JSON document, in one array
  --help                   this text

${EXIT_TEXT}
`;

export const INSPECT_USAGE = `Usage: npm run inspect -- --bundle FILE.pixood --images DIR --out DIR [options]

Scores every image under DIR (recursively) with an exported model, in the app's own engine
in headless Chromium. Writes OUT/<relative name>.heatmap.png (the app's colours) and
OUT/results.csv (name, image_score, severity, severity_vs_limit, epsilon, alpha, catch_rate,
image_threshold, verdict, width, height, seconds, heatmap, error); an image fails when its
severity reaches the threshold: the one the bundle's held-out good images give for --alpha, or
without --alpha the bundle's own operating point (an α, or a catch rate set in the app). A bundle
without held-out images (trained before image verdicts) gives the verdict "needs recalibration". Progress goes to stderr.

Options:
  --bundle FILE.pixood     the model (required)
  --images DIR             the images (required)
  --out DIR                where the heatmaps and results.csv go (required; created)
  --epsilon E              the pixel false-alarm rate ε of the heatmap, 0 < E < 1 (default ${DEFAULT_EPSILON})
  --alpha A                the image false-reject rate α, 0 < A < 1 (default: the bundle's
                           operating point, as the app exported it, or ${DEFAULT_ALPHA})
  --native                 score each image at its own size (whole patches; very large
                           images scaled down) instead of the model's input size
  --backbone builtin|FILE.onnx   the model's backbone (default: the built-in one when the
                           model was trained on it, else the one inside the bundle); its
                           SHA-256 must match the model's
${ROI_TEXT} the severities,
                           verdicts and heatmaps are within them (default: the bundle's own)
${PATH_TEXT}
  --help                   this text

${EXIT_TEXT} Unreadable images get a row with
the error and exit code 3 once the others are done.
`;

export const DEMO_WRITE_USAGE = `Usage: npm run demo:write -- DIR

Writes the app's demo dataset (woven fabric) into DIR in the MVTec AD layout:
DIR/<category>/train/good, DIR/<category>/test/<type>, DIR/<category>/ground_truth/<type>.

${EXIT_TEXT}
`;

type FlagKind = 'value' | 'switch';

/** Flags → values as given ('' for switches), and the words that are not flags. */
function split(argv: readonly string[], flags: Readonly<Record<string, FlagKind>>): { values: Map<string, string>; positional: string[] } {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const kind = flags[name];
    if (!kind) throw new CliError(EXIT.usage, `Unknown option ${eq < 0 ? word : word.slice(0, eq)}.`);
    if (values.has(name)) throw new CliError(EXIT.usage, `--${name} is given twice.`);
    if (kind === 'switch') {
      if (eq >= 0) throw new CliError(EXIT.usage, `--${name} takes no value.`);
      values.set(name, '');
    } else if (eq >= 0) {
      values.set(name, word.slice(eq + 1));
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliError(EXIT.usage, `--${name} needs a value.`);
      values.set(name, next);
      i++;
    }
    if (kind === 'value' && values.get(name) === '') throw new CliError(EXIT.usage, `--${name} needs a value.`);
  }
  return { values, positional };
}

function wholeNumber(values: Map<string, string>, name: string, fallback: number, least: number, most: number): number {
  const text = values.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < least || value > most) {
    throw new CliError(EXIT.usage, `--${name} must be a whole number from ${least} to ${most}, not “${text}”.`);
  }
  return value;
}

function backbone(text: string | undefined): BackboneOption | null {
  if (text === undefined) return null;
  if (text === 'builtin') return 'builtin';
  if (!/\.onnx$/i.test(text)) throw new CliError(EXIT.usage, `--backbone takes “builtin” or an .onnx file, not “${text}”.`);
  return { file: text };
}

function path(text: string | undefined): PathOption {
  if (text === undefined || text === 'auto' || text === 'webgpu' || text === 'wasm') return text ?? 'auto';
  throw new CliError(EXIT.usage, `--path takes auto, webgpu or wasm, not “${text}”.`);
}

function resolution(values: ReadonlyMap<string, string>): Resolution {
  return values.has('native') ? 'native' : 'model';
}

function required(values: Map<string, string>, name: string): string {
  const value = values.get(name);
  if (value === undefined) throw new CliError(EXIT.usage, `--${name} is required.`);
  return value;
}

function noPositional(positional: readonly string[]): void {
  if (positional.length > 0) throw new CliError(EXIT.usage, `Unexpected argument “${positional[0]}”: every value follows its --option.`);
}

/** Largest longer side accepted: the app's largest input size choice, with room above it. */
const MAX_SIZE = 14 * 128;

/** The training options `eval` and `eval:suite` share. */
const TRAINING_FLAGS: Readonly<Record<string, FlagKind>> = { size: 'value', k: 'value', epochs: 'value', upsample: 'value', seed: 'value', areas: 'value', native: 'switch', path: 'value' };

type TrainingOptions = Pick<EvalOptions, 'size' | 'etalons' | 'epochs' | 'upsample' | 'seed' | 'areas' | 'resolution' | 'path'>;

function trainingOptions(values: Map<string, string>): TrainingOptions {
  const size = wholeNumber(values, 'size', DEFAULT_SETTINGS.longestSide, 14, MAX_SIZE);
  if (size % 14 !== 0) throw new CliError(EXIT.usage, `--size must be a multiple of 14 (whole patches), not ${size}: try ${Math.round(size / 14) * 14}.`);
  return {
    size,
    etalons: wholeNumber(values, 'k', DEFAULT_SETTINGS.etalons, MIN_ETALONS, MAX_ETALONS),
    epochs: wholeNumber(values, 'epochs', DEFAULT_SETTINGS.condensationEpochs, 1, MAX_EPOCHS),
    upsample: wholeNumber(values, 'upsample', DEFAULT_SETTINGS.upsample, 1, 7),
    seed: wholeNumber(values, 'seed', DEFAULT_SETTINGS.seed, 0, 2 ** 31 - 1),
    areas: wholeNumber(values, 'areas', DEFAULT_SETTINGS.areaPatches ?? 0, 0, MAX_AREA_PATCHES),
    resolution: resolution(values),
    path: path(values.get('path')),
  };
}

function roiFile(values: ReadonlyMap<string, string>): string | null {
  const file = values.get('roi') ?? null;
  if (file !== null && !/\.json$/i.test(file)) throw new CliError(EXIT.usage, `--roi names a .json file of regions, not “${file}”.`);
  return file;
}

function jsonOut(values: Map<string, string>): string | null {
  const out = values.get('out') ?? null;
  if (out !== null && !/\.json$/i.test(out)) throw new CliError(EXIT.usage, `--out names a .json file, not “${out}”.`);
  return out;
}

export function parseEvalArgs(argv: readonly string[]): Parsed<EvalOptions> {
  const { values, positional } = split(argv, { ...TRAINING_FLAGS, data: 'value', backbone: 'value', joint: 'switch', out: 'value', 'bundle-out': 'value', alpha: 'value', catch: 'value', tune: 'switch', 'tune-budget': 'value', roi: 'value', help: 'switch' });
  if (values.has('help')) return { help: true };
  noPositional(positional);
  const training = trainingOptions(values);
  const out = jsonOut(values);
  const bundleOut = values.get('bundle-out') ?? null;
  if (bundleOut !== null && !/\.pixood$/i.test(bundleOut)) throw new CliError(EXIT.usage, `--bundle-out names a .pixood file, not “${bundleOut}”.`);
  if (values.has('tune-budget') && !values.has('tune')) throw new CliError(EXIT.usage, '--tune-budget sets the time of --tune: add --tune.');
  return {
    help: false,
    options: {
      data: required(values, 'data'),
      backbone: backbone(values.get('backbone')) ?? 'builtin',
      ...training,
      joint: values.has('joint'),
      out,
      bundleOut,
      threshold: thresholdChoice(values),
      tune: values.has('tune') ? { budgetSeconds: wholeNumber(values, 'tune-budget', DEFAULT_TUNE_BUDGET, 10, 86_400) } : null,
      roi: roiFile(values),
    },
  };
}

export function parseSuiteArgs(argv: readonly string[]): Parsed<SuiteOptions> {
  const { values, positional } = split(argv, { ...TRAINING_FLAGS, suite: 'value', backbone: 'value', out: 'value', help: 'switch' });
  if (values.has('help')) return { help: true };
  noPositional(positional);
  const backbones = (values.get('backbone') ?? 'builtin').split(',').map((name) => backbone(name.trim()) ?? 'builtin');
  return { help: false, options: { suite: required(values, 'suite'), backbones, ...trainingOptions(values), out: jsonOut(values) } };
}

export function parseInspectArgs(argv: readonly string[]): Parsed<InspectOptions> {
  const { values, positional } = split(argv, { bundle: 'value', images: 'value', out: 'value', epsilon: 'value', alpha: 'value', native: 'switch', backbone: 'value', path: 'value', roi: 'value', help: 'switch' });
  if (values.has('help')) return { help: true };
  noPositional(positional);
  const epsilon = rate(values, 'epsilon', DEFAULT_EPSILON);
  const alpha = values.has('alpha') ? rate(values, 'alpha', DEFAULT_ALPHA) : null;
  return {
    help: false,
    options: {
      bundle: required(values, 'bundle'),
      images: required(values, 'images'),
      out: required(values, 'out'),
      epsilon,
      alpha,
      resolution: resolution(values),
      backbone: backbone(values.get('backbone')),
      path: path(values.get('path')),
      roi: roiFile(values),
    },
  };
}

/** A rate option in (0, 1), or its default when not given. */
function thresholdChoice(values: ReadonlyMap<string, string>): ThresholdChoice {
  if (!values.has('catch')) return { alpha: rate(values, 'alpha', DEFAULT_ALPHA) };
  if (values.has('alpha')) throw new CliError(EXIT.usage, '--alpha and --catch each set the threshold: give one of them.');
  const text = values.get('catch') ?? '';
  const catchRate = Number(text);
  if (!(catchRate > 0 && catchRate <= 1) || text.trim() === '') throw new CliError(EXIT.usage, `--catch must be a share of the defective images, 0 < R ≤ 1, not “${text}”.`);
  return { catchRate };
}

function rate(values: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const text = values.get(name);
  const value = text === undefined ? fallback : Number(text);
  if (!(value > 0 && value < 1) || text?.trim() === '') throw new CliError(EXIT.usage, `--${name} must be a number between 0 and 1, not “${text}”.`);
  return value;
}

export function parseDemoWriteArgs(argv: readonly string[]): Parsed<DemoWriteOptions> {
  const { values, positional } = split(argv, { help: 'switch' });
  if (values.has('help')) return { help: true };
  if (positional.length !== 1) throw new CliError(EXIT.usage, positional.length === 0 ? 'Name the folder to write the demo into.' : 'Name one folder only.');
  return { help: false, options: { dir: positional[0] } };
}
