/**
 * Inspection: images go to the engine as one streamed job with the project's current model, and
 * each result is kept as it arrives (reduced maps, a heatmap PNG, a preview) so it survives a
 * reload; a change of the verdict rule decides every kept result again. What it finds goes into
 * the inspection store (src/state/inspectionStore.ts).
 */
import { alphaForThreshold, thresholdToCatch } from '../../core/calibration/operatingPoint';
import { evaluationOrder, GOOD_TYPE } from '../../core/metrics/evaluation';
import type { Job } from '../../engine/client';
import type { Inspection, InspectionSummary } from '../../engine/api';
import { PREVIEW_SIDE, type ImageRecord, type ModelRecord, type ResultRecord } from '../../storage/projectRecords';
import { failureMessage, isCancelled, isEngineCrash } from '../../state/failure';
import { folders, type IncomingFile, type Rejection } from '../../state/intake/incoming';
import { readImage, shrink } from '../../state/intake/readImage';
import { labelledTestSet, type TestSet } from '../../state/intake/testSet';
import { reduceMaps } from '../../core/results/reduceMaps';
import type { VerdictRule } from '../../core/results/imageVerdict';
import { useInspection } from '../../state/inspectionStore';
import { calibrationWithin } from '../../core/roi/judgeWithin';
import { parseRegionSpec, RegionSpecError, WHOLE_IMAGE, type RegionSpec } from '../../core/roi/regionSpec';
import { currentTarget, decided, heatmapOf, type ModelTarget } from '../../state/modelTarget';
import { addTestSet, dismissRejections, openProject, refreshStorage, updateProject, useProjects } from '../../state/projectsStore';
import { engineClient, newId, projects } from '../../state/services';

const set = useInspection.setState;
const get = useInspection.getState;

let job: Job<InspectionSummary> | null = null;
let cancelled = false;

/** Loads the kept results of a project's current model. */
export async function loadResults(projectId: string, modelId: string | null): Promise<void> {
  const all = modelId ? await (await projects()).listResults(projectId) : [];
  const target = currentTarget();
  // Decided again as they load: the rule (α set on the Train screen) or the model's standing may have changed since they were kept.
  const results = all
    .filter((r) => r.modelId === modelId)
    .sort((a, b) => a.inspectedAt.localeCompare(b.inspectedAt))
    .map((r) => (target && target.model.id === modelId ? { ...r, ...decided(r, target.model, target.rule) } : r));
  const selectedId = get().projectId === projectId && results.some((r) => r.id === get().selectedId) ? get().selectedId : (results.at(-1)?.id ?? null);
  set({ projectId, results, selectedId, ...(get().projectId !== projectId && { rejected: [], error: null }) });
}

/** The regions, and with a minimum defect area the verdicts, of every kept result change with ε, in the database too. */
export const setEpsilon = (epsilon: number) => changeRule({ epsilon });

/** Every kept result is decided again at the new image false-reject rate α, picked as it is. */
export const setAlpha = (alpha: number) => changeRule({ alpha, byCatch: null });

/**
 * The threshold that fails `rate` of the current model's labelled defective test images, with the
 * α that comes nearest (operatingPoint.ts); every kept result is decided again. Refused without an evaluation.
 */
export async function setCatchRate(rate: number): Promise<void> {
  const target = currentTarget();
  const model = target?.model.model;
  const calibration = model?.imageCalibration && calibrationWithin(model.regions ?? WHOLE_IMAGE, model.imageCalibration);
  const defects = (target?.model.evaluation?.testImages ?? []).filter((image) => image.defectType !== GOOD_TYPE).map((image) => image.severity);
  if (!calibration || defects.length === 0) {
    set({ error: 'A threshold by catch rate needs a model with pass/fail calibration and an evaluation on labelled defective images.' });
    return;
  }
  const threshold = thresholdToCatch(defects, rate);
  await changeRule({ alpha: alphaForThreshold(calibration.severities, threshold), byCatch: { rate, threshold } });
}

/** Image pixels the largest region must cover for a FAIL; 0: no minimum. */
export async function setMinDefectArea(pixels: number): Promise<void> {
  if (!(Number.isFinite(pixels) && pixels >= 0)) {
    set({ error: `The minimum defect area must be a number of pixels ≥ 0, not ${pixels}.` });
    return;
  }
  await changeRule({ minDefectArea: Math.round(pixels) });
}

async function changeRule(change: Partial<VerdictRule>): Promise<void> {
  await updateProject((p) => ({ ...p, ...change }));
  await decideAgain();
}

