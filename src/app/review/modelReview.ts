/**
 * The review loop: a person's word on a part makes the model better, as a new version of it.
 * "Good after all" on a failure puts the part into the good images of the model's class, refreshes
 * that class's etalons from the part where the method allows it without retraining (its least
 * normal features become etalons: core/condensation/refresh.ts says when that keeps the
 * calibration valid), checks again what the model catches, and refits the image threshold with
 * the part's severity (under the refreshed etalons) among the held-out good parts'. Where the
 * etalons cannot be refreshed, only the threshold is refit (the model never saw the part, as it
 * never saw the held-out images) and the version says why. Each version names its parent, its
 * date and what changed; rolling back makes the parent the project's model again.
 * "Real defect" puts the part into the labelled test set with a quick mask.
 */
import { imageThreshold, withGoodPart } from '../../core/calibration/imageThreshold';
import { encodePng } from '../../core/formats/png';
import { rejectedMaskRgba } from '../../core/results/regions';
import { failureMessage } from '../../state/failure';
import { currentTarget } from '../../state/modelTarget';
import { addClassImages, addTestImages, openProject, updateProject, useProjects } from '../../state/projectsStore';
import { engineClient, newId, projects } from '../../state/services';
import type { StationFailure } from '../../state/stationStore';
import { useStation } from '../../state/stationStore';
import type { ModelRecord } from '../../storage/projectRecords';
import { openStation, partLabel } from '../station/stationWorkflow';

const PART_GONE = 'Only the reduced image of this part is kept (it was decided before a reload); inspect the part again to review it.';

/** Why a failure cannot be marked good here, or null when it can. */
export function goodAfterAllRefusal(failure: StationFailure): string | null {
  const target = currentTarget();
  if (!target) return 'The project has no model.';
  if (failure.decision.modelId !== target.model.id) return 'Another version of the model decided this part: only the version in use is refit.';
  if (!failure.part) return PART_GONE;
  if (!target.model.model.imageCalibration) return 'This model has no image calibration to refit; retrain it.';
  if (target.model.model.classes.length !== 1) return 'With several classes, add the image to its class on the Project screen and train again.';
  if (target.rule.byCatch) return 'The threshold is set by catch rate, which good parts do not move; set it by α to refit it.';
  return null;
}

/** One review at a time: a second press while the first refreshes and checks would refit the same version twice. */
let reviewing = false;

/**
 * "Good after all": the part joins the good images, and a new version (its class's etalons
 * refreshed from it where the method allows, the threshold refit) becomes the project's model.
 */
export async function goodAfterAll(failure: StationFailure): Promise<void> {
  const refusal = reviewing ? 'A part is being marked good already; wait for it to finish.' : goodAfterAllRefusal(failure);
  const target = currentTarget();
  const open = useProjects.getState().current;
  if (refusal || !target || !open || !failure.part) {
    useStation.setState({ error: refusal ?? 'The project is not open.' });
    return;
  }
  const { model, rule, projectId, resolution } = target;
  const calibration = model.model.imageCalibration!;
  const className = model.model.classes[0];
  const classKey = open.project.classes.find((c) => c.name === className)?.key;
  if (!classKey) {
    useStation.setState({ error: `The project no longer has the class "${className}" this model was trained on.` });
    return;
  }
  const label = partLabel(failure.decision);
  const name = reviewedFileName(failure.decision, failure.part.frame);
  // The held-out images in the order training scored them, so the check plants as it did then.
  const images = new Map(open.images.filter((i) => i.role === 'train' && i.classKey === classKey).map((i) => [i.name, i]));
  const heldOut = calibration.heldOut[0].flatMap((held) => {
    const image = images.get(held);
    return image ? [{ name: held, blob: image.blob, classId: 0 }] : [];
  });
  reviewing = true;
  try {
    await addClassImages(classKey, [{ file: new File([failure.part.frame], name, { type: failure.part.frame.type }), path: name }]);
    const working = `${label}: refreshing the etalons of "${className}" from it and checking again what the model catches`;
    useStation.setState({ notice: `${working}…` });
    const refresh = await engineClient().refreshEtalons(model.model, { part: failure.part.frame, resolution, heldOut }, ({ done, total }) => {
      useStation.setState({ notice: `${working}: ${done} of ${total} synthetic defects…` });
    }).result;
    const refreshed = refresh.refused === null ? refresh : null;
    // The held-out images' severities are whole-image ones, with their cells for judging within regions.
    const refit = refreshed ? withGoodPart(calibration, 0, name, refreshed.severity, refreshed.cells) : withGoodPart(calibration, 0, name, failure.part.severity, failure.part.cells);
    const before = imageThreshold(calibration.severities, rule.alpha).severity;
    const after = imageThreshold(refit.severities, rule.alpha).severity;
    const joined = `Good after all: ${label} (severity ${failure.decision.severity.toFixed(2)} nats) joined the good images`;
    const threshold = `threshold at α ${before.toFixed(2)} → ${after.toFixed(2)} nats`;
    const checked = !model.model.capability ? '' : refreshed?.model.capability ? ' What it catches was checked again with the new etalons.' : ' What it catches could not be checked again: its held-out good images are gone.';
    const change = refreshed
      ? `${joined}. Etalons: +${refreshed.added} for class "${className}", from its features less normal than the typical good part's worst spot; with them its severity is ${refreshed.severity.toFixed(2)} nats, which joined the threshold's good parts; ${threshold}.${checked}`
      : `${joined} and the threshold's good parts; ${threshold}. Etalons unchanged: ${refresh.refused} (train again to learn from it).`;
    await (await projects()).saveModel(projectId, newId(), { ...(refreshed?.model ?? model.model), imageCalibration: refit }, { parentId: model.id, at: new Date().toISOString(), change });
    await openProject(projectId);
    useStation.setState((s) => ({ failures: s.failures.filter((f) => f.decision.id !== failure.decision.id) }));
    await openStation(projectId);
    useStation.setState({ notice: `${label} is now a good image; the model's new version decides from here.` });
  } catch (e) {
    useStation.setState({ error: `The part could not be marked good: ${failureMessage(e)}` });
  } finally {
    reviewing = false;
  }
}

