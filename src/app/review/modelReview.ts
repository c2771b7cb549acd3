/**
 * The review loop: a person's word on a part makes the model better, as a new version of it.
 * "Good after all" on a failure puts the part into the good images of the model's class and
 * refits the image threshold with its severity among the good parts' (the method allows that
 * without retraining: the model never saw the part, as it never saw the held-out images). The
 * etalons stay as they are; the next training learns from the image. Each version names its
 * parent, its date and what changed; rolling back makes the parent the project's model again.
 * "Real defect" puts the part into the labelled test set with a quick mask.
 */
import { imageThreshold, withGoodPart } from '../../core/calibration/imageThreshold';
import { encodePng } from '../../core/formats/png';
import { rejectedMaskRgba } from '../../core/results/regions';
import { failureMessage } from '../../state/failure';
import { currentTarget } from '../../state/modelTarget';
import { addClassImages, addTestImages, openProject, updateProject, useProjects } from '../../state/projectsStore';
import { newId, projects } from '../../state/services';
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

/** "Good after all": the part joins the good images, and a new version with the refit threshold becomes the project's model. */
export async function goodAfterAll(failure: StationFailure): Promise<void> {
  const refusal = goodAfterAllRefusal(failure);
  const target = currentTarget();
  const project = useProjects.getState().current?.project;
  if (refusal || !target || !project || !failure.part) {
    useStation.setState({ error: refusal ?? 'The project is not open.' });
    return;
  }
  const { model, rule, projectId } = target;
  const calibration = model.model.imageCalibration!;
  const className = model.model.classes[0];
  const classKey = project.classes.find((c) => c.name === className)?.key;
  if (!classKey) {
    useStation.setState({ error: `The project no longer has the class "${className}" this model was trained on.` });
    return;
  }
  const label = partLabel(failure.decision);
  const name = reviewedFileName(failure.decision, failure.part.frame);
  try {
    await addClassImages(classKey, [{ file: new File([failure.part.frame], name, { type: failure.part.frame.type }), path: name }]);
    // The held-out images' severities are whole-image ones, with their cells for judging within regions.
    const refit = withGoodPart(calibration, 0, name, failure.part.severity, failure.part.cells);
    const before = imageThreshold(calibration.severities, rule.alpha).severity;
    const after = imageThreshold(refit.severities, rule.alpha).severity;
    const change = `Good after all: ${label} (severity ${failure.decision.severity.toFixed(2)} nats) joined the good images and the threshold's good parts; threshold at α ${before.toFixed(2)} → ${after.toFixed(2)} nats. Etalons unchanged (train again to learn from it).`;
    await (await projects()).saveModel(projectId, newId(), { ...model.model, imageCalibration: refit }, { parentId: model.id, at: new Date().toISOString(), change });
    await openProject(projectId);
    useStation.setState((s) => ({ failures: s.failures.filter((f) => f.decision.id !== failure.decision.id) }));
    await openStation(projectId);
    useStation.setState({ notice: `${label} is now a good image; the model's new version decides from here.` });
  } catch (e) {
    useStation.setState({ error: `The part could not be marked good: ${failureMessage(e)}` });
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