/**
 * New regions of interest for the current model: refused with the reason when malformed. They
 * change no trained number, so every kept result is judged again at once (its heatmap redrawn);
 * the threshold within them comes from the held-out good images' cell severities the model keeps.
 */
export async function setRegions(spec: unknown): Promise<boolean> {
  const target = currentTarget();
  if (!target) return false;
  let regions: RegionSpec;
  try {
    regions = parseRegionSpec(spec);
  } catch (error) {
    set({ error: error instanceof RegionSpecError ? error.message : failureMessage(error) });
    return false;
  }
  await (await projects()).setRegions(target.model.id, regions);
  await openProject(target.projectId);
  await decideAgain(true);
  return true;
}

/**
 * Every kept result decided again with the current rule and what is known of the model (an
 * evaluation may show it weak); `redraw`: the regions changed, so the heatmaps are drawn again.
 */
async function decideAgain(redraw = false): Promise<void> {
  const target = currentTarget();
  if (!target) return;
  const results = get().results.map((r) => ({ ...r, ...decided(r, target.model, target.rule), ...(redraw && { heatmap: heatmapOf(r, target.model) }) }));
  set({ results });
  await (await projects()).addResults(results);
}

interface Pending {
  readonly name: string;
  readonly blob: Blob;
  readonly preview: Blob;
  readonly width: number;
  readonly height: number;
  /** A project test image: its id and its ground truth. */
  readonly test?: { readonly image: ImageRecord };
}

/** Checks dropped or captured files and inspects those that are images. */
export async function inspectFiles(files: readonly IncomingFile[]): Promise<void> {
  if (job || get().progress) return;
  const target = currentTarget();
  if (!target) {
    set({ error: 'Train a model first: inspection compares images with what the model learned.' });
    return;
  }
  const testSet = labelledTestSet(files);
  if (testSet) {
    await inspectDroppedTestSet(target, testSet);
    return;
  }
  const rejected: Rejection[] = [];
  set({ rejected: [], error: null });
  const pending = await prepare(
    files.map(({ file, path }) => ({ name: path, blob: file })),
    'Reading images',
    rejected,
  );
  await run(target, pending, false);
}

/** Reads each image's size and preview; one that cannot be read joins `rejected` with its reason. */
async function prepare(images: readonly Omit<Pending, 'preview' | 'width' | 'height'>[], label: string, rejected: Rejection[]): Promise<Pending[]> {
  const pending: Pending[] = [];
  set({ progress: { label, done: 0, total: images.length } });
  for (const [index, image] of images.entries()) {
    const check = await readImage(image.blob);
    if (check.ok) {
      try {
        pending.push({ ...image, preview: await shrink(check.bitmap, PREVIEW_SIDE), width: check.width, height: check.height });
      } finally {
        check.bitmap.close();
      }
    } else rejected.push({ path: image.name, reason: check.reason });
    set({ progress: { label, done: index + 1, total: images.length }, rejected: [...rejected] });
  }
  return pending;
}

/**
 * A labelled test set dropped here: its test images join the project's test set (repeats are
 * not added twice), its training images are named and left alone, and the whole test set is
 * inspected and scored, as "Inspect the test images" does.
 */
async function inspectDroppedTestSet(target: ModelTarget, testSet: TestSet): Promise<void> {
  cancelled = false;
  set({ progress: { label: 'Reading the test set', done: 0, total: testSet.test.length }, rejected: [], error: null });
  const unsubscribe = useProjects.subscribe(({ intake }) => intake && set({ progress: intake }));
  let rejected: readonly Rejection[];
  try {
    rejected = await addTestSet(testSet);
  } finally {
    unsubscribe();
    set({ progress: null });
  }
  // The skipped files are listed here, where they were dropped, not again on the Project screen.
  dismissRejections();
  const train = testSet.train.length === 0 ? [] : [{ path: `${folders(testSet.train[0].path).join('/')}/`, reason: `${testSet.train.length} good image${testSet.train.length === 1 ? '' : 's'} for training: not inspected. To train on them, drop the folder on the Project screen.` }];
  if (!cancelled) await inspectTests(target, [...train, ...rejected]);
  else set({ rejected: [...train, ...rejected] });
}

/** Inspects the project's test images and scores the model against their masks. */
export async function inspectTestSet(): Promise<void> {
  if (job || get().progress) return;
  const target = currentTarget();
  if (target) await inspectTests(target, []);
}