/** The model's versions back to the first: the current one first. */
export function versionChain(models: readonly ModelRecord[], id: string | null): ModelRecord[] {
  const chain: ModelRecord[] = [];
  for (let m = models.find((x) => x.id === id); m && !chain.includes(m); m = models.find((x) => x.id === m?.version?.parentId)) chain.push(m);
  return chain;
}

/** Makes the current version's parent the project's model again (the newer version stays stored). */
export async function rollBack(): Promise<void> {
  const target = currentTarget();
  const parentId = target?.model.version?.parentId;
  if (!target || !parentId || !useProjects.getState().current?.models.some((m) => m.id === parentId)) {
    useStation.setState({ error: 'This model has no earlier version to roll back to.' });
    return;
  }
  await updateProject((p) => ({ ...p, modelId: parentId }));
  await openProject(target.projectId);
  await openStation(target.projectId);
}

/** A reviewed part's file name in the project: when and what it was ("station-2026-12-07T00-01-02-000Z-frame_12.png"). */
function reviewedFileName(decision: StationFailure['decision'], frame: Blob): string {
  return `station-${decision.at.replace(/[:.]/g, '-')}-${partLabel(decision).replace(/[^\w.-]+/g, '_').replace(/\.(png|jpe?g|bmp|webp|gif)$/i, '')}${frame.type === 'image/jpeg' ? '.jpg' : '.png'}`;
}

/**
 * "Real defect": the part joins the project's labelled test set as a defective image of type
 * 'station', with the regions the heatmap rejects at ε as its quick mask, so the next evaluation
 * counts it. The model does not change.
 */
export async function realDefect(failure: StationFailure): Promise<void> {
  const { part, decision } = failure;
  if (!part) {
    useStation.setState({ error: PART_GONE });
    return;
  }
  const name = reviewedFileName(decision, part.frame);
  const rgba = rejectedMaskRgba(part.score, part.mapWidth, part.mapHeight, decision.epsilon, part.imageWidth, part.imageHeight);
  const mask = new Blob([encodePng(rgba, part.imageWidth, part.imageHeight) as Uint8Array<ArrayBuffer>], { type: 'image/png' });
  try {
    await addTestImages([{ file: { file: new File([part.frame], name, { type: part.frame.type }), path: name }, defectType: STATION_DEFECT_TYPE, mask }]);
    useStation.setState((s) => ({
      failures: s.failures.filter((f) => f.decision.id !== decision.id),
      notice: `${partLabel(decision)} joined the labelled test set as a "${STATION_DEFECT_TYPE}" defect, with the heatmap's regions at ε as its mask; the next evaluation counts it.`,
    }));
  } catch (e) {
    useStation.setState({ error: `The part could not join the test set: ${failureMessage(e)}` });
  }
}

/** The defect type a part confirmed at the station gets in the test set. */
export const STATION_DEFECT_TYPE = 'station';