/** `earlier`: files skipped before, listed first. */
async function inspectTests(target: ModelTarget, earlier: readonly Rejection[]): Promise<void> {
  const tests = useProjects.getState().current?.images.filter((i) => i.role === 'test') ?? [];
  const rejected: Rejection[] = [...earlier];
  set({ rejected: [...rejected], error: null });
  const pending = await prepare(
    // Good first, then type by type: the evaluation worker makes each type's figures while the
    // rest are inspected, instead of all of them after the last image (evaluationOrder).
    evaluationOrder(tests, (image) => image.defectType ?? GOOD_TYPE).map((image) => ({ name: image.name, blob: image.blob, test: { image } })),
    'Preparing the test images',
    rejected,
  );
  if (pending.length === 0) {
    set({ progress: null, rejected: [...rejected] });
    return;
  }
  await run(target, pending, true);
}

/**
 * Sends the images as one streamed job and keeps each result as it arrives; with `evaluation`
 * the worker also scores the maps against the test images' masks, and the figures are kept.
 */
async function run(target: ModelTarget, pending: readonly Pending[], evaluation: boolean): Promise<void> {
  const { model, rule, projectId, resolution } = target;
  const label = evaluation ? 'Inspecting the test images' : 'Inspecting';
  cancelled = false;
  const store = await projects();
  const started = performance.now();
  const truth = evaluation ? pending.map((p) => ({ mask: p.test?.image.mask ?? null, defectType: p.test?.image.defectType ?? GOOD_TYPE })) : null;
  try {
    set({ progress: { label, done: 0, total: pending.length } });
    job = engineClient().inspect(
      model.model,
      pending.map((p) => p.blob),
      { truth, resolution, regions: model.model.regions ?? null },
      (index, inspection) => keep(projectId, model.id, [resultRecord(projectId, model, rule, pending[index], inspection)]),
      (progress) => {
        const elapsed = (performance.now() - started) / 1000;
        set({ progress: { label, done: progress.done, total: pending.length, ...(progress.done > 0 && { imagesPerSecond: progress.done / elapsed }) } });
      },
    );
    const summary = await job.result;
    if (summary.evaluation && !cancelled) {
      await store.setEvaluation(model.id, { ...summary.evaluation, evaluatedAt: new Date().toISOString() });
      await openProject(projectId);
      await decideAgain();
    }
  } catch (error) {
    // A crash has its own notice, which says what was lost; saying it here too would repeat it.
    if (!isCancelled(error) && !isEngineCrash(error)) set({ error: `Inspection failed: ${failureMessage(error)}` });
  } finally {
    job = null;
    set({ progress: null });
    void refreshStorage();
  }
}

/**
 * Stores new results; a result of the same image (by name) with the same model is replaced, in
 * the database and in the table, so inspecting an image again never adds a second row.
 */
async function keep(projectId: string, modelId: string, records: readonly ResultRecord[]): Promise<void> {
  const store = await projects();
  const names = new Set(records.map((r) => r.name));
  const shown = get().projectId === projectId;
  const earlier = shown ? get().results : (await store.listResults(projectId)).filter((r) => r.modelId === modelId);
  const replaced = new Set(earlier.filter((r) => names.has(r.name)).map((r) => r.id));
  await store.addResults(records);
  if (replaced.size > 0) await store.deleteResults([...replaced]);
  if (shown) set({ results: [...get().results.filter((r) => !replaced.has(r.id)), ...records], selectedId: records.at(-1)?.id ?? get().selectedId });
}

function resultRecord(projectId: string, model: ModelRecord, rule: VerdictRule, item: Pending, inspection: Inspection): ResultRecord {
  const maps = reduceMaps(inspection);
  const kept = { severity: inspection.severity, maps, cells: inspection.cells, imageWidth: inspection.imageWidth, imageHeight: inspection.imageHeight };
  const heatmap = heatmapOf(kept, model);
  return {
    id: newId(),
    projectId,
    modelId: model.id,
    name: item.name,
    imageId: item.test?.image.id ?? null,
    imageScore: inspection.imageScore,
    ...kept,
    ...decided(kept, model, rule),
    preview: item.preview,
    heatmap,
    seconds: inspection.seconds,
    inspectedAt: new Date().toISOString(),
  };
}

export function cancelInspection(): void {
  cancelled = true;
  job?.cancel();
}

/** Forgets the current model's results, here and in the database. */
export async function clearResults(): Promise<void> {
  const ids = get().results.map((r) => r.id);
  try {
    await (await projects()).deleteResults(ids);
    set({ results: [], selectedId: null });
  } catch (error) {
    set({ error: failureMessage(error) });
  }
  void refreshStorage();
}
